"""Securing a slot: the one place where an occupying appointment is inserted.

`secure_slot` checks the rules, takes the provider lock, re-checks overlap and inserts, all in a
SAVEPOINT: when the slot is gone nothing of the attempt remains in the caller's transaction, and
the caller gets `SlotTaken` with alternatives.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from assistant.actor import Actor
from assistant.db.models import (
    CANCELLED,
    Appointment,
    AppointmentType,
    Location,
    Patient,
    Provider,
)
from assistant.scheduling import guard, rules
from assistant.scheduling.availability import SearchRequest, SlotOption, offered_starts, search
from assistant.scheduling.clock import now_utc, to_local, zone
from assistant.scheduling.errors import (
    InvalidRequest,
    SlotTaken,
    SlotUnavailable,
    TypeNotBookable,
)
from assistant.scheduling.history import Change, change_status, record_created

HOLD_EXPIRED_REASON = "hold expired"


@dataclass(frozen=True)
class SlotRequest:
    """Who, with whom, where, what and when (UTC)."""

    patient_id: int
    provider_id: int
    location_id: int
    appointment_type_id: int
    starts_at: datetime


@dataclass(frozen=True)
class _Resolved:
    patient: Patient
    provider: Provider
    location: Location
    atype: AppointmentType

    @property
    def practice_id(self) -> int:
        return self.provider.practice_id


class _Conflict(Exception):
    """Internal: the re-check under the lock found an overlapping appointment."""


def resolve(session: Session, req: SlotRequest) -> _Resolved:
    patient = session.get(Patient, req.patient_id)
    provider = session.get(Provider, req.provider_id)
    location = session.get(Location, req.location_id)
    atype = session.get(AppointmentType, req.appointment_type_id)
    if patient is None or provider is None or location is None or atype is None:
        raise InvalidRequest("unknown patient, provider, location or appointment type")
    practices = {patient.practice_id, provider.practice_id, location.practice_id, atype.practice_id}
    if len(practices) != 1:
        raise InvalidRequest("patient, provider, location and type belong to different practices")
    return _Resolved(patient, provider, location, atype)


def check_rules(
    session: Session,
    req: SlotRequest,
    res: _Resolved,
    *,
    now: datetime,
    new_patient: bool | None,
    channel: str | None,
) -> None:
    """Raise unless the patient may book this type at this time with this provider."""
    if new_patient is None:
        new_patient = rules.is_new_patient(session, req.patient_id)
    rules.check_type_bookable(res.atype, new_patient=new_patient, channel=channel)
    rules.check_timing(res.atype, req.starts_at, now)
    day = to_local(req.starts_at, zone(res.location.time_zone)).date()
    offered = offered_starts(
        session,
        provider_id=req.provider_id,
        location_id=req.location_id,
        appointment_type_id=req.appointment_type_id,
        day=day,
        now=now,
        ignore_bookings=True,
    )
    if req.starts_at not in offered:
        raise SlotUnavailable("outside_hours")


def secure_slot(
    session: Session,
    req: SlotRequest,
    status: str,
    change: Change,
    *,
    hold_expires_at: datetime | None = None,
    new_patient: bool | None = None,
    enforce_rules: bool = True,
    exclude_ids: Iterable[int] = (),
    lock_provider_ids: Iterable[int] = (),
    before_insert: Callable[[], None] | None = None,
    after_insert: Callable[[Appointment], None] | None = None,
) -> Appointment:
    """Insert an occupying appointment if, and only if, the time is free (its history says
    `change`).

    `before_insert` / `after_insert` run inside the same SAVEPOINT (reschedule releases the old
    appointment there), so a failure undoes them too. Raises `SlotTaken`, `SlotUnavailable`,
    `TypeNotBookable` or `InvalidRequest`.
    """
    now = now_utc(change.now)
    res = resolve(session, req)
    excluded = frozenset(exclude_ids)
    if enforce_rules:
        channel = change.actor.channel
        _check_rules_offering_alternatives(session, req, res, now, new_patient, channel, excluded)
    ends_at = req.starts_at + timedelta(minutes=res.atype.duration_minutes)
    guard.lock_providers(session, {req.provider_id, *lock_provider_ids})
    try:
        with session.begin_nested():
            if before_insert is not None:
                before_insert()
            _release_stale_holds(session, req, ends_at, now=now)
            session.flush()
            if _overlaps(session, req, res, ends_at, now=now, exclude_ids=excluded):
                raise _Conflict
            appointment = _insert(session, res, req, ends_at, status, hold_expires_at, now=now)
            record_created(session, appointment, change)
            if after_insert is not None:
                after_insert(appointment)
            session.flush()
    except _Conflict:
        raise SlotTaken(alternatives(session, req, now=now, exclude_ids=excluded)) from None
    except IntegrityError as exc:
        if not guard.is_overlap_violation(exc):
            raise
        raise SlotTaken(alternatives(session, req, now=now, exclude_ids=excluded)) from exc
    return appointment


def _check_rules_offering_alternatives(
    session: Session,
    req: SlotRequest,
    res: _Resolved,
    now: datetime,
    new_patient: bool | None,
    channel: str,
    excluded: frozenset[int],
) -> None:
    """`check_rules`; a time outside the hours comes back with alternatives to offer."""
    try:
        check_rules(session, req, res, now=now, new_patient=new_patient, channel=channel)
    except SlotUnavailable as exc:
        raise SlotUnavailable(
            exc.reason, alternatives(session, req, now=now, exclude_ids=excluded)
        ) from exc


def _overlaps(
    session: Session,
    req: SlotRequest,
    res: _Resolved,
    ends_at: datetime,
    *,
    now: datetime,
    exclude_ids: frozenset[int],
) -> bool:
    """Does an occupying appointment of the provider (with the type's buffer) overlap?"""
    return bool(
        guard.find_conflicts(
            session,
            provider_id=req.provider_id,
            starts_at=req.starts_at,
            ends_at=ends_at,
            buffer_minutes=res.atype.buffer_minutes or 0,
            now=now,
            exclude_ids=exclude_ids,
        )
    )


def _insert(
    session: Session,
    res: _Resolved,
    req: SlotRequest,
    ends_at: datetime,
    status: str,
    hold_expires_at: datetime | None,
    *,
    now: datetime,
) -> Appointment:
    appointment = Appointment(
        practice_id=res.practice_id,
        patient_id=req.patient_id,
        provider_id=req.provider_id,
        location_id=req.location_id,
        appointment_type_id=req.appointment_type_id,
        starts_at=req.starts_at,
        ends_at=ends_at,
        status=status,
        hold_expires_at=hold_expires_at,
        late_cancel=False,
        created_at=now,
        updated_at=now,
    )
    session.add(appointment)
    session.flush()
    return appointment


def _release_stale_holds(
    session: Session, req: SlotRequest, ends_at: datetime, *, now: datetime
) -> None:
    for held in guard.stale_holds(
        session, provider_id=req.provider_id, starts_at=req.starts_at, ends_at=ends_at, now=now
    ):
        release_hold(session, held, now=now)


def release_hold(
    session: Session,
    held: Appointment,
    *,
    actor: str = "system:holds",
    now: datetime | None = None,
) -> None:
    """An expired hold stops occupying the provider's time."""
    held.cancel_reason = HOLD_EXPIRED_REASON
    change_status(session, held, CANCELLED, Change("hold_expired", Actor(actor, "system"), now))


def alternatives(
    session: Session,
    req: SlotRequest,
    *,
    now: datetime,
    exclude_ids: frozenset[int] = frozenset(),
    limit: int = 3,
) -> list[SlotOption]:
    """The next few options after the requested time: same provider, else anyone; failing
    both, the same provider's earliest options."""
    res = resolve(session, req)
    day = to_local(req.starts_at, zone(res.location.time_zone)).date()
    attempts = (
        (req.provider_id, req.starts_at + timedelta(seconds=1), day),
        (None, req.starts_at + timedelta(seconds=1), day),
        (req.provider_id, None, None),
    )
    for provider_id, not_before, date_from in attempts:
        try:
            options = search(
                session,
                SearchRequest(
                    practice_id=res.practice_id,
                    appointment_type_id=req.appointment_type_id,
                    provider_id=provider_id,
                    location_id=req.location_id,
                    date_from=date_from,
                    patient_id=req.patient_id,
                    limit=limit,
                    exclude_appointment_ids=exclude_ids,
                    not_before=not_before,
                ),
                now=now,
            )
        except TypeNotBookable:
            return []
        if options:
            return options
    return []
