"""Time phrases and offers end to end, against the real Rasa and action servers: closed days,
typos and abbreviations, "next week" in Spanish, clock times with after/around, corrections
in Spanish voice, cancel-and-replace, the waitlist question, a colleague when the provider is
away, a corrected date of birth (tests/integration/conversations/times.yml); and an offer
chosen by its clock time, in English and Spanish. Judged by what was said and the database."""

from __future__ import annotations

import re
import sys
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from assistant.config import PROJECT_ROOT
from assistant.db.models import Appointment
from assistant.unit_of_work import UnitOfWork
from tests.factories.webhooks import sms_texter

sys.path.insert(0, str(PROJECT_ROOT / "bench"))

import conversation_suite as suite  # noqa: E402

pytestmark = pytest.mark.rasa
HERE = PROJECT_ROOT / "tests" / "integration" / "conversations"
TIMES = [s["id"] for s in suite.load("times-", folder=HERE)]


@pytest.fixture(scope="module")
def sim(dialogue_settings):
    return suite.simulator(dialogue_settings)


@pytest.mark.parametrize("conversation_id", TIMES)
def test_times_conversation(conversation_id, sim, live_db):
    spec = next(s for s in suite.load(conversation_id, folder=HERE) if s["id"] == conversation_id)
    result = suite.run_one(sim, live_db, spec)
    transcript = "\n".join(
        f"> {said}\n< {reply}" for said, reply in zip(spec["turns"], result.replies, strict=False)
    )
    assert result.success, f"{result.why}\n{transcript}"
    assert not result.unchosen, transcript


@pytest.fixture
def say(dialogue_settings):
    return sms_texter(dialogue_settings, sid_prefix="SMT")


_ES_HOURS = ("doce", "una", "dos", "tres", "cuatro", "cinco", "seis", "siete", "ocho", "nueve",
             "diez", "once")  # fmt: skip
_ES_MINUTES = {0: "", 15: " y cuarto", 20: " y veinte", 30: " y media", 40: " y cuarenta"}


def _second_offer(reply: str) -> tuple[int, int]:
    """(hour, minute) of option 2 in an SMS offer (12-hour "1:30 PM" or 24-hour "13:30")."""
    found = re.search(r"2\) .*?(\d{1,2}):(\d{2})(?:\s*(AM|PM))?", reply)
    assert found, reply
    hour, minute = int(found[1]), int(found[2])
    if found[3] == "PM" and hour < 12:
        hour += 12
    return hour, minute


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
    hour, minute = _second_offer(reply)
    english = f"the {hour % 12 or 12}:{minute:02d} one"
    reply = say(who.phone, english if language == "en" else _spanish(hour, minute))
    assert f"{hour % 12 or 12}:{minute:02d}" in reply or f"{hour}:{minute:02d}" in reply, reply
    say(who.phone, "yes" if language == "en" else "sí")
    with UnitOfWork(live_db) as uow:
        old = uow.session.get(Appointment, who.appointment_id)
        assert old.status == "rescheduled"
        new = uow.session.get(Appointment, old.rescheduled_to_id)
        at: datetime = new.starts_at.astimezone(ZoneInfo(new.location.time_zone))
        assert (at.hour, at.minute) == (hour, minute)
