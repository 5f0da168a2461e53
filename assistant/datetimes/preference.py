"""From a resolved expression to the scheduling search's `TimePreference`."""

from __future__ import annotations

from datetime import datetime, time, timedelta

from assistant.datetimes.model import Resolved
from assistant.scheduling.preferences import TimePreference


def _plus_minute(value: time) -> time | None:
    """One minute later; None (open end) at 23:59."""
    later = datetime.combine(datetime.min, value) + timedelta(minutes=1)
    return later.time() if later.date() == datetime.min.date() else None


def to_time_preference(item: Resolved) -> TimePreference | None:
    """The search filter that `item` asks for; None for date ranges ("next week"), which a
    `TimePreference` cannot express (the caller sets the search's date range instead).

    An exact time ("at 3") becomes the one-minute window [15:00, 15:01).
    """
    if item.kind == "date_range":
        return None
    if item.kind in ("time", "datetime"):
        assert item.start_time is not None
        return TimePreference(
            earliest=item.start_time, latest=_plus_minute(item.start_time), on_date=item.date
        )
    if item.kind == "part_of_day":
        return TimePreference(part_of_day=item.part_of_day, on_date=item.date)  # type: ignore[arg-type]
    if item.kind == "time_range":
        return TimePreference(earliest=item.start_time, latest=item.end_time, on_date=item.date)
    return TimePreference(on_date=item.date)
