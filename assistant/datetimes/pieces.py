"""Intermediate results, in offsets of the normalised text, before zone and span mapping."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from datetime import time

from assistant.datetimes.model import Grain, Kind


@dataclass(frozen=True)
class Piece:
    start: int
    end: int
    kind: Kind
    grain: Grain
    date: dt.date | None = None
    end_date: dt.date | None = None
    start_time: time | None = None
    end_time: time | None = None
    part_of_day: str | None = None
    earliest_opening: bool = False

    def overlaps(self, other: Piece) -> bool:
        return self.start < other.end and other.start < self.end

    def with_span(self, start: int, end: int) -> Piece:
        return replace(self, start=start, end=end)
