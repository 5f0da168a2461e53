"""Time: instants are stored in UTC; wall-clock reasoning happens in the location's IANA zone.

Two wall-clock traps are handled explicitly rather than by whatever `datetime` does:

* the spring-forward gap (02:00-03:00 on 2026-03-08 in America/New_York does not exist):
  `to_utc(..., nonexistent="raise")` refuses it, `"shift_forward"` moves it to the first real
  instant after the gap (03:00 EDT);
* the repeated fall-back hour (01:00-02:00 on 2026-11-01 happens twice):
  `ambiguous="raise"` refuses it, `"earlier"` / `"later"` pick the first (EDT) or second (EST).
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta, timezone
from functools import cache
from typing import Literal
from zoneinfo import ZoneInfo

from assistant.db.types import utcnow
from assistant.scheduling.errors import AmbiguousLocalTime, NonexistentLocalTime

Nonexistent = Literal["raise", "shift_forward"]
Ambiguous = Literal["raise", "earlier", "later"]
ZoneLike = ZoneInfo | str


@cache
def zone(name: str) -> ZoneInfo:
    """The IANA zone (cached; unknown names raise `ZoneInfoNotFoundError`)."""
    return ZoneInfo(name)


def _zone(tz: ZoneLike) -> ZoneInfo:
    return zone(tz) if isinstance(tz, str) else tz


def ensure_utc(instant: datetime) -> datetime:
    """The same instant in UTC; a naive datetime is refused (we never guess its zone)."""
    if instant.tzinfo is None:
        raise ValueError("naive datetime: attach a time zone")
    return instant.astimezone(timezone.utc)


def now_utc(now: datetime | None = None) -> datetime:
    return ensure_utc(now) if now is not None else utcnow()


def to_local(instant: datetime, tz: ZoneLike) -> datetime:
    """The aware local time of a UTC instant (fold is set in the repeated hour)."""
    return ensure_utc(instant).astimezone(_zone(tz))


def local_today(tz: ZoneLike, now: datetime | None = None) -> date:
    """Today at the practice, whatever the time zone of the patient or the server."""
    return to_local(now_utc(now), tz).date()


def local_date_in(days: int, tz: ZoneLike, now: datetime | None = None) -> date:
    """`days` after today at the practice (1 = "tomorrow")."""
    return local_today(tz, now) + timedelta(days=days)


def local_tomorrow(tz: ZoneLike, now: datetime | None = None) -> date:
    return local_date_in(1, tz, now)


def is_nonexistent(wall: datetime, tz: ZoneLike) -> bool:
    """True for a wall time inside a spring-forward gap."""
    z = _zone(tz)
    naive = wall.replace(tzinfo=None)
    round_trip = naive.replace(tzinfo=z).astimezone(timezone.utc).astimezone(z)
    return round_trip.replace(tzinfo=None) != naive


def is_ambiguous(wall: datetime, tz: ZoneLike) -> bool:
    """True for a wall time that happens twice (the repeated fall-back hour)."""
    z = _zone(tz)
    naive = wall.replace(tzinfo=None)
    if is_nonexistent(naive, z):
        return False
    first = naive.replace(tzinfo=z, fold=0).utcoffset()
    second = naive.replace(tzinfo=z, fold=1).utcoffset()
    return first != second


def _gap_end(naive: datetime, z: ZoneInfo) -> datetime:
    """First real instant after the gap that swallowed `naive` (UTC), found by bisection."""
    # fold=1 reads the wall time with the offset after the transition, fold=0 with the one
    # before; the transition instant lies between the two readings.
    lo = int(naive.replace(tzinfo=z, fold=1).timestamp())
    hi = int(naive.replace(tzinfo=z, fold=0).timestamp())
    lo, hi = min(lo, hi), max(lo, hi)
    after = naive.replace(tzinfo=z, fold=1).utcoffset()
    while lo < hi:
        mid = (lo + hi) // 2
        if datetime.fromtimestamp(mid, z).utcoffset() == after:
            hi = mid
        else:
            lo = mid + 1
    return datetime.fromtimestamp(lo, timezone.utc)


def to_utc(
    wall: datetime,
    tz: ZoneLike,
    *,
    nonexistent: Nonexistent = "raise",
    ambiguous: Ambiguous = "raise",
) -> datetime:
    """Convert a local wall time (naive, or its tzinfo is ignored) at `tz` to an aware UTC time.

    Raises `NonexistentLocalTime` / `AmbiguousLocalTime` unless a policy says how to resolve.
    """
    z = _zone(tz)
    naive = wall.replace(tzinfo=None, fold=0)
    if is_nonexistent(naive, z):
        next_valid = _gap_end(naive, z)
        if nonexistent == "raise":
            raise NonexistentLocalTime(naive, z.key, next_valid)
        return next_valid
    earlier = naive.replace(tzinfo=z, fold=0).astimezone(timezone.utc)
    later = naive.replace(tzinfo=z, fold=1).astimezone(timezone.utc)
    if earlier != later:
        if ambiguous == "raise":
            raise AmbiguousLocalTime(naive, z.key, earlier, later)
        return earlier if ambiguous == "earlier" else later
    return earlier


def wall_to_utc(
    day: date,
    at: time,
    tz: ZoneLike,
    *,
    nonexistent: Nonexistent = "raise",
    ambiguous: Ambiguous = "raise",
) -> datetime:
    """`to_utc` for a date and a wall-clock time."""
    return to_utc(datetime.combine(day, at), tz, nonexistent=nonexistent, ambiguous=ambiguous)


def local_day_bounds(day: date, tz: ZoneLike) -> tuple[datetime, datetime]:
    """[start, end) of a local calendar day in UTC (23 or 25 hours long on DST days)."""
    start = wall_to_utc(day, time(0), tz, nonexistent="shift_forward", ambiguous="earlier")
    end = wall_to_utc(
        day + timedelta(days=1), time(0), tz, nonexistent="shift_forward", ambiguous="earlier"
    )
    return start, end
