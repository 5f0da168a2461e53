"""A patient answers a reminder ("yes I'll be there", "1"): confirm that appointment.

The reminder went to this number and already named the date, time and place, so the answer may
repeat them; anything beyond that needs identity verification in the dialogue.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from assistant import audit
from assistant.actor import Actor
from assistant.conversations import sessions
from assistant.db.models import Appointment, Conversation, ConversationTurn, OutboundMessage
from assistant.db.types import utcnow
from assistant.messages import localized
from assistant.scheduling import operations
from assistant.scheduling.errors import InvalidTransition
from assistant.timefmt import format_when
from assistant.unit_of_work import UnitOfWork

REMINDER_REPLY_WINDOW = timedelta(days=14)

CONFIRMED = "confirmed"
ALREADY_CONFIRMED = "already_confirmed"
NOT_CONFIRMABLE = "not_confirmable"  # cancelled or rescheduled since the reminder
NO_REMINDER = "no_reminder"


@dataclass(frozen=True)
class ConfirmResult:
    status: str
    when: str | None = None
    location: str | None = None
    appointment_id: int | None = None


def reminded_appointment(session: Session, phone: str, now: datetime) -> Appointment | None:
    """The upcoming appointment of the latest reminder texted to this number, if any."""
    found = _latest_reminder(session, phone, now)
    return found[0] if found else None


def _latest_reminder(
    session: Session, phone: str, now: datetime
) -> tuple[Appointment, datetime] | None:
    """(the appointment, when its reminder was made) of the latest reminder to this number."""
    row = session.execute(
        select(Appointment, OutboundMessage.created_at)
        .join(OutboundMessage, OutboundMessage.appointment_id == Appointment.id)
        .where(
            OutboundMessage.to_number == phone,
            OutboundMessage.purpose == "reminder",
            OutboundMessage.status.in_(("recorded", "sent", "delivered")),
            OutboundMessage.created_at >= now - REMINDER_REPLY_WINDOW,
            Appointment.starts_at > now,
        )
        .order_by(OutboundMessage.created_at.desc(), OutboundMessage.id.desc())
        .limit(1)
    ).first()
    return (row[0], row[1]) if row else None


def answers_the_reminder(session: Session, conversation: Conversation, sent_at: datetime) -> bool:
    """Only the first message since the reminder answers it: a "yes" further on in a
    conversation about something else (a booking) answers that, and confirming the reminded
    visit then would disclose it to a caller nobody verified. A conversation that has only
    confirmed it ("1", then "yes") is still answering it: "already confirmed" tells nothing new."""
    if conversation.outcome == "confirmed":
        return True
    said = session.execute(
        select(func.count(ConversationTurn.id)).where(
            ConversationTurn.conversation_id == conversation.id,
            ConversationTurn.direction == "in",
            ConversationTurn.at >= sent_at,
        )
    ).scalar_one()
    return said <= 1


# The numbered choices every reminder offers (see the reminder texts).
REMINDER_MENU = {
    "1": "/confirm_appointment",
    "2": "/reschedule_appointment",
    "3": "/request_human",
}


def reminder_menu_intent(session: Session, phone: str, body: str, now: datetime) -> str | None:
    """A bare digit is a menu choice only as the answer to an outstanding reminder; elsewhere
    ("the second one" among offered times) digits mean something else, so the NLU decides."""
    intent = REMINDER_MENU.get(body.strip().rstrip("."))
    if intent and reminded_appointment(session, phone, now) is not None:
        return intent
    return None


def confirm_reply(
    session: Session, conversation: Conversation, now: datetime | None = None
) -> ConfirmResult:
    now = now or utcnow()
    found = _latest_reminder(session, conversation.phone or "", now)
    if found is None or not answers_the_reminder(session, conversation, found[1]):
        return ConfirmResult(NO_REMINDER)
    appointment = found[0]
    actor = Actor.patient(appointment.patient_id, conversation.channel, conversation.id)
    try:
        appointment, changed = operations.confirm(session, appointment.id, actor=actor, now=now)
    except InvalidTransition:
        return ConfirmResult(NOT_CONFIRMABLE, appointment_id=appointment.id)
    audit.record_appointment(
        session,
        appointment,
        action="disclose",
        **actor.fields(),
        detail={"fields": ["date", "time", "location"], "basis": "reminder reply"},
    )
    location = appointment.location
    sessions.set_outcome(
        conversation,
        "confirmed",
        f"Confirmed appointment #{appointment.id} by replying to a reminder.",
    )
    return ConfirmResult(
        CONFIRMED if changed else ALREADY_CONFIRMED,
        when=format_when(
            appointment.starts_at,
            location.time_zone,
            language=conversation.language,
            channel=conversation.channel,
        ),
        location=location.name,
        appointment_id=appointment.id,
    )


def confirm_reply_for(uow: UnitOfWork, conversation_uid: str) -> ConfirmResult:
    """Application service for the dialogue: one transaction, by conversation id."""
    with uow:
        conversation = sessions.by_uid(uow.session, conversation_uid)
        if conversation is None:
            return ConfirmResult(NO_REMINDER)
        result = confirm_reply(uow.session, conversation)
        uow.commit()
        return result


def answers_a_reminder(uow: UnitOfWork, conversation_uid: str) -> bool:
    """Whether this message is the first answer to a reminder texted to the conversation's
    number for a visit still to come (nothing is confirmed or disclosed)."""
    with uow:
        conversation = sessions.by_uid(uow.session, conversation_uid)
        if conversation is None or conversation.channel == "voice":
            return False
        found = _latest_reminder(uow.session, conversation.phone or "", utcnow())
        return found is not None and answers_the_reminder(uow.session, conversation, found[1])


def prep_for_reply(uow: UnitOfWork, appointment_id: int, language: str) -> str | None:
    """The visit's preparation, for a reminder's answer that asks about it ("yes. do I need to
    fast?"): the reminder that went to this number carried it already."""
    with uow:
        appointment = uow.session.get(Appointment, appointment_id)
        if appointment is None:
            return None
        return localized(appointment.appointment_type, "prep_instructions", language)
