"""Booking rules that do not depend on other bookings: who may book a type, notice, horizon."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from assistant.db.models import (
    ARRIVED,
    COMPLETED,
    KEPT_STATUSES,
    Appointment,
    AppointmentType,
)
from assistant.scheduling.errors import SlotUnavailable, TypeNotBookable

PHONE_CHANNELS = ("sms", "voice")


def is_new_patient(session: Session, patient_id: int) -> bool:
    """New until established: established once seen (an arrived or completed visit), or while
    holding a visit that only established patients may book (booked, confirmed, arrived or
    completed; a cancelled one does not count)."""
    seen = Appointment.status.in_((ARRIVED, COMPLETED))
    # a kept visit of a type new patients may not book (a follow-up) makes the patient
    # established: records imported from the EHR carry upcoming visits, not the history
    holds = Appointment.status.in_(KEPT_STATUSES) & AppointmentType.new_patients_allowed.is_(False)
    established = session.execute(
        select(Appointment.id)
        .join(AppointmentType, AppointmentType.id == Appointment.appointment_type_id)
        .where(Appointment.patient_id == patient_id, seen | holds)
        .limit(1)
    ).first()
    return established is None


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
