"""`POST /twilio/sms`: an inbound text, answered with TwiML `<Message>`.

Order of work: validate the signature; claim the MessageSid (a retry replays the first answer);
handle keywords and record the turn; ask the dialogue; if it cannot answer, take a message for
staff. Twilio never sees a 5xx from here. If the database is unavailable, the text is kept in
the spool and replayed when it is back (webhooks/twilio/errors.py, assistant/spool).
"""

from __future__ import annotations

import logging

from flask import Blueprint, Response, g, request
from twilio.twiml.messaging_response import MessagingResponse

from assistant import idempotency
from assistant.conversations.messages import take_message_for_uid
from assistant.messaging import inbound
from assistant.messaging.segments import gsm_friendly, segments
from webhooks import rasa_client
from webhooks.context import settings
from webhooks.twilio import errors, twiml
from webhooks.twilio.signature import twilio_signed

log = logging.getLogger(__name__)
bp = Blueprint("twilio_sms", __name__)


def _reply_text(replies: list[str]) -> str:
    """One message for the whole answer (fewer segments, arrives in order), in GSM-7 when the
    only obstacle was an accent."""
    return gsm_friendly(" ".join(replies))


def _twiml(text: str | None) -> MessagingResponse:
    response = MessagingResponse()
    if text:
        response.message(text)
    return response


@bp.post("/twilio/sms")
@twilio_signed
def inbound_sms() -> Response:
    form = request.form
    message_sid = form.get("MessageSid") or form.get("SmsSid") or ""
    from_number = form.get("From", "")
    if not message_sid or not from_number:
        return twiml.bad_request("MessageSid and From are required")
    cfg = settings()
    body = form.get("Body", "")
    try:
        num_media = int(form.get("NumMedia", "0") or 0)
    except ValueError:
        num_media = 0

    with twiml.once(idempotency.key("sms", message_sid)) as event:
        if (replay := event.replay(pending=twiml.xml(_twiml(None)))) is not None:
            log.info("replayed answer for a retried message")
            return replay
        session = event.session
        outcome = inbound.receive(
            session,
            from_number=from_number,
            to_number=form.get("To"),
            body=body,
            num_media=num_media,
            session_minutes=cfg.sms_session_minutes,
        )
        if not outcome.to_dialogue:
            text = _reply_text([outcome.reply]) if outcome.reply else None
            if text and outcome.conversation_uid:
                inbound.record_reply(session, outcome.conversation_uid, text)
            return event.answer(_twiml(text))
        event.save()  # the patient's words are stored before we depend on the dialogue

        uid = str(outcome.conversation_uid)
        g.spool_conversation_uid = uid  # if the database goes away now, the spool's task joins it
        said = outcome.dialogue_text or body
        reply = rasa_client.turn(cfg, "sms", uid, said, outcome.language)
        replies = reply.texts if reply else []
        event.resume()
        if not replies:
            replies = [take_message_for_uid(session, uid, reason="assistant unavailable")]
        text = _reply_text(replies)
        inbound.record_reply(session, uid, text, {"segments": segments(text)})
        return event.answer(_twiml(text))


# Errors: an apology (call the office); with the database down the text is kept and answered.
errors.answer_errors(bp, errors.sms_sorry, keep=errors.sms_kept)
