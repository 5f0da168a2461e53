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
from assistant.unit_of_work import UnitOfWork
from webhooks import rasa_client
from webhooks.context import settings
from webhooks.twilio.signature import twilio_signed

log = logging.getLogger(__name__)
bp = Blueprint("twilio_sms", __name__)


def _reply_text(replies: list[str]) -> str:
    """One message for the whole answer (fewer segments, arrives in order), in GSM-7 when the
    only obstacle was an accent."""
    return gsm_friendly(" ".join(replies))


def _twiml(text: str | None) -> str:
    response = MessagingResponse()
    if text:
        response.message(text)
    return str(response)


def _xml(body: str) -> Response:
    return Response(body, mimetype="text/xml")


@bp.post("/twilio/sms")
@twilio_signed
def inbound_sms() -> Response:
    form = request.form
    message_sid = form.get("MessageSid") or form.get("SmsSid") or ""
    from_number = form.get("From", "")
    if not message_sid or not from_number:
        return Response("MessageSid and From are required", status=400, mimetype="text/plain")
    key = idempotency.key("sms", message_sid)
    cfg = settings()
    body = form.get("Body", "")
    try:
        num_media = int(form.get("NumMedia", "0") or 0)
    except ValueError:
        num_media = 0

    with UnitOfWork(cfg.database_url) as uow:
        earlier = idempotency.claim(uow.session, key)
        if earlier is not None:
            log.info("replayed answer for a retried message")
            return _xml(earlier.response or _twiml(None))
        outcome = inbound.receive(
            uow.session,
            from_number=from_number,
            to_number=form.get("To"),
            body=body,
            num_media=num_media,
            session_minutes=cfg.sms_session_minutes,
        )
        if not outcome.to_dialogue:
            text = _reply_text([outcome.reply]) if outcome.reply else None
            if text and outcome.conversation_uid:
                inbound.record_reply(uow.session, outcome.conversation_uid, text)
            twiml = _twiml(text)
            idempotency.remember_response(uow.session, key, twiml)
            uow.commit()
            return _xml(twiml)
        uow.commit()  # the patient's words are stored before we depend on the dialogue

    uid = str(outcome.conversation_uid)
    g.spool_conversation_uid = uid  # if the database goes away now, the spool's task joins it
    try:
        reply = rasa_client.send(
            cfg.rasa_url,
            f"sms:{uid}",
            outcome.dialogue_text or body,
            {"conversation_uid": uid, "channel": "sms", "language": outcome.language},
            cfg.rasa_timeout_seconds,
        )
        replies = reply.texts
    except rasa_client.DialogueUnavailable:
        replies = []

    with UnitOfWork(cfg.database_url) as uow:
        if not replies:
            replies = [take_message_for_uid(uow.session, uid, reason="assistant unavailable")]
        text = _reply_text(replies)
        inbound.record_reply(uow.session, uid, text, {"segments": segments(text)})
        twiml = _twiml(text)
        idempotency.remember_response(uow.session, key, twiml)
        uow.commit()
    return _xml(twiml)
