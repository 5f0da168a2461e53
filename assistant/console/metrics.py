"""Manager metrics: volume, containment, transfers and tasks by reason, abandonment, backlog."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from statistics import median
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from assistant.db.models import (
    CONFIRMED,
    Appointment,
    CallTransfer,
    Conversation,
    StaffTask,
)
from assistant.db.types import utcnow

PERIODS = {1: "Last 24 hours", 7: "Last 7 days", 30: "Last 30 days"}
UPCOMING_DAYS = 7


@dataclass(frozen=True)
class Metrics:
    since: datetime
    until: datetime
    by_channel: dict[str, int]  # conversations started in the period: voice, sms, portal
    conversations: int
    contained: int  # finished without a staff task or a transfer, and not abandoned
    abandoned_calls: int
    tasks_by_department: list[tuple[str, str, int]]  # (department, kind, count) created
    transfers_by_reason: list[tuple[str, str, int]]  # (reason, final status, count)
    open_tasks: int
    claimed_tasks: int
    resolved_tasks: int  # resolved in the period
    oldest_open_minutes: int | None
    median_open_minutes: int | None
    median_resolve_minutes: int | None
    upcoming_appointments: int  # booked or confirmed, in the next 7 days
    upcoming_confirmed: int

    @property
    def containment_rate(self) -> float | None:
        return self.contained / self.conversations if self.conversations else None

    @property
    def confirmation_rate(self) -> float | None:
        if not self.upcoming_appointments:
            return None
        return self.upcoming_confirmed / self.upcoming_appointments


def _minutes(delta: timedelta) -> int:
    return max(0, int(delta.total_seconds() // 60))


def compute(
    session: Session, practice_id: int, *, days: int = 7, now: datetime | None = None
) -> Metrics:
    """Figures for the `days` before `now` (backlog figures are as of `now`)."""
    now = now or utcnow()
    since = now - timedelta(days=days)
    return Metrics(
        since=since,
        until=now,
        **_conversation_figures(session, practice_id, since, now),
        **_routing_figures(session, practice_id, since),
        **_task_figures(session, practice_id, since, now),
        **_appointment_figures(session, practice_id, now),
    )


def _conversation_figures(
    session: Session, practice_id: int, since: datetime, now: datetime
) -> dict[str, Any]:
    """Conversations by channel, those the assistant handled alone, and abandoned calls."""
    in_period = (
        Conversation.practice_id == practice_id,
        Conversation.started_at >= since,
        Conversation.started_at < now,
    )
    by_channel = dict(
        session.execute(
            select(Conversation.channel, func.count())
            .where(*in_period)
            .group_by(Conversation.channel)
        ).all()
    )
    with_task = select(StaffTask.conversation_id).where(StaffTask.conversation_id.isnot(None))
    with_transfer = select(CallTransfer.conversation_id).where(
        CallTransfer.conversation_id.isnot(None)
    )
    contained = session.execute(
        select(func.count()).where(
            *in_period,
            Conversation.status == "closed",
            Conversation.outcome.is_distinct_from("abandoned"),
            Conversation.id.not_in(with_task),
            Conversation.id.not_in(with_transfer),
        )
    ).scalar_one()
    abandoned = session.execute(
        select(func.count()).where(
            *in_period, Conversation.channel == "voice", Conversation.outcome == "abandoned"
        )
    ).scalar_one()
    return {
        "by_channel": {k: by_channel.get(k, 0) for k in ("voice", "sms", "portal")},
        "conversations": sum(by_channel.values()),
        "contained": contained,
        "abandoned_calls": abandoned,
    }


def _routing_figures(session: Session, practice_id: int, since: datetime) -> dict[str, Any]:
    """Staff tasks by department and kind, call transfers by reason and status."""
    tasks_by_department = _counts_by(
        session,
        StaffTask.department,
        StaffTask.kind,
        StaffTask.practice_id == practice_id,
        StaffTask.created_at >= since,
    )
    transfers_by_reason = _counts_by(
        session,
        CallTransfer.reason,
        CallTransfer.status,
        CallTransfer.practice_id == practice_id,
        CallTransfer.started_at >= since,
    )
    return {"tasks_by_department": tasks_by_department, "transfers_by_reason": transfers_by_reason}


def _counts_by(
    session: Session, first: Any, second: Any, *conditions: Any
) -> list[tuple[Any, Any, int]]:
    """(first, second, count) for the rows matching `conditions`, the largest count first."""
    query = (
        select(first, second, func.count())
        .where(*conditions)
        .group_by(first, second)
        .order_by(func.count().desc(), first, second)
    )
    return [(a, b, count) for a, b, count in session.execute(query).all()]


def _task_figures(
    session: Session, practice_id: int, since: datetime, now: datetime
) -> dict[str, Any]:
    """The backlog of open and claimed tasks as of `now`, and the tasks resolved since."""
    backlog = session.execute(
        select(StaffTask.status, StaffTask.created_at).where(
            StaffTask.practice_id == practice_id, StaffTask.status.in_(("open", "claimed"))
        )
    ).all()
    ages = [_minutes(now - created) for _, created in backlog]
    resolved = session.execute(
        select(StaffTask.created_at, StaffTask.resolved_at).where(
            StaffTask.practice_id == practice_id,
            StaffTask.status == "resolved",
            StaffTask.resolved_at >= since,
        )
    ).all()
    resolve_minutes = [_minutes(done - created) for created, done in resolved]
    return {
        "open_tasks": sum(status == "open" for status, _ in backlog),
        "claimed_tasks": sum(status == "claimed" for status, _ in backlog),
        "resolved_tasks": len(resolved),
        "oldest_open_minutes": max(ages) if ages else None,
        "median_open_minutes": int(median(ages)) if ages else None,
        "median_resolve_minutes": int(median(resolve_minutes)) if resolve_minutes else None,
    }


def _appointment_figures(session: Session, practice_id: int, now: datetime) -> dict[str, Any]:
    """Booked and confirmed appointments of the next `UPCOMING_DAYS`."""
    upcoming = session.execute(
        select(Appointment.status, func.count())
        .where(
            Appointment.practice_id == practice_id,
            Appointment.starts_at >= now,
            Appointment.starts_at < now + timedelta(days=UPCOMING_DAYS),
            Appointment.status.in_(("booked", CONFIRMED)),
        )
        .group_by(Appointment.status)
    ).all()
    upcoming_counts = dict(upcoming)
    return {
        "upcoming_appointments": sum(upcoming_counts.values()),
        "upcoming_confirmed": upcoming_counts.get(CONFIRMED, 0),
    }
