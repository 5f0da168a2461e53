"""Task queues: callbacks, messages and handoffs, with transcript; claim, note, resolve."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import case, select, update
from sqlalchemy.orm import Session

from assistant import audit
from assistant.console.access import CHANNEL, actor, can_see_task, is_manager, visible_departments
from assistant.db.models import (
    Conversation,
    ConversationTurn,
    Patient,
    Practice,
    StaffTask,
    StaffTaskNote,
    StaffUser,
)
from assistant.db.types import utcnow

STATUS_FILTERS = ("open", "claimed", "mine", "resolved")
MAX_NOTE_LENGTH = 2000


class TaskNotFound(LookupError):
    """No such task, or not one this user may see (the two are not told apart)."""


class TaskConflict(ValueError):
    """The task cannot take that step now (claimed by someone else, already resolved ...)."""


@dataclass(frozen=True)
class QueueRow:
    id: int
    kind: str
    department: str
    priority: str
    status: str
    summary: str
    channel: str | None
    created_at: datetime
    age_minutes: int
    claimed_by: str | None  # a name


@dataclass(frozen=True)
class NoteRow:
    kind: str
    text: str
    at: datetime
    author: str


@dataclass(frozen=True)
class TaskDetail:
    task: StaffTask
    conversation: Conversation | None
    turns: list[ConversationTurn]
    notes: list[NoteRow]
    patient: Patient | None
    claimed_by: str | None
    can_claim: bool
    can_resolve: bool


def _settings(session: Session, practice_id: int) -> dict[str, Any]:
    practice = session.get(Practice, practice_id)
    return dict(practice.settings or {}) if practice else {}


def _staff_names(session: Session, claims: set[str]) -> dict[str, str]:
    ids = [int(c.split(":", 1)[1]) for c in claims if c and c.startswith("staff:")]
    if not ids:
        return {}
    rows = session.execute(select(StaffUser.id, StaffUser.name).where(StaffUser.id.in_(ids)))
    return {f"staff:{uid}": name for uid, name in rows}


def queue(
    session: Session, user: StaffUser, *, status: str = "open", now: datetime | None = None
) -> list[QueueRow]:
    """The user's queue: urgent first, then oldest first; resolved ones newest first."""
    now = now or utcnow()
    query = (
        select(StaffTask, Conversation.channel)
        .outerjoin(Conversation, Conversation.id == StaffTask.conversation_id)
        .where(StaffTask.practice_id == user.practice_id)
    )
    departments = visible_departments(user, _settings(session, user.practice_id))
    if departments is not None:
        query = query.where(StaffTask.department.in_(sorted(departments)))
    if status == "mine":
        query = query.where(StaffTask.status == "claimed", StaffTask.claimed_by == actor(user))
    elif status in ("open", "claimed", "resolved"):
        query = query.where(StaffTask.status == status)
    else:
        raise ValueError(f"unknown queue filter {status!r}")
    if status == "resolved":
        query = query.order_by(StaffTask.resolved_at.desc(), StaffTask.id.desc()).limit(100)
    else:
        urgent_first = case((StaffTask.priority == "urgent", 0), else_=1)
        query = query.order_by(urgent_first, StaffTask.created_at, StaffTask.id)
    rows = session.execute(query).all()
    names = _staff_names(session, {task.claimed_by for task, _ in rows if task.claimed_by})
    return [
        QueueRow(
            id=task.id,
            kind=task.kind,
            department=task.department,
            priority=task.priority,
            status=task.status,
            summary=task.summary,
            channel=channel,
            created_at=task.created_at,
            age_minutes=max(0, int((now - task.created_at).total_seconds() // 60)),
            claimed_by=names.get(task.claimed_by or "", task.claimed_by),
        )
        for task, channel in rows
    ]


def _visible_task(session: Session, user: StaffUser, task_id: int) -> StaffTask:
    task = session.get(StaffTask, task_id)
    if task is None or not can_see_task(user, task, _settings(session, user.practice_id)):
        raise TaskNotFound(task_id)
    return task


def _may_resolve(user: StaffUser, task: StaffTask) -> bool:
    if task.status == "open":
        return True
    return task.status == "claimed" and (task.claimed_by == actor(user) or is_manager(user))


def task_detail(session: Session, user: StaffUser, task_id: int) -> TaskDetail:
    """A task with its conversation transcript and notes; the read is audited."""
    task = _visible_task(session, user, task_id)
    conversation = session.get(Conversation, task.conversation_id) if task.conversation_id else None
    turns = list(conversation.turns) if conversation is not None else []
    note_rows = session.execute(
        select(StaffTaskNote, StaffUser.name)
        .outerjoin(StaffUser, StaffUser.id == StaffTaskNote.author_id)
        .where(StaffTaskNote.task_id == task.id)
        .order_by(StaffTaskNote.at, StaffTaskNote.id)
    ).all()
    notes = [NoteRow(n.kind, n.text, n.at, name or "System") for n, name in note_rows]
    patient = session.get(Patient, task.patient_id) if task.patient_id else None
    names = _staff_names(session, {task.claimed_by} if task.claimed_by else set())
    audit.record_task(session, task, actor=actor(user), channel=CHANNEL, action="read")
    return TaskDetail(
        task=task,
        conversation=conversation,
        turns=turns,
        notes=notes,
        patient=patient,
        claimed_by=names.get(task.claimed_by or "", task.claimed_by),
        can_claim=task.status == "open",
        can_resolve=_may_resolve(user, task),
    )


def _note(session: Session, task: StaffTask, user: StaffUser, kind: str, text: str) -> None:
    session.add(StaffTaskNote(task_id=task.id, author_id=user.id, kind=kind, text=text))


def _audit_change(session: Session, user: StaffUser, task: StaffTask, step: str) -> None:
    audit.record_task(
        session, task, actor=actor(user), channel=CHANNEL, action="update", detail={"step": step}
    )


def claim(session: Session, user: StaffUser, task_id: int) -> StaffTask:
    """Take an open task; of two people claiming at once, exactly one gets it."""
    task = _visible_task(session, user, task_id)
    claimed = session.execute(
        update(StaffTask)
        .where(StaffTask.id == task.id, StaffTask.status == "open")
        .values(status="claimed", claimed_by=actor(user))
        .execution_options(synchronize_session=False)
    )
    if claimed.rowcount != 1:
        raise TaskConflict("This task has already been claimed or resolved.")
    session.refresh(task)
    _note(session, task, user, "claimed", "Claimed")
    _audit_change(session, user, task, "claimed")
    return task


def add_note(session: Session, user: StaffUser, task_id: int, text: str) -> StaffTaskNote:
    task = _visible_task(session, user, task_id)
    text = (text or "").strip()
    if not text:
        raise TaskConflict("A note cannot be empty.")
    if len(text) > MAX_NOTE_LENGTH:
        raise TaskConflict(f"A note can have at most {MAX_NOTE_LENGTH} characters.")
    note = StaffTaskNote(task_id=task.id, author_id=user.id, kind="note", text=text)
    session.add(note)
    _audit_change(session, user, task, "note")
    return note


def resolve(
    session: Session, user: StaffUser, task_id: int, *, note: str = "", now: datetime | None = None
) -> StaffTask:
    """Close a task (open, or claimed by this user; a manager may close anyone's)."""
    task = _visible_task(session, user, task_id)
    if not _may_resolve(user, task):
        raise TaskConflict("Only the person who claimed this task (or a manager) can resolve it.")
    if len(note) > MAX_NOTE_LENGTH:
        raise TaskConflict(f"A note can have at most {MAX_NOTE_LENGTH} characters.")
    task.status = "resolved"
    task.resolved_at = now or utcnow()
    task.claimed_by = task.claimed_by or actor(user)
    _note(session, task, user, "resolved", note.strip() or "Resolved")
    _audit_change(session, user, task, "resolved")
    return task
