"""What `resolve` returns: a span of the text and its concrete meaning at the practice."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from datetime import datetime, time
from typing import Literal

Kind = Literal["date", "time", "datetime", "date_range", "time_range", "part_of_day"]
Grain = Literal["day", "week", "hour", "minute", "part_of_day"]


@dataclass(frozen=True)
class Resolved:
    """One date/time expression.

    * `start_char`/`end_char`/`text`: the span of the original text (end exclusive);
    * `date`: the local date (first day of a `date_range`); `end_date`: exclusive end of a range;
    * `start`/`end`: aware datetimes in the practice's zone when a date and a time are known
      (`end` exclusive; None = open: "after 3 tomorrow");
    * `start_time`/`end_time`: the local wall-clock window, with or without a date
      ("after 3" = start 15:00, no end; "before 5" = end 17:00);
    * `part_of_day`: morning / afternoon / evening for "tuesday afternoon", "por la tarde";
    * `earliest_opening`: "first thing monday" (the first option of that morning).
    """

    start_char: int
    end_char: int
    text: str
    kind: Kind
    grain: Grain
    date: dt.date | None = None
    end_date: dt.date | None = None
    start: datetime | None = None
    end: datetime | None = None
    start_time: time | None = None
    end_time: time | None = None
    part_of_day: str | None = None
    earliest_opening: bool = False

    def to_value(self) -> str | dict[str, str | None]:
        """Duckling-like value: an ISO string, or {"from", "to"} for ranges."""
        if self.kind == "date":
            assert self.date is not None
            return self.date.isoformat()
        if self.kind == "datetime":
            assert self.start is not None
            return self.start.isoformat()
        if self.kind == "time":
            assert self.start_time is not None
            return self.start_time.isoformat(timespec="minutes")
        if self.kind == "date_range":
            return {
                "from": self.date.isoformat() if self.date else None,
                "to": self.end_date.isoformat() if self.end_date else None,
            }
        if self.start is not None or self.end is not None:
            return {
                "from": self.start.isoformat() if self.start else None,
                "to": self.end.isoformat() if self.end else None,
            }
        return {
            "from": self.start_time.isoformat(timespec="minutes") if self.start_time else None,
            "to": self.end_time.isoformat(timespec="minutes") if self.end_time else None,
        }
