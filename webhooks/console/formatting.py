"""Jinja filters for the console: local times, ages, percentages, labels."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from flask import Flask, g

from assistant.console.access import ROLE_LABELS

DEPARTMENT_LABELS = {
    "front_desk": "Front desk",
    "billing": "Billing",
    "nurse_line": "Nurse line",
    "medical_records": "Medical records",
    "refills": "Refills",
    "manager": "Office manager",
}
KIND_LABELS = {
    "callback": "Callback",
    "message": "Message",
    "handoff": "Handoff",
    "follow_up": "Follow-up",
}


def local(value: datetime | None, fmt: str = "%b %d, %I:%M %p") -> str:
    """An aware UTC instant in the practice's time zone."""
    if value is None:
        return "—"
    viewer = getattr(g, "viewer", None)
    zone = ZoneInfo(viewer.time_zone if viewer else "UTC")
    return value.astimezone(zone).strftime(fmt).replace(" 0", " ")


def clock(value: datetime) -> str:
    """A local wall-clock time that is already in its zone: 9:40 AM."""
    return value.strftime("%I:%M %p").lstrip("0")


def age(minutes: int | None) -> str:
    if minutes is None:
        return "—"
    if minutes < 60:
        return f"{minutes} min"
    hours, rest = divmod(minutes, 60)
    if hours < 24:
        return f"{hours} h {rest} min" if rest else f"{hours} h"
    days, hours = divmod(hours, 24)
    return f"{days} d {hours} h" if hours else f"{days} d"


def percent(value: float | None) -> str:
    return "—" if value is None else f"{value * 100:.0f}%"


def long_date(value: date) -> str:
    return value.strftime("%A, %B %d, %Y").replace(" 0", " ")


def register(app: Flask) -> None:
    app.jinja_env.filters.update(
        local=local,
        clock=clock,
        age=age,
        percent=percent,
        long_date=long_date,
        department=lambda code: DEPARTMENT_LABELS.get(code, code),
        kind=lambda code: KIND_LABELS.get(code, code),
        role=lambda code: ROLE_LABELS.get(code, code),
    )
