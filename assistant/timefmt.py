"""Saying dates and times the way a person would, per channel and language.

SMS gets the compact form ("Tue Nov 24, 10:00 AM"); voice gets words a speech engine reads
naturally ("Tuesday, November 24 at 10 AM"). Spanish follows the same split.
"""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from assistant.messages import day_names, month_names


def _clock_en(local: datetime, spoken: bool) -> str:
    hour = local.hour % 12 or 12
    suffix = "AM" if local.hour < 12 else "PM"
    if spoken and local.minute == 0:
        return f"{hour} {suffix}"
    return f"{hour}:{local.minute:02d} {suffix}"


def _clock_es(local: datetime) -> str:
    return f"{local.hour}:{local.minute:02d}"


def _when_en(local: datetime, spoken: bool) -> str:
    day, month = day_names("en")[local.weekday()], month_names("en")[local.month - 1]
    if spoken:
        return f"{day}, {month} {local.day} at {_clock_en(local, True)}"
    return f"{day[:3]} {month[:3]} {local.day}, {_clock_en(local, False)}"


def _when_es(local: datetime, spoken: bool) -> str:
    day, month = day_names("es")[local.weekday()], month_names("es")[local.month - 1]
    if not spoken:
        day = day[:3].replace("á", "a").replace("é", "e")  # keep SMS within GSM-7
    article = "a la" if local.hour in (1, 13) else "a las"
    return f"{day} {local.day} de {month} {article} {_clock_es(local)}"


# The grammar of a date and time per language (the names come from CLDR).
_FORMATS = {"en": _when_en, "es": _when_es}


def format_when(instant: datetime, time_zone: str, *, language: str = "en", channel: str = "sms"):
    """Format a UTC instant in the location's zone for the given language and channel."""
    local = instant.astimezone(ZoneInfo(time_zone))
    return _FORMATS.get(language, _when_en)(local, channel == "voice")
