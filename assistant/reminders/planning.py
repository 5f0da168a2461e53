"""Planning: one `reminders` row per (appointment, days before, channel).

Offsets come from the appointment type's `reminder_offsets_days` (default 7, 2, 1) for texts and
`voice_reminder_offsets_days` (default none) for calls, each its own row. A reminder
is due at the visit's local wall-clock time that many days before, moved out of the patient's
quiet hours. Offsets already past when the appointment is planned are stored as skipped
("past_when_booked"), so every planned appointment has rows and is not looked at again.

Short notice: when no offset of a channel is left (some are past, none pending) and the visit is
at least `policy.MIN_LEAD` away, the smallest offset's row becomes the channel's one short-notice
reminder (`short_notice`): due at 8:00 local on the day after the booking (the patient heard
from the practice on the booking day) if that is `policy.SHORT_NOTICE_MIN_LEAD` before the
visit, else at once (quiet hours allowing) if that is `MIN_LEAD` before it, else skipped too.
Inserting is idempotent (the unique key, insert-or-ignore): two planners never duplicate a row.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import exists, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from assistant.db.models import (
    BOOKED,
    CONFIRMED,
    Appointment,
    AppointmentType,
    Location,
    Patient,
    Reminder,
)
from assistant.db.types import utcnow
from assistant.reminders import policy
from assistant.scheduling.clock import wall_to_utc, zone

SMS = "sms"
VOICE = "voice"
REMINDABLE = (BOOKED, CONFIRMED)
PAST_WHEN_BOOKED = "past_when_booked"


@dataclass(frozen=True)
class _Visit:
    appointment_id: int
    patient_id: int
    starts_at: datetime
    offsets: Sequence[int]
    voice_offsets: Sequence[int] | None
    location_zone: str
    patient_zone: str | None


def due_time(
    starts_at: datetime, offset_days: int, location_zone: str, patient_zone: str
) -> datetime:
    """The visit's wall-clock time `offset_days` earlier at the location, out of quiet hours."""
    local = starts_at.astimezone(zone(location_zone))
    wall = wall_to_utc(
        local.date() - timedelta(days=offset_days),
        local.time().replace(tzinfo=None),
        location_zone,
        nonexistent="shift_forward",
        ambiguous="earlier",
    )
    return policy.next_allowed_hour(wall, patient_zone)


def _rows(visit: _Visit, now: datetime) -> list[dict]:
    return _channel_rows(visit, visit.offsets or (), SMS, now) + _channel_rows(
        visit, visit.voice_offsets or (), VOICE, now
    )


def short_notice_due(starts_at: datetime, now: datetime, patient_zone: str) -> datetime | None:
    """When the one reminder of a visit booked after all its offsets is due, or None (too late):
    the first allowed moment on a later local day than the booking if that is at least
    `SHORT_NOTICE_MIN_LEAD` before the visit, else the first from now on if that is at least
    `MIN_LEAD` before it."""
    if starts_at - now < policy.MIN_LEAD:
        return None
    morning = policy.next_day_morning(now, patient_zone)
    if morning <= starts_at - policy.SHORT_NOTICE_MIN_LEAD:
        return morning
    soon = policy.next_allowed_hour(now, patient_zone)
    return soon if soon <= starts_at - policy.MIN_LEAD else None


def _channel_rows(visit: _Visit, offsets: Sequence[int], channel: str, now: datetime) -> list[dict]:
    rows = []
    patient_zone = visit.patient_zone or visit.location_zone
    past = False
    for offset in sorted({int(o) for o in offsets if int(o) >= 0}, reverse=True):
        due = due_time(visit.starts_at, offset, visit.location_zone, patient_zone)
        past = past or due < now - timedelta(minutes=1)
        late = due < now - timedelta(minutes=1) or due > visit.starts_at - policy.MIN_LEAD
        rows.append(
            {
                "appointment_id": visit.appointment_id,
                "patient_id": visit.patient_id,
                "offset_days": offset,
                "channel": channel,
                "due_at": due,
                "status": "skipped" if late else "pending",
                "skip_reason": PAST_WHEN_BOOKED if late else None,
                "short_notice": False,
            }
        )
    # Booked too late for every offset (not merely configured with unusable ones, like 0 days).
    if past and all(row["status"] == "skipped" for row in rows):
        short_due = short_notice_due(visit.starts_at, now, patient_zone)
        if short_due is not None:  # the smallest offset's row (the last) becomes the short-notice
            rows[-1] |= {
                "due_at": short_due,
                "status": "pending",
                "skip_reason": None,
                "short_notice": True,
            }
    return rows


def _insert_ignoring_duplicates(session: Session, rows: list[dict]) -> None:
    if not rows:
        return
    dialect = postgresql if session.bind.dialect.name == "postgresql" else sqlite
    statement = dialect.insert(Reminder).on_conflict_do_nothing(
        index_elements=["appointment_id", "offset_days", "channel"]
    )
    session.execute(statement, rows)


def _visits(session: Session, now: datetime, appointment_ids: Sequence[int] | None) -> list[_Visit]:
    query = (
        select(
            Appointment.id,
            Appointment.patient_id,
            Appointment.starts_at,
            AppointmentType.reminder_offsets_days,
            AppointmentType.voice_reminder_offsets_days,
            Location.time_zone,
            Patient.time_zone,
        )
        .join(AppointmentType, AppointmentType.id == Appointment.appointment_type_id)
        .join(Location, Location.id == Appointment.location_id)
        .join(Patient, Patient.id == Appointment.patient_id)
        .where(
            Appointment.status.in_(REMINDABLE),
            Appointment.starts_at > now,
            ~exists().where(Reminder.appointment_id == Appointment.id),
        )
        .order_by(Appointment.id)
    )
    if appointment_ids is not None:
        query = query.where(Appointment.id.in_(appointment_ids))
    return [_Visit(*row) for row in session.execute(query) if row[3] or row[4]]


def plan(
    session: Session,
    *,
    now: datetime | None = None,
    appointment_ids: Sequence[int] | None = None,
) -> int:
    """Plan reminders for upcoming booked/confirmed appointments that have none yet (or only
    those given). Returns how many rows were planned, skipped ones included (a row another
    planner added meanwhile is left as it is). The caller commits."""
    now = now or utcnow()
    rows = [row for visit in _visits(session, now, appointment_ids) for row in _rows(visit, now)]
    for start in range(0, len(rows), 1000):
        _insert_ignoring_duplicates(session, rows[start : start + 1000])
    return len(rows)
