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
    "earlier",
    "first available",
    "moved up",
    "move me up",
    "mas temprano",
    "mas pronto",
    "lo antes",
    "pronto",
    "cuanto antes",
)
_ANY_PROVIDER = (
    "any provider", "any doctor", "anyone", "anybody", "whoever", "any one", "cualquier doctor",
    "cualquier medico", "cualquier doctora", "cualquiera", "otro doctor", "otra doctora",
    "different doctor", "another doctor",
)  # fmt: skip
_PARTS = {
    "morning": ("morning", "por la manana", "en la manana", "de la manana", "temprano"),
    "afternoon": ("afternoon", "tarde", "after lunch"),
    "evening": ("evening", "noche", "after work"),
}


_WEEK_AFTER_NEXT = re.compile(
    r"\b(week after next|in two weeks|in 2 weeks|dentro de dos semanas|en dos semanas"
    r"|la semana despues de la proxima)\b"
)
# "Push it back a few days", "the week after", "posponer": later than the visit being moved.
_LATER = re.compile(
    r"\b(push(ed)? (it |my \w+ |me )?(back|out)|bump(ed)? (it |my \w+ )?back|later than|delay"
    r"|postpone|the week after|week later|posponer|pospon\w*|atrasar|atrase|aplazar|mas adelante"
    r"|la semana siguiente|la otra semana)\b"
)
_SPAN = re.compile(
    r"\b(?:(?P<n>\d{1,2}|a|an|one|two|three|four|un|una|dos|tres|cuatro)"
    r" (?P<unit>day|week|dia|semana)s?"
    r"|(?P<few>a few|a couple( of)?|couple( of)?|few|unos|unos pocos|un par de)"
    r" (?P<unit2>day|week|dia|semana)s?)\b"
)
_SPAN_NUMBERS = {"a": 1, "an": 1, "one": 1, "un": 1, "una": 1, "two": 2, "dos": 2, "three": 3,
                 "tres": 3, "four": 4, "cuatro": 4}  # fmt: skip


def later_than_visit(text: str, visit: date) -> date | None:
    """First day a "later" wish allows, counted from the visit it is about (not from today):
    "push it back a few days" = 3 days after the visit, "a week later" / "the week after" = the
    Monday of the visit's following week; None when the wish is not about later."""
    folded = " ".join(words(text))
    if not _LATER.search(folded):
        return None
    span = _SPAN.search(folded)
    if (
        span is None
        or "week" in (span["unit"] or span["unit2"] or "")
        or "semana" in (span["unit"] or span["unit2"] or "")
    ):
        count = 1
        if span is not None and span["n"]:
            count = int(span["n"]) if span["n"].isdigit() else _SPAN_NUMBERS.get(span["n"], 1)
        return visit + timedelta(days=7 * count - visit.weekday())
    if span["n"]:
        days = int(span["n"]) if span["n"].isdigit() else _SPAN_NUMBERS.get(span["n"], 1)
    else:
        days = 2 if "couple" in span["few"] or "par" in span["few"] else 3
    return visit + timedelta(days=days)


def carries_details(text: str, *, now: datetime, time_zone: str, language: str) -> bool:
    """Does a request say when (or with whom) as well? "Move my appointment to Thursday
    afternoon", "anything sooner?", "push it back a few days"."""
    folded = " ".join(words(text))
    if _LATER.search(folded):
        return True
    wish = understand(text, now=now, time_zone=time_zone, language=language)
    pref = wish.preference
    return bool(
        wish.any_provider
        or wish.date_from
        or pref.asap
        or pref.part_of_day
        or pref.weekdays
        or pref.on_date
        or pref.earliest
        or pref.latest
    )


@dataclass(frozen=True)
class Wish:
    preference: TimePreference
    any_provider: bool = False
    date_from: date | None = None


def understand(
    text: str, *, now: datetime, time_zone: str, language: str, visit: date | None = None
) -> Wish:
    """A search wish from free text; what is not understood is simply not constrained.

    `visit`: the local date of the appointment being moved; "later" wishes ("push it back a
    week", "the week after") count from it, not from today.
    """
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
    if _WEEK_AFTER_NEXT.search(folded):  # two weeks on: its Monday (or later days named)
        monday = today + timedelta(days=14 - today.weekday())
        return Wish(replace(pref, asap=False, on_date=None),
                    any(k in folded for k in _ANY_PROVIDER), monday)  # fmt: skip
    later = later_than_visit(text, visit) if visit is not None else None
    if later is not None:  # later than the visit: relative words count from it
        # from that day on (not "as soon as possible", which the search reads as from today)
        pref = replace(pref, asap=False, on_date=None)
        return Wish(pref, any(k in folded for k in _ANY_PROVIDER), max(later, today))
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
