"""Warm transfer at the edge (Twilio's reference pattern).

The caller waits in a `<Conference>` named by their CallSid (startConferenceOnEnter=false,
endConferenceOnExit=true, a spoken hold loop as waitUrl) while staff are rung by REST one at a
time. Answering staff hear a whisper (who, what, what was done) and press 1 to join; anything
else, or a ring that ends unanswered, rings the next person. When nobody is left, the caller's
call is redirected to record a message that joins the staff task. Every route is signed,
claims its (CallSid, event) once, and never answers a 5xx (the blueprint's error handler, at
the end, answers an apology for the caller or for staff).
"""

from __future__ import annotations

import logging
from typing import Any

from flask import Blueprint, Response, current_app, request, url_for
from sqlalchemy.orm import Session
from twilio.twiml.voice_response import Dial, Gather, VoiceResponse

from assistant.db.models import CallTransfer, Conversation, TransferAttempt
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
from webhooks.twilio import errors, twiml
from webhooks.twilio.prompts import prompt
from webhooks.twilio.signature import twilio_signed

log = logging.getLogger(__name__)
bp = Blueprint("twilio_transfer", __name__)

HOLD_PAUSE_SECONDS = 15
WHISPER_TIMEOUT_SECONDS = 8


def dialer() -> Dialer:
    """The app's dialer (tests may put their own in `app.extensions["transfer_dialer"]`)."""
    extensions = current_app.extensions
    if "transfer_dialer" not in extensions:
        extensions["transfer_dialer"] = TwilioDialer(settings())
    return extensions["transfer_dialer"]


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


def _once(step: str):
    """This call's `step` of the transfer, acted on once (twiml.once)."""
    return twiml.once(f"transfer:{request.form.get('CallSid', '')}:{step}")


def _transfer(session: Session) -> CallTransfer | None:
    """The transfer named by the `transfer` query parameter."""
    return transfers.transfer_of(session, twiml.int_arg("transfer", 0))


def _nobody_answered(response: VoiceResponse, language: str, transfer_id: int) -> None:
    """Nobody took the call: the caller is asked for a message (it joins the staff task)."""
    text = f"{prompt('transfer_nobody', language)} {prompt('leave_message', language)}"
    twiml.say(response, language, text)
    _record(response, language, transfer_id)


def _sorry_caller() -> Response:
    response = VoiceResponse()
    twiml.say(response, "en", prompt("unavailable", "en"))
    response.record(action="/twilio/voice/voicemail", max_length=120, play_beep=True)
    return twiml.xml(response)


def _sorry_staff() -> Response:
    response = VoiceResponse()
    response.say(translate(STAFF_LANGUAGE, "staff.transfer_gone"))
    response.hangup()
    return twiml.xml(response)


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
        twiml.say(response, language, f"{text} {ringing}")
        dial = Dial()
        _join_conference(
            dial, step.call_sid, staff=False, transfer_id=step.transfer_id, language=language
        )
        response.append(dial)
    elif step.action == "on_call" and step.number:
        twiml.say(response, language, f"{text} {prompt('transfer_on_call', language)}")
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
        twiml.say(response, language, " ".join(p for p in (text, closed, leave) if p))
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


@bp.post("/twilio/transfer/hold")
@twilio_signed
def hold() -> Response:
    """The conference's waitUrl: spoken, then a pause; Twilio loops it (no side effects)."""
    language = twiml.language_arg()
    response = VoiceResponse()
    twiml.say(response, language, prompt("transfer_hold", language))
    response.pause(length=HOLD_PAUSE_SECONDS)
    return twiml.xml(response)


@bp.post(WHISPER_PATH)
@twilio_signed
def whisper() -> Response:
    """What the answering staff member hears before deciding to take the call."""
    response = VoiceResponse()
    with _once("whisper") as event:
        if (replay := event.replay()) is not None:
            return replay
        session = event.session
        attempt = session.get(TransferAttempt, twiml.int_arg("attempt", 0))
        if attempt is None or attempt.status != "ringing" or attempt.transfer.status != "hunting":
            response.say(translate(STAFF_LANGUAGE, "staff.caller_gone"))
            response.hangup()
            return event.answer(response)
        gather = Gather(
            num_digits=1,
            action=url_for("twilio_transfer.whisper_answer", attempt=attempt.id),
            method="POST",
            timeout=WHISPER_TIMEOUT_SECONDS,
            action_on_empty_result=True,
        )
        conversation_id = attempt.transfer.conversation_id
        conversation = session.get(Conversation, conversation_id) if conversation_id else None
        caller = supported(conversation.language if conversation else None)
        speaks = translate(STAFF_LANGUAGE, "staff.caller_speaks", language=language_name(caller))
        summary = attempt.transfer.summary + ("" if caller == STAFF_LANGUAGE else f" {speaks}")
        gather.say(translate(STAFF_LANGUAGE, "staff.whisper", summary=summary))
        response.append(gather)
        return event.answer(response)


@bp.post("/twilio/transfer/whisper/answer")
@twilio_signed
def whisper_answer() -> Response:
    """1 joins the caller's conference; anything else or nothing rings the next person."""
    attempt_id = twiml.int_arg("attempt", 0)
    response = VoiceResponse()
    with _once("answer") as event:
        if (replay := event.replay()) is not None:
            return replay
        uow = event.uow
        if (request.form.get("Digits") or "").strip() == "1":
            transfer = transfers.accept(uow.session, attempt_id)
            if transfer is not None:
                response.say(translate(STAFF_LANGUAGE, "staff.connecting"))
                dial = Dial()
                _join_conference(
                    dial, transfer.call_sid, staff=True, transfer_id=transfer.id, language="en"
                )
                response.append(dial)
                return event.answer(response)
            response.say(translate(STAFF_LANGUAGE, "staff.caller_gone"))
        else:
            transfers.attempt_ended(
                uow.session, attempt_id, "declined", dialer=dialer(), commit=uow.commit
            )
            response.say(translate(STAFF_LANGUAGE, "staff.passed_on"))
        response.hangup()
        return event.answer(response)


@bp.post(STAFF_STATUS_PATH)
@twilio_signed
def staff_status() -> Response:
    """A staff leg's status: an unanswered end rings the next person (or voicemail)."""
    status = request.form.get("CallStatus", "")
    ending = transfers.CALL_ENDINGS.get(status)
    with twiml.once(f"transfer-status:{request.form.get('CallSid', '')}:{status}") as event:
        if (replay := event.replay(pending=twiml.no_content())) is not None:
            return replay
        if ending is not None:
            uow, attempt_id = event.uow, twiml.int_arg("attempt", 0)
            transfers.attempt_ended(
                uow.session, attempt_id, ending, dialer=dialer(), commit=uow.commit
            )
        return event.acknowledge()


@bp.post("/twilio/transfer/conference-status")
@twilio_signed
def conference_status() -> Response:
    """The caller left the conference while staff were still being rung: a callback task."""
    form = request.form
    call_sid, happened = form.get("CallSid", ""), form.get("StatusCallbackEvent", "")
    with twiml.once(f"transfer-conference:{call_sid}:{happened}") as event:
        if (replay := event.replay(pending=twiml.no_content())) is not None:
            return replay
        session = event.session
        transfer = _transfer(session)
        left = happened == "participant-leave"
        if left and transfer is not None and transfer.call_sid == call_sid:
            transfers.caller_left(session, call_sid, dialer=dialer())
        return event.acknowledge()


@bp.post(VOICEMAIL_PATH)
@twilio_signed
def voicemail() -> Response:
    """Where the caller's call is redirected when nobody took it: record a message."""
    response = VoiceResponse()
    with twiml.unit_of_work() as uow:
        transfer = _transfer(uow.session)
        if transfer is None:
            return _sorry_caller()
        language = transfers.conversation_language(uow.session, transfer)
        _nobody_answered(response, language, transfer.id)
    return twiml.xml(response)


@bp.post("/twilio/transfer/on-call-done")
@twilio_signed
def on_call_done() -> Response:
    """After the on-call dial: done if answered, else a message that becomes a task."""
    language = twiml.language_arg()
    response = VoiceResponse()
    with _once("on-call-done") as event:
        if (replay := event.replay()) is not None:
            return replay
        transfer = _transfer(event.session)
        if transfer is None or request.form.get("DialCallStatus") == "completed":
            response.hangup()
            return event.answer(response)
        transfers.on_call_missed(event.session, transfer)
        _nobody_answered(response, language, transfer.id)
        return event.answer(response)


@bp.post("/twilio/transfer/recorded")
@twilio_signed
def recorded() -> Response:
    """The caller's message joins the transfer's staff task (its URL, never its content)."""
    language = twiml.language_arg()
    response = VoiceResponse()
    twiml.say(response, language, prompt("voicemail_thanks", language))
    response.hangup()
    with _once("recorded") as event:
        if (replay := event.replay()) is not None:
            return replay
        session = event.session
        transfer = _transfer(session)
        url = request.form.get("RecordingUrl")
        if transfer is not None and url:
            transfers.attach_voicemail(
                session, transfer, url, request.form.get("RecordingDuration")
            )
        return event.answer(response)


# Errors: the caller hears an apology and can leave a message; staff hear that the transfer is
# gone; a callback gets its 204. A recording that arrives while the database is down is kept.
errors.answer_errors(
    bp,
    _sorry_caller,
    views={
        "whisper": (_sorry_staff, None),
        "whisper_answer": (_sorry_staff, None),
        "staff_status": (twiml.no_content, None),
        "conference_status": (twiml.no_content, None),
        "recorded": (_sorry_caller, errors.voicemail_kept),
    },
)

__all__ = ["bp", "caller_twiml", "dialer", "start_handoff"]
