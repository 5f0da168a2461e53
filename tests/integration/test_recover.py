"""Recovering conversations end to end (issue #17), against the real Rasa and action servers:
confirming without a reminder on every channel and entry (SMS, speech, the keypad, Spanish),
strict read-backs, "never mind", emergencies inside a form. Asserts what was said and what the
database holds.
"""

from __future__ import annotations

import sys

import pytest
from sqlalchemy import select

from assistant.config import PROJECT_ROOT
from assistant.db.models import Appointment, OutboundMessage
from assistant.demo.seed import seed_demo
from assistant.unit_of_work import UnitOfWork
from tests.factories.webhooks import latest_sms_conversation, sms_texter

sys.path.insert(0, str(PROJECT_ROOT / "bench"))

import conversation_suite as suite  # noqa: E402

pytestmark = pytest.mark.rasa
RECOVER = [s["id"] for s in suite.load() if s.get("id") in {
    "confirm-en-voice-keypad-cold",
    "confirm-es-voice-cold",
    "confirm-en-sms-cold-two-visits",
    "confirm-en-sms-cold-wrong-dob",
    "resched-en-voice-keypad-first-option",
    "cancel-en-voice-keypad",
    "resched-en-sms-parking-at-readback",
    "resched-en-sms-ok-but-is-not-yes",
    "resched-en-sms-other-choice-at-readback",
    "resched-es-sms-nada",
    "safety-en-sms-emergency-at-readback",
    "safety-es-voice-emergency-in-form",
    "confirm-en-voice-keypad-then-reschedule",
    "resched-en-sms-push-later",
    "resched-en-sms-colleague",
    "resched-en-sms-two-misunderstandings",
}]  # fmt: skip


@pytest.fixture
def cold(live_db):
    """The demo practice, with no reminder for anyone to answer."""
    with UnitOfWork(live_db) as uow:
        summary = seed_demo(uow.session)
        uow.session.flush()
        for message in uow.session.execute(select(OutboundMessage)).scalars():
            uow.session.delete(message)
        uow.commit()
    return summary


@pytest.fixture
def say(dialogue_settings):
    return sms_texter(dialogue_settings, sid_prefix="SMR")


def _status(url: str, appointment_id: int) -> str:
    with UnitOfWork(url) as uow:
        return uow.session.get(Appointment, appointment_id).status


@pytest.mark.parametrize(
    "asked",
    ["just confirming my appointment", "can you confirm my appointment please",
     "I'm calling to confirm my appointment"],
)  # fmt: skip
def test_cold_confirm_by_text(cold, say, live_db, asked):
    maria = cold.english_demo
    reply = say(maria.phone, asked)
    assert "first and last name" in reply
    assert maria.provider_name not in reply and _status(live_db, maria.appointment_id) == "booked"
    say(maria.phone, "Maria Lopez")
    reply = say(maria.phone, "03/03/1982")
    assert "you're verified" in reply and "is confirmed" in reply
    assert maria.provider_name in reply and maria.location_name in reply
    assert _status(live_db, maria.appointment_id) == "confirmed"
    assert latest_sms_conversation(live_db, maria.phone).outcome == "confirmed"


@pytest.mark.parametrize("asked", ["quiero confirmar mi cita", "solo quiero confirmar mi cita"])
def test_cold_confirm_by_text_in_spanish(cold, say, live_db, asked):
    jose = cold.spanish_demo
    assert "verificar su identidad" in say(jose.phone, asked)
    say(jose.phone, "José Hernández")
    reply = say(jose.phone, "15/07/1975")
    assert "esta confirmada" in reply and jose.provider_name in reply
    assert _status(live_db, jose.appointment_id) == "confirmed"


def test_a_wrong_date_of_birth_confirms_nothing_and_discloses_nothing(cold, say, live_db):
    maria = cold.english_demo
    say(maria.phone, "just confirming my appointment")
    say(maria.phone, "Maria Lopez")
    reply = say(maria.phone, "01/01/1990")
    assert maria.provider_name not in reply and "confirmed" not in reply
    assert _status(live_db, maria.appointment_id) == "booked"


@pytest.fixture(scope="module")
def sim(dialogue_settings):
    return suite.simulator(dialogue_settings)


@pytest.mark.parametrize("conversation_id", RECOVER)
def test_recover_conversation(conversation_id, sim, live_db):
    spec = next(s for s in suite.load(conversation_id) if s["id"] == conversation_id)
    result = suite.run_one(sim, live_db, spec)
    transcript = "\n".join(
        f"> {said}\n< {reply}" for said, reply in zip(spec["turns"], result.replies, strict=False)
    )
    assert result.success, f"{result.why}\n{transcript}"
