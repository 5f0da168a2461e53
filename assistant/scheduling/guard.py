"""Never double-booked: the database refuses overlaps, and writers are serialised per provider.

Three layers, from the outside in:

1. Every write that can occupy a provider's time first takes a per-provider lock: on PostgreSQL
   `SELECT ... FOR NO KEY UPDATE` on the provider row (it does not block foreign-key checks of
   other inserts); on SQLite, which has a single writer, a no-op write that takes the database's
   write lock up front (`BEGIN IMMEDIATE` semantics: reads after it see every committed row).
2. Under that lock the overlap is re-checked in Python, including buffers, which no index can
   express; expired holds in the way are released.
3. The database itself refuses an occupying appointment that overlaps another of the same
   provider, whoever writes it (migration 0002): an exclusion constraint on PostgreSQL
   (`ex_appointments_no_overlap`, btree_gist), triggers on SQLite, besides the partial unique
   index on (provider, start) from 0001. A violation is translated into `SlotTaken`.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select, text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session
from sqlalchemy.sql import Select

from assistant.db.models import HELD, Appointment, AppointmentType, Provider
from assistant.scheduling.availability import occupying_filter
from assistant.scheduling.errors import AppointmentNotFound

# Names that identify an overlap violation in the driver's error message.
_OVERLAP_MARKERS = (
    "uq_appointments_provider_start_active",
    "ex_appointments_no_overlap",
    "appointment overlaps",
    "appointments.provider_id, appointments.starts_at",
)


def is_postgres(session: Session) -> bool:
    return session.get_bind().dialect.name == "postgresql"


def take_write_lock(session: Session) -> None:
    """SQLite: start the transaction as a writer now, so that reads after this are current.

    pysqlite begins a transaction only before the first write; a no-op write makes that happen
    here (and waits on `busy_timeout` for the current writer). A no-op on PostgreSQL.
    """
    if not is_postgres(session):
        session.execute(text("UPDATE providers SET active = active WHERE 0 = 1"))


def lock_due(session: Session, rows: Select) -> list[Any]:
    """For a periodic job: the rows of `rows` (one entity) locked for this transaction, taken
    as a writer; rows another worker holds are skipped, it processes them."""
    take_write_lock(session)
    return list(session.execute(rows.with_for_update(skip_locked=True)).scalars())


def lock_providers(session: Session, provider_ids: Iterable[int]) -> None:
    """Serialise writers of these providers' calendars until the transaction ends."""
    ids = sorted(set(provider_ids))  # one order for everyone: no deadlocks between two locks
    if not is_postgres(session):
        take_write_lock(session)
        return
    session.execute(
        select(Provider.id)
        .where(Provider.id.in_(ids))
        .order_by(Provider.id)
        .with_for_update(key_share=True)  # FOR NO KEY UPDATE
    ).all()


def lock_appointment(session: Session, appointment_id: int) -> Appointment:
    """The appointment, re-read and locked for the rest of the transaction."""
    take_write_lock(session)
    appointment = session.get(
        Appointment, appointment_id, with_for_update=True, populate_existing=True
    )
    if appointment is None:
        raise AppointmentNotFound(str(appointment_id))
    return appointment


def find_conflicts(
    session: Session,
    *,
    provider_id: int,
    starts_at: datetime,
    ends_at: datetime,
    buffer_minutes: int,
    now: datetime,
    exclude_ids: Iterable[int] = (),
) -> list[Appointment]:
    """Occupying appointments whose [start, end + buffer) meets [starts_at, ends_at + buffer)."""
    span_end = ends_at + timedelta(minutes=buffer_minutes)
    stmt = (
        select(Appointment, AppointmentType.buffer_minutes)
        .join(AppointmentType, AppointmentType.id == Appointment.appointment_type_id)
        .where(
            Appointment.provider_id == provider_id,
            occupying_filter(now),
            Appointment.starts_at < span_end,
            Appointment.starts_at >= starts_at - timedelta(days=1),
        )
    )
    excluded = set(exclude_ids)
    if excluded:
        stmt = stmt.where(Appointment.id.not_in(excluded))
    return [
        appointment
        for appointment, buffer in session.execute(stmt)
        if appointment.ends_at + timedelta(minutes=buffer or 0) > starts_at
    ]


def stale_holds(
    session: Session, *, provider_id: int, starts_at: datetime, ends_at: datetime, now: datetime
) -> list[Appointment]:
    """Expired (not yet released) holds overlapping the time: the database still counts them."""
    stmt = (
        select(Appointment)
        .where(
            Appointment.provider_id == provider_id,
            Appointment.status == HELD,
            Appointment.hold_expires_at <= now,
            Appointment.starts_at < ends_at,
            Appointment.ends_at > starts_at,
        )
        .with_for_update()
    )
    return list(session.execute(stmt).scalars())


def is_overlap_violation(exc: IntegrityError) -> bool:
    """Did the database refuse the row because the provider's time is taken?"""
    message = str(exc.orig)
    return any(marker in message for marker in _OVERLAP_MARKERS)
