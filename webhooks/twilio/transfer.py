"""Warm transfer at the edge (Twilio's reference pattern).

The caller waits in a `<Conference>` named by their CallSid (startConferenceOnEnter=false,
endConferenceOnExit=true, a spoken hold loop as waitUrl) while staff are rung by REST one at a
time. Answering staff hear a whisper (who, what, what was done) and press 1 to join; anything
else, or a ring that ends unanswered, rings the next person. When nobody is left, the caller's
call is redirected to record a message that joins the staff task. Every route is signed,
claims its (CallSid, event) once, and never answers a 5xx.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable
from typing import Any

from flask import Blueprint, Response, current_app, request, url_for
from twilio.twiml.voice_response import Dial, Gather, VoiceResponse

from assistant import idempotency
from assistant.db.models import Conversation, TransferAttempt
from assistant.messages import STAFF_LANGUAGE, language_name, supported, translate
from assistant.routing import transfers
from assistant.routing.dialer import (
    STAFF_STATUS_PATH,
    VOICEMAIL_PATH,
    WHISPER_PATH,
    Dialer,
    TwilioDialer,
)
from assistant.routing.transfers import Step
from assistant.unit_of_work import UnitOfWork
from webhooks.context import settings
from webhooks.twilio import errors
from webhooks.twilio.prompts import prompt
from webhooks.twilio.signature import twilio_signed

log = logging.getLogger(__name__)
bp = Blueprint("twilio_transfer", __name__)

LANGUAGE_CODES = {"en": "en-US", "es": "es-US"}
HOLD_PAUSE_SECONDS = 15
WHISPER_TIMEOUT_SECONDS = 8


def dialer() -> Dialer:
    """The app's dialer (tests may put their own in `app.extensions["transfer_dialer"]`)."""
    extensions = current_app.extensions
    if "transfer_dialer" not in extensions:
        extensions["transfer_dialer"] = TwilioDialer(settings())
    return extensions["transfer_dialer"]


def _xml(response: VoiceResponse) -> Response:
    return Response(str(response), mimetype="text/xml")


def _no_content() -> Response:
    return Response("", status=204)


def _say(node: VoiceResponse | Gather, language: str, text: str) -> None:
    cfg = settings()
    voice = cfg.voice_for(language)
    node.say(text, voice=voice, language=LANGUAGE_CODES.get(language, "en-US"))


def _language() -> str:
    return request.args.get("lang", "en") if request.args.get("lang") in ("en", "es") else "en"


def _id_arg(name: str) -> int:
    raw = request.args.get(name, "")
    return int(raw) if raw.isdecimal() else 0


def _absolute(endpoint: str, **params: Any) -> str:
    return settings().public_base_url + url_for(endpoint, **params)


def _record(response: VoiceResponse, language: str, transfer_id: int) -> None:
    response.record(
        action=url_for("twilio_transfer.recorded", transfer=transfer_id, lang=language),
        method="POST",
        max_length=120,
        play_beep=True,
        timeout=5,
    )


def _sorry_caller() -> Response:
    response = VoiceResponse()
    _say(response, "en", prompt("unavailable", "en"))
    response.record(action="/twilio/voice/voicemail", max_length=120, play_beep=True)
    return _xml(response)


def _sorry_staff() -> Response:
    response = VoiceResponse()
    response.say(translate(STAFF_LANGUAGE, "staff.transfer_gone"))
    response.hangup()
    return _xml(response)


def never_5xx(fallback: Callable[[], Response]) -> Callable[..., Any]:
    """Answer `fallback` instead of an error; log the error type only (no PHI in logs). A
    recording that arrives while the database is down is kept in the spool instead
    (webhooks/twilio/errors.py)."""

    def decorate(view: Callable[..., Response]) -> Callable[..., Response]:
        @functools.wraps(view)
        def wrapper(*args: Any, **kwargs: Any) -> Response:
            try:
                return view(*args, **kwargs)
            except Exception as exc:  # noqa: BLE001 - Twilio must never see a 5xx
                log.error("transfer webhook %s failed: %s", request.path, type(exc).__name__)
                kept = errors.spooled_answer(exc)
                return kept if kept is not None else fallback()

        return wrapper

    return decorate


def _join_conference(
    dial: Dial, name: str, *, staff: bool, transfer_id: int, language: str
) -> None:
    if staff:
        dial.conference(
            name, start_conference_on_enter=True, end_conference_on_exit=True, beep=False
        )
        return
    dial.conference(
        name,
        start_conference_on_enter=False,
        end_conference_on_exit=True,
        beep=False,
        wait_url=_absolute("twilio_transfer.hold", lang=language),
        wait_method="POST",
        status_callback=_absolute("twilio_transfer.conference_status", transfer=transfer_id),
        status_callback_event="leave",
        status_callback_method="POST",
    )


def caller_twiml(response: VoiceResponse, step: Step, text: str, language: str) -> None:
    """Where things stand for the caller, then the conference, the on-call line or a message."""
    if step.action in ("hold", "connected"):
        ringing = prompt("transfer_ringing", language, department=step.department_name.lower())
        _say(response, language, f"{text} {ringing}")
        dial = Dial()
        _join_conference(
            dial, step.call_sid, staff=False, transfer_id=step.transfer_id, language=language
        )
        response.append(dial)
    elif step.action == "on_call" and step.number:
        _say(response, language, f"{text} {prompt('transfer_on_call', language)}")
        dial = Dial(
            action=url_for(
                "twilio_transfer.on_call_done", transfer=step.transfer_id, lang=language
            ),
            method="POST",
            timeout=30,
        )
        dial.number(step.number)
        response.append(dial)
    elif step.action == "callback":
        response.hangup()
    else:
        closed = prompt("transfer_closed", language) if step.note == "after hours" else ""
        leave = prompt("leave_message", language)
        _say(response, language, " ".join(p for p in (text, closed, leave) if p))
        _record(response, language, step.transfer_id)


def start_handoff(
    uow: UnitOfWork,
    conversation: Conversation,
    handoff: dict[str, Any],
    text: str,
    language: str,
    response: VoiceResponse,
) -> None:
    """The dialogue asked for a person: start the warm transfer and answer the caller."""
    reason = handoff.get("reason") if isinstance(handoff, dict) else None
    step = transfers.start(
        uow.session, conversation, reason=reason, dialer=dialer(), commit=uow.commit
    )
    caller_twiml(response, step, text, language)


def _replayed(uow: UnitOfWork, key: str) -> Response | None:
    """Claim (CallSid, event); a replay gets the answer given the first time."""
    earlier = idempotency.claim(uow.session, key)
    if earlier is not None and earlier.response:
        return Response(earlier.response, mimetype="text/xml")
    return None


def _answer(uow: UnitOfWork, key: str, response: VoiceResponse) -> Response:
    idempotency.remember_response(uow.session, key, str(response))
    uow.commit()
    return _xml(response)


@bp.post("/twilio/transfer/hold")
@twilio_signed
@never_5xx(_sorry_caller)
def hold() -> Response:
    """The conference's waitUrl: spoken, then a pause; Twilio loops it (no side effects)."""
    language = _language()
    response = VoiceResponse()
    _say(response, language, prompt("transfer_hold", language))
    response.pause(length=HOLD_PAUSE_SECONDS)
    return _xml(response)


@bp.post(WHISPER_PATH)
@twilio_signed
@never_5xx(_sorry_staff)
def whisper() -> Response:
    """What the answering staff member hears before deciding to take the call."""
    key = f"transfer:{request.form.get('CallSid', '')}:whisper"
    response = VoiceResponse()
    with UnitOfWork(settings().database_url) as uow:
        replay = _replayed(uow, key)
        if replay is not None:
            return replay
        attempt = uow.session.get(TransferAttempt, _id_arg("attempt"))
        if attempt is None or attempt.status != "ringing" or attempt.transfer.status != "hunting":
            response.say(translate(STAFF_LANGUAGE, "staff.caller_gone"))
            response.hangup()
            return _answer(uow, key, response)
        gather = Gather(
            num_digits=1,
            action=url_for("twilio_transfer.whisper_answer", attempt=attempt.id),
            method="POST",
            timeout=WHISPER_TIMEOUT_SECONDS,
            action_on_empty_result=True,
        )
        conversation_id = attempt.transfer.conversation_id
        conversation = uow.session.get(Conversation, conversation_id) if conversation_id else None
        caller = supported(conversation.language if conversation else None)
        speaks = translate(STAFF_LANGUAGE, "staff.caller_speaks", language=language_name(caller))
        summary = attempt.transfer.summary + ("" if caller == STAFF_LANGUAGE else f" {speaks}")
        gather.say(translate(STAFF_LANGUAGE, "staff.whisper", summary=summary))
        response.append(gather)
        return _answer(uow, key, response)


@bp.post("/twilio/transfer/whisper/answer")
@twilio_signed
@never_5xx(_sorry_staff)
def whisper_answer() -> Response:
    """1 joins the caller's conference; anything else or nothing rings the next person."""
    call_sid = request.form.get("CallSid", "")
    key = f"transfer:{call_sid}:answer"
    attempt_id = _id_arg("attempt")
    response = VoiceResponse()
    with UnitOfWork(settings().database_url) as uow:
        replay = _replayed(uow, key)
        if replay is not None:
            return replay
        if (request.form.get("Digits") or "").strip() == "1":
            transfer = transfers.accept(uow.session, attempt_id)
            if transfer is not None:
                response.say(translate(STAFF_LANGUAGE, "staff.connecting"))
                dial = Dial()
                _join_conference(
                    dial, transfer.call_sid, staff=True, transfer_id=transfer.id, language="en"
                )
                response.append(dial)
                return _answer(uow, key, response)
            response.say(translate(STAFF_LANGUAGE, "staff.caller_gone"))
        else:
            transfers.attempt_ended(
                uow.session, attempt_id, "declined", dialer=dialer(), commit=uow.commit
            )
            response.say(translate(STAFF_LANGUAGE, "staff.passed_on"))
        response.hangup()
        return _answer(uow, key, response)


@bp.post(STAFF_STATUS_PATH)
@twilio_signed
@never_5xx(_no_content)
def staff_status() -> Response:
    """A staff leg's status: an unanswered end rings the next person (or voicemail)."""
    status = request.form.get("CallStatus", "")
    ending = transfers.CALL_ENDINGS.get(status)
    with UnitOfWork(settings().database_url) as uow:
        key = f"transfer-status:{request.form.get('CallSid', '')}:{status}"
        if idempotency.claim(uow.session, key) is not None:
            return _no_content()
        if ending is not None:
            transfers.attempt_ended(
                uow.session, _id_arg("attempt"), ending, dialer=dialer(), commit=uow.commit
            )
        uow.commit()
    return _no_content()


@bp.post("/twilio/transfer/conference-status")
@twilio_signed
@never_5xx(_no_content)
def conference_status() -> Response:
    """The caller left the conference while staff were still being rung: a callback task."""
    form = request.form
    call_sid, event = form.get("CallSid", ""), form.get("StatusCallbackEvent", "")
    with UnitOfWork(settings().database_url) as uow:
        key = f"transfer-conference:{call_sid}:{event}"
        if idempotency.claim(uow.session, key) is not None:
            return _no_content()
        transfer = transfers.transfer_of(uow.session, _id_arg("transfer"))
        if event == "participant-leave" and transfer is not None and transfer.call_sid == call_sid:
            transfers.caller_left(uow.session, call_sid, dialer=dialer())
        uow.commit()
    return _no_content()


@bp.post(VOICEMAIL_PATH)
@twilio_signed
@never_5xx(_sorry_caller)
def voicemail() -> Response:
    """Where the caller's call is redirected when nobody took it: record a message."""
    response = VoiceResponse()
    with UnitOfWork(settings().database_url) as uow:
        transfer = transfers.transfer_of(uow.session, _id_arg("transfer"))
        if transfer is None:
            return _sorry_caller()
        language = transfers.conversation_language(uow.session, transfer)
        transfer_id = transfer.id
    text = f"{prompt('transfer_nobody', language)} {prompt('leave_message', language)}"
    _say(response, language, text)
    _record(response, language, transfer_id)
    return _xml(response)


@bp.post("/twilio/transfer/on-call-done")
@twilio_signed
@never_5xx(_sorry_caller)
def on_call_done() -> Response:
    """After the on-call dial: done if answered, else a message that becomes a task."""
    language = _language()
    key = f"transfer:{request.form.get('CallSid', '')}:on-call-done"
    response = VoiceResponse()
    with UnitOfWork(settings().database_url) as uow:
        replay = _replayed(uow, key)
        if replay is not None:
            return replay
        transfer = transfers.transfer_of(uow.session, _id_arg("transfer"))
        if transfer is None or request.form.get("DialCallStatus") == "completed":
            response.hangup()
            return _answer(uow, key, response)
        transfers.on_call_missed(uow.session, transfer)
        text = f"{prompt('transfer_nobody', language)} {prompt('leave_message', language)}"
        _say(response, language, text)
        _record(response, language, transfer.id)
        return _answer(uow, key, response)


@bp.post("/twilio/transfer/recorded")
@twilio_signed
@never_5xx(_sorry_caller)
def recorded() -> Response:
    """The caller's message joins the transfer's staff task (its URL, never its content)."""
    language = _language()
    key = f"transfer:{request.form.get('CallSid', '')}:recorded"
    response = VoiceResponse()
    _say(response, language, prompt("voicemail_thanks", language))
    response.hangup()
    with UnitOfWork(settings().database_url) as uow:
        replay = _replayed(uow, key)
        if replay is not None:
            return replay
        transfer = transfers.transfer_of(uow.session, _id_arg("transfer"))
        url = request.form.get("RecordingUrl")
        if transfer is not None and url:
            transfers.attach_voicemail(
                uow.session, transfer, url, request.form.get("RecordingDuration")
            )
        return _answer(uow, key, response)


__all__ = ["bp", "caller_twiml", "dialer", "start_handoff"]
