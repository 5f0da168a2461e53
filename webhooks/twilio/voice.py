"""Voice: greeting, speech/keypad turns with the dialogue, and never dead air.

Every answer ends in a `<Gather>`, a warm transfer or a voicemail `<Record>`, so the caller is
never left in silence. Silence gets one reprompt, then an offer to leave a message; low
speech-recognition confidence is read back for confirmation; a handoff from the dialogue becomes
a warm transfer (webhooks/twilio/transfer.py); if the dialogue cannot answer, the caller can
leave a message that joins their staff task.
"""

from __future__ import annotations

import logging

from flask import Blueprint, Response, request, url_for
from sqlalchemy import select
from twilio.twiml.voice_response import Gather, VoiceResponse

from assistant import idempotency
from assistant.conversations import sessions
from assistant.conversations.messages import take_message_for_uid
from assistant.db.models import Conversation, ConversationTurn, Provider
from assistant.messaging.language import detect_language
from assistant.practices import practice_for_number
from assistant.spool.replay import voicemail_event_key
from assistant.spool.store import recording_id
from assistant.unit_of_work import UnitOfWork
from webhooks import rasa_client
from webhooks.context import settings
from webhooks.twilio import transfer
from webhooks.twilio.prompts import KEYPAD_SHORTCUTS, YES_WORDS, prompt
from webhooks.twilio.signature import twilio_signed

log = logging.getLogger(__name__)
bp = Blueprint("twilio_voice", __name__)

LANGUAGE_CODES = {"en": "en-US", "es": "es-US"}
SCHEDULING_HINTS = "appointment, reschedule, cancel, confirm, refill, billing, lab results, cita"


def _voice(language: str) -> tuple[str, str]:
    cfg = settings()
    return LANGUAGE_CODES.get(language, "en-US"), cfg.voice_for(language)


def _xml(response: VoiceResponse) -> Response:
    return Response(str(response), mimetype="text/xml")


def _hints(session, practice_id: int) -> str:
    names = session.execute(
        select(Provider.last_name).where(Provider.practice_id == practice_id, Provider.active)
    ).scalars()
    return ", ".join([SCHEDULING_HINTS, *(f"doctor {n}" for n in names)])


def _gather(response: VoiceResponse, language: str, text: str, hints: str, **params: str) -> None:
    lang_code, voice = _voice(language)
    gather = Gather(
        input="speech dtmf",
        action=url_for("twilio_voice.gather", lang=language, **params),
        method="POST",
        language=lang_code,
        speech_timeout="2",  # a number: "auto" is refused by some speech models
        timeout=6,
        action_on_empty_result=True,
        finish_on_key="#",
        hints=hints,
    )
    gather.say(text, voice=voice, language=lang_code)
    response.append(gather)


def _voicemail(response: VoiceResponse, language: str, text: str) -> None:
    lang_code, voice = _voice(language)
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
    response = VoiceResponse()
    with UnitOfWork(settings().database_url) as uow:
        practice = practice_for_number(uow.session, request.form.get("To"))
        sessions.voice_conversation(
            uow.session, practice_id=practice.id, call_sid=call_sid, phone=request.form.get("From")
        )
        notice = (practice.settings or {}).get("recording_notice", "")
        greeting = prompt("greeting", "en", practice=practice.name, notice=notice)
        hints = _hints(uow.session, practice.id)
        uow.commit()
    _gather(response, "en", f"{greeting} {prompt('language_choice', 'en')}", hints, step="1")
    return _xml(response)


def _pending_confirmation(session, conversation: Conversation) -> ConversationTurn | None:
    """The last thing heard with low confidence, waiting for the caller's yes."""
    last_in = session.execute(
        select(ConversationTurn)
        .where(
            ConversationTurn.conversation_id == conversation.id, ConversationTurn.direction == "in"
        )
        .order_by(ConversationTurn.id.desc())
        .limit(1)
    ).scalar_one_or_none()
    return last_in if last_in and (last_in.meta or {}).get("unconfirmed") else None


def _at_menu(session, conversation: Conversation) -> bool:
    """The greeting's keypad menu is what the caller answers: the dialogue has not said anything
    yet, or its last answer finished a task (`keypad_menu`). Inside a task a digit answers the
    dialogue's question ("1" for the first time offered), not the menu."""
    last = session.execute(
        select(ConversationTurn)
        .where(
            ConversationTurn.conversation_id == conversation.id,
            ConversationTurn.direction == "out",
        )
        .order_by(ConversationTurn.id.desc())
        .limit(1)
    ).scalar_one_or_none()
    return last is None or bool((last.meta or {}).get("keypad_menu"))


def _confidence(raw: str | None) -> float | None:
    try:
        return float(raw) if raw not in (None, "") else None
    except ValueError:
        return None


def spoken_spanish(speech: str) -> bool:
    """The caller speaks Spanish: the words make it plain (two Spanish words or more and more
    Spanish than English; a lone "hola" is not enough on a call)."""
    return detect_language(speech) == "es" and len(speech.split()) >= 2


@bp.post("/twilio/voice/gather")
@twilio_signed
def gather() -> Response:
    """One caller turn. Query parameters: lang, step (for idempotency), silent (consecutive
    silences so far), confirm (the caller is answering "did I hear you right?")."""
    form = request.form
    call_sid = form.get("CallSid", "")
    if not call_sid:
        return Response("CallSid is required", status=400, mimetype="text/plain")
    language = request.args.get("lang", "en") if request.args.get("lang") in ("en", "es") else "en"
    # isdecimal, not isdigit: int() refuses digits such as "²"
    step = int(request.args.get("step", "1")) if request.args.get("step", "1").isdecimal() else 1
    silent = (
        int(request.args.get("silent", "0") or 0)
        if request.args.get("silent", "0").isdecimal()
        else 0
    )
    cfg = settings()
    key = f"voice:{call_sid}:{step}"
    speech = (form.get("SpeechResult") or "").strip()
    digits = (form.get("Digits") or "").strip()
    confidence = _confidence(form.get("Confidence"))
    response = VoiceResponse()
    next_step = str(step + 1)

    with UnitOfWork(cfg.database_url) as uow:
        earlier = idempotency.claim(uow.session, key)
        if earlier is not None and earlier.response:
            return Response(earlier.response, mimetype="text/xml")
        practice = practice_for_number(uow.session, form.get("To"))
        conversation = sessions.voice_conversation(
            uow.session, practice_id=practice.id, call_sid=call_sid, phone=form.get("From")
        )
        hints = _hints(uow.session, practice.id)

        def answer(twiml: VoiceResponse) -> Response:
            idempotency.remember_response(uow.session, key, str(twiml))
            uow.commit()
            return _xml(twiml)

        if step == 1 and digits == "2":
            conversation.language = "es"
            notice = (practice.settings or {}).get("recording_notice_es", "")
            text = prompt("greeting", "es", practice=practice.name, notice=notice)
            _gather(response, "es", text, hints, step=next_step)
            return answer(response)

        if not speech and not digits:
            if silent >= 1:  # the second silence in a row: don't loop, take a message
                sessions.add_turn(uow.session, conversation, "in", "[silence]", {"silence": True})
                take_message_for_uid(uow.session, conversation.uid, reason="caller silent")
                _voicemail(response, language, prompt("still_silent", language))
                return answer(response)
            _gather(response, language, prompt("reprompt", language), hints,
                    step=next_step, silent=str(silent + 1))  # fmt: skip
            return answer(response)

        pending = _pending_confirmation(uow.session, conversation)
        if pending is not None:
            pending.meta = {**(pending.meta or {}), "unconfirmed": False}
            if digits == "1" or speech.lower().strip(" .!") in YES_WORDS:
                said, meta = pending.text, {"confirmed_repeat": True}
            else:
                said, meta = speech or digits, {"confidence": confidence}
        elif (
            len(digits) == 1 and digits in KEYPAD_SHORTCUTS and _at_menu(uow.session, conversation)
        ):
            said, meta = KEYPAD_SHORTCUTS[digits], {"keypad": digits}
        elif speech and confidence is not None and confidence < cfg.low_confidence:
            sessions.add_turn(uow.session, conversation, "in", speech,
                              {"confidence": confidence, "unconfirmed": True})  # fmt: skip
            _gather(response, language, prompt("did_you_say", language, heard=speech), hints,
                    step=next_step)  # fmt: skip
            return answer(response)
        else:
            said, meta = speech or digits, {"confidence": confidence, "digits": bool(digits)}

        switched = language == "en" and bool(speech) and said == speech and spoken_spanish(speech)
        # Rasa already holds this call in English when the caller said something before.
        spoken_before = switched and any(t.direction == "in" for t in conversation.turns)
        if switched:  # heard Spanish without the 2: the call goes on in Spanish
            conversation.language = language = "es"
            meta = {**meta, "language_switched": "es"}
        if not meta.get("confirmed_repeat"):
            sessions.add_turn(uow.session, conversation, "in", said, meta)
        uid = conversation.uid
        uow.commit()

    if spoken_before:  # the first turn starts Rasa's session in Spanish (metadata) by itself
        rasa_client.set_language(cfg.rasa_url, f"voice:{uid}", "es", cfg.rasa_timeout_seconds)

    try:
        reply = rasa_client.send(
            cfg.rasa_url,
            f"voice:{uid}",
            said,
            {"conversation_uid": uid, "channel": "voice", "language": language},
            cfg.rasa_timeout_seconds,
        )
    except rasa_client.DialogueUnavailable:
        reply = None

    with UnitOfWork(cfg.database_url) as uow:
        conversation = sessions.by_uid(uow.session, uid)
        handoff = next(
            (c["handoff"] for c in (reply.custom if reply else []) if "handoff" in c), None
        )
        if reply is None:
            take_message_for_uid(uow.session, uid, reason="assistant unavailable on a call")
            _voicemail(response, language, prompt("unavailable", language))
        elif handoff is not None:
            text = " ".join(reply.texts) or prompt("handoff", language)
            sessions.add_turn(uow.session, conversation, "out", text, {"handoff": handoff})
            # warm transfer; its own voicemail (the message joins the transfer's task)
            transfer.start_handoff(uow, conversation, handoff, text, language, response)
        else:
            text = " ".join(reply.texts)
            if switched:
                text = f"{prompt('switched_to_spanish', 'es')} {text}"
            menu = any(c.get("keypad_menu") for c in reply.custom)
            sessions.add_turn(uow.session, conversation, "out", text,
                              {"keypad_menu": True} if menu else None)  # fmt: skip
            _gather(response, language, text, hints, step=next_step)
        idempotency.remember_response(uow.session, key, str(response))
        uow.commit()
    return _xml(response)


def voicemail_language() -> str:
    return request.args.get("lang", "en") if request.args.get("lang") in ("en", "es") else "en"


def voicemail_kept(language: str) -> Response:
    """The database is down but the recording is in the spool: thanks, and goodbye."""
    response = VoiceResponse()
    lang_code, voice = _voice(language)
    response.say(prompt("voicemail_kept", language), voice=voice, language=lang_code)
    response.hangup()
    return _xml(response)


@bp.post("/twilio/voice/voicemail")
@twilio_signed
def voicemail() -> Response:
    """The recording joins the caller's staff task (its URL, never its content), once per
    recording (a retried callback adds nothing). With the database down it waits in the spool
    (webhooks/twilio/errors.py)."""
    form = request.form
    language = voicemail_language()
    with UnitOfWork(settings().database_url) as uow:
        practice = practice_for_number(uow.session, form.get("To"))
        conversation = sessions.voice_conversation(
            uow.session,
            practice_id=practice.id,
            call_sid=form.get("CallSid", ""),
            phone=form.get("From"),
        )
        recording_key = voicemail_event_key(form.get("CallSid", ""), recording_id(form))
        if form.get("RecordingUrl") and idempotency.claim(uow.session, recording_key) is None:
            meta = {"recording_url": form.get("RecordingUrl"),
                    "seconds": form.get("RecordingDuration")}  # fmt: skip
            sessions.add_turn(uow.session, conversation, "in", "[voicemail]", meta)
            take_message_for_uid(uow.session, conversation.uid, reason="voicemail")
        uow.commit()
    response = VoiceResponse()
    lang_code, voice = _voice(language)
    response.say(prompt("voicemail_thanks", language), voice=voice, language=lang_code)
    response.hangup()
    return _xml(response)


@bp.post("/twilio/voice/fallback")
@twilio_signed
def fallback() -> Response:
    """Twilio's fallback URL: our primary handler failed or timed out; take a message."""
    response = VoiceResponse()
    _voicemail(response, "en", prompt("unavailable", "en"))
    return _xml(response)
