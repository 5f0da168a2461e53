"""Audit trail of every read and write of patient data (HIPAA audit controls).

Audit rows live in the database, not in logs, so they may name the record; the application log
never does.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, TypedDict

from sqlalchemy.orm import Session
from typing_extensions import Required, Unpack

from assistant.db.models import Appointment, AuditEvent, StaffTask
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


class Event(TypedDict, total=False):
    """The keywords of `record` that the helpers below pass through: who did what, when."""

    actor: Required[str]
    channel: Required[str]
    action: Required[str]
    conversation_id: int | None
    detail: dict[str, Any] | None
    now: datetime | None


def record_appointment(
    session: Session, appointment: Appointment, **event: Unpack[Event]
) -> AuditEvent:
    """An audit event about an appointment, filed under its patient."""
    return record(
        session,
        entity="appointment",
        entity_id=appointment.id,
        patient_id=appointment.patient_id,
        **event,
    )


def record_patient(session: Session, patient_id: int | None, **event: Unpack[Event]) -> AuditEvent:
    """An audit event about a patient's record (None: no patient matched)."""
    return record(session, entity="patient", entity_id=patient_id, patient_id=patient_id, **event)


def record_task(
    session: Session,
    task: StaffTask,
    *,
    actor: str,
    channel: str,
    action: str,
    detail: dict[str, Any] | None = None,
) -> AuditEvent:
    """An audit event about a staff task (flushed, so that it has an id), filed under its
    patient and conversation."""
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
