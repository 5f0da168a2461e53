"""Status changes go through here so that each one lands in the appointment's history.

Each function takes the caller's `now`, so that the history row, the audit event and whatever
the caller decided by time all carry one instant (reports count them by that instant).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from assistant import audit
from assistant.db.models import Appointment, AppointmentHistory
from assistant.db.types import utcnow


def change_status(
    session: Session,
    appointment: Appointment,
    *,
    to_status: str,
    action: str,
    actor: str,
    channel: str,
    conversation_id: int | None = None,
    detail: dict[str, Any] | None = None,
    now: datetime | None = None,
) -> AppointmentHistory:
    """Set the status, append the history row and the audit event, in the caller's transaction."""
    entry = AppointmentHistory(
        appointment=appointment,
        action=action,
        from_status=appointment.status,
        to_status=to_status,
        actor=actor,
        channel=channel,
        detail=detail,
        at=now or utcnow(),
    )
    appointment.status = to_status
    session.add(entry)
    audit.record(
        session,
        actor=actor,
        channel=channel,
        action="update",
        entity="appointment",
        entity_id=appointment.id,
        patient_id=appointment.patient_id,
        conversation_id=conversation_id,
        now=now,
        detail={"operation": action, "to_status": to_status, **(detail or {})},
    )
    return entry


def record_created(
    session: Session,
    appointment: Appointment,
    *,
    action: str,
    actor: str,
    channel: str,
    conversation_id: int | None = None,
    detail: dict[str, Any] | None = None,
    now: datetime | None = None,
) -> AppointmentHistory:
    """History and audit for a new appointment (flushed already, so that it has an id)."""
    entry = AppointmentHistory(
        appointment=appointment,
        action=action,
        from_status=None,
        to_status=appointment.status,
        actor=actor,
        channel=channel,
        detail=detail,
        at=now or utcnow(),
    )
    session.add(entry)
    audit.record(
        session,
        actor=actor,
        channel=channel,
        action="create",
        entity="appointment",
        entity_id=appointment.id,
        patient_id=appointment.patient_id,
        conversation_id=conversation_id,
        now=now,
        detail={"operation": action, "to_status": appointment.status, **(detail or {})},
    )
    return entry


def record_note(
    session: Session,
    appointment: Appointment,
    *,
    action: str,
    actor: str,
    channel: str,
    conversation_id: int | None = None,
    detail: dict[str, Any] | None = None,
    now: datetime | None = None,
) -> AppointmentHistory:
    """History and audit for a change that keeps the status (e.g. "running late")."""
    entry = AppointmentHistory(
        appointment=appointment,
        action=action,
        from_status=appointment.status,
        to_status=appointment.status,
        actor=actor,
        channel=channel,
        detail=detail,
        at=now or utcnow(),
    )
    session.add(entry)
    audit.record(
        session,
        actor=actor,
        channel=channel,
        action="update",
        entity="appointment",
        entity_id=appointment.id,
        patient_id=appointment.patient_id,
        conversation_id=conversation_id,
        now=now,
        detail={"operation": action, **(detail or {})},
    )
    return entry
