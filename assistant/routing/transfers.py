"""Warm transfers: ring a department's hunt group one person at a time, else take a message.

The caller waits in a conference named by their CallSid while staff are rung through a
`Dialer`; each ring is a `TransferAttempt` (ringing -> accepted / declined / no_answer / busy /
failed, or not_placed without a Twilio account). The transfer ends connected, on_call (after
hours, urgent clinical), voicemail (nobody took it: a staff task that the recording joins) or
callback (the caller hung up while waiting: a staff task). No Flask here; the caller commits.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from assistant.conversations import sessions
from assistant.db.models import (
    CallTransfer,
    Conversation,
    Department,
    Patient,
    Practice,
    StaffTask,
    StaffTaskNote,
    StaffUser,
    TransferAttempt,
)
from assistant.db.types import utcnow
from assistant.routing import department_for, is_urgent_clinical
from assistant.routing.dialer import NO_ACCOUNT, Dialer
from assistant.routing.directory import (
    after_hours_action,
    department_by_code,
    holidays,
    hunt_group,
    is_open,
    ring_target,
)

# Twilio's final CallStatus of a staff leg -> our attempt status.
CALL_ENDINGS = {
    "no-answer": "no_answer",
    "busy": "busy",
    "failed": "failed",
    "canceled": "failed",
    "completed": "declined",  # answered, then hung up during the whisper
}
OUTCOMES = {
    "confirmed": "appointment confirmed",
    "rescheduled": "appointment rescheduled",
    "cancelled": "appointment cancelled",
    "booked": "appointment booked",
    "office_info": "office information given",
    "message_taken": "a message was taken",
}
ATTEMPT_WORDS = {
    "no_answer": "no answer",
    "not_placed": NO_ACCOUNT,
    "declined": "declined",
    "busy": "busy",
    "failed": "call failed",
}

Commit = Callable[[], None]


@dataclass(frozen=True)
class Step:
    """What the caller's call does next: hold (in the conference while staff ring),
    connected, voicemail, on_call (dial `number`) or callback (the caller is gone)."""

    action: str
    transfer_id: int
    call_sid: str
    number: str | None = None
    department_name: str = "our staff"
    note: str | None = None  # why it went to voicemail: "after hours", NO_ACCOUNT ...


def _said(conversation: Conversation, limit: int = 2) -> str:
    """The caller's last words, without keypad intents or markers."""
    turns = [
        t.text
        for t in conversation.turns
        if t.direction == "in" and not t.text.startswith(("/", "["))
    ]
    text = " / ".join(turns[-limit:])
    return text if len(text) <= 160 else text[:157] + "..."


def build_summary(session: Session, conversation: Conversation, reason: str) -> str:
    """Who (name only once verified), what they wanted, what was done: read out to staff."""
    patient = (
        session.get(Patient, conversation.verified_patient_id)
        if conversation.verified_patient_id
        else None
    )
    who = f"{patient.full_name}, identity verified" if patient else "Caller, identity not verified"
    parts = [f"{who}. Wants: {reason.replace('_', ' ')}."]
    said = _said(conversation)
    if said:
        parts.append(f'Said: "{said}".')
    done = conversation.summary or OUTCOMES.get(conversation.outcome or "") or "nothing yet"
    parts.append(f"Done so far: {done.rstrip('.')}.")
    return " ".join(parts)


def _step(transfer: CallTransfer, department: Department | None, **extra: str | None) -> Step:
    action = {"hunting": "hold"}.get(transfer.status, transfer.status)
    name = department.name if department is not None else "our staff"
    return Step(action, transfer.id, transfer.call_sid, department_name=name, **extra)


def _department(session: Session, transfer: CallTransfer) -> Department | None:
    return department_by_code(session, transfer.practice_id, transfer.department)


def start(
    session: Session,
    conversation: Conversation,
    *,
    reason: str | None,
    dialer: Dialer,
    commit: Commit,
    now: datetime | None = None,
) -> Step:
    """Start (once per call) the transfer of this call to the department for `reason`."""
    existing = session.execute(
        select(CallTransfer).where(CallTransfer.call_sid == conversation.call_sid)
    ).scalar_one_or_none()
    if existing is not None:
        return _step(existing, _department(session, existing))
    now = now or utcnow()
    reason = reason or "request_human"
    practice = session.get(Practice, conversation.practice_id)
    practice_settings = practice.settings if practice else None
    transfer = CallTransfer(
        practice_id=conversation.practice_id,
        conversation_id=conversation.id,
        call_sid=conversation.call_sid,
        department=department_for(reason, practice_settings),
        reason=reason[:80],
        summary=build_summary(session, conversation, reason),
        started_at=now,
    )
    session.add(transfer)
    sessions.set_outcome(conversation, "handed_off")
    session.flush()
    department = _department(session, transfer)
    if department is None:
        return _to_voicemail(session, transfer, None, "no such department", now)
    closed = holidays(session, transfer.practice_id)
    if not is_open(department, now, closed_days=closed):
        after = after_hours_action(
            department, urgent_clinical=is_urgent_clinical(reason, practice_settings)
        )
        if after.action == "on_call":
            transfer.status, transfer.ended_at = "on_call", now
            return _step(transfer, department, number=after.number)
        return _to_voicemail(session, transfer, department, "after hours", now)
    return ring_next(session, transfer, dialer=dialer, commit=commit, now=now)


def ring_next(
    session: Session,
    transfer: CallTransfer,
    *,
    dialer: Dialer,
    commit: Commit,
    now: datetime | None = None,
) -> Step:
    """Ring the next member of the hunt group not tried yet; voicemail when none is left.

    The attempt is committed before the call is placed so that Twilio's callbacks find it.
    """
    now = now or utcnow()
    department = _department(session, transfer)
    if department is None:
        return _to_voicemail(session, transfer, None, "no such department", now)
    tried = {a.staff_user_id for a in transfer.attempts}
    for user in hunt_group(session, department):
        target = ring_target(user)
        if user.id in tried or target is None:
            continue
        attempt = TransferAttempt(
            transfer=transfer,
            attempt=len(transfer.attempts) + 1,
            staff_user_id=user.id,
            target=target,
            status="ringing",
        )
        session.add(attempt)
        session.flush()
        commit()
        result = dialer.place(attempt.id, target, department.ring_seconds)
        if result.placed:
            attempt.call_sid = result.sid
            return _step(transfer, department)
        attempt.status = "not_placed" if result.no_account else "failed"
        attempt.ended_at = now
        if result.no_account:
            return _to_voicemail(session, transfer, department, NO_ACCOUNT, now)
    why = "nobody answered" if transfer.attempts else "nobody in the hunt group"
    return _to_voicemail(session, transfer, department, why, now)


def _tried(session: Session, transfer: CallTransfer) -> str:
    names = []
    for attempt in transfer.attempts:
        user = session.get(StaffUser, attempt.staff_user_id) if attempt.staff_user_id else None
        word = ATTEMPT_WORDS.get(attempt.status, attempt.status)
        names.append(f"{user.name if user else attempt.target}: {word}")
    return "; ".join(names)


def _task(session: Session, transfer: CallTransfer, note: str, now: datetime) -> StaffTask:
    """The open task of this conversation (one per conversation), with the transfer summary."""
    conversation = (
        session.get(Conversation, transfer.conversation_id) if transfer.conversation_id else None
    )
    task = None
    if conversation is not None:
        task = session.execute(
            select(StaffTask).where(
                StaffTask.conversation_id == conversation.id, StaffTask.status == "open"
            )
        ).scalar_one_or_none()
    summary = f"{transfer.summary} Not connected: {note}."
    if task is None:
        practice = session.get(Practice, transfer.practice_id)
        urgent = is_urgent_clinical(transfer.reason, practice.settings if practice else None)
        task = StaffTask(
            practice_id=transfer.practice_id,
            kind="callback",
            department=transfer.department,
            priority="urgent" if urgent else "normal",
            patient_id=conversation.verified_patient_id if conversation else None,
            conversation_id=conversation.id if conversation else None,
            callback_number=conversation.phone if conversation else None,
            summary=summary,
            created_at=now,
        )
        session.add(task)
        session.flush()
    else:
        task.kind, task.department, task.summary = "callback", transfer.department, summary
    transfer.task_id = task.id
    return task


def _to_voicemail(
    session: Session,
    transfer: CallTransfer,
    department: Department | None,
    why: str,
    now: datetime,
) -> Step:
    tried = _tried(session, transfer)
    _task(session, transfer, f"{why} ({tried})" if tried else why, now)
    transfer.status, transfer.ended_at = "voicemail", now
    return _step(transfer, department, note=why)


def _attempt(session: Session, attempt_id: int) -> TransferAttempt | None:
    return session.get(TransferAttempt, attempt_id)


def accept(session: Session, attempt_id: int, now: datetime | None = None) -> CallTransfer | None:
    """Staff pressed 1: the transfer is connected, unless it already ended (then None)."""
    attempt = _attempt(session, attempt_id)
    if attempt is None:
        return None
    transfer = attempt.transfer
    if attempt.status == "accepted" and transfer.status == "connected":
        return transfer  # a retried request
    if attempt.status != "ringing" or transfer.status != "hunting":
        return None
    now = now or utcnow()
    attempt.status, attempt.ended_at = "accepted", now
    transfer.status, transfer.staff_user_id, transfer.ended_at = (
        "connected",
        attempt.staff_user_id,
        now,
    )
    return transfer


def attempt_ended(
    session: Session,
    attempt_id: int,
    status: str,
    *,
    dialer: Dialer,
    commit: Commit,
    now: datetime | None = None,
) -> Step | None:
    """A ringing attempt ended without an accept (`status`: declined, no_answer, busy, failed):
    ring the next person; when nobody is left, send the caller to voicemail. Replays and late
    callbacks of finished attempts change nothing (None)."""
    attempt = _attempt(session, attempt_id)
    if attempt is None or attempt.status != "ringing":
        return None
    now = now or utcnow()
    attempt.status, attempt.ended_at = status, now
    transfer = attempt.transfer
    if transfer.status != "hunting":
        return None
    step = ring_next(session, transfer, dialer=dialer, commit=commit, now=now)
    if step.action == "voicemail":
        commit()  # the task exists before the caller is moved to record a message
        dialer.send_to_voicemail(transfer.call_sid, transfer.id)
    return step


def caller_left(
    session: Session, call_sid: str, *, dialer: Dialer, now: datetime | None = None
) -> CallTransfer | None:
    """The caller hung up while staff were being rung: stop ringing, leave a callback task."""
    transfer = session.execute(
        select(CallTransfer).where(CallTransfer.call_sid == call_sid)
    ).scalar_one_or_none()
    if transfer is None or transfer.status != "hunting":
        return None
    now = now or utcnow()
    for attempt in transfer.attempts:
        if attempt.status == "ringing":
            attempt.status, attempt.ended_at = "failed", now
            if attempt.call_sid:
                dialer.cancel(attempt.call_sid)
    _task(session, transfer, "the caller hung up while waiting", now)
    transfer.status, transfer.ended_at = "callback", now
    return transfer


def on_call_missed(session: Session, transfer: CallTransfer, now: datetime | None = None) -> None:
    """The on-call number did not answer: the caller leaves a message that becomes a task."""
    if transfer.status != "on_call" or transfer.task_id is not None:
        return
    now = now or utcnow()
    _task(session, transfer, "after hours; the on-call number did not answer", now)
    transfer.status = "voicemail"


def attach_voicemail(
    session: Session,
    transfer: CallTransfer,
    recording_url: str,
    seconds: str | None,
    now: datetime | None = None,
) -> None:
    """The caller's recording joins the transfer's task (its URL, never its content)."""
    conversation = (
        session.get(Conversation, transfer.conversation_id) if transfer.conversation_id else None
    )
    if conversation is not None:
        meta = {"recording_url": recording_url, "seconds": seconds, "transfer_id": transfer.id}
        sessions.add_turn(session, conversation, "in", "[voicemail]", meta)
    if transfer.task_id is None:
        _task(session, transfer, "voicemail", now or utcnow())
    text = f"Voicemail ({seconds or '?'} s): {recording_url}"
    session.add(StaffTaskNote(task_id=transfer.task_id, kind="note", text=text))


def transfer_of(session: Session, transfer_id: int) -> CallTransfer | None:
    return session.get(CallTransfer, transfer_id)


def conversation_language(session: Session, transfer: CallTransfer) -> str:
    conversation = (
        session.get(Conversation, transfer.conversation_id) if transfer.conversation_id else None
    )
    return conversation.language if conversation else "en"
