"""Operations on one appointment. Callers own the transaction (a `UnitOfWork`)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from assistant.db.models import BOOKED, CONFIRMED, Appointment
from assistant.db.types import utcnow
from assistant.scheduling.errors import AppointmentNotFound, InvalidTransition
from assistant.scheduling.history import change_status


def confirm(
    session: Session,
    appointment_id: int,
    *,
    actor: str,
    channel: str,
    conversation_id: int | None = None,
    now: datetime | None = None,
) -> tuple[Appointment, bool]:
    """Confirm a booked appointment. Returns (appointment, changed); confirming twice is a no-op.

    The row is locked (PostgreSQL `FOR UPDATE`) so that a concurrent cancel cannot interleave.
    """
    appointment = session.get(Appointment, appointment_id, with_for_update=True)
    if appointment is None:
        raise AppointmentNotFound(str(appointment_id))
    if appointment.status == CONFIRMED:
        return appointment, False
    if appointment.status != BOOKED:
        raise InvalidTransition(appointment.status, "confirm")
    appointment.confirmed_at = now or utcnow()
    change_status(
        session,
        appointment,
        to_status=CONFIRMED,
        action="confirmed",
        actor=actor,
        channel=channel,
        conversation_id=conversation_id,
    )
    return appointment, True
