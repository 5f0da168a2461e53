"""Search parameters: parsing of tokens, references, date prefixes and paging (`_count`)."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

from assistant.fhir.errors import BadRequest
from assistant.scheduling.clock import wall_to_utc

DEFAULT_COUNT = 20
MAX_COUNT = 100
PAGING = ("_count", "_offset")
IGNORED = ("_format", "_pretty")
_DATE = re.compile(
    r"^(?P<y>\d{4})(?:-(?P<m>\d{2})(?:-(?P<d>\d{2})"
    r"(?:T(?P<H>\d{2}):(?P<M>\d{2})(?::(?P<S>\d{2})(?:\.\d+)?)?(?P<tz>Z|[+-]\d{2}:\d{2})?)?)?)?$"
)
_PREFIXES = ("eq", "ge", "gt", "le", "lt")


class SearchParams:
    """The query's (name, value) pairs, refused when a name is not among `allowed`."""

    def __init__(self, pairs: Iterable[tuple[str, str]], allowed: Iterable[str]) -> None:
        self.pairs = [(name, value) for name, value in pairs if name not in IGNORED]
        known = {*allowed, *PAGING}
        unknown = sorted({name for name, _ in self.pairs if name not in known})
        if unknown:
            names = ", ".join(n[:40] for n in unknown)
            raise BadRequest(
                f"unsupported search parameter(s): {names}; supported: {', '.join(sorted(known))}"
            )
        self.count = _int_param(self.one("_count"), "_count", DEFAULT_COUNT, 0, MAX_COUNT)
        self.offset = _int_param(self.one("_offset"), "_offset", 0, 0, 10**9)

    def all(self, name: str) -> list[str]:
        return [value for key, value in self.pairs if key == name]

    def one(self, name: str) -> str | None:
        values = self.all(name)
        if len(values) > 1:
            raise BadRequest(f"give the parameter {name} at most once")
        return values[0] if values else None

    def names(self) -> list[str]:
        """Parameter names only (safe for audit details: values may be PHI)."""
        return sorted({name for name, _ in self.pairs})

    def query(self, offset: int | None = None) -> str:
        """The query string of this search, at another page offset if given."""
        pairs = [(k, v) for k, v in self.pairs if k not in PAGING]
        pairs.append(("_count", str(self.count)))
        pairs.append(("_offset", str(self.offset if offset is None else offset)))
        return urlencode(pairs)


def _int_param(raw: str | None, name: str, default: int, low: int, high: int) -> int:
    if raw is None or raw == "":
        return default
    if not raw.isdigit():
        raise BadRequest(f"{name} must be a whole number")
    return min(max(int(raw), low), high)


def split_or(value: str) -> list[str]:
    """`a,b` means a OR b."""
    return [part.strip() for part in value.split(",") if part.strip()]


def token(value: str) -> tuple[str | None, str]:
    """`system|code`, `|code` or `code` -> (system or None, code)."""
    if "|" in value:
        system, code = value.split("|", 1)
        return (system or None), code
    return None, value


def reference_id(value: str, resource_type: str, name: str) -> int:
    """`Patient/12`, `12` or `https://.../Patient/12` -> 12."""
    tail = value.rstrip("/").split("/")
    if len(tail) >= 2 and tail[-2] != resource_type:
        raise BadRequest(f"{name} must refer to a {resource_type}")
    if not tail[-1].isdigit():
        raise BadRequest(f"{name}: {value[:60]!r} is not a {resource_type} reference")
    return int(tail[-1])


@dataclass(frozen=True)
class Range:
    """[lo, hi) on instants; None is unbounded."""

    lo: datetime | None = None
    hi: datetime | None = None

    @property
    def empty(self) -> bool:
        return self.lo is not None and self.hi is not None and self.lo >= self.hi


def instant_range(values: Sequence[str], tz: ZoneInfo, name: str) -> Range:
    """AND of date conditions (`ge2026-06-01`, `lt2026-06-02T12:00:00Z` ...) on an instant.

    Dates and times without an offset are read at `tz` (the practice's zone).
    """
    lo: datetime | None = None
    hi: datetime | None = None
    for raw in values:
        prefix, start, end = _parse_prefixed(raw, tz, name)
        if prefix in ("eq", "ge"):
            lo = start if lo is None else max(lo, start)
        if prefix == "gt":
            lo = end if lo is None else max(lo, end)
        if prefix in ("eq", "le"):
            hi = end if hi is None else min(hi, end)
        if prefix == "lt":
            hi = start if hi is None else min(hi, start)
    return Range(lo, hi)


def date_range(values: Sequence[str], name: str) -> tuple[date | None, date | None]:
    """AND of conditions on a calendar date (birthdate): [first, after) as dates."""
    rng = instant_range(values, ZoneInfo("UTC"), name)
    for raw in values:
        if "T" in raw:
            raise BadRequest(f"{name} takes a date (YYYY, YYYY-MM or YYYY-MM-DD), not a time")
    first = rng.lo.date() if rng.lo else None
    after = rng.hi.date() if rng.hi else None
    return first, after


def _parse_prefixed(raw: str, tz: ZoneInfo, name: str) -> tuple[str, datetime, datetime]:
    value = raw.strip().replace(" ", "+")  # an unencoded "+" of an offset arrives as a space
    prefix = "eq"
    if value[:2] in (*_PREFIXES, "ne", "sa", "eb", "ap"):
        prefix, value = value[:2], value[2:]
    if prefix not in _PREFIXES:
        raise BadRequest(f"{name}: the prefix {prefix!r} is not supported (eq, ge, gt, le, lt)")
    match = _DATE.match(value)
    if not match:
        raise BadRequest(f"{name}: {raw[:40]!r} is not a FHIR date or dateTime")
    try:
        return (prefix, *_bounds(match, tz))
    except ValueError:
        raise BadRequest(f"{name}: {raw[:40]!r} is not a valid date") from None


def _bounds(match: re.Match[str], tz: ZoneInfo) -> tuple[datetime, datetime]:
    year = int(match["y"])
    if match["H"] is None:
        month, day = int(match["m"] or 1), int(match["d"] or 1)
        first = date(year, month, day)
        if match["d"]:
            after = first + timedelta(days=1)
        elif match["m"]:
            after = date(year + month // 12, month % 12 + 1, 1)
        else:
            after = date(year + 1, 1, 1)
        return _midnight(first, tz), _midnight(after, tz)
    wall = datetime(
        year,
        int(match["m"]),
        int(match["d"]),
        int(match["H"]),
        int(match["M"]),
        int(match["S"] or 0),
    )
    step = timedelta(seconds=1) if match["S"] else timedelta(minutes=1)
    if match["tz"]:
        offset = timezone.utc if match["tz"] == "Z" else _offset(match["tz"])
        start = wall.replace(tzinfo=offset).astimezone(timezone.utc)
    else:
        start = wall_to_utc(
            wall.date(), wall.time(), tz, nonexistent="shift_forward", ambiguous="earlier"
        )
    return start, start + step


def _midnight(day: date, tz: ZoneInfo) -> datetime:
    return wall_to_utc(day, time(0), tz, nonexistent="shift_forward", ambiguous="earlier")


def _offset(text: str) -> timezone:
    sign = -1 if text[0] == "-" else 1
    hours, minutes = int(text[1:3]), int(text[4:6])
    return timezone(sign * timedelta(hours=hours, minutes=minutes))
