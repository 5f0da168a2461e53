"""Today's schedule per provider, in each location's time zone, with confirmation status."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload

from assistant import audit
from assistant.console.access import CHANNEL, actor
from assistant.db.models import (
    CANCELLED,
    CONFIRMED,
    RESCHEDULED,
    Appointment,
    Location,
    Practice,
    StaffUser,
)
from assistant.db.types import utcnow

STATUS_LABELS = {
    "held": "Held",
    "booked": "Not confirmed",
    "confirmed": "Confirmed",
    "arrived": "Arrived",
    "completed": "Completed",
    "cancelled": "Cancelled",
    "no_show": "No-show",
    "rescheduled": "Rescheduled",
}


@dataclass(frozen=True)
class Visit:
    appointment_id: int
    starts_local: datetime
    ends_local: datetime
    patient_id: int
    patient_name: str
    type_name: str
    location_name: str
    status: str

    @property
    def status_label(self) -> str:
        return STATUS_LABELS.get(self.status, self.status)


@dataclass
class ProviderDay:
    provider_id: int
    provider_name: str
    visits: list[Visit] = field(default_factory=list)

    @property
    def active(self) -> list[Visit]:
        return [v for v in self.visits if v.status not in (CANCELLED, RESCHEDULED)]

    @property
    def confirmed(self) -> int:
        return sum(v.status == CONFIRMED for v in self.active)


def local_today(session: Session, practice_id: int, now: datetime | None = None) -> date:
    practice = session.get(Practice, practice_id)
    zone = ZoneInfo(practice.time_zone if practice else "UTC")
    return (now or utcnow()).astimezone(zone).date()


def _bounds(day: date, zone: str) -> tuple[datetime, datetime]:
    start = datetime.combine(day, time(0), tzinfo=ZoneInfo(zone))
    return start.astimezone(timezone.utc), (start + timedelta(days=1)).astimezone(timezone.utc)


def day_schedule(session: Session, user: StaffUser, day: date) -> list[ProviderDay]:
    """Every provider's appointments on `day` (local date at each location); audited as one read."""
    days: dict[int, ProviderDay] = {}
    locations = session.execute(
        select(Location).where(Location.practice_id == user.practice_id).order_by(Location.id)
    ).scalars()
    for location in locations:
        start, end = _bounds(day, location.time_zone)
        zone = ZoneInfo(location.time_zone)
        appointments = session.execute(
            select(Appointment)
            .options(
                joinedload(Appointment.patient),
                joinedload(Appointment.provider),
                joinedload(Appointment.appointment_type),
            )
            .where(
                Appointment.location_id == location.id,
                Appointment.starts_at >= start,
                Appointment.starts_at < end,
            )
        ).scalars()
        for a in appointments:
            provider_day = days.setdefault(
                a.provider_id, ProviderDay(a.provider_id, a.provider.display_name)
            )
            provider_day.visits.append(
                Visit(
                    appointment_id=a.id,
                    starts_local=a.starts_at.astimezone(zone),
                    ends_local=a.ends_at.astimezone(zone),
                    patient_id=a.patient_id,
                    patient_name=a.patient.full_name,
                    type_name=a.appointment_type.name,
                    location_name=location.name,
                    status=a.status,
                )
            )
    result = sorted(days.values(), key=lambda d: d.provider_name)
    for provider_day in result:
        provider_day.visits.sort(key=lambda v: (v.starts_local, v.appointment_id))
    audit.record(
        session,
        actor=actor(user),
        channel=CHANNEL,
        action="read",
        entity="schedule",
        detail={"day": day.isoformat(), "appointments": sum(len(d.visits) for d in result)},
    )
    return result
