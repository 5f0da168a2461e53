"""Voice reminders: the TwiML of an outbound reminder call and its keypad menu.

`POST /twilio/reminder-call?m=<id>` (Twilio fetches it when the call is answered) says the
reminder, then gathers one key: 1 confirm, 2 reschedule, 3 talk to someone. A machine gets the
reminder and the practice's number instead. Both routes are signed like every Twilio webhook;
a key press is acted on once per call (retries replay the first answer).
"""

from __future__ import annotations

from flask import Blueprint, Response, request, url_for
from twilio.twiml.voice_response import Gather, VoiceResponse

from assistant.messaging.outbound import REMINDER_CALL_PATH
from assistant.reminders import calls
from webhooks.twilio import errors, twiml
from webhooks.twilio.signature import twilio_signed

bp = Blueprint("twilio_reminder_call", __name__)

_SAID = {
    "en": {
        calls.CONFIRMED: "Thank you, your appointment is confirmed. Goodbye.",
        calls.ALREADY_CONFIRMED: "Your appointment is already confirmed. Thank you, goodbye.",
        calls.NOT_CONFIRMABLE: "This appointment can no longer be confirmed."
        " Someone from our office will call you. Goodbye.",
        calls.RESCHEDULE: "Someone from our office will call you back to find a new time. Goodbye.",
        calls.HUMAN: "Someone from our office will call you back shortly. Goodbye.",
        calls.UNKNOWN_KEY: "Goodbye.",
        "again": "Sorry, please press 1, 2 or 3.",
        "silence": "We did not get an answer. Please call us to confirm or change it. Goodbye.",
    },
    "es": {
        calls.CONFIRMED: "Gracias, su cita está confirmada. Adiós.",
        calls.ALREADY_CONFIRMED: "Su cita ya está confirmada. Gracias, adiós.",
        calls.NOT_CONFIRMABLE: "Esta cita ya no se puede confirmar."
        " Alguien de nuestra oficina le llamará. Adiós.",
        calls.RESCHEDULE: "Alguien de nuestra oficina le llamará para buscar otra hora. Adiós.",
        calls.HUMAN: "Alguien de nuestra oficina le llamará pronto. Adiós.",
        calls.UNKNOWN_KEY: "Adiós.",
        "again": "Perdón, marque 1, 2 o 3.",
        "silence": "No recibimos respuesta. Llámenos para confirmarla o cambiarla. Adiós.",
    },
}


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
            twiml.say(response, language, _SAID[language][outcome])
            response.hangup()
            return event.answer(response)
        script = calls.script(session, message_id, None)
        language = script.language if script else "en"
        if script is not None and tries < 2:
            text = _SAID[language]["again"] if digit else script.said
            _menu(response, language, text, message_id, tries=tries + 1)
        else:
            twiml.say(response, language, _SAID[language]["silence"])
            response.hangup()
        return event.answer(response)


# Errors: the apology a caller gets, and a recording.
errors.answer_errors(bp, errors.caller_sorry)
