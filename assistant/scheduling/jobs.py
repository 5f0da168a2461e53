"""Periodic jobs: release expired holds, mark no-shows. Run them every minute or so; each
call is one transaction's worth of work (the caller commits) and is safe to run concurrently
(rows locked by another run are skipped)."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from assistant.actor import Actor
from assistant.db.models import BOOKED, CONFIRMED, HELD, NO_SHOW, Appointment, Practice
from assistant.scheduling import guard, waitlist
from assistant.scheduling.clock import now_utc
from assistant.scheduling.history import Change, change_status
from assistant.scheduling.policy import SchedulingPolicy
from assistant.scheduling.securing import release_hold


def release_expired_holds(
    session: Session,
    *,
    now: datetime | None = None,
    actor: str = "system:holds",
    offer_to_waitlist: bool = True,
) -> list[Appointment]:
    """Cancel holds whose time ran out (reason "hold expired"); offer the time to the waitlist.

    Availability already ignores expired holds; this makes the state explicit.
    """
    now = now_utc(now)
    expired = guard.lock_due(
        session,
        select(Appointment)
        .where(Appointment.status == HELD, Appointment.hold_expires_at <= now)
        .order_by(Appointment.id),
    )
    for held in expired:
        release_hold(session, held, actor=actor, now=now)
    session.flush()
    if offer_to_waitlist:
        for held in expired:
            if held.starts_at > now:
                waitlist.offer_freed_time(session, held, now)
    return expired


def mark_no_shows(
    session: Session,
    *,
    now: datetime | None = None,
    actor: str = "system:no_shows",
    grace_minutes: int | None = None,
) -> list[Appointment]:
    """Booked or confirmed appointments whose end passed by the grace, without arrival.

    The grace is the practice's `no_show_grace_minutes` (default 15) unless given.
    """
    now = now_utc(now)
    guard.take_write_lock(session)
    candidates = session.execute(
        select(Appointment)
        .where(Appointment.status.in_((BOOKED, CONFIRMED)), Appointment.ends_at <= now)
        .order_by(Appointment.id)
        .with_for_update(skip_locked=True)
    ).scalars()
    policies: dict[int, SchedulingPolicy] = {}
    marked: list[tuple[Appointment, int]] = []
    for appointment in candidates:
        if appointment.practice_id not in policies:
            practice = session.get(Practice, appointment.practice_id)
            policies[appointment.practice_id] = SchedulingPolicy.from_settings(
                practice.settings if practice else None
            )
        grace = grace_minutes
        if grace is None:
            grace = policies[appointment.practice_id].no_show_grace_minutes
        if appointment.ends_at + timedelta(minutes=grace) > now:
            continue
        marked.append((appointment, grace))
    for appointment, grace in marked:
        no_show = Change("no_show", Actor(actor, "system"), now, {"grace_minutes": grace})
        change_status(session, appointment, NO_SHOW, no_show)
    return [appointment for appointment, _ in marked]
