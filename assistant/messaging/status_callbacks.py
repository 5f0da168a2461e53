"""Twilio's call and message status callbacks, applied once and only forward.

The webhook (`POST /twilio/status`) and the spool's replay of callbacks that arrived while the
database was down (assistant/spool) both come here, so a replayed callback has exactly the
effect the live one would have had.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from assistant import idempotency
from assistant.conversations import sessions
from assistant.db.models import Conversation, OutboundMessage
from assistant.messaging import outbound

CALL_FINAL = {"completed", "busy", "failed", "no-answer", "canceled"}
# Callbacks can arrive out of order: a message's status only moves forward.
MESSAGE_ORDER = {
    s: i
    for i, s in enumerate(
        ["accepted", "scheduled", "queued", "sending", "sent", "receiving", "received",
         "delivered", "read", "undelivered", "failed", "canceled"]
    )
}  # fmt: skip


def event_key(sid: str, status: str) -> str:
    return idempotency.key("status", sid, status)


def apply(
    session: Session,
    *,
    message_sid: str | None,
    call_sid: str | None,
    status: str,
    error_code: str | None = None,
    answered_by: str | None = None,
) -> bool:
    """Apply one callback (deduplicated on sid and status). False: it had been applied before.

    A message's status moves forward only (its reminder mirrors it; a refused number is
    marked); a call's final status goes on its reminder and closes its conversation (one that
    ended before the dialogue finished is recorded as abandoned, its transcript kept)."""
    sid = message_sid or call_sid or ""
    if idempotency.claim(session, event_key(sid, status)) is not None:
        return False
    if message_sid:
        message = session.execute(
            select(OutboundMessage).where(OutboundMessage.twilio_sid == message_sid)
        ).scalar_one_or_none()
        if message is not None and MESSAGE_ORDER.get(status, -1) >= MESSAGE_ORDER.get(
            message.status, -1
        ):
            message.status = status
            message.error_code = error_code or message.error_code
            # the reminder row mirrors it; a refused number (30006 ...) is marked
            outbound.after_status_callback(session, message, status, error_code)
    elif call_sid and status in CALL_FINAL:
        # a reminder call: its outcome (no-answer, busy, machine ...) goes on the reminder
        outbound.after_call_status(session, call_sid, status, answered_by)
        conversation = session.execute(
            select(Conversation).where(Conversation.call_sid == call_sid)
        ).scalar_one_or_none()
        if conversation is not None and conversation.status != "closed":
            sessions.close(conversation, outcome=conversation.outcome or "abandoned")
    return True
