"""Claiming due reminders atomically, so that concurrent workers never take the same row.

PostgreSQL: `SELECT ... FOR UPDATE SKIP LOCKED`, then mark the rows claimed in the same
transaction; a second worker skips the locked rows instead of waiting. SQLite (one writer at a
time): a conditional `UPDATE ... WHERE status = 'pending'` per row, claimed only if it changed
exactly one row.

A claim older than `policy.LEASE` belongs to a worker that died: it may be claimed again, and
the sender then finishes it from what was stored (see `sending.recover`).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import and_, func, or_, select, update
from sqlalchemy.orm import Session

from assistant.db.models import Reminder
from assistant.reminders import policy


@dataclass(frozen=True)
class Claim:
    reminder_id: int
    token: str


def _claimable(now: datetime, lease: timedelta):
    return or_(
        and_(Reminder.status == "pending", Reminder.due_at <= now),
        and_(Reminder.status == "claimed", Reminder.claimed_at < now - lease),
    )


def claim_due(
    session: Session, *, now: datetime, limit: int = 50, lease: timedelta = policy.LEASE
) -> list[Claim]:
    """Claim up to `limit` due reminders, closest-to-the-visit first. The caller commits."""
    token = uuid.uuid4().hex
    candidates = (
        select(Reminder.id)
        .where(_claimable(now, lease))
        .order_by(Reminder.due_at, Reminder.offset_days, Reminder.id)
        .limit(limit)
    )
    claim = {"status": "claimed", "claim_token": token, "claimed_at": now}
    if session.bind.dialect.name == "postgresql":
        ids = list(session.execute(candidates.with_for_update(skip_locked=True)).scalars())
        if ids:
            session.execute(
                update(Reminder)
                .where(Reminder.id.in_(ids))
                .values(**claim)
                .execution_options(synchronize_session=False)
            )
    else:
        ids = []
        for reminder_id in session.execute(candidates).scalars().all():
            result = session.execute(
                update(Reminder)
                .where(Reminder.id == reminder_id, _claimable(now, lease))
                .values(**claim)
                .execution_options(synchronize_session=False)
            )
            if result.rowcount == 1:
                ids.append(reminder_id)
    return [Claim(reminder_id, token) for reminder_id in ids]


def claimable_count(session: Session, *, now: datetime, lease: timedelta = policy.LEASE) -> int:
    """How many reminders `claim_due` could take now."""
    return session.execute(
        select(func.count()).select_from(Reminder).where(_claimable(now, lease))
    ).scalar_one()
