"""The staff directory: department hours, holidays, after-hours behaviour, hunt-group order."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from assistant.db.models import Department, Holiday, StaffUser

DAY_KEYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


def _hhmm(text: str) -> time:
    hours, minutes = text.split(":")
    return time(int(hours), int(minutes))


def department_by_code(session: Session, practice_id: int, code: str) -> Department | None:
    return session.execute(
        select(Department).where(Department.practice_id == practice_id, Department.code == code)
    ).scalar_one_or_none()


def holidays(session: Session, practice_id: int) -> set[date]:
    """Days the whole practice is closed (location-only closures do not close a department)."""
    rows = session.execute(
        select(Holiday.day).where(Holiday.practice_id == practice_id, Holiday.location_id.is_(None))
    ).scalars()
    return set(rows)


def is_open(
    department: Department,
    now: datetime,
    *,
    time_zone: str | None = None,
    closed_days: Collection[date] = (),
) -> bool:
    """True when `now` (aware) falls in one of the department's opening intervals.

    Hours are wall-clock in the practice's time zone (or `time_zone`); a closed day (holiday)
    closes the department all day. An inactive department is never open.
    """
    if now.tzinfo is None:
        raise ValueError("is_open needs an aware datetime")
    if not department.active:
        return False
    zone = ZoneInfo(time_zone or department.practice.time_zone)
    local = now.astimezone(zone)
    if local.date() in closed_days:
        return False
    intervals = (department.hours or {}).get(DAY_KEYS[local.weekday()], [])
    wall = local.time().replace(tzinfo=None)
    return any(_hhmm(start) <= wall < _hhmm(end) for start, end in intervals)


@dataclass(frozen=True)
class AfterHours:
    """What to do with a call the department cannot take now."""

    action: str  # "voicemail" | "on_call"
    number: str | None = None  # the on-call number, for "on_call"


def after_hours_action(department: Department, *, urgent_clinical: bool) -> AfterHours:
    """Urgent clinical calls go to the on-call number when the department has one; everything
    else becomes a voicemail that turns into a staff task."""
    if urgent_clinical and department.after_hours == "on_call" and department.on_call_number:
        return AfterHours("on_call", department.on_call_number)
    return AfterHours("voicemail")


def ring_target(user: StaffUser) -> str | None:
    """What Twilio dials for this person: their phone, else `client:<identity>`."""
    if user.phone:
        return user.phone
    if user.client_identity:
        return f"client:{user.client_identity}"
    return None


def hunt_group(session: Session, department: Department) -> list[StaffUser]:
    """Active staff of the department who can be rung, in ringing order (hunt_order, then id)."""
    users = session.execute(
        select(StaffUser)
        .where(
            StaffUser.department_id == department.id,
            StaffUser.active.is_(True),
            or_(StaffUser.phone.isnot(None), StaffUser.client_identity.isnot(None)),
        )
        .order_by(StaffUser.hunt_order, StaffUser.id)
    ).scalars()
    return list(users)
