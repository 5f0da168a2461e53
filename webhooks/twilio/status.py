"""`POST /twilio/status`: call and message status callbacks.

Deduplicated on (sid, status); a completed call closes its conversation, and one that ended
before the dialogue finished is recorded as abandoned with its transcript kept.
"""

from __future__ import annotations

from flask import Blueprint, Response, request
from sqlalchemy import select

from assistant import idempotency
from assistant.conversations import sessions
from assistant.db.models import Conversation, OutboundMessage
from assistant.messaging import outbound
from assistant.unit_of_work import UnitOfWork
from webhooks.context import settings
from webhooks.twilio.signature import twilio_signed

bp = Blueprint("twilio_status", __name__)

CALL_FINAL = {"completed", "busy", "failed", "no-answer", "canceled"}
# Callbacks can arrive out of order: a message's status only moves forward.
MESSAGE_ORDER = {
    s: i
    for i, s in enumerate(
        ["accepted", "scheduled", "queued", "sending", "sent", "receiving", "received",
         "delivered", "read", "undelivered", "failed", "canceled"]
    )
}  # fmt: skip


@bp.post("/twilio/status")
@twilio_signed
def status_callback() -> Response:
    form = request.form
    call_sid = form.get("CallSid")
    message_sid = form.get("MessageSid")
    status = form.get("CallStatus") or form.get("MessageStatus") or ""
    sid = message_sid or call_sid
    if not sid or not status:
        return Response("a sid and a status are required", status=400, mimetype="text/plain")
    with UnitOfWork(settings().database_url) as uow:
        if idempotency.claim(uow.session, f"status:{sid}:{status}") is not None:
            return Response("", status=204)
        if message_sid:
            message = uow.session.execute(
                select(OutboundMessage).where(OutboundMessage.twilio_sid == message_sid)
            ).scalar_one_or_none()
            if message is not None and MESSAGE_ORDER.get(status, -1) >= MESSAGE_ORDER.get(
                message.status, -1
            ):
                message.status = status
                message.error_code = form.get("ErrorCode") or message.error_code
                # the reminder row mirrors it; a refused number (30006 ...) is marked
                outbound.after_status_callback(uow.session, message, status, form.get("ErrorCode"))
        elif status in CALL_FINAL:
            # a reminder call: its outcome (no-answer, busy, machine ...) goes on the reminder
            outbound.after_call_status(uow.session, call_sid, status, form.get("AnsweredBy"))
            conversation = uow.session.execute(
                select(Conversation).where(Conversation.call_sid == call_sid)
            ).scalar_one_or_none()
            if conversation is not None and conversation.status != "closed":
                sessions.close(conversation, outcome=conversation.outcome or "abandoned")
        uow.commit()
    return Response("", status=204)
