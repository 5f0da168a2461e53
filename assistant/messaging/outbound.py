"""The one way to send an SMS: every message is an `OutboundMessage` row first.

With Twilio credentials the row is committed (status "queued"), then sent through
`TwilioSender`, then updated with the SID ("sent") or the error ("failed"). Without
credentials the row is stored with status "recorded" and nothing is sent (said once at start).
Numbers that opted out (`SmsOptOut`) or that Twilio refused for good (`UndeliverableNumber`)
are never sent to; the opt-out confirmation is a TwiML reply, not sent from here.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime
from typing import TypedDict

from sqlalchemy import select
from sqlalchemy.orm import Session
from typing_extensions import Required, Unpack

from assistant.config import Settings
from assistant.db.models import OutboundMessage, Reminder, SmsOptOut, UndeliverableNumber
from assistant.db.types import utcnow
from assistant.messaging.twilio_client import (
    PERMANENT_ERRORS,
    CreateOutcome,
    TwilioSender,
    find_call,
)
from assistant.unit_of_work import UnitOfWorkFactory

log = logging.getLogger(__name__)

OPTED_OUT = "opted_out"
# Message statuses after which Twilio has the message (our "sent", then its callbacks).
HANDED_OVER = ("recorded", "sent", "sending", "delivered", "read", "undelivered", "accepted")
_said_recording = False
# A voice reminder is an outbound call; its row keeps what the call says (the "body").
CALL = "voice_reminder"
REMINDER_CALL_PATH = "/twilio/reminder-call"  # its TwiML, `?m=<message id>`


class Draft(TypedDict, total=False):
    """What an outbound message is made of (the keywords of `new_message` and `send`)."""

    practice_id: Required[int]
    to: Required[str]
    body: Required[str]
    purpose: Required[str]
    patient_id: int | None
    appointment_id: int | None


@dataclass(frozen=True)
class SendResult:
    status: str  # recorded | sent | failed | blocked | unknown
    message_id: int | None = None
    twilio_sid: str | None = None
    error_code: str | None = None  # or, when blocked, the reason (opted_out, landline ...)


def blocked_reason(session: Session, number: str) -> str | None:
    """Why this number must not be texted: opted out, or refused for good by Twilio."""
    if session.get(SmsOptOut, number) is not None:
        return OPTED_OUT
    marked = session.get(UndeliverableNumber, number)
    return marked.reason if marked is not None else None


def mark_number(session: Session, number: str, error_code: str, now: datetime) -> None:
    """Twilio said this number can never receive our texts: 21610 is an opt-out (as if the
    patient had replied STOP to us), the others make the number undeliverable."""
    reason = PERMANENT_ERRORS.get(error_code)
    if reason is None:
        return
    if reason == OPTED_OUT:
        if session.get(SmsOptOut, number) is None:
            session.add(SmsOptOut(number=number, keyword=f"twilio:{error_code}", opted_out_at=now))
    elif session.get(UndeliverableNumber, number) is None:
        session.add(
            UndeliverableNumber(number=number, reason=reason, error_code=error_code, marked_at=now)
        )


class Outbound:
    """Sending policy for one process: recorded locally, or through Twilio."""

    def __init__(self, settings: Settings, sender: TwilioSender | None = None) -> None:
        global _said_recording
        self.settings = settings
        self.sender = sender
        if self.sender is None and settings.twilio_enabled:
            self.sender = TwilioSender(settings)
        if self.sender is None and not _said_recording:
            log.info("Twilio: no credentials set, outbound SMS are recorded, not sent")
            _said_recording = True

    @property
    def sends(self) -> bool:
        return self.sender is not None

    def new_message(
        self, session: Session, *, now: datetime | None = None, **draft: Unpack[Draft]
    ) -> OutboundMessage:
        """Add the row for a message about to go out ("recorded" when nothing is sent)."""
        message = OutboundMessage(
            practice_id=draft["practice_id"],
            to_number=draft["to"],
            body=draft["body"],
            purpose=draft["purpose"],
            patient_id=draft.get("patient_id"),
            appointment_id=draft.get("appointment_id"),
            status="queued" if self.sends else "recorded",
            created_at=now or utcnow(),
        )
        session.add(message)
        session.flush()
        return message

    def transmit(self, message: OutboundMessage) -> CreateOutcome:
        """The network call, outside any transaction (the row is already committed)."""
        assert self.sender is not None, "transmit() needs Twilio credentials"
        if message.purpose == CALL:
            url = f"{self.settings.public_base_url}{REMINDER_CALL_PATH}?m={message.id}"
            return self.sender.call(message.to_number, url)
        return self.sender.create(message.to_number, message.body)

    def find_accepted(self, message: OutboundMessage) -> tuple[bool, str | None]:
        """After a crash: did Twilio accept this message (or place this call) before we
        stored its SID?"""
        if self.sender is None:
            return True, None
        if message.purpose == CALL:
            return find_call(self.sender.client, message.to_number, message.created_at)
        return self.sender.find_accepted(message.to_number, message.body, message.created_at)

    def send(self, new_uow: UnitOfWorkFactory, **draft: Unpack[Draft]) -> SendResult:
        """Send one SMS: the message is committed before the network call and its outcome after
        it, each in a unit of work of the caller's `new_uow` (callers with their own state use
        the steps)."""
        with new_uow() as uow:
            reason = blocked_reason(uow.session, draft["to"])
            if reason is not None:
                return SendResult("blocked", error_code=reason)
            message = self.new_message(uow.session, **draft)
            uow.commit()
        if not self.sends:
            return SendResult("recorded", message.id)
        outcome = self.transmit(message)
        with new_uow() as uow:
            stored = uow.session.get(OutboundMessage, message.id)
            apply_outcome(uow.session, stored, outcome)
            uow.commit()
            return SendResult(stored.status, stored.id, stored.twilio_sid, stored.error_code)


def apply_outcome(
    session: Session, message: OutboundMessage, outcome: CreateOutcome, now: datetime | None = None
) -> None:
    """Store what Twilio answered; a permanent error marks the number. An ambiguous outcome
    leaves the row "queued" without SID: `find_accepted` settles it later."""
    now = now or utcnow()
    if outcome.sid:
        message.twilio_sid = outcome.sid
        message.status = "sent"
        message.sent_at = now
        message.error_code = None
        return
    message.error_code = outcome.error_code
    if outcome.ambiguous:
        return
    message.status = "failed"
    if outcome.permanent:
        mark_number(session, message.to_number, outcome.error_code or "", now)


def after_status_callback(
    session: Session, message: OutboundMessage, status: str, error_code: str | None
) -> None:
    """A delivery status callback moved `message` forward: mirror it on its reminder, and mark
    the number when the carrier refused it for good (30006 landline ...)."""
    reminder = session.execute(
        select(Reminder).where(Reminder.outbound_message_id == message.id)
    ).scalar_one_or_none()
    if reminder is not None:
        reminder.delivery_status = status
        reminder.error_code = error_code or reminder.error_code
        if reminder.twilio_sid is None:
            reminder.twilio_sid = message.twilio_sid
    if error_code and status in ("failed", "undelivered"):
        mark_number(session, message.to_number, error_code, utcnow())


def after_call_status(
    session: Session, call_sid: str, status: str, answered_by: str | None = None
) -> None:
    """A reminder call ended: completed (by a person, or a machine that took the message),
    busy, no-answer, failed. Mirrored on the call's row and its reminder."""
    message = session.execute(
        select(OutboundMessage).where(
            OutboundMessage.twilio_sid == call_sid, OutboundMessage.purpose == CALL
        )
    ).scalar_one_or_none()
    if message is None:
        return
    outcome = (
        "machine" if status == "completed" and (answered_by or "").startswith("machine") else status
    )
    message.status = outcome
    after_status_callback(session, message, outcome, None)
