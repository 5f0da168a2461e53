"""Our own patterns for what the recognizer misses or misreads in scheduling talk.

*Strong* rules (clock windows, Spanish clock times, "in two weeks", "first thing") are blanked
out of the text before the recognizer runs; *weak* ones ("the 15th") only fill gaps.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from datetime import date, time, timedelta

from assistant.datetimes.model import Grain
from assistant.datetimes.numbers import ORDINALS_EN, UNITS_EN, UNITS_ES, small_number
from assistant.datetimes.pieces import Piece
from assistant.datetimes.times import TIME_RE, clinic_hour, time_from_match
from assistant.scheduling.preferences import PARTS_OF_DAY

_NUM_WORDS = "|".join(sorted({*UNITS_EN, *UNITS_ES, "a", "an", "un", "una"}, key=len, reverse=True))
_ORD_WORDS = "|".join(sorted(ORDINALS_EN, key=len, reverse=True))
_MONTHS_EN = (
    "jan|january|feb|february|mar|march|apr|april|may|jun|june|jul|july|aug|august|sep|sept"
    "|september|oct|october|nov|november|dec|december"
)
_MONTHS_ES = (
    "enero|febrero|marzo|abril|mayo|junio|julio|agosto|septiembre|setiembre|octubre"
    "|noviembre|diciembre"
)

_WINDOW_OPEN = {
    "en": {
        "between": r"\b(?:between|from)\s+(?:about\s+|around\s+)?",
        "after": r"\b(?:any ?time\s+)?(?:after|later than|from)\s+(?:about\s+|around\s+)?",
        "before": r"\b(?:any ?time\s+)?(?:before|by|until|till|no later than)\s+(?:about\s+)?",
    },
    "es": {
        "between": r"\b(?:entre|de|desde)\s+(?:las?\s+)?",
        "after": r"\b(?:después de|a partir de|más tarde de|pasadas)\s+(?:las?\s+)?",
        "before": r"\b(?:antes de|hasta)\s+(?:las?\s+)?",
    },
}
_WINDOW_JOIN = {
    "en": re.compile(r"\s*(?:and|to|till|until|-|–)\s+(?:about\s+)?|\s*-\s*"),
    "es": re.compile(r"\s+(?:y|a|hasta)\s+(?:las?\s+)?|\s*-\s*"),
}
_ES_CLOCK = re.compile(r"\b(?:a\s+las?|las?)\s+(?=\d|\w)")
_ES_NOON = re.compile(r"\b(?:al|a)\s+mediodía\b")
_IN_N = {
    "en": re.compile(
        r"\b(?:in\s+(?P<n>\d{1,2}|" + _NUM_WORDS + r")\s+(?P<unit>day|week)s?(?:'?\s*time)?"
        r"|(?P<n2>\d{1,2}|" + _NUM_WORDS + r")\s+(?P<unit2>day|week)s?\s+from\s+(?:now|today)"
        r"|in\s+a\s+fortnight(?:'?s?\s*time)?)\b"
    ),
    "es": re.compile(
        r"\b(?:en|dentro\s+de)\s+(?P<n>\d{1,2}|" + _NUM_WORDS + r")\s+(?P<unit>día|semana)s?\b"
    ),
}
_FIRST_THING = {
    "en": re.compile(r"\b(?:first thing|(?:very )?early)(?:\s+in\s+the\s+morning)?(?:\s+on)?\b"),
    "es": re.compile(r"\b(?:a\s+)?primera\s+hora(?:\s+de\s+la\s+mañana)?(?:\s+del?|\s+el)?\b"),
}
_DAY_OF_MONTH = {
    "en": re.compile(
        r"\b(?:on\s+)?the\s+(?P<d>\d{1,2}(?:st|nd|rd|th)|" + _ORD_WORDS + r")\b"
        r"(?!\s+(?:of|" + _MONTHS_EN + r")\b)"
    ),
    "es": re.compile(
        r"\bel\s+(?:día\s+)?(?P<d>\d{1,2}|primero|" + "|".join(UNITS_ES) + r")\b"
        r"(?!\s*(?::|de\s+(?:" + _MONTHS_ES + r")\b|de\s+la\b|am\b|pm\b|y\s+media))"
    ),
}


def _n(word: str | None) -> int | None:
    if word in ("a", "an", "un", "una"):
        return 1
    return small_number(word) if word else None


def clock_windows(text: str, language: str) -> Iterator[Piece]:
    """ "after 3", "before 5", "between two and four", "después de las tres", "entre 2 y 4"."""
    time_re = TIME_RE[language]
    taken: list[tuple[int, int]] = []
    for op in ("between", "after", "before"):
        for m in re.finditer(_WINDOW_OPEN[language][op], text):
            first = time_re.match(text, m.end())
            if not first or any(s < first.end() and m.start() < e for s, e in taken):
                continue
            start_t = time_from_match(first)
            if start_t is None:
                continue
            if op == "between":
                join = _WINDOW_JOIN[language].match(text, first.end())
                second = join and time_re.match(text, join.end())
                if not second:
                    continue
                end_t = time_from_match(second)
                if end_t is None:
                    continue
                if end_t <= start_t and not first.group("ampm") and not second.group("ampm"):
                    start_t = time(clinic_hour(start_t.hour % 12 or 12) % 24, start_t.minute)
                taken.append((m.start(), second.end()))
                yield Piece(
                    m.start(),
                    second.end(),
                    "time_range",
                    "minute",
                    start_time=start_t,
                    end_time=end_t,
                )
            else:
                taken.append((m.start(), first.end()))
                yield Piece(
                    m.start(),
                    first.end(),
                    "time_range",
                    "minute",
                    start_time=start_t if op == "after" else None,
                    end_time=start_t if op == "before" else None,
                )


def spanish_clock(text: str) -> Iterator[Piece]:
    """ "a las dos y media", "las 4", "a la una", "al mediodía" (the recognizer misreads
    "viernes 8 a las 9" as the range 8-9)."""
    for m in _ES_CLOCK.finditer(text):
        t = TIME_RE["es"].match(text, m.end())
        value = time_from_match(t) if t else None
        if t and value is not None:
            yield Piece(m.start(), t.end(), "time", "minute", start_time=value)
    for m in _ES_NOON.finditer(text):
        yield Piece(m.start(), m.end(), "time", "minute", start_time=time(12))


def in_n_days(text: str, language: str, today: date) -> Iterator[Piece]:
    """ "in two weeks" is the date 14 days ahead (the search then starts that day)."""
    for m in _IN_N[language].finditer(text):
        groups = m.groupdict()
        unit = groups.get("unit") or groups.get("unit2")
        n = _n(groups.get("n") or groups.get("n2")) if unit else 2
        unit = unit or "week"
        if n is None:
            continue
        days = n * 7 if unit in ("week", "semana") else n
        grain: Grain = "week" if unit in ("week", "semana") else "day"
        yield Piece(m.start(), m.end(), "date", grain, date=today + timedelta(days=days))


def first_thing(text: str, language: str) -> Iterator[Piece]:
    lo, hi = PARTS_OF_DAY["morning"]
    for m in _FIRST_THING[language].finditer(text):
        yield Piece(
            m.start(),
            m.end(),
            "part_of_day",
            "part_of_day",
            start_time=lo,
            end_time=hi,
            part_of_day="morning",
            earliest_opening=True,
        )


def next_day_of_month(day: int, today: date) -> date | None:
    """The next `day` of a month on or after today ("the 31st" skips short months)."""
    year, month = today.year, today.month
    for _ in range(13):
        try:
            candidate = date(year, month, day)
        except ValueError:
            candidate = None
        if candidate is not None and candidate >= today:
            return candidate
        month, year = (1, year + 1) if month == 12 else (month + 1, year)
    return None


def day_of_month(text: str, language: str, today: date) -> Iterator[Piece]:
    for m in _DAY_OF_MONTH[language].finditer(text):
        day = 1 if m.group("d") == "primero" else small_number(m.group("d"))
        if day is None or not 1 <= day <= 31:
            continue
        value = next_day_of_month(day, today)
        if value is not None:
            yield Piece(m.start(), m.end(), "date", "day", date=value)


_WEEKDAY_NUMBER_ES = re.compile(
    r"\b(?:el\s+)?(?P<wd>lunes|martes|miércoles|jueves|viernes|sábado|domingo)\s+"
    r"(?:(?:el\s+)?día\s+)?(?P<d>\d{1,2})\b(?!\s*(?::|de\s+la\b|am\b|pm\b))"
)


def spanish_weekday_number(text: str, today: date) -> Iterator[Piece]:
    """ "viernes 8", "mié 6": the day number decides (the recognizer drops it)."""
    for m in _WEEKDAY_NUMBER_ES.finditer(text):
        value = next_day_of_month(int(m.group("d")), today)
        if value is not None:
            yield Piece(m.start(), m.end(), "date", "day", date=value)


# Rules only one language needs ("a las 3", "el martes 12").
_OWN_RULES: dict[str, tuple[Callable[[str, date], Iterable[Piece]], ...]] = {
    "es": (lambda text, _today: spanish_clock(text), spanish_weekday_number),
}


def strong_pieces(text: str, language: str, today: date) -> list[Piece]:
    found: list[Piece] = []
    candidates = [
        *clock_windows(text, language),
        *in_n_days(text, language, today),
        *first_thing(text, language),
    ]
    for rule in _OWN_RULES.get(language, ()):
        candidates.extend(rule(text, today))
    for piece in sorted(candidates, key=lambda p: (p.start, -(p.end - p.start))):
        if not any(piece.overlaps(f) for f in found):
            found.append(piece)
    return found


def weak_pieces(text: str, language: str, today: date) -> list[Piece]:
    return list(day_of_month(text, language, today))
