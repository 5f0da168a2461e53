"""Audit trail of every read and write of patient data (HIPAA audit controls).

Audit rows live in the database, not in logs, so they may name the record; the application log
never does.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from assistant.db.models import AuditEvent, StaffTask
from assistant.db.types import utcnow


def record(
    session: Session,
    *,
    actor: str,
    channel: str,
    action: str,
    entity: str,
    entity_id: int | None = None,
    patient_id: int | None = None,
    conversation_id: int | None = None,
    detail: dict[str, Any] | None = None,
    now: datetime | None = None,
) -> AuditEvent:
    """Add an audit event to the current transaction (it commits, or not, with the change)."""
    event = AuditEvent(
        actor=actor,
        channel=channel,
        action=action,
        entity=entity,
        entity_id=entity_id,
        patient_id=patient_id,
        conversation_id=conversation_id,
        detail=detail,
        at=now or utcnow(),
    )
    session.add(event)
    return event


def record_task(
    session: Session,
    task: StaffTask,
    *,
    actor: str,
    channel: str,
    action: str,
    detail: dict[str, Any] | None = None,
) -> AuditEvent:
    """An audit event about a staff task (flushed, so that it has an id); the task's patient
    and conversation go with it."""
    return record(
        session,
        actor=actor,
        channel=channel,
        action=action,
        entity="staff_task",
        entity_id=task.id,
        patient_id=task.patient_id,
        conversation_id=task.conversation_id,
        detail=detail,
    )
