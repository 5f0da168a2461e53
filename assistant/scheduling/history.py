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
    from_status = appointment.status
    appointment.status = to_status
    return _record(
        session,
        appointment,
        action=action,
        from_status=from_status,
        audit_action="update",
        audit_detail={"to_status": to_status},
        who=(actor, channel, conversation_id),
        detail=detail,
        now=now,
    )


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
    return _record(
        session,
        appointment,
        action=action,
        from_status=None,
        audit_action="create",
        audit_detail={"to_status": appointment.status},
        who=(actor, channel, conversation_id),
        detail=detail,
        now=now,
    )


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
    return _record(
        session,
        appointment,
        action=action,
        from_status=appointment.status,
        audit_action="update",
        audit_detail={},
        who=(actor, channel, conversation_id),
        detail=detail,
        now=now,
    )


def _record(
    session: Session,
    appointment: Appointment,
    *,
    action: str,
    from_status: str | None,
    audit_action: str,
    audit_detail: dict[str, Any],
    who: tuple[str, str, int | None],
    detail: dict[str, Any] | None,
    now: datetime | None,
) -> AppointmentHistory:
    """The history row (to the appointment's current status) and its audit event.
    `who`: actor, channel and conversation."""
    actor, channel, conversation_id = who
    entry = AppointmentHistory(
        appointment=appointment,
        action=action,
        from_status=from_status,
        to_status=appointment.status,
        actor=actor,
        channel=channel,
        detail=detail,
        at=now or utcnow(),
    )
    session.add(entry)
    audit.record_appointment(
        session,
        appointment,
        actor=actor,
        channel=channel,
        action=audit_action,
        conversation_id=conversation_id,
        now=now,
        detail={"operation": action, **audit_detail, **(detail or {})},
    )
    return entry
