"""Voice reminders: the TwiML of an outbound reminder call and its keypad menu.

`POST /twilio/reminder-call?m=<id>` (Twilio fetches it when the call is answered) says the
reminder, then gathers one key: 1 confirm, 2 reschedule, 3 talk to someone. A machine gets the
reminder and the practice's number instead. Both routes are signed like every Twilio webhook;
a key press is acted on once per call (retries replay the first answer).
"""

from __future__ import annotations

from flask import Blueprint, Response, request, url_for
from twilio.twiml.voice_response import Gather, VoiceResponse

from assistant import idempotency
from assistant.messages import translate
from assistant.messaging.outbound import REMINDER_CALL_PATH
from assistant.reminders import calls
from assistant.unit_of_work import UnitOfWork
from webhooks.context import settings
from webhooks.twilio.signature import twilio_signed

bp = Blueprint("twilio_reminder_call", __name__)

LANGUAGE_CODES = {"en": "en-US", "es": "es-US"}


def _say(node: VoiceResponse | Gather, language: str, text: str) -> None:
    cfg = settings()
    voice = cfg.voice_for(language)
    node.say(text, voice=voice, language=LANGUAGE_CODES[language])


def _xml(response: VoiceResponse) -> Response:
    return Response(str(response), mimetype="text/xml")


def _message_id() -> int | None:
    raw = request.args.get("m", "")
    return int(raw) if raw.isdecimal() else None


def _menu(response: VoiceResponse, language: str, text: str, message_id: int, tries: int) -> None:
    gather = Gather(
        input="dtmf",
        num_digits=1,
        timeout=6,
        action=url_for("twilio_reminder_call.answer", m=message_id, tries=tries),
        method="POST",
        action_on_empty_result=True,
    )
    _say(gather, language, text)
    response.append(gather)


@bp.post(REMINDER_CALL_PATH)
@twilio_signed
def reminder_call() -> Response:
    message_id = _message_id()
    response = VoiceResponse()
    with UnitOfWork(settings().database_url) as uow:
        script = calls.script(uow.session, message_id or 0, request.form.get("AnsweredBy"))
    if script is None:
        response.hangup()
        return _xml(response)
    if not script.menu:
        _say(response, script.language, script.said)
        response.hangup()
        return _xml(response)
    _menu(response, script.language, script.said, message_id or 0, tries=1)
    return _xml(response)


@bp.post(f"{REMINDER_CALL_PATH}/answer")
@twilio_signed
def answer() -> Response:
    message_id = _message_id() or 0
    digit = request.form.get("Digits", "").strip()[:1]
    call_sid = request.form.get("CallSid", "")
    raw_tries = request.args.get("tries", "1")
    tries = int(raw_tries) if raw_tries.isdecimal() else 1
    response = VoiceResponse()
    with UnitOfWork(settings().database_url) as uow:
        key = f"reminder-call:{call_sid}:{digit or 'none'}:{tries}"
        earlier = idempotency.claim(uow.session, key)
        if earlier is not None and earlier.response:
            return Response(earlier.response, mimetype="text/xml")
        if digit in ("1", "2", "3"):
            outcome, language = calls.answer(uow.session, message_id, digit, call_sid=call_sid)
            _say(response, language, translate(language, f"voice.reminder_call_{outcome}"))
            response.hangup()
        else:
            script = calls.script(uow.session, message_id, None)
            language = script.language if script else "en"
            if script is not None and tries < 2:
                text = translate(language, "voice.reminder_call_again") if digit else script.said
                _menu(response, language, text, message_id, tries=tries + 1)
            else:
                _say(response, language, translate(language, "voice.reminder_call_silence"))
                response.hangup()
        idempotency.remember_response(uow.session, key, str(response))
        uow.commit()
    return _xml(response)
