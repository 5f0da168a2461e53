"""Voice: greeting, speech/keypad turns with the dialogue, and never dead air.

Every answer ends in a `<Gather>`, a warm transfer or a voicemail `<Record>`, so the caller is
never left in silence. Silence gets one reprompt, then an offer to leave a message; low
speech-recognition confidence is read back for confirmation; a handoff from the dialogue becomes
a warm transfer (webhooks/twilio/transfer.py); if the dialogue cannot answer, the caller can
leave a message that joins their staff task.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import Any

from flask import Blueprint, Response, request, url_for
from sqlalchemy import select
from sqlalchemy.orm import Session
from twilio.twiml.voice_response import Gather, VoiceResponse

from assistant import idempotency
from assistant.conversations import sessions
from assistant.conversations.messages import take_message_for_uid
from assistant.db.models import Conversation, ConversationTurn, Practice, Provider
from assistant.messaging.language import detect_language
from assistant.practices import practice_for_number
from assistant.spool.replay import voicemail_event_key
from assistant.spool.store import recording_id
from assistant.unit_of_work import UnitOfWork
from webhooks import rasa_client
from webhooks.context import settings
from webhooks.twilio import errors, transfer, twiml
from webhooks.twilio.prompts import KEYPAD_SHORTCUTS, YES_WORDS, prompt
from webhooks.twilio.signature import twilio_signed

log = logging.getLogger(__name__)
bp = Blueprint("twilio_voice", __name__)

SCHEDULING_HINTS = "appointment, reschedule, cancel, confirm, refill, billing, lab results, cita"


def _hints(session, practice_id: int) -> str:
    names = session.execute(
        select(Provider.last_name).where(Provider.practice_id == practice_id, Provider.active)
    ).scalars()
    return ", ".join([SCHEDULING_HINTS, *(f"doctor {n}" for n in names)])


def _gather(response: VoiceResponse, language: str, text: str, hints: str, **params: str) -> None:
    lang_code, _ = twiml.speech(language)
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
    twiml.say(gather, language, text)
    response.append(gather)


def _voicemail(response: VoiceResponse, language: str, text: str) -> None:
    twiml.say(response, language, text)
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
        return twiml.bad_request("CallSid is required")
    response = VoiceResponse()
    with twiml.unit_of_work() as uow:
        practice = practice_for_number(uow.session, request.form.get("To"))
        sessions.voice_conversation(
            uow.session, practice_id=practice.id, call_sid=call_sid, phone=request.form.get("From")
        )
        notice = (practice.settings or {}).get("recording_notice", "")
        greeting = prompt("greeting", "en", practice=practice.name, notice=notice)
        hints = _hints(uow.session, practice.id)
        uow.commit()
    _gather(response, "en", f"{greeting} {prompt('language_choice', 'en')}", hints, step="1")
    return twiml.xml(response)


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


@dataclass
class _Call:
    """One caller turn being handled: what was heard, and where the call stands."""

    practice: Practice
    conversation: Conversation
    hints: str
    language: str
    next_step: str
    said: str = ""
    meta: dict[str, Any] = field(default_factory=dict)
    switched: bool = False  # heard Spanish on an English call: it goes on in Spanish
    response: VoiceResponse = field(default_factory=VoiceResponse)

    def ask(self, text: str, **params: str) -> VoiceResponse:
        _gather(self.response, self.language, text, self.hints, step=self.next_step, **params)
        return self.response


@bp.post("/twilio/voice/gather")
@twilio_signed
def gather() -> Response:
    """One caller turn. Query parameters: lang, step (for idempotency), silent (consecutive
    silences so far), confirm (the caller is answering "did I hear you right?")."""
    form = request.form
    call_sid = form.get("CallSid", "")
    if not call_sid:
        return twiml.bad_request("CallSid is required")
    step = twiml.int_arg("step", 1)
    with twiml.once(f"voice:{call_sid}:{step}") as event:
        if (replay := event.replay()) is not None:
            return replay
        session = event.session
        practice = practice_for_number(session, form.get("To"))
        call = _Call(
            practice=practice,
            conversation=sessions.voice_conversation(
                session, practice_id=practice.id, call_sid=call_sid, phone=form.get("From")
            ),
            hints=_hints(session, practice.id),
            language=twiml.language_arg(),
            next_step=str(step + 1),
        )
        early = _before_dialogue(session, call, step)
        if early is not None:
            return event.answer(early)
        spoken_before = call.switched and any(t.direction == "in" for t in call.conversation.turns)
        if not call.meta.get("confirmed_repeat"):
            sessions.add_turn(session, call.conversation, "in", call.said, call.meta)
        event.save()  # the caller's words are stored before we depend on the dialogue
        reply = _ask_dialogue(call, spoken_before)
        event.resume()
        _after_dialogue(event.uow, call, reply)
        return event.answer(call.response)


def _before_dialogue(session: Session, call: _Call, step: int) -> VoiceResponse | None:
    """What the caller said, in `call.said` / `call.meta`; or the answer when the turn ends
    here: the Spanish menu choice, silence, or a read-back of words heard unsure."""
    form, language = request.form, call.language
    speech = (form.get("SpeechResult") or "").strip()
    digits = (form.get("Digits") or "").strip()
    confidence = _confidence(form.get("Confidence"))
    if step == 1 and digits == "2":
        call.conversation.language = call.language = "es"
        notice = (call.practice.settings or {}).get("recording_notice_es", "")
        return call.ask(prompt("greeting", "es", practice=call.practice.name, notice=notice))
    if not speech and not digits:
        return _silence(session, call)
    pending = _pending_confirmation(session, call.conversation)
    if pending is not None:
        pending.meta = {**(pending.meta or {}), "unconfirmed": False}
        if digits == "1" or speech.lower().strip(" .!") in YES_WORDS:
            call.said, call.meta = pending.text, {"confirmed_repeat": True}
        else:
            call.said, call.meta = speech or digits, {"confidence": confidence}
    elif len(digits) == 1 and digits in KEYPAD_SHORTCUTS and _at_menu(session, call.conversation):
        call.said, call.meta = KEYPAD_SHORTCUTS[digits], {"keypad": digits}
    elif speech and confidence is not None and confidence < settings().low_confidence:
        sessions.add_turn(session, call.conversation, "in", speech,
                          {"confidence": confidence, "unconfirmed": True})  # fmt: skip
        return call.ask(prompt("did_you_say", language, heard=speech))
    else:
        call.said = speech or digits
        call.meta = {"confidence": confidence, "digits": bool(digits)}
    call.switched = (
        language == "en" and bool(speech) and call.said == speech and spoken_spanish(speech)
    )
    if call.switched:  # heard Spanish without the 2: the call goes on in Spanish
        call.conversation.language = call.language = "es"
        call.meta = {**call.meta, "language_switched": "es"}
    return None


def _silence(session: Session, call: _Call) -> VoiceResponse:
    """One reprompt; the second silence in a row takes a message instead of looping."""
    silent = twiml.int_arg("silent", 0)
    if silent >= 1:
        sessions.add_turn(session, call.conversation, "in", "[silence]", {"silence": True})
        take_message_for_uid(session, call.conversation.uid, reason="caller silent")
        _voicemail(call.response, call.language, prompt("still_silent", call.language))
        return call.response
    return call.ask(prompt("reprompt", call.language), silent=str(silent + 1))


def _ask_dialogue(call: _Call, spoken_before: bool) -> rasa_client.DialogueReply | None:
    cfg = settings()
    uid = call.conversation.uid
    if spoken_before:  # Rasa already holds this call in English (the first turn's metadata
        # starts a session in Spanish by itself)
        rasa_client.set_language(cfg.rasa_url, f"voice:{uid}", "es", cfg.rasa_timeout_seconds)
    return rasa_client.turn(cfg, "voice", uid, call.said, call.language)


def _after_dialogue(uow: UnitOfWork, call: _Call, reply: rasa_client.DialogueReply | None) -> None:
    """The dialogue's answer, a warm transfer it asked for, or a message when it is down."""
    session, conversation, language = uow.session, call.conversation, call.language
    handoff = next((c["handoff"] for c in (reply.custom if reply else []) if "handoff" in c), None)
    if reply is None:
        take_message_for_uid(session, conversation.uid, reason="assistant unavailable on a call")
        _voicemail(call.response, language, prompt("unavailable", language))
    elif handoff is not None:
        text = " ".join(reply.texts) or prompt("handoff", language)
        sessions.add_turn(session, conversation, "out", text, {"handoff": handoff})
        # warm transfer; its own voicemail (the message joins the transfer's task)
        transfer.start_handoff(uow, conversation, handoff, text, language, call.response)
    else:
        text = " ".join(reply.texts)
        if call.switched:
            text = f"{prompt('switched_to_spanish', 'es')} {text}"
        menu = any(c.get("keypad_menu") for c in reply.custom)
        sessions.add_turn(session, conversation, "out", text,
                          {"keypad_menu": True} if menu else None)  # fmt: skip
        call.ask(text)


@bp.post("/twilio/voice/voicemail")
@twilio_signed
def voicemail() -> Response:
    """The recording joins the caller's staff task (its URL, never its content), once per
    recording (a retried callback adds nothing). With the database down it waits in the spool
    (webhooks/twilio/errors.py)."""
    form = request.form
    language = twiml.language_arg()
    with twiml.unit_of_work() as uow:
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
    twiml.say(response, language, prompt("voicemail_thanks", language))
    response.hangup()
    return twiml.xml(response)


@bp.post("/twilio/voice/fallback")
@twilio_signed
def fallback() -> Response:
    """Twilio's fallback URL: our primary handler failed or timed out; take a message."""
    response = VoiceResponse()
    _voicemail(response, "en", prompt("unavailable", "en"))
    return twiml.xml(response)


# Errors: an apology and a recording; after a recording, no second one (that would loop). A
# recording that arrives while the database is down is kept in the spool.
errors.answer_errors(
    bp,
    errors.caller_sorry,
    views={"voicemail": (errors.voicemail_sorry, errors.voicemail_kept)},
)
