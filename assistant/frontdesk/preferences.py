"""What the patient said about a new time, as a `TimePreference` for availability search.

`assistant.datetimes.resolve` understands dates and times; the keywords here cover what it
does not: "as soon as possible", parts of the day, weekdays, "any provider".
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta

from assistant.datetimes import resolve, to_time_preference
from assistant.frontdesk.words import weekday_of, words
from assistant.scheduling.clock import zone
from assistant.scheduling.preferences import TimePreference

_ASAP = (
    "asap",
    "soon",
    "soonest",
    "earliest",
    "first available",
    "lo antes",
    "pronto",
    "cuanto antes",
)
_ANY_PROVIDER = (
    "any provider", "any doctor", "anyone", "anybody", "whoever", "any one", "cualquier",
    "otro doctor", "otra doctora", "different doctor", "another doctor",
)  # fmt: skip
_PARTS = {
    "morning": ("morning", "por la manana", "en la manana", "de la manana", "temprano"),
    "afternoon": ("afternoon", "tarde", "after lunch"),
    "evening": ("evening", "noche", "after work"),
}


@dataclass(frozen=True)
class Wish:
    preference: TimePreference
    any_provider: bool = False
    date_from: date | None = None


def understand(text: str, *, now: datetime, time_zone: str, language: str) -> Wish:
    """A search wish from free text; what is not understood is simply not constrained."""
    folded = " ".join(words(text))
    today = now.astimezone(zone(time_zone)).date()
    parts_text = folded.replace("mas tarde", "")  # "más tarde" is "later", not "afternoon"
    pref = TimePreference(
        asap=any(k in folded for k in _ASAP),
        part_of_day=next(
            (p for p, keys in _PARTS.items() if any(k in parts_text for k in keys)), None
        ),
    )
    weekday = weekday_of(text)
    if weekday is not None:
        pref = replace(pref, weekdays=frozenset({weekday}))
    date_from = None
    if re.search(r"\b(tomorrow|manana)\b", folded) and not re.search(
        r"\b(por|en|de) la manana\b", folded
    ):
        pref = replace(pref, on_date=today + timedelta(days=1))
    elif "next week" in folded or "proxima semana" in folded or "semana que viene" in folded:
        date_from = today + timedelta(days=7 - today.weekday())
    after = re.search(r"\b(after|despues de las?)\s+(\d{1,2})(?::(\d{2}))?\s*(am|pm)?", folded)
    if after:
        pref = replace(pref, earliest=_clock(after[2], after[3], after[4]))
    before = re.search(r"\b(before|antes de las?)\s+(\d{1,2})(?::(\d{2}))?\s*(am|pm)?", folded)
    if before:
        pref = replace(pref, latest=_clock(before[2], before[3], before[4]))
    pref, resolved_from = _with_resolved(
        pref, text, now=now, time_zone=time_zone, language=language
    )
    return Wish(pref, any(k in folded for k in _ANY_PROVIDER), date_from or resolved_from)


def _clock(hour: str, minute: str | None, suffix: str | None) -> time:
    h = int(hour) % 24
    if suffix == "pm" and h < 12:
        h += 12
    elif suffix is None and 1 <= h <= 6:
        h += 12  # "after 3" at a clinic means 3 PM
    return time(h, int(minute or 0))


def _with_resolved(
    pref: TimePreference, text: str, *, now: datetime, time_zone: str, language: str
) -> tuple[TimePreference, date | None]:
    """Merge what `assistant.datetimes` resolved into the keyword preference: keywords win
    where both speak; a date range ("next week") becomes the search's first day."""
    date_from = None
    if pref.asap:  # the recognizer reads "as soon as possible" as "now": keep our reading
        return pref, None
    for item in resolve(text, now=now, time_zone=time_zone, language=language):
        if item.kind == "date_range":
            date_from = item.date
            continue
        found = to_time_preference(item)
        if found is None:
            continue
        if item.kind in ("time", "datetime") and found.earliest is not None:
            found = _around(found)
        pref = replace(
            pref,
            on_date=pref.on_date or (None if pref.weekdays else found.on_date),
            earliest=pref.earliest or found.earliest,
            latest=pref.latest or found.latest,
            part_of_day=pref.part_of_day or found.part_of_day,
        )
    return pref, date_from


def _around(found: TimePreference) -> TimePreference:
    """ "At 3" asks for about 3, not exactly 3:00: offer starts from an hour before to two
    hours after, so that a taken 3:00 still yields nearby options."""
    assert found.earliest is not None
    anchor = datetime.combine(date(2000, 1, 3), found.earliest)
    return replace(
        found,
        earliest=(anchor - timedelta(hours=1)).time(),
        latest=min((anchor + timedelta(hours=2)).time(), time(23, 59)),
    )
