"""Voice: greeting, speech/keypad turns with the dialogue, and never dead air.

Every turn ends in a `<Gather>` (or a voicemail `<Record>`), so the caller is never left in
silence; if the dialogue cannot answer, the caller hears an apology and can leave a message that
becomes a staff task. (Warm transfers to staff come with the staff-routing work.)
"""

from __future__ import annotations

import logging

from flask import Blueprint, Response, request, url_for
from twilio.twiml.voice_response import Gather, VoiceResponse

from assistant import idempotency
from assistant.conversations import sessions
from assistant.conversations.messages import take_message_for_uid
from assistant.db.models import Practice
from assistant.practices import practice_for_number
from assistant.unit_of_work import UnitOfWork
from webhooks import rasa_client
from webhooks.context import settings
from webhooks.twilio.signature import twilio_signed

log = logging.getLogger(__name__)
bp = Blueprint("twilio_voice", __name__)

VOICE = {"en": ("en-US", "Polly.Joanna"), "es": ("es-US", "Polly.Lupe")}
PROMPTS = {
    "greeting": {
        "en": "Thank you for calling {practice}. {notice} How can I help you today?",
        "es": "Gracias por llamar a {practice}. {notice} ¿En qué le puedo ayudar?",
    },
    "language_choice": {"en": "Para español, oprima dos.", "es": ""},
    "reprompt": {
        "en": "Sorry, I didn't hear anything. How can I help you?",
        "es": "Perdón, no escuché nada. ¿En qué le puedo ayudar?",
    },
    "unavailable": {
        "en": "I'm sorry, I can't help with that right now. Please leave your name, date of birth"
        " and a short message after the tone, and our staff will call you back.",
        "es": "Lo siento, no puedo ayudarle en este momento. Deje su nombre, fecha de nacimiento"
        " y un mensaje breve después del tono, y le devolveremos la llamada.",
    },
    "voicemail_thanks": {
        "en": "Thank you. Our staff will call you back. Goodbye.",
        "es": "Gracias. Nuestro personal le devolverá la llamada. Adiós.",
    },
}


def _prompt(key: str, language: str, **values: str) -> str:
    return PROMPTS[key].get(language, PROMPTS[key]["en"]).format(**values)


def _xml(response: VoiceResponse) -> Response:
    return Response(str(response), mimetype="text/xml")


def _gather(response: VoiceResponse, language: str, step: int, text: str) -> None:
    lang_code, voice = VOICE.get(language, VOICE["en"])
    gather = Gather(
        input="speech dtmf",
        action=url_for("twilio_voice.gather", lang=language, step=step),
        method="POST",
        language=lang_code,
        speech_timeout="2",
        timeout=6,
        action_on_empty_result=True,
        hints="appointment, reschedule, cancel, confirm, refill, billing, results",
    )
    gather.say(text, voice=voice, language=lang_code)
    response.append(gather)


def _voicemail(response: VoiceResponse, language: str, text: str) -> None:
    lang_code, voice = VOICE.get(language, VOICE["en"])
    response.say(text, voice=voice, language=lang_code)
    response.record(
        action=url_for("twilio_voice.voicemail", lang=language),
        method="POST",
        max_length=120,
        play_beep=True,
        timeout=5,
    )


@bp.post("/twilio/voice")
@twilio_signed
def incoming_call() -> Response:
    call_sid = request.form.get("CallSid", "")
    if not call_sid:
        return Response("CallSid is required", status=400, mimetype="text/plain")
    cfg = settings()
    response = VoiceResponse()
    with UnitOfWork(cfg.database_url) as uow:
        practice: Practice = practice_for_number(uow.session, request.form.get("To"))
        sessions.voice_conversation(
            uow.session,
            practice_id=practice.id,
            call_sid=call_sid,
            phone=request.form.get("From"),
        )
        notice = (practice.settings or {}).get("recording_notice", "")
        greeting = _prompt("greeting", "en", practice=practice.name, notice=notice)
        uow.commit()
    _gather(response, "en", 1, f"{greeting} {_prompt('language_choice', 'en')}")
    return _xml(response)


@bp.post("/twilio/voice/gather")
@twilio_signed
def gather() -> Response:
    form = request.form
    call_sid = form.get("CallSid", "")
    language = request.args.get("lang", "en")
    step = request.args.get("step", "1")
    cfg = settings()
    key = f"voice:{call_sid}:{step}"
    speech = (form.get("SpeechResult") or "").strip()
    digits = (form.get("Digits") or "").strip()
    response = VoiceResponse()
    next_step = int(step) + 1 if step.isdigit() else 2

    with UnitOfWork(cfg.database_url) as uow:
        earlier = idempotency.claim(uow.session, key)
        if earlier is not None and earlier.response:
            return Response(earlier.response, mimetype="text/xml")
        practice = practice_for_number(uow.session, form.get("To"))
        conversation = sessions.voice_conversation(
            uow.session, practice_id=practice.id, call_sid=call_sid, phone=form.get("From")
        )
        if step == "1" and digits == "2":
            language = conversation.language = "es"
            notice = (practice.settings or {}).get("recording_notice_es", "")
            _gather(
                response,
                "es",
                next_step,
                _prompt("greeting", "es", practice=practice.name, notice=notice),
            )
            idempotency.remember_response(uow.session, key, str(response))
            uow.commit()
            return _xml(response)
        said = speech or digits
        if not said:
            _gather(response, language, next_step, _prompt("reprompt", language))
            idempotency.remember_response(uow.session, key, str(response))
            uow.commit()
            return _xml(response)
        meta = {"confidence": form.get("Confidence"), "digits": bool(digits)}
        sessions.add_turn(uow.session, conversation, "in", said, meta)
        uid = conversation.uid
        uow.commit()

    try:
        reply = rasa_client.send(
            cfg.rasa_url,
            f"voice:{uid}",
            said,
            {"conversation_uid": uid, "channel": "voice", "language": language},
            cfg.rasa_timeout_seconds,
        )
        texts = reply.texts
    except rasa_client.DialogueUnavailable:
        texts = []

    with UnitOfWork(cfg.database_url) as uow:
        if texts:
            text = " ".join(texts)
            conversation = sessions.by_uid(uow.session, uid)
            sessions.add_turn(uow.session, conversation, "out", text)
            _gather(response, language, next_step, text)
        else:
            take_message_for_uid(uow.session, uid, reason="assistant unavailable on a call")
            _voicemail(response, language, _prompt("unavailable", language))
        idempotency.remember_response(uow.session, key, str(response))
        uow.commit()
    return _xml(response)


@bp.post("/twilio/voice/voicemail")
@twilio_signed
def voicemail() -> Response:
    """The recording becomes part of the caller's staff task (its URL, never its content)."""
    form = request.form
    language = request.args.get("lang", "en")
    cfg = settings()
    with UnitOfWork(cfg.database_url) as uow:
        practice = practice_for_number(uow.session, form.get("To"))
        conversation = sessions.voice_conversation(
            uow.session,
            practice_id=practice.id,
            call_sid=form.get("CallSid", ""),
            phone=form.get("From"),
        )
        if form.get("RecordingUrl"):
            sessions.add_turn(
                uow.session,
                conversation,
                "in",
                "[voicemail]",
                {
                    "recording_url": form.get("RecordingUrl"),
                    "seconds": form.get("RecordingDuration"),
                },
            )
            take_message_for_uid(uow.session, conversation.uid, reason="voicemail")
        uow.commit()
    response = VoiceResponse()
    lang_code, voice = VOICE.get(language, VOICE["en"])
    response.say(_prompt("voicemail_thanks", language), voice=voice, language=lang_code)
    response.hangup()
    return _xml(response)


@bp.post("/twilio/voice/fallback")
@twilio_signed
def fallback() -> Response:
    """Twilio's fallback URL: our primary handler failed or timed out; take a message."""
    response = VoiceResponse()
    _voicemail(response, request.args.get("lang", "en"), _prompt("unavailable", "en"))
    return _xml(response)
