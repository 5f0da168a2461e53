"""Office information from the practice's configuration: hours, addresses, parking."""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from assistant.db.models import Location, Practice
from assistant.messages import day_names, supported, translate
from assistant.routing.directory import DAY_KEYS as _DAY_KEYS
from assistant.routing.directory import holidays


def _address(location: Location) -> str:
    street = location.address_line1 + (
        f", {location.address_line2}" if location.address_line2 else ""
    )
    return f"{location.name}: {street}, {location.city}, {location.state} {location.postal_code}."


def office_info(session: Session, practice_id: int, language: str) -> str:
    """Hours, then each location's address and parking, in the patient's language."""
    practice = session.get(Practice, practice_id)
    if practice is None:
        return ""
    settings = practice.settings or {}
    hours = settings.get(f"office_hours_text_{language}") or settings.get("office_hours_text")
    parts = [hours] if hours else []
    for location in practice.locations:
        parts.append(_address(location))
        if location.parking:
            parts.append(location.parking)
    return " ".join(parts)


# "Are you open today?", "open now?", "¿están abiertos hoy?": a question about one day.
_OPEN_QUESTION = re.compile(
    r"\b(open|opened|abiert[oa]s?|abren|abre|atienden|cerrad[oa]s?|closed)\b", re.IGNORECASE
)
# Another day or days in general ("open on Saturdays?", "holiday hours"): the full hours.
_OTHER_DAYS = re.compile(
    r"\b(mondays?|tuesdays?|wednesdays?|thursdays?|fridays?|saturdays?|sundays?|weekends?"
    r"|holidays?|lunes|martes|mi[eé]rcoles|jueves|viernes|s[aá]bados?|domingos?|fines? de semana"
    r"|festivos?|hours|horario)\b",
    re.IGNORECASE,
)
_TOMORROW = re.compile(r"\b(tomorrow|ma[nñ]ana)\b(?!\s+(por|en|de)\s+la)", re.IGNORECASE)


def _clock_en(value: time) -> str:
    hour, suffix = value.hour % 12 or 12, "AM" if value.hour < 12 else "PM"
    return f"{hour} {suffix}" if value.minute == 0 else f"{hour}:{value.minute:02d} {suffix}"


_CLOCKS = {"en": _clock_en, "es": lambda value: f"{value.hour}:{value.minute:02d}"}


def _clock(value: time, language: str) -> str:
    return _CLOCKS.get(language, _clock_en)(value)


def _hours_on(
    locations: list[Location], day: date, closed_days: set[date]
) -> tuple[time, time] | None:
    """Earliest opening and latest closing of any location on `day` (None: all closed)."""
    if day in closed_days:
        return None
    spans = [
        (time.fromisoformat(start), time.fromisoformat(end))
        for location in locations
        for start, end in (location.opening_hours or {}).get(_DAY_KEYS[day.weekday()], [])
    ]
    if not spans:
        return None
    return min(s for s, _ in spans), max(e for _, e in spans)


def _next_opening(
    locations: list[Location], after: date, closed_days: set[date], language: str, today: date
) -> str | None:
    for ahead in range(1, 15):
        day = after + timedelta(days=ahead)
        hours = _hours_on(locations, day, closed_days)
        if hours is not None:
            opening = _clock(hours[0], language)
            if day == today + timedelta(days=1):
                return translate(language, "frontdesk.hours_next_tomorrow", open=opening)
            day_name = day_names(language)[day.weekday()]
            return translate(language, "frontdesk.hours_next_day", day=day_name, open=opening)
    return None


def open_on_day_answer(
    session: Session, practice_id: int, question: str, now: datetime, language: str
) -> str | None:
    """A short answer to "are you open today / now / tomorrow?", from the locations' opening
    hours and the practice's holidays at `now` (aware); None when the question is not that."""
    if not _OPEN_QUESTION.search(question or "") or _OTHER_DAYS.search(question):
        return None
    practice = session.get(Practice, practice_id)
    if practice is None or not practice.locations:
        return None
    language = supported(language)
    days = day_names(language)
    local = now.astimezone(ZoneInfo(practice.time_zone))
    today = local.date()
    closed_days = holidays(session, practice_id)
    locations = list(practice.locations)
    asked = today + timedelta(days=1) if _TOMORROW.search(question) else today
    hours = _hours_on(locations, asked, closed_days)
    next_open = _next_opening(locations, asked, closed_days, language, today)
    if hours is None:
        if next_open is None:
            return None
        key = "frontdesk.hours_closed_" + ("today" if asked == today else "tomorrow")
        return translate(language, key, day=days[asked.weekday()], next=next_open)
    opening, closing = (_clock(t, language) for t in hours)
    if asked != today:
        return translate(
            language,
            "frontdesk.hours_open_tomorrow",
            day=days[asked.weekday()],
            open=opening,
            close=closing,
        )
    wall = local.time().replace(tzinfo=None)
    if wall < hours[0]:
        return translate(language, "frontdesk.hours_later_today", open=opening, close=closing)
    if wall < hours[1]:
        return translate(language, "frontdesk.hours_open_now", close=closing)
    if next_open is None:
        return None
    return translate(language, "frontdesk.hours_closed_now", next=next_open)
