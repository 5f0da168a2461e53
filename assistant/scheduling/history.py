"""Status changes go through here so that each one lands in the appointment's history.

A `Change` says what happened, who did it and when: the caller's `now`, so that the history
row, the audit event and whatever the caller decided by time all carry one instant (reports
count them by that instant).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from assistant import audit
from assistant.actor import Actor
from assistant.db.models import Appointment, AppointmentHistory
from assistant.db.types import utcnow


@dataclass(frozen=True)
class Change:
    """One history row's action ("booked", "cancelled", ...), its author, instant and detail."""

    action: str
    actor: Actor
    now: datetime | None = None
    detail: dict[str, Any] | None = None


def change_status(
    session: Session, appointment: Appointment, to_status: str, change: Change
) -> AppointmentHistory:
    """Set the status, append the history row and the audit event, in the caller's transaction."""
    from_status = appointment.status
    appointment.status = to_status
    return _record(session, appointment, change, from_status, "update", {"to_status": to_status})


def record_created(
    session: Session, appointment: Appointment, change: Change
) -> AppointmentHistory:
    """History and audit for a new appointment (flushed already, so that it has an id)."""
    created = {"to_status": appointment.status}
    return _record(session, appointment, change, None, "create", created)


def record_note(session: Session, appointment: Appointment, change: Change) -> AppointmentHistory:
    """History and audit for a change that keeps the status (e.g. "running late")."""
    return _record(session, appointment, change, appointment.status, "update", {})


def _record(
    session: Session,
    appointment: Appointment,
    change: Change,
    from_status: str | None,
    audit_action: str,
    audit_detail: dict[str, Any],
) -> AppointmentHistory:
    """The history row (to the appointment's current status) and its audit event."""
    entry = AppointmentHistory(
        appointment=appointment,
        action=change.action,
        from_status=from_status,
        to_status=appointment.status,
        actor=change.actor.who,
        channel=change.actor.channel,
        detail=change.detail,
        at=change.now or utcnow(),
    )
    session.add(entry)
    audit.record_appointment(
        session,
        appointment,
        action=audit_action,
        now=change.now,
        detail={"operation": change.action, **audit_detail, **(change.detail or {})},
        **change.actor.fields(),
    )
    return entry
