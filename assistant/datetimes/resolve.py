"""`resolve`: every date/time expression of a patient's message, in the practice's zone."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import datetime

from assistant.datetimes import recognizer, rules
from assistant.datetimes.model import Resolved
from assistant.datetimes.normalize import Normalized, blank, normalize
from assistant.datetimes.pieces import Piece
from assistant.scheduling.clock import to_local, wall_to_utc, zone

LANGUAGES = ("en", "es")
# What may stand between a date and a time that belong together ("tuesday at 3", "el 8, a las").
_JOIN = re.compile(r"^[\s,]*(?:at|on|for|around|about|el|a\s+las?|a|en|por|de|,)?[\s,]*$")


def _combine(day: Piece, other: Piece) -> Piece | None:
    """A date with a time, a clock window or a part of the day said next to it."""
    if day.kind != "date" or other.date is not None:
        return None
    start, end = min(day.start, other.start), max(day.end, other.end)
    if other.kind == "time":
        return replace(other, start=start, end=end, kind="datetime", date=day.date)
    if other.kind in ("time_range", "part_of_day"):
        return replace(other, start=start, end=end, date=day.date)
    return None


def _merge_adjacent(pieces: list[Piece], text: str) -> list[Piece]:
    pieces = sorted(pieces, key=lambda p: p.start)
    merged: list[Piece] = []
    for piece in pieces:
        if merged and _JOIN.match(text[merged[-1].end : piece.start]):
            prev = merged[-1]
            combined = _combine(prev, piece) or _combine(piece, prev)
            if combined is not None:
                merged[-1] = combined
                continue
        merged.append(piece)
    return merged


def _to_resolved(piece: Piece, norm: Normalized, original: str, time_zone: str) -> Resolved:
    start_char, end_char = norm.original_span(piece.start, piece.end)
    start = end = None
    if piece.date is not None and piece.start_time is not None:
        start = to_local(
            wall_to_utc(
                piece.date,
                piece.start_time,
                time_zone,
                nonexistent="shift_forward",
                ambiguous="earlier",
            ),
            time_zone,
        )
    if piece.date is not None and piece.end_time is not None and piece.kind != "datetime":
        end = to_local(
            wall_to_utc(
                piece.date,
                piece.end_time,
                time_zone,
                nonexistent="shift_forward",
                ambiguous="earlier",
            ),
            time_zone,
        )
    return Resolved(
        start_char=start_char,
        end_char=end_char,
        text=original[start_char:end_char],
        kind=piece.kind,
        grain=piece.grain,
        date=piece.date,
        end_date=piece.end_date,
        start=start,
        end=end,
        start_time=piece.start_time,
        end_time=piece.end_time,
        part_of_day=piece.part_of_day,
        earliest_opening=piece.earliest_opening,
    )


def resolve(text: str, *, now: datetime, time_zone: str, language: str) -> list[Resolved]:
    """Dates and times in `text`, resolved against `now` converted to the practice's zone.

    `language` is "en" or "es" (anything else is read as English). Relative days count from
    the practice's today, whatever the zone of `now`; bare hours 1-6 are afternoon.
    """
    language = language if language in LANGUAGES else "en"
    local_now = to_local(now, zone(time_zone))
    today = local_now.date()
    norm = normalize(text, language)
    strong = rules.strong_pieces(norm.text, language, today)
    rest = blank(norm.text, [(p.start, p.end) for p in strong])
    found = recognizer.recognize(rest, language, local_now.replace(tzinfo=None))
    pieces = strong + [p for p in found if not any(p.overlaps(s) for s in strong)]
    for weak in rules.weak_pieces(norm.text, language, today):
        said = norm.text[weak.start : weak.end]
        if recognizer.not_a_time(norm.text, weak.start, said, language):
            continue  # "on the 2nd floor"
        if not any(weak.overlaps(p) for p in pieces):
            pieces.append(weak)
    pieces = _merge_adjacent(pieces, norm.text)
    return [_to_resolved(p, norm, text, time_zone) for p in pieces]
