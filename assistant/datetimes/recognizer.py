"""Adapter to Microsoft Recognizers-Text (`recognizers-text-suite`), which finds most spans.

Its resolutions list alternatives (last and next "march 3rd", 4:00 and 16:00 for "at 4"); we
pick the first on or after today and the clinic-hours reading of a bare hour. Parts of the day
use our own bounds (`PARTS_OF_DAY`), not the recognizer's (afternoon 12-16, Spanish "tarde"
16-20).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time
from functools import cache
from typing import Any

from assistant.datetimes.model import Grain
from assistant.datetimes.pieces import Piece
from assistant.datetimes.times import TIME_RE, clinic_hour, time_from_match
from assistant.scheduling.preferences import PARTS_OF_DAY

_PARTS = {"TMO": "morning", "TAF": "afternoon", "TEV": "evening", "TNI": "evening"}
_POD_WORDS = re.compile(r"\b(morning|afternoon|evening|night|tonight|mañana|tarde|noche)\b")
_POD_OF_WORD = {
    "morning": "morning",
    "mañana": "morning",
    "afternoon": "afternoon",
    "tarde": "afternoon",
    "evening": "evening",
    "night": "evening",
    "tonight": "evening",
    "noche": "evening",
}
# Bare abbreviations the Spanish model reads as dates: "mi" (my) and "mie" as Wednesday, and
# English words of bilingual patients, "do" as Sunday and "set" ("set up an appointment") as
# September.
_FALSE_DAY = {"es": re.compile(r"^(?:(?:este|esta|el)\s+)?(?:mi|mie|mié|mier|do|set)\.?$")}
# "una" / "one" is a number ("una cita", "una pregunta", "the first one"), one o'clock only after
# a word that introduces an hour ("a la una", "at one", "around one") or before "pm", "o'clock".
_ONE = {"es": re.compile(r"\b(?:una|uno)\b"), "en": re.compile(r"\bone\b")}
_HOUR_BEFORE = {
    "es": re.compile(r"\b(?:la|eso de la)\s*$"),
    "en": re.compile(r"\b(?:at|around|after|before|by|until|till|til|from|about|past)\s*$"),
}
_HOUR_AFTER = {
    "es": re.compile(r"^\s*(?:y\b|menos\b|en punto|de la (?:tarde|manana|mañana)|pm\b|p\.\s?m)"),
    "en": re.compile(r"^\s*(?:o'?\s?clock|pm\b|p\.\s?m|am\b|a\.\s?m|thirty|fifteen|forty|in the)"),
}


# Spanish "tarde" is also "late": "llego tarde", "voy un poco tarde", "10 minutos tarde" (read as
# the afternoon, and "10 minutos tarde" as 10 PM). The afternoon is "la tarde", "esta tarde",
# "lunes tarde", or "tarde" said alone as an answer.
_LATE = re.compile(r"^(?:(?:\S+\s+)?(?:minutos?|mins?|horas?|hrs?)\s+)?tarde$")
_LATE_BEFORE = re.compile(
    r"\b(?:llego|llegar|llegare|llegaré|llegamos|llega|voy|vamos|va|vengo|ando|estoy|poco|muy"
    r"|algo|hizo|buena|buenas|demasiado|más|mas|bien|salgo|sali|salí)\s*$"
)
# An ordinal before a street word is an address: "the cvs on 4th avenue", "2nd floor".
_ORDINAL = re.compile(
    r"^(?:on\s+)?(?:the\s+)?(?:\d{1,2}(?:st|nd|rd|th)|first|second|third|fourth|fifth|sixth|seventh"
    r"|eighth|ninth|tenth)$"
)
_STREET_AFTER = re.compile(
    r"^\s*(?:avenue|ave|street|st|road|rd|boulevard|blvd|place|pl|floor|fl|drive|dr|lane|ln"
    r"|grade)\b\.?"
)


# "fever since sunday": when something started, never a time asked for.
_SINCE = re.compile(r"\bsince\s*$")
# "a sore throat for four days now", "coughing a week now": how long, not a time wished.
_FOR_HOW_LONG = re.compile(
    r"\b(?:for|about|almost|over|like)?\s*(?:\w+\s+)?(?:minutes?|hours?|days?|weeks?|months?"
    r"|years?|while)\s*(?:,\s*)?$"
)


def not_a_time(text: str, start: int, span: str, language: str) -> bool:
    """A recognized span that, in its place, is no date or time: Spanish "late", an address,
    the start of a symptom."""
    check = _NOT_A_TIME.get(language)
    return check is not None and check(text, start, span.strip().lower())


def _not_a_time_en(text: str, start: int, said: str) -> bool:
    """ "fever since sunday" (when it began), "the cvs on 4th avenue" (an address), "a cough
    for a week now" (how long)."""
    if said.startswith("since ") or _SINCE.search(text[:start].lower()):
        return True
    if said == "now" and _FOR_HOW_LONG.search(text[:start].lower()):
        return True
    if _ORDINAL.match(said):
        return bool(_STREET_AFTER.match(text[start + len(said) :].lower()))
    return False


def _not_a_time_es(text: str, start: int, said: str) -> bool:
    """ "llego 10 minutos tarde", "voy un poco tarde": late, not the afternoon."""
    if not _LATE.match(said):
        return False
    return said != "tarde" or bool(_LATE_BEFORE.search(text[:start].lower()))


_NOT_A_TIME = {"en": _not_a_time_en, "es": _not_a_time_es}


def _mask_ones(text: str, language: str) -> str:
    """ "una cita", "una pregunta", "the first one" with the number blanked out (same length, so
    the recognizer's positions still hold): the recognizer reads a bare "una" as one o'clock."""
    if language not in _ONE:
        return text

    def blank(m: re.Match[str]) -> str:
        before, after = text[: m.start()], text[m.end() :]
        if _HOUR_BEFORE[language].search(before) or _HOUR_AFTER[language].search(after):
            return m.group(0)
        return "-" * len(m.group(0))

    return _ONE[language].sub(blank, text)


_CULTURE = {"en": "English", "es": "Spanish"}  # recognizers_date_time.Culture's names
_WARM_UP = {"en": "tomorrow", "es": "mañana"}

# The recognizer costs 10-30 ms a message, most of it on messages with no date in them ("yes",
# "my name is ..."). It runs only where a digit or a word that starts like a date or time word
# appears; a superset, checked to change no result on every corpus in ../shared/data and the NLU
# data (see tests/assistant/datetimes/test_recognizer_guard.py).
_TEMPORAL_STEMS = (
    # English
    "today tonight tomorrow yesterday morning afternoon evening night noon midnight midday"
    " week fortnight month year day hour hr minute min sec am pm a.m p.m o'clock now asap"
    " soon late early earl next last previous past ago recent eo mid first second third fourth"
    " fifth sixth seventh eighth ninth"
    " tenth eleventh twelfth thirt twent fourt fift sixt sevent eight ninet one two three four"
    " five six seven nine ten eleven twelve hundred thousand half quarter eve christmas xmas"
    " thanksgiving easter halloween valentine new year holiday season summer winter spring fall"
    " autumn decade centur weekday daily annual lunch breakfast dinner bedtime mon tue wed"
    " thu fri sat sun jan feb mar apr may jun jul aug sep oct nov dec"
    # Spanish
    " hoy mañana manana pasado ayer anoche noche tarde madrugada mediod medianoche semana mes"
    " año ano día dia hora minuto lunes martes miérc mierc mié mie jueves viernes sábado sabado"
    " domingo enero febrero marzo abril mayo junio julio agosto septiembre setiembre octubre"
    " noviembre diciembre próxim proxim siguiente"
    " una uno dos tres cuatro cinco seis siete ocho nueve diez once doce trece catorce quince"
    " dieci veint treint primer segund tercer cuart quint navidad temprano luego ahora"
)
_TEMPORAL = re.compile(
    r"\d|\b(?:" + "|".join(re.escape(w) for w in sorted(set(_TEMPORAL_STEMS.split()))) + ")",
    re.IGNORECASE,
)


def may_hold_a_date(text: str) -> bool:
    """False only when the recognizer is known to find nothing: no digit, no temporal word."""
    return _TEMPORAL.search(text) is not None


@cache
def _model(language: str) -> Any:
    from recognizers_date_time import Culture, DateTimeRecognizer

    culture = getattr(Culture, _CULTURE.get(language, "English"))
    return DateTimeRecognizer(culture).get_datetime_model()


def warm_up(language: str) -> None:
    """Build the recognizer's tables now (about a second per language) rather than mid-call."""
    _model(language).parse(_WARM_UP.get(language, "tomorrow"), datetime(2020, 1, 1))


def _parse_point(value: str) -> tuple[date | None, time | None]:
    if " " in value:
        day, clock = value.split(" ", 1)
        return date.fromisoformat(day), _parse_time(clock)
    if "-" in value:
        return date.fromisoformat(value), None
    return None, _parse_time(value)


def _parse_time(value: str) -> time | None:
    hour, minute, *_ = (int(x) for x in value.split(":"))
    return time(hour % 24, minute) if hour < 48 else None


def _pick_time(times: list[time]) -> time:
    """Among alternatives 12 hours apart, the clinic-hours one."""
    if len(times) > 1:
        hours = {t.hour for t in times}
        for t in times:
            if t.hour < 12 and t.hour + 12 in hours or t.hour >= 12 and t.hour - 12 in hours:
                base = t.hour % 12 or 12
                wanted = clinic_hour(base) % 24 if base != 12 else 12
                for c in times:
                    if c.hour == wanted:
                        return c
    return times[0]


def _pick_date(dates: list[date], today: date) -> date:
    future = sorted(d for d in set(dates) if d >= today)
    return future[0] if future else max(dates)


def _part_of_day(timex: str, text: str) -> str | None:
    words = _POD_WORDS.findall(text)
    # "mañana" alone is tomorrow; "por la mañana" is the morning.
    words = [w for w in words if w != "mañana" or re.search(r"\bla\s+mañana\b", text)]
    if words:
        return _POD_OF_WORD[words[-1]]
    for code, part in _PARTS.items():
        if timex.endswith(code):
            return part
    return None


_CLOCK = re.compile(r"\d|\b(?:at|a las?)\s+\w+|o'clock")
_RANGE_WORDS = re.compile(r"\b(?:to|till|until|between|and|entre|hasta)\b|-")


def day_of(values: list[dict[str, str]], today: date) -> date | None:
    found = [_parse_point(v[k])[0] for v in values for k in ("start", "end", "value") if k in v]
    dates = [d for d in found if d is not None]
    return _pick_date(dates, today) if dates else None


def _fallback_time(text: str, language: str) -> time | None:
    """Resolution-less recognitions ("around 4:15 pm", "the morning 10:30")."""
    words = _POD_WORDS.findall(text)
    pod = _POD_OF_WORD[words[0]] if words else None
    for m in TIME_RE[language].finditer(text):
        if m.group("h").isdigit() or m.group(0).strip() != m.group("h"):
            value = time_from_match(m, pod)
            if value is not None:
                return value
    for m in TIME_RE[language].finditer(text):
        value = time_from_match(m, pod)
        if value is not None:
            return value
    return None


def _piece(result: Any, text: str, language: str, today: date) -> Piece | None:
    """One recognizer result as a piece, by the kind of expression it found."""
    kind = result.type_name.rsplit(".", 1)[-1]
    values = [v for v in (result.resolution or {}).get("values") or [] if isinstance(v, dict)]
    span = _Span(result.start, result.end + 1, result.text)
    if kind in ("date", "time", "datetime"):
        return _point(span, values, language, today)
    if kind == "daterange":
        return _date_range(span, values, today)
    if kind in ("timerange", "datetimerange"):
        return _time_range(span, values, language, today)
    return None


@dataclass(frozen=True)
class _Span:
    """Where a recognizer result lies in the normalised text (end exclusive), and its words."""

    start: int
    end: int
    text: str


def _point(span: _Span, values: list[dict], language: str, today: date) -> Piece | None:
    """A date, a time or both ("march 3rd", "at 4", "tomorrow at 10")."""
    start, end = span.start, span.end
    points = [_parse_point(v["value"]) for v in values if "value" in v]
    if not points:  # "the morning 10:30", "around 4:15 pm": no resolution given
        clock = _fallback_time(span.text, language) if _CLOCK.search(span.text) else None
        return Piece(start, end, "time", "minute", start_time=clock) if clock is not None else None
    dates = [d for d, _ in points if d is not None]
    day = _pick_date(dates, today) if dates else None
    times = [t for d, t in points if t is not None and (day is None or d == day)]
    clock = _pick_time(times) if times else None
    if day is not None and clock is not None:
        return Piece(start, end, "datetime", "minute", date=day, start_time=clock)
    if day is not None:
        return Piece(start, end, "date", "day", date=day)
    return Piece(start, end, "time", "minute", start_time=clock) if clock is not None else None


def _date_range(span: _Span, values: list[dict], today: date) -> Piece | None:
    """ "next week", "march 3rd to 5th": the first range that is not over."""
    ranges = [
        (
            date.fromisoformat(v["start"]) if "start" in v else None,
            date.fromisoformat(v["end"]) if "end" in v else None,
        )
        for v in values
    ]
    if not ranges:
        return None
    future = [r for r in ranges if (r[0] or r[1] or today) >= today]
    first, last = (future or ranges)[0]
    grain: Grain = "week" if "W" in values[0].get("timex", "") else "day"
    return Piece(span.start, span.end, "date_range", grain, date=first, end_date=last)


def _time_range(span: _Span, values: list[dict], language: str, today: date) -> Piece | None:
    """ "between 2 and 4", "tuesday afternoon", "next wednesday at 5 in the evening"."""
    start, end = span.start, span.end
    timex = values[0].get("timex", "") if values else ""
    part = _part_of_day(timex, span.text)
    if part is not None and _CLOCK.search(span.text) and not _RANGE_WORDS.search(span.text):
        # "next wednesday at 5 in the evening": a time, not the whole evening
        clock = _fallback_time(span.text, language)
        if clock is not None:
            return Piece(
                start,
                end,
                "datetime" if day_of(values, today) else "time",
                "minute",
                date=day_of(values, today),
                start_time=clock,
            )
    found = [_parse_point(v[k])[0] for v in values for k in ("start", "end") if k in v]
    dates = [d for d in found if d is not None]
    day = _pick_date(dates, today) if dates else None
    if part is not None:
        lo, hi = PARTS_OF_DAY[part]
        return Piece(
            start,
            end,
            "part_of_day",
            "part_of_day",
            date=day,
            start_time=lo,
            end_time=hi,
            part_of_day=part,
        )
    return _clock_range(span, values, day)


def _clock_range(span: _Span, values: list[dict], day: date | None) -> Piece | None:
    """The clock window of the alternatives on `day` (all of them when no day is known)."""
    chosen = [
        v
        for v in values
        if day is None or any(_parse_point(v[k])[0] == day for k in ("start", "end") if k in v)
    ]
    if not chosen:
        return None
    starts = [_parse_point(v["start"])[1] for v in chosen if "start" in v]
    ends = [_parse_point(v["end"])[1] for v in chosen if "end" in v]
    lo_t = _pick_time([t for t in starts if t is not None]) if starts else None
    hi_t = None
    if ends:
        if lo_t is not None and len(chosen) > 1 and "start" in chosen[0]:
            index = starts.index(lo_t)
            hi_t = ends[index] if index < len(ends) else ends[0]
        else:
            hi_t = _pick_time([t for t in ends if t is not None])
    return Piece(
        span.start, span.end, "time_range", "minute", date=day, start_time=lo_t, end_time=hi_t
    )


def recognize(text: str, language: str, reference: datetime) -> list[Piece]:
    """Pieces found by the recognizer in `text` (normalised), relative to a naive local time."""
    pieces: list[Piece] = []
    if not may_hold_a_date(text):
        return pieces
    false_day = _FALSE_DAY.get(language)
    for result in _results(_mask_ones(text, language), language, reference):
        if false_day is not None and false_day.match(result.text.strip()):
            continue
        if not_a_time(text, result.start, result.text, language):
            continue
        try:
            piece = _piece(result, text, language, reference.date())
        except (ValueError, KeyError, IndexError):  # "not resolved", years like 0000
            piece = None
        if piece is not None:
            pieces.append(piece)
    return pieces


@dataclass(frozen=True)
class _Result:
    """A recognizer result moved to its place in the whole text."""

    start: int
    end: int  # inclusive, as the recognizer's
    text: str
    type_name: str
    resolution: Any


def _results(text: str, language: str, reference: datetime) -> list[Any]:
    """The recognizer's results. One it could not resolve that runs across a comma ("monday,
    what about wednesday morning") is read again clause by clause: as one span it came out as a
    morning with no day."""
    results: list[Any] = []
    for result in _model(language).parse(text, reference):
        if result.resolution or "," not in result.text:
            results.append(result)
            continue
        # Clauses trimmed: a leading blank shifts the recognizer's positions by one.
        for clause in re.finditer(r"[^,\s](?:[^,]*[^,\s])?", result.text):
            offset = result.start + clause.start()
            results.extend(
                _Result(r.start + offset, r.end + offset, r.text, r.type_name, r.resolution)
                for r in _model(language).parse(clause.group(0), reference)
            )
    return results
