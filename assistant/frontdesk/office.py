"""Office information from the practice's configuration: hours, addresses, parking."""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from assistant.db.models import Holiday, Location, Practice
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


def cancel_policy(session: Session, practice_id: int, language: str) -> str:
    """ "Is there a fee if I cancel late?": what the practice's settings say about cancelling
    (the notice it asks for; a fee only when the settings state one), else that the desk
    answers it. Nothing invented."""
    practice = session.get(Practice, practice_id)
    settings = (practice.settings if practice is not None else None) or {}
    hours, fee = settings.get("late_cancel_hours"), settings.get("late_cancel_fee")
    if hours and fee:
        return translate(language, "frontdesk.cancel_policy_fee", hours=hours, fee=fee)
    if hours:
        return translate(language, "frontdesk.cancel_policy", hours=hours)
    return translate(language, "frontdesk.cancel_policy_unknown")


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
# One named day ("open this Saturday?", "¿abren el domingo?"), not days in general ("on
# Saturdays", "los domingos"); the weekend ("open this weekend?").
_ONE_DAY = re.compile(
    r"(?<!\blos )\b(monday|tuesday|wednesday|thursday|friday|saturday|sunday|lunes|martes"
    r"|mi[eé]rcoles|jueves|viernes|s[aá]bado|domingo)\b",
    re.IGNORECASE,
)
_IN_GENERAL = re.compile(
    r"\b(mondays|tuesdays|wednesdays|thursdays|fridays|saturdays|sundays|s[aá]bados|domingos"
    r"|holidays?|hours|horario|festivos?)\b",
    re.IGNORECASE,
)
_TODAY_NOW = re.compile(r"\b(today|tonight|now|tomorrow|hoy|ahora|ma[nñ]ana)\b", re.IGNORECASE)
# "What time do you open?", "¿hasta qué hora están abiertos?": the day's hours, not a yes.
_WHAT_TIME = re.compile(
    r"\b(what time|when|till when|until when|how late|how early|(a|hasta|desde) qu[eé] hora"
    r"|cu[aá]ndo)\b",
    re.IGNORECASE,
)
# A holiday named in the question, and the word of the practice's holiday (its `name`) it means;
# not the eve or the day after ("Christmas Eve", "the day after Thanksgiving").
_HOLIDAY_WORDS = (
    (re.compile(r"(?i)\bthanksgiving|acci[oó]n de gracias"), "thanksgiving"),
    (re.compile(r"(?i)\bchristmas|\bnavidad"), "christmas"),
    (re.compile(r"(?i)\bnew year|\ba[nñ]o nuevo"), "new year"),
)
_NOT_THE_DAY = re.compile(r"(?i)\b(eve|day after|day before|v[ií]spera|nochebuena|despu[eé]s)\b")
_WEEKEND = re.compile(r"\b(weekend|fin de semana)\b", re.IGNORECASE)
_WEEKDAY_INDEX = {
    "monday": 0, "tuesday": 1, "wednesday": 2, "thursday": 3, "friday": 4, "saturday": 5,
    "sunday": 6, "lunes": 0, "martes": 1, "miercoles": 2, "miércoles": 2, "jueves": 3,
    "viernes": 4, "sabado": 5, "sábado": 5, "domingo": 6,
}  # fmt: skip


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
            return translate(
                language,
                "frontdesk.hours_next_day",
                day=day_names(language)[day.weekday()],
                open=opening,
            )
    return None


def open_on_day_answer(
    session: Session, practice_id: int, question: str, now: datetime, language: str
) -> str | None:
    """A short answer to "are you open today / now / tomorrow?", from the locations' opening
    hours and the practice's holidays at `now` (aware); None when the question is not that."""
    if not _OPEN_QUESTION.search(question or ""):
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
    holiday = _named_holiday(session, practice_id, question, today)
    if holiday is not None:
        name, day = holiday
        next_open = _next_opening(locations, day, closed_days, language, today)
        on = f"{name} ({days[day.weekday()]})"
        return (
            translate(language, "frontdesk.hours_closed_on", day=on, next=next_open)
            if next_open
            else None
        )
    if _OTHER_DAYS.search(question) and not _TODAY_NOW.search(question):
        return _named_day_answer(locations, question, today, closed_days, language)
    asked = today + timedelta(days=1) if _TOMORROW.search(question) else today
    hours = _hours_on(locations, asked, closed_days)
    next_open = _next_opening(locations, asked, closed_days, language, today)
    if hours is None:
        if next_open is None:
            return None
        key = "closed_today" if asked == today else "closed_tomorrow"
        return translate(
            language, "frontdesk.hours_" + key, day=days[asked.weekday()], next=next_open
        )
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
    if wall < hours[0] or (wall < hours[1] and _WHAT_TIME.search(question)):
        return translate(language, "frontdesk.hours_later_today", open=opening, close=closing)
    if wall < hours[1]:  # "are you closed today?" is answered no
        key = "not_closed" if re.search(r"(?i)\b(closed|cerrad[oa]s?)\b", question) else "open_now"
        return translate(language, "frontdesk.hours_" + key, close=closing)
    if next_open is None:
        return None
    return translate(language, "frontdesk.hours_closed_now", next=next_open)


def _named_holiday(
    session: Session, practice_id: int, question: str, today: date
) -> tuple[str, date] | None:
    """The practice's next closed holiday the question names ("open on Thanksgiving?")."""
    if _NOT_THE_DAY.search(question):
        return None
    word = next((w for pattern, w in _HOLIDAY_WORDS if pattern.search(question)), None)
    if word is None:
        return None
    rows = session.execute(
        select(Holiday.name, Holiday.day)
        .where(Holiday.practice_id == practice_id, Holiday.location_id.is_(None))
        .where(Holiday.day >= today)
        .order_by(Holiday.day)
    ).all()
    return next(((n, d) for n, d in rows if word in (n or "").lower()), None)


def _named_day_answer(
    locations: list[Location], question: str, today: date, closed_days: set[date], language: str
) -> str | None:
    """ "Open this Saturday?" / "this weekend?": the coming such day (None: days in general)."""
    days = day_names(language)
    if _WEEKEND.search(question) and not re.search(r"(?i)weekends|fines de semana", question):
        saturday = today + timedelta(days=(5 - today.weekday()) % 7)
        sunday = saturday + timedelta(days=1)
        if _hours_on(locations, saturday, closed_days) or _hours_on(locations, sunday, closed_days):
            return None
        next_open = _next_opening(locations, sunday, closed_days, language, today)
        return (
            translate(language, "frontdesk.hours_closed_weekend", next=next_open)
            if next_open
            else None
        )
    named = [m.group(1).lower() for m in _ONE_DAY.finditer(question)]
    if len(set(named)) != 1 or _IN_GENERAL.search(question):
        return None
    asked = today + timedelta(days=(_WEEKDAY_INDEX[named[0]] - today.weekday()) % 7)
    hours = _hours_on(locations, asked, closed_days)
    if hours is None:
        next_open = _next_opening(locations, asked, closed_days, language, today)
        return (
            translate(
                language, "frontdesk.hours_closed_on", day=days[asked.weekday()], next=next_open
            )
            if next_open
            else None
        )
    opening, closing = (_clock(t, language) for t in hours)
    return translate(
        language, "frontdesk.hours_open_on", day=days[asked.weekday()], open=opening, close=closing
    )


def closed_on_answer(
    session: Session, location: Location, days: list[date], today: date, language: str
) -> str | None:
    """ "We're closed on Saturday; we open Monday at 8 AM.": when the location is closed on
    every one of `days` (the days a wish for a new time asks for); None when one is open."""
    closed_days = holidays(session, location.practice_id)
    if not days or any(_hours_on([location], day, closed_days) for day in days):
        return None
    language = supported(language)
    first = min(days)
    next_open = _next_opening([location], first, closed_days, language, today)
    if next_open is None:
        return None
    return translate(
        language,
        "frontdesk.hours_closed_on",
        day=day_names(language)[first.weekday()],
        next=next_open,
    )
