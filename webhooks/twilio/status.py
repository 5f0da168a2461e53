"""`POST /twilio/status`: call and message status callbacks.

Deduplicated on (sid, status); a completed call closes its conversation, and one that ended
before the dialogue finished is recorded as abandoned with its transcript kept
(assistant/messaging/status_callbacks.py, which the spool's replay uses too).
"""

from __future__ import annotations

from flask import Blueprint, Response, request

from assistant.messaging import status_callbacks
from assistant.messaging.status_callbacks import CALL_FINAL, MESSAGE_ORDER
from webhooks.twilio import errors, twiml
from webhooks.twilio.signature import twilio_signed

bp = Blueprint("twilio_status", __name__)

__all__ = ["CALL_FINAL", "MESSAGE_ORDER", "bp"]


@bp.post("/twilio/status")
@twilio_signed
def status_callback() -> Response:
    form = request.form
    call_sid = form.get("CallSid")
    message_sid = form.get("MessageSid")
    status = form.get("CallStatus") or form.get("MessageStatus") or ""
    if not (message_sid or call_sid) or not status:
        return twiml.bad_request("a sid and a status are required")
    with twiml.unit_of_work() as uow:
        status_callbacks.apply(
            uow.session,
            message_sid=message_sid,
            call_sid=call_sid,
            status=status,
            error_code=form.get("ErrorCode"),
            answered_by=form.get("AnsweredBy"),
        )
        uow.commit()
    return twiml.no_content()


# Errors: a 204 (Twilio retries nothing useful); with the database down the callback is kept.
errors.answer_errors(bp, twiml.no_content, keep=errors.status_kept)
