"""Appointment conversations end to end: signed Twilio SMS -> Flask -> Rasa -> actions -> database.

Identity first (name + date of birth), then check, cancel or reschedule; three failed
verifications go to staff without disclosing anything; the same in Spanish.
"""

from __future__ import annotations

import pytest
from sqlalchemy import select

from assistant.db.models import Appointment, StaffTask
from assistant.timefmt import format_when
from assistant.unit_of_work import UnitOfWork
from tests.factories.webhooks import latest_sms_conversation, sms_texter

pytestmark = pytest.mark.rasa


@pytest.fixture
def say(dialogue_settings):
    """Send one SMS as Twilio would and return the one reply text."""
    return sms_texter(dialogue_settings, sid_prefix="SMD")


def _when(appointment: Appointment, language: str = "en") -> str:
    return format_when(appointment.starts_at, appointment.location.time_zone, language=language)


def test_verify_then_check(demo, say, live_db):
    maria = demo.english_demo
    assert "first and last name" in say(maria.phone, "when is my appointment?")
    assert "date of birth" in say(maria.phone, "Maria Lopez")
    reply = say(maria.phone, "03/03/1982")
    assert "you're verified" in reply
    with UnitOfWork(live_db) as uow:
        appointment = uow.session.get(Appointment, maria.appointment_id)
        assert _when(appointment) in reply
    assert maria.provider_name in reply and maria.location_name in reply
    conversation = latest_sms_conversation(live_db, maria.phone)
    assert conversation.verified_patient_id == maria.patient_id
    assert conversation.outcome == "informed"


def test_verify_then_cancel(demo, say, live_db):
    maria = demo.english_demo
    assert "first and last name" in say(maria.phone, "I need to cancel my appointment")
    say(maria.phone, "maria lopez")
    reply = say(maria.phone, "March 3, 1982")
    assert "Do you want to cancel your appointment on" in reply and maria.provider_name in reply
    reply = say(maria.phone, "yes")  # cancelled at the yes, then (optionally) why
    assert "is cancelled" in reply and "why" in reply
    with UnitOfWork(live_db) as uow:  # a patient who stops answering here has it cancelled
        assert uow.session.get(Appointment, maria.appointment_id).status == "cancelled"
    assert "new time" in say(maria.phone, "I'm feeling better")
    assert "anything else" in say(maria.phone, "no thanks")
    with UnitOfWork(live_db) as uow:
        appointment = uow.session.get(Appointment, maria.appointment_id)
        assert appointment.status == "cancelled"
        assert appointment.cancel_reason == "I'm feeling better"
        assert appointment.history[-1].actor == f"patient:{maria.patient_id}"
    conversation = latest_sms_conversation(live_db, maria.phone)
    assert conversation.outcome == "cancelled"
    assert conversation.summary.startswith("Maria Lopez (verified) cancelled ")


def test_verify_then_reschedule_choosing_the_second_one(demo, say, live_db):
    maria = demo.english_demo
    say(maria.phone, "I need to reschedule my appointment")
    say(maria.phone, "Maria Lopez")
    verified = say(maria.phone, "03/03/1982")
    assert "1) " in verified and "2) " in verified  # the soonest times at once
    offer = say(maria.phone, "as soon as possible")
    assert "1) " in offer and "2) " in offer and "Which one works for you?" in offer
    confirm = say(maria.phone, "the second one")
    assert "To confirm: move your appointment on" in confirm
    done = say(maria.phone, "yes")
    assert "You're all set" in done
    with UnitOfWork(live_db) as uow:
        old = uow.session.get(Appointment, maria.appointment_id)
        assert old.status == "rescheduled"
        new = uow.session.get(Appointment, old.rescheduled_to_id)
        assert new.status == "booked" and new.provider_id == old.provider_id
        second = offer.split("2) ", 1)[1]
        assert second.startswith(_when(new))
        assert _when(new) in confirm and _when(new) in done
    conversation = latest_sms_conversation(live_db, maria.phone)
    assert conversation.outcome == "rescheduled"
    assert conversation.summary.startswith("Maria Lopez (verified) rescheduled ")


def test_three_failed_verifications_go_to_staff(demo, say, live_db):
    maria = demo.english_demo
    say(maria.phone, "when is my appointment?")
    replies = []
    for _ in range(3):
        replies.append(say(maria.phone, "Maria Lopez"))
        replies.append(say(maria.phone, "01/01/1990"))
    assert "couldn't find a patient" in replies[1]
    assert "wasn't able to verify" in replies[-1]
    for reply in replies:
        assert maria.provider_name not in reply and maria.location_name not in reply
    conversation = latest_sms_conversation(live_db, maria.phone)
    assert conversation.verified_patient_id is None
    assert conversation.outcome == "message_taken"
    with UnitOfWork(live_db) as uow:
        task = uow.session.execute(
            select(StaffTask).where(StaffTask.conversation_id == conversation.id)
        ).scalar_one()
        assert task.department == "front_desk"


def test_spanish_cancel(demo, say, live_db):
    jose = demo.spanish_demo
    assert "verificar su identidad" in say(jose.phone, "quiero cancelar mi cita")
    assert "fecha de nacimiento" in say(jose.phone, "José Hernández")
    reply = say(jose.phone, "15/07/1975")
    assert "Quiere cancelar su cita del" in reply and "a las 14:00" in reply
    reply = say(jose.phone, "si")  # cancelled at the yes; then why (optional), a new time?
    assert "esta cancelada" in reply and "por que" in reply
    assert "otra fecha" in say(jose.phone, "no")
    say(jose.phone, "no gracias")
    with UnitOfWork(live_db) as uow:
        assert uow.session.get(Appointment, jose.appointment_id).status == "cancelled"
    assert latest_sms_conversation(live_db, jose.phone).outcome == "cancelled"
