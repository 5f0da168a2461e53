"""Voice reminders: the TwiML of an outbound reminder call and its keypad menu.

`POST /twilio/reminder-call?m=<id>` (Twilio fetches it when the call is answered) says the
reminder, then gathers one key: 1 confirm, 2 reschedule, 3 talk to someone. A machine gets the
reminder and the practice's number instead. Both routes are signed like every Twilio webhook;
a key press is acted on once per call (retries replay the first answer).
"""

from __future__ import annotations

from flask import Blueprint, Response, request, url_for
from twilio.twiml.voice_response import Gather, VoiceResponse

from assistant.messages import translate
from assistant.messaging.outbound import REMINDER_CALL_PATH
from assistant.reminders import calls
from webhooks.twilio import errors, twiml
from webhooks.twilio.signature import twilio_signed

bp = Blueprint("twilio_reminder_call", __name__)


def _menu(response: VoiceResponse, language: str, text: str, message_id: int, tries: int) -> None:
    gather = Gather(
        input="dtmf",
        num_digits=1,
        timeout=6,
        action=url_for("twilio_reminder_call.answer", m=message_id, tries=tries),
        method="POST",
        action_on_empty_result=True,
    )
    twiml.say(gather, language, text)
    response.append(gather)


@bp.post(REMINDER_CALL_PATH)
@twilio_signed
def reminder_call() -> Response:
    message_id = twiml.int_arg("m", 0)
    response = VoiceResponse()
    with twiml.unit_of_work() as uow:
        script = calls.script(uow.session, message_id, request.form.get("AnsweredBy"))
    if script is None:
        response.hangup()
        return twiml.xml(response)
    if not script.menu:
        twiml.say(response, script.language, script.said)
        response.hangup()
        return twiml.xml(response)
    _menu(response, script.language, script.said, message_id, tries=1)
    return twiml.xml(response)


@bp.post(f"{REMINDER_CALL_PATH}/answer")
@twilio_signed
def answer() -> Response:
    message_id = twiml.int_arg("m", 0)
    digit = request.form.get("Digits", "").strip()[:1]
    call_sid = request.form.get("CallSid", "")
    tries = twiml.int_arg("tries", 1)
    response = VoiceResponse()
    with twiml.once(f"reminder-call:{call_sid}:{digit or 'none'}:{tries}") as event:
        if (replay := event.replay()) is not None:
            return replay
        session = event.session
        if digit in ("1", "2", "3"):
            outcome, language = calls.answer(session, message_id, digit, call_sid=call_sid)
            twiml.say(response, language, translate(language, f"voice.reminder_call_{outcome}"))
            response.hangup()
            return event.answer(response)
        script = calls.script(session, message_id, None)
        language = script.language if script else "en"
        if script is not None and tries < 2:
            text = translate(language, "voice.reminder_call_again") if digit else script.said
            _menu(response, language, text, message_id, tries=tries + 1)
        else:
            twiml.say(response, language, translate(language, "voice.reminder_call_silence"))
            response.hangup()
        return event.answer(response)


# Errors: the apology a caller gets, and a recording.
errors.answer_errors(bp, errors.caller_sorry)
