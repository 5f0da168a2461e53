"""What the patient said about when: "Tuesday afternoon", "after 3 pm", "as soon as possible"."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Any, Literal

PartOfDay = Literal["morning", "afternoon", "evening"]

# Bounds on the local *start* time, [from, until).
PARTS_OF_DAY: dict[str, tuple[time, time | None]] = {
    "morning": (time(0), time(12)),
    "afternoon": (time(12), time(17)),
    "evening": (time(17), None),
}


@dataclass(frozen=True)
class TimePreference:
    """Hard filters on the local start of an option; the empty preference accepts everything.

    * `part_of_day`: morning (< 12:00), afternoon (12:00-17:00), evening (>= 17:00);
    * `earliest` / `latest`: start at or after / strictly before ("after 3 pm" = earliest 15:00);
    * `weekdays`: Monday = 0; empty means any day; `on_date`: that local date only;
    * `asap`: search from today, whatever date range was asked (results are always earliest
      first);
    * `near`: the clock time asked for ("around ten", "same time", "after work" = 17:00): not a
      filter, the caller offers the starts nearest it first.
    """

    part_of_day: PartOfDay | None = None
    earliest: time | None = None
    latest: time | None = None
    weekdays: frozenset[int] = frozenset()
    on_date: date | None = None
    asap: bool = False
    near: time | None = None

    def __post_init__(self) -> None:
        if self.part_of_day is not None and self.part_of_day not in PARTS_OF_DAY:
            raise ValueError(f"unknown part of day: {self.part_of_day}")
        if any(not 0 <= d <= 6 for d in self.weekdays):
            raise ValueError("weekdays are 0 (Monday) to 6 (Sunday)")

    def accepts_day(self, day: date) -> bool:
        if self.on_date is not None and day != self.on_date:
            return False
        return not self.weekdays or day.weekday() in self.weekdays

    def start_window(self) -> tuple[time | None, time | None]:
        """The [from, until) window on the local start time (None: unbounded)."""
        lo, hi = self.earliest, self.latest
        if self.part_of_day is not None:
            p_lo, p_hi = PARTS_OF_DAY[self.part_of_day]
            lo = p_lo if lo is None else max(lo, p_lo)
            if p_hi is not None:
                hi = p_hi if hi is None else min(hi, p_hi)
        return lo, hi

    def accepts(self, local_start: datetime) -> bool:
        """Does a start, in the location's local time, satisfy the preference?"""
        if not self.accepts_day(local_start.date()):
            return False
        lo, hi = self.start_window()
        t = local_start.time().replace(tzinfo=None, fold=0)
        return (lo is None or t >= lo) and (hi is None or t < hi)

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {}
        if self.part_of_day:
            data["part_of_day"] = self.part_of_day
        if self.earliest:
            data["earliest"] = self.earliest.strftime("%H:%M")
        if self.latest:
            data["latest"] = self.latest.strftime("%H:%M")
        if self.weekdays:
            data["weekdays"] = sorted(self.weekdays)
        if self.on_date:
            data["on_date"] = self.on_date.isoformat()
        if self.asap:
            data["asap"] = True
        if self.near:
            data["near"] = self.near.strftime("%H:%M")
        return data

    @classmethod
    def from_json(cls, data: dict[str, Any] | None) -> TimePreference:
        data = data or {}
        return cls(
            part_of_day=data.get("part_of_day"),
            earliest=time.fromisoformat(data["earliest"]) if data.get("earliest") else None,
            latest=time.fromisoformat(data["latest"]) if data.get("latest") else None,
            weekdays=frozenset(data.get("weekdays") or ()),
            on_date=date.fromisoformat(data["on_date"]) if data.get("on_date") else None,
            asap=bool(data.get("asap", False)),
            near=time.fromisoformat(data["near"]) if data.get("near") else None,
        )
