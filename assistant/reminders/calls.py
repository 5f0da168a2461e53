"""A reminder call, once answered: what it says, and what each key does.

The call was placed by `sending` (an `OutboundMessage` with purpose `voice_reminder` whose body
is what the call says). A person hears the reminder and the keypad menu: 1 confirms the
appointment, 2 asks for another time and 3 to talk to someone (both become a staff task to call
the patient back, with the call's conversation). An answering machine hears the reminder
without the menu and the practice's number. Nothing beyond the reminder text is disclosed: a
keypad press proves no identity.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from assistant import audit
from assistant.actor import Actor
from assistant.conversations import sessions
from assistant.conversations.messages import take_message
from assistant.db.models import Appointment, OutboundMessage, Patient, Practice, Provider
from assistant.db.types import utcnow
from assistant.messages import supported
from assistant.messaging.outbound import CALL
from assistant.reminders import content
from assistant.scheduling import operations
from assistant.scheduling.errors import InvalidTransition

CONFIRMED = "confirmed"
ALREADY_CONFIRMED = "already_confirmed"
NOT_CONFIRMABLE = "not_confirmable"  # cancelled or moved since the call was placed
RESCHEDULE = "reschedule"
HUMAN = "human"
UNKNOWN_KEY = "unknown_key"

_KEY_REASONS = {
    "2": (RESCHEDULE, "asked to reschedule on a reminder call"),
    "3": (HUMAN, "asked to talk to someone on a reminder call"),
}


@dataclass(frozen=True)
class CallScript:
    language: str
    said: str
    menu: bool  # False: an answering machine, no keypad


def _call(session: Session, message_id: int) -> tuple[OutboundMessage, Appointment] | None:
    message = session.get(OutboundMessage, message_id)
    if message is None or message.purpose != CALL or message.appointment_id is None:
        return None
    return message, session.get(Appointment, message.appointment_id)


def _language(session: Session, appointment: Appointment) -> str:
    patient = session.get(Patient, appointment.patient_id)
    return supported(patient.preferred_language)


def script(session: Session, message_id: int, answered_by: str | None) -> CallScript | None:
    """What the call says now it is answered; None if it is not one of our reminder calls."""
    found = _call(session, message_id)
    if found is None:
        return None
    message, appointment = found
    language = _language(session, appointment)
    if not (answered_by or "").startswith("machine"):
        return CallScript(language, message.body, menu=True)
    practice = session.get(Practice, appointment.practice_id)
    location = appointment.location
    said = content.spoken(
        practice=practice.name,
        when_utc=appointment.starts_at,
        time_zone=location.time_zone,
        place=content.place_name(location, _specialties(session, practice.id)),
        language=language,
        menu=False,
        phone=practice.phone,
    )
    return CallScript(language, said, menu=False)


def _specialties(session: Session, practice_id: int) -> list[str]:
    query = select(Provider.specialty).where(Provider.practice_id == practice_id).distinct()
    return [s for s in session.execute(query).scalars() if s]


def answer(
    session: Session, message_id: int, digit: str, *, call_sid: str, now: datetime | None = None
) -> tuple[str, str]:
    """Act on a key pressed during the call; returns (outcome, language)."""
    now = now or utcnow()
    found = _call(session, message_id)
    if found is None:
        return UNKNOWN_KEY, "en"
    message, appointment = found
    language = _language(session, appointment)
    actor = f"patient:{appointment.patient_id}"
    if digit == "1":
        try:
            _, changed = operations.confirm(
                session, appointment.id, actor=Actor(actor, "voice"), now=now
            )
        except InvalidTransition:
            return NOT_CONFIRMABLE, language
        audit.record_appointment(
            session,
            appointment,
            actor=actor,
            channel="voice",
            action="update",
            detail={"operation": "confirmed", "basis": "reminder call keypad"},
        )
        return (CONFIRMED if changed else ALREADY_CONFIRMED), language
    if digit in _KEY_REASONS:
        outcome, reason = _KEY_REASONS[digit]
        conversation = sessions.voice_conversation(
            session,
            practice_id=message.practice_id,
            call_sid=call_sid,
            phone=message.to_number,
            language=language,
            now=now,
        )
        sessions.add_turn(
            session, conversation, "in", f"Reminder call, appointment #{appointment.id}: {reason}"
        )
        task = take_message(session, conversation, reason=reason)
        task.patient_id = appointment.patient_id
        sessions.set_outcome(conversation, outcome)
        return outcome, language
    return UNKNOWN_KEY, language
