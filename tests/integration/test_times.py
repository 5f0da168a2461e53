"""Time phrases and offers end to end, against the real Rasa and action servers: closed days,
typos and abbreviations, "next week" in Spanish, clock times with after/around, corrections
in Spanish voice, cancel-and-replace, the waitlist question, a colleague when the provider is
away, a corrected date of birth (tests/integration/conversations/times.yml); and an offer
chosen by its clock time, in English and Spanish. Judged by what was said and the database."""

from __future__ import annotations

import pytest

from tests.factories.dialogues import moved_to, offered_clock, play_scripted, scripted_ids
from tests.factories.webhooks import sms_texter

pytestmark = pytest.mark.rasa


@pytest.mark.parametrize("conversation_id", scripted_ids("times-"))
def test_times_conversation(conversation_id, sim, live_db):
    play_scripted(sim, live_db, conversation_id)


@pytest.fixture
def say(dialogue_settings):
    return sms_texter(dialogue_settings, sid_prefix="SMT")


_ES_HOURS = ("doce", "una", "dos", "tres", "cuatro", "cinco", "seis", "siete", "ocho", "nueve",
             "diez", "once")  # fmt: skip
_ES_MINUTES = {0: "", 15: " y cuarto", 20: " y veinte", 30: " y media", 40: " y cuarenta"}


def _spanish(hour: int, minute: int) -> str:
    article = "la" if hour % 12 == 1 else "las"
    return f"la de {article} {_ES_HOURS[hour % 12]}{_ES_MINUTES.get(minute, f':{minute:02d}')}"


@pytest.mark.parametrize("language", ["en", "es"])
def test_an_offer_chosen_by_its_clock_time(demo, say, live_db, language):
    who = demo.english_demo if language == "en" else demo.spanish_demo
    if language == "en":
        turns = ["I need to reschedule my appointment", "Maria Lopez", "3/3/1982", "any afternoon"]
    else:
        turns = ["quiero cambiar mi cita", "José Hernández", "15/07/1975", "cualquier tarde"]
    for turn in turns:
        reply = say(who.phone, turn)
    hour, minute = offered_clock(reply, 2)
    english = f"the {hour % 12 or 12}:{minute:02d} one"
    reply = say(who.phone, english if language == "en" else _spanish(hour, minute))
    assert f"{hour % 12 or 12}:{minute:02d}" in reply or f"{hour}:{minute:02d}" in reply, reply
    say(who.phone, "yes" if language == "en" else "sí")
    assert moved_to(live_db, who.appointment_id) == (hour, minute)
