"""Schedule (one per provider and location with weekly templates) and Slot resources.

Slots are not stored: free ones come from `availability.search` (notice and horizon rules
applied), busy ones from occupying appointments. Their ids are synthetic and can be read back:

* Schedule `<provider>-<location>`;
* busy Slot `<provider>-<location>-<start epoch>` (`busy-tentative` for a hold);
* free Slot `<provider>-<location>-<start epoch>-<appointment type id>`: a free slot is for one
  appointment type, as long as that type lasts.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from assistant.db.models import (
    HELD,
    Appointment,
    AppointmentType,
    Location,
    Practice,
    Provider,
    ProviderSchedule,
)
from assistant.fhir import systems
from assistant.fhir.mapping import reference, service_type
from assistant.fhir.validation import validate
from assistant.scheduling.availability import SearchRequest, occupying_filter, search
from assistant.scheduling.clock import to_local, zone
from assistant.scheduling.errors import SchedulingError

MAX_SLOT_DAYS = 31
_MAX_OPTIONS = 5000


@dataclass(frozen=True)
class ScheduleKey:
    provider: Provider
    location: Location
    types: tuple[AppointmentType, ...]

    @property
    def id(self) -> str:
        return schedule_id(self.provider.id, self.location.id)


def schedule_id(provider_id: int, location_id: int) -> str:
    return f"{provider_id}-{location_id}"


def busy_slot_id(appointment: Appointment) -> str:
    epoch = int(appointment.starts_at.timestamp())
    return f"{schedule_id(appointment.provider_id, appointment.location_id)}-{epoch}"


def parse_ids(text: str, parts: int) -> tuple[int, ...] | None:
    """`3-1-1780000000` -> (3, 1, 1780000000) when there are `parts` numbers, else None."""
    pieces = text.split("-")
    if len(pieces) != parts or not all(p.isdigit() and len(p) <= 12 for p in pieces):
        return None
    return tuple(int(p) for p in pieces)


def schedules(
    session: Session,
    practice_id: int,
    *,
    provider_id: int | None = None,
    location_id: int | None = None,
) -> list[ScheduleKey]:
    """Every (provider, location) pair that has a weekly template, ordered by id."""
    stmt = (
        select(ProviderSchedule.provider_id, ProviderSchedule.location_id)
        .join(Provider, Provider.id == ProviderSchedule.provider_id)
        .where(Provider.practice_id == practice_id)
        .distinct()
    )
    if provider_id is not None:
        stmt = stmt.where(ProviderSchedule.provider_id == provider_id)
    if location_id is not None:
        stmt = stmt.where(ProviderSchedule.location_id == location_id)
    pairs = sorted(session.execute(stmt).all())
    all_types = list(
        session.execute(
            select(AppointmentType)
            .where(AppointmentType.practice_id == practice_id)
            .order_by(AppointmentType.id)
        ).scalars()
    )
    keys: list[ScheduleKey] = []
    for pid, lid in pairs:
        codes = _allowed_codes(session, pid, lid)
        types = tuple(t for t in all_types if codes is None or t.code in codes)
        keys.append(ScheduleKey(session.get(Provider, pid), session.get(Location, lid), types))
    return keys


def _allowed_codes(session: Session, provider_id: int, location_id: int) -> set[str] | None:
    allowed: set[str] = set()
    for codes in session.execute(
        select(ProviderSchedule.appointment_types).where(
            ProviderSchedule.provider_id == provider_id,
            ProviderSchedule.location_id == location_id,
        )
    ).scalars():
        if codes is None:
            return None
        allowed.update(codes)
    return allowed


def schedule_by_id(session: Session, practice_id: int, text: str) -> ScheduleKey | None:
    ids = parse_ids(text, 2)
    if ids is None:
        return None
    found = schedules(session, practice_id, provider_id=ids[0], location_id=ids[1])
    return found[0] if found else None


def schedule_resource(key: ScheduleKey, *, now: datetime) -> dict[str, Any]:
    horizon = max((t.max_horizon_days for t in key.types), default=90)
    resource: dict[str, Any] = {
        "resourceType": "Schedule",
        "id": key.id,
        "active": bool(key.provider.active),
        "actor": [
            reference("Practitioner", key.provider.id, key.provider.display_name),
            reference("Location", key.location.id, key.location.name),
        ],
        "planningHorizon": {
            "start": systems.instant(now),
            "end": systems.instant(now + timedelta(days=horizon)),
        },
        "comment": f"{key.provider.display_name} at {key.location.name}",
    }
    if key.types:
        resource["serviceType"] = [service_type(t) for t in key.types]
    return validate(resource)


def _slot(
    sid: str, schedule: str, status: str, start: datetime, end: datetime, atype: AppointmentType
) -> dict[str, Any]:
    return validate(
        {
            "resourceType": "Slot",
            "id": sid,
            "serviceType": [service_type(atype)],
            "schedule": reference("Schedule", schedule),
            "status": status,
            "start": systems.instant(start),
            "end": systems.instant(end),
        }
    )


def busy_slot(appointment: Appointment) -> dict[str, Any]:
    return _slot(
        busy_slot_id(appointment),
        schedule_id(appointment.provider_id, appointment.location_id),
        "busy-tentative" if appointment.status == HELD else "busy",
        appointment.starts_at,
        appointment.ends_at,
        appointment.appointment_type,
    )


def slots(
    session: Session,
    practice_id: int,
    keys: list[ScheduleKey],
    *,
    lo: datetime,
    hi: datetime,
    statuses: set[str],
    type_codes: set[str] | None,
    now: datetime,
) -> list[dict[str, Any]]:
    """Free and busy slots starting in [lo, hi), ordered by start, then id."""
    found: list[tuple[datetime, str, dict[str, Any]]] = []
    if statuses & {"busy", "busy-tentative"}:
        for appointment in _occupying(session, keys, lo, hi, now):
            slot = busy_slot(appointment)
            if slot["status"] in statuses and _type_ok(appointment.appointment_type, type_codes):
                found.append((appointment.starts_at, slot["id"], slot))
    if "free" in statuses:
        for key in keys:
            for atype in key.types:
                if _type_ok(atype, type_codes):
                    for slot_start, slot in _free(session, practice_id, key, atype, lo, hi, now):
                        found.append((slot_start, slot["id"], slot))
    found.sort(key=lambda item: (item[0], item[1]))
    return [slot for _, _, slot in found]


def _type_ok(atype: AppointmentType, codes: set[str] | None) -> bool:
    return codes is None or atype.code in codes


def _occupying(
    session: Session, keys: list[ScheduleKey], lo: datetime, hi: datetime, now: datetime
) -> list[Appointment]:
    pairs = {(k.provider.id, k.location.id) for k in keys}
    if not pairs:
        return []
    stmt = (
        select(Appointment)
        .where(
            Appointment.provider_id.in_({p for p, _ in pairs}),
            Appointment.starts_at >= lo,
            Appointment.starts_at < hi,
            occupying_filter(now),
        )
        .order_by(Appointment.starts_at, Appointment.id)
    )
    return [a for a in session.execute(stmt).scalars() if (a.provider_id, a.location_id) in pairs]


def _free(
    session: Session,
    practice_id: int,
    key: ScheduleKey,
    atype: AppointmentType,
    lo: datetime,
    hi: datetime,
    now: datetime,
    limit: int = _MAX_OPTIONS,
) -> list[tuple[datetime, dict[str, Any]]]:
    tz = zone(key.location.time_zone)
    request = SearchRequest(
        practice_id=practice_id,
        appointment_type_id=atype.id,
        provider_id=key.provider.id,
        location_id=key.location.id,
        date_from=to_local(lo, tz).date(),
        date_to=to_local(hi, tz).date(),
        new_patient=False,
        limit=limit,
        spread=False,
        not_before=lo,
    )
    try:
        options = search(session, request, now=now)
    except SchedulingError:
        return []
    out: list[tuple[datetime, dict[str, Any]]] = []
    for option in options:
        if option.starts_at >= hi:
            break
        epoch = int(option.starts_at.timestamp())
        sid = f"{key.id}-{epoch}-{atype.id}"
        out.append(
            (
                option.starts_at,
                _slot(sid, key.id, "free", option.starts_at, option.ends_at, atype),
            )
        )
    return out


def slot_by_id(
    session: Session, practice_id: int, text: str, *, now: datetime
) -> dict[str, Any] | None:
    """Read a synthetic Slot back: the busy one still occupied, the free one still free."""
    busy = parse_ids(text, 3)
    free = parse_ids(text, 4)
    ids = busy or free
    if ids is None:
        return None
    key = schedule_by_id(session, practice_id, f"{ids[0]}-{ids[1]}")
    if key is None:
        return None
    start = datetime.fromtimestamp(ids[2], timezone.utc)
    if busy:
        for appointment in _occupying(session, [key], start, start + timedelta(seconds=1), now):
            return busy_slot(appointment)
        return None
    atype = next((t for t in key.types if t.id == ids[3]), None)
    if atype is None:
        return None
    later = start + timedelta(seconds=1)
    for slot_start, slot in _free(session, practice_id, key, atype, start, later, now, limit=1):
        if slot_start == start:
            return slot
    return None


def practice_zone(session: Session, practice_id: int) -> str:
    practice = session.get(Practice, practice_id)
    return practice.time_zone if practice else "UTC"
