"""Saying dates and times the way a person would, per channel and language.

SMS gets the compact form ("Tue Nov 24, 10:00 AM"); voice gets words a speech engine reads
naturally ("Tuesday, November 24 at 10 AM"). Spanish follows the same split.
"""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

_DAYS_EN = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
_DAYS_ES = ["lunes", "martes", "miércoles", "jueves", "viernes", "sábado", "domingo"]
_MONTHS_EN = [
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
]  # fmt: skip
_MONTHS_ES = [
    "enero", "febrero", "marzo", "abril", "mayo", "junio",
    "julio", "agosto", "septiembre", "octubre", "noviembre", "diciembre",
]  # fmt: skip


def _clock_en(local: datetime, spoken: bool) -> str:
    hour = local.hour % 12 or 12
    suffix = "AM" if local.hour < 12 else "PM"
    if spoken and local.minute == 0:
        return f"{hour} {suffix}"
    return f"{hour}:{local.minute:02d} {suffix}"


def _clock_es(local: datetime) -> str:
    return f"{local.hour}:{local.minute:02d}"


def format_when(instant: datetime, time_zone: str, *, language: str = "en", channel: str = "sms"):
    """Format a UTC instant in the location's zone for the given language and channel."""
    local = instant.astimezone(ZoneInfo(time_zone))
    spoken = channel == "voice"
    if language == "es":
        day = _DAYS_ES[local.weekday()]
        month = _MONTHS_ES[local.month - 1]
        if not spoken:
            day = day[:3].replace("á", "a").replace("é", "e")  # keep SMS within GSM-7
        article = "a la" if local.hour in (1, 13) else "a las"
        return f"{day} {local.day} de {month} {article} {_clock_es(local)}"
    day = _DAYS_EN[local.weekday()]
    month = _MONTHS_EN[local.month - 1]
    if spoken:
        return f"{day}, {month} {local.day} at {_clock_en(local, True)}"
    return f"{day[:3]} {month[:3]} {local.day}, {_clock_en(local, False)}"
