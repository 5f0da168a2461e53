"""Corrections in wordings nobody wrote for (issue #17), end to end against the real Rasa and
action servers: a day taken back at the offers or at the read-back, a part of the day denied
in a second clause, earlier / later the same day as the visit
(tests/integration/conversations/corrections.yml); and another offer named at the read-back,
which is read back and moved to only after a yes. Judged by what was said and the database."""

from __future__ import annotations

import pytest

from tests.factories.dialogues import moved_to, offered_clock, play_scripted, scripted_ids
from tests.factories.webhooks import sms_texter

pytestmark = pytest.mark.rasa


@pytest.mark.parametrize("conversation_id", scripted_ids("corrections-"))
def test_correction_conversation(conversation_id, sim, live_db):
    play_scripted(sim, live_db, conversation_id)


@pytest.fixture
def say(dialogue_settings):
    return sms_texter(dialogue_settings, sid_prefix="SMC")


def _clock(hour: int, minute: int) -> tuple[str, str]:
    """How an SMS names a clock time, in English and in Spanish."""
    return f"{hour % 12 or 12}:{minute:02d}", f"{hour}:{minute:02d}"


@pytest.mark.parametrize(
    ("language", "correction", "number"),
    [
        ("en", "hold on, the third one please", 3),
        ("en", "not that one, the one after it", 2),
        ("es", "no, mejor la tercera", 3),
        ("es", "no, prefiero la de las {clock}", 2),
    ],
)
def test_another_offer_at_the_readback_is_read_back_then_moved_to(
    demo, say, live_db, language, correction, number
):
    who = demo.english_demo if language == "en" else demo.spanish_demo
    if language == "en":
        turns = ["I need to reschedule my appointment", "Maria Lopez", "3/3/1982", "thursday"]
    else:
        turns = ["quiero cambiar mi cita", "José Hernández", "15/07/1975", "el jueves"]
    for turn in turns:
        offers = say(who.phone, turn)
    wanted = offered_clock(offers, number)
    if number == 2 and wanted in (offered_clock(offers, 1), offered_clock(offers, 3)):
        pytest.skip("two offers at the same clock time")
    say(who.phone, "the first one" if language == "en" else "la primera")
    english, spanish = _clock(*wanted)
    reply = say(who.phone, correction.format(clock=english))
    assert english in reply or spanish in reply, reply  # the new choice, read back
    assert moved_to(live_db, who.appointment_id) is None  # not before a yes
    say(who.phone, "yes" if language == "en" else "sí")
    assert moved_to(live_db, who.appointment_id) == wanted
