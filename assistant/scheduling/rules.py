"""Booking rules that do not depend on other bookings: who may book a type, notice, horizon."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from assistant.db.models import ARRIVED, COMPLETED, Appointment, AppointmentType
from assistant.scheduling.errors import SlotUnavailable, TypeNotBookable

PHONE_CHANNELS = ("sms", "voice")


def is_new_patient(session: Session, patient_id: int) -> bool:
    """New until seen once: no arrived or completed appointment at the practice."""
    seen = session.execute(
        select(Appointment.id)
        .where(Appointment.patient_id == patient_id, Appointment.status.in_((ARRIVED, COMPLETED)))
        .limit(1)
    ).first()
    return seen is None


def check_type_bookable(atype: AppointmentType, *, new_patient: bool, channel: str | None) -> None:
    """Raise `TypeNotBookable` if this patient may not book this type through this channel."""
    if new_patient and not atype.new_patients_allowed:
        raise TypeNotBookable("new_patients_not_allowed")
    if channel in PHONE_CHANNELS and not atype.bookable_by_phone:
        raise TypeNotBookable("not_bookable_by_phone")


def earliest_start(atype: AppointmentType, now: datetime) -> datetime:
    return now + timedelta(hours=atype.min_notice_hours)


def latest_start(atype: AppointmentType, now: datetime) -> datetime:
    return now + timedelta(days=atype.max_horizon_days)


def check_timing(atype: AppointmentType, starts_at: datetime, now: datetime) -> None:
    """Raise `SlotUnavailable` for a start in the past, inside the notice, or past the horizon."""
    if starts_at <= now:
        raise SlotUnavailable("in_the_past")
    if starts_at < earliest_start(atype, now):
        raise SlotUnavailable("min_notice")
    if starts_at > latest_start(atype, now):
        raise SlotUnavailable("beyond_horizon")
