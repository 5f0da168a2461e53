"""Availability: concrete bookable options from templates, exceptions, holidays and bookings.

How an option is found, for one provider on one local day at a location:

1. working time = the weekly templates valid that day (and allowing the type), unless the day is
   a holiday of the practice or of that location; plus "extra" exceptions (these apply even on
   holidays and to every type; without a location they are at the practice's first location);
2. minus "blocked" exceptions (at any location: a provider is in one place at a time);
3. candidate starts lie on the practice's local wall-clock grid (`slot_grid_minutes`, default
   15; the grid anchors at the hour, so a template from 09:10 first offers 09:15). The
   appointment itself must fit in the working time; its buffer may run past the end of it;
4. a candidate is taken if [start, end + buffer) does not overlap any occupying appointment's
   [start, end + its type's buffer). Occupying: held (unexpired hold only), booked, confirmed,
   arrived;
5. rules: minimum notice, maximum horizon, new patients only where the type allows it, types
   not bookable by phone refused on sms/voice.

Templates are converted to UTC per day, walking real time: a template inside the spring-forward
gap is empty, and the repeated fall-back hour is offered once per real hour (01:30 EDT and
01:30 EST are different instants; `local_start.fold` tells them apart).

Appointments are read with one query per window of days (2, 4, 8, then 14 days at a time), and
the search stops as soon as it has `limit` options, so a search for "the next few" is cheap.
"""

from __future__ import annotations

from bisect import bisect_left
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

from sqlalchemy import and_, or_, select
from sqlalchemy.engine import Row
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import ColumnElement

from assistant.db.models import (
    HELD,
    OCCUPYING_STATUSES,
    Appointment,
    AppointmentType,
    Holiday,
    Location,
    Practice,
    Provider,
    ProviderSchedule,
    ScheduleException,
)
from assistant.scheduling import intervals, rules
from assistant.scheduling.clock import local_day_bounds, local_today, now_utc, wall_to_utc, zone
from assistant.scheduling.errors import InvalidRequest
from assistant.scheduling.policy import SchedulingPolicy
from assistant.scheduling.preferences import TimePreference

DAY = timedelta(days=1)
_MAX_CHUNK_DAYS = 14


@dataclass(frozen=True)
class SlotOption:
    """One bookable option: a provider, a place, a type and a start."""

    provider_id: int
    provider_name: str
    location_id: int
    appointment_type_id: int
    appointment_type_code: str
    starts_at: datetime  # UTC
    ends_at: datetime  # UTC
    local_start: datetime  # aware, in the location's zone (fold=1 in the repeated hour)

    @property
    def local_end(self) -> datetime:
        return self.ends_at.astimezone(self.local_start.tzinfo)


@dataclass(frozen=True)
class SearchRequest:
    """What to look for. Dates are local dates at the location, both ends included.

    `date_from` defaults to today at the practice, `date_to` to the type's horizon.
    `new_patient` None means: work it out from `patient_id` (no patient: established).
    `provider_id` None searches every active provider; options at the same time are then
    collapsed to one, the provider with the fewest bookings that day.
    `spread`: keep options at least one appointment length apart, so that three options are
    three real choices rather than 09:00, 09:15, 09:30.
    `not_before`: no option starts earlier than this instant.
    """

    practice_id: int
    appointment_type_id: int
    provider_id: int | None = None
    location_id: int | None = None
    date_from: date | None = None
    date_to: date | None = None
    preference: TimePreference = field(default_factory=TimePreference)
    patient_id: int | None = None
    new_patient: bool | None = None
    channel: str | None = None
    limit: int = 5
    spread: bool = True
    exclude_appointment_ids: frozenset[int] = frozenset()
    not_before: datetime | None = None  # UTC; e.g. alternatives after a taken time


def occupying_filter(now: datetime) -> ColumnElement:
    """SQL: the appointment takes the provider's time (an expired hold does not)."""
    return and_(
        Appointment.status.in_(OCCUPYING_STATUSES),
        or_(Appointment.status != HELD, Appointment.hold_expires_at > now),
    )


def search(
    session: Session, request: SearchRequest, *, now: datetime | None = None
) -> list[SlotOption]:
    """Ranked options (earliest first) for the request; at most `request.limit` of them.

    Raises `TypeNotBookable` if the patient may not book the type at all (new patient, channel).
    """
    now = now_utc(now)
    planner = Planner.load(
        session,
        practice_id=request.practice_id,
        appointment_type_id=request.appointment_type_id,
        provider_id=request.provider_id,
        location_id=request.location_id,
        now=now,
    )
    new_patient = request.new_patient
    if new_patient is None:
        new_patient = request.patient_id is not None and rules.is_new_patient(
            session, request.patient_id
        )
    rules.check_type_bookable(planner.atype, new_patient=new_patient, channel=request.channel)

    pref = request.preference
    today = local_today(planner.practice_zone, now)
    first = today if pref.asap or request.date_from is None else max(request.date_from, today)
    last_allowed = rules.latest_start(planner.atype, now).date() + DAY
    last = min(request.date_to or last_allowed, last_allowed)
    if pref.on_date is not None:
        first, last = max(first, pref.on_date), min(last, pref.on_date)
    if first > last or request.limit <= 0:
        return []

    lo_bound = int(rules.earliest_start(planner.atype, now).timestamp())
    if request.not_before is not None:
        lo_bound = max(lo_bound, int(request.not_before.timestamp()))
    hi_bound = int(rules.latest_start(planner.atype, now).timestamp())
    spacing = planner.duration
    collapse = request.provider_id is None
    kept: list[_Candidate] = []
    for busy, days in planner.windows(session, first, last, request.exclude_appointment_ids):
        for day in days:
            if not pref.accepts_day(day):
                continue
            found = planner.day_candidates(
                day, busy, lo_bound=lo_bound, hi_bound=hi_bound, preference=pref
            )
            for cand in _rank(found, collapse):
                if not request.spread or not kept or cand[0] >= kept[-1][0] + spacing:
                    kept.append(cand)
            if len(kept) >= request.limit:
                return [planner.option(c) for c in kept[: request.limit]]
    return [planner.option(c) for c in kept]


def offered_starts(
    session: Session,
    *,
    provider_id: int,
    location_id: int,
    appointment_type_id: int,
    day: date,
    now: datetime | None = None,
    ignore_bookings: bool = False,
    exclude_appointment_ids: Iterable[int] = (),
) -> list[datetime]:
    """Every grid start the provider offers for the type at the location on a local day.

    Notice, horizon and patient rules are not applied (see `rules`); bookings are, unless
    `ignore_bookings`. Booking uses this to refuse a time outside the provider's hours.
    """
    now = now_utc(now)
    provider = session.get(Provider, provider_id)
    if provider is None:
        raise InvalidRequest(f"unknown provider {provider_id}")
    planner = Planner.load(
        session,
        practice_id=provider.practice_id,
        appointment_type_id=appointment_type_id,
        provider_id=provider_id,
        location_id=location_id,
        now=now,
    )
    busy: dict[int, _Busy] = {}
    if not ignore_bookings:
        busy = planner.load_busy(session, day, day, frozenset(exclude_appointment_ids))
    found = planner.day_candidates(day, busy, lo_bound=None, hi_bound=None, preference=None)
    return [datetime.fromtimestamp(c[0], timezone.utc) for c in sorted(found)]


# (start epoch seconds, bookings of the provider that day, provider id, location id): a plain
# tuple, because ranking sorts tens of thousands of them.
_Candidate = tuple[int, int, int, int]


def _rank(found: list[_Candidate], collapse: bool) -> list[_Candidate]:
    found.sort()
    if not collapse:
        return found
    out: list[_Candidate] = []
    for cand in found:  # sorted by start, then load: the first of each start wins
        if not out or out[-1][0] != cand[0]:
            out.append(cand)
    return out


@dataclass
class _Busy:
    """Merged occupied spans of one provider (sorted, disjoint) for fast overlap checks."""

    starts: list[int]
    ends: list[int]
    raw_starts: list[int]  # appointment starts, sorted, to count bookings per day

    @classmethod
    def of(cls, spans: list[tuple[int, int]]) -> _Busy:
        merged = intervals.merge(spans)
        return cls(
            starts=[s for s, _ in merged],
            ends=[e for _, e in merged],
            raw_starts=sorted(s for s, _ in spans),
        )

    def count_between(self, lo: int, hi: int) -> int:
        return bisect_left(self.raw_starts, hi) - bisect_left(self.raw_starts, lo)


_NO_BUSY = _Busy([], [], [])


@dataclass(frozen=True)
class _Template:
    location_id: int
    start: time
    end: time
    valid_from: date | None
    valid_until: date | None

    def valid_on(self, day: date) -> bool:
        return (self.valid_from is None or self.valid_from <= day) and (
            self.valid_until is None or day <= self.valid_until
        )


def _templates(
    session: Session,
    pids: list[int],
    location_id: int | None,
    locations: dict[int, ZoneInfo],
    code: str,
) -> dict[tuple[int, int], list[_Template]]:
    """The weekly templates of `pids` that offer appointment type `code`, by (provider,
    weekday), at the wanted locations."""
    templates: dict[tuple[int, int], list[_Template]] = defaultdict(list)
    ps = ProviderSchedule
    sched_q = select(
        ps.provider_id,
        ps.location_id,
        ps.weekday,
        ps.start_time,
        ps.end_time,
        ps.valid_from,
        ps.valid_until,
        ps.appointment_types,
    ).where(ps.provider_id.in_(pids))
    if location_id is not None:
        sched_q = sched_q.where(ps.location_id == location_id)
    for pid, loc, weekday, start, end, valid_from, valid_until, allowed in session.execute(
        sched_q.order_by(ps.id)
    ).all():  # tuples: attribute access on Rows is slow for hundreds of templates
        if allowed is not None and code not in allowed:
            continue
        if loc not in locations or end <= start:
            continue  # overnight templates are not supported
        templates[(pid, weekday)].append(_Template(loc, start, end, valid_from, valid_until))
    return templates


def _holidays(
    session: Session, practice_id: int, first: date, last: date
) -> set[tuple[int | None, date]]:
    """(location or None for the whole practice, day) of the holidays from `first` to `last`."""
    return {
        (h.location_id, h.day)
        for h in session.execute(
            select(Holiday.location_id, Holiday.day).where(
                Holiday.practice_id == practice_id,
                Holiday.day >= first,
                Holiday.day <= last,
            )
        )
    }


def _exceptions(session: Session, pids: list[int], since: datetime, until: datetime) -> list[Row]:
    """The blocked and extra times of `pids` that overlap `since` to `until`."""
    se = ScheduleException
    return list(
        session.execute(
            select(se.provider_id, se.location_id, se.kind, se.starts_at, se.ends_at).where(
                se.provider_id.in_(pids),
                se.ends_at > since,
                se.starts_at < until,
            )
        )
    )


class Planner:
    """Everything availability needs except the bookings, loaded once per search."""

    def __init__(
        self,
        *,
        practice: Practice,
        atype: AppointmentType,
        providers: list[Provider],
        locations: dict[int, ZoneInfo],
        default_location_id: int | None,
        templates: dict[tuple[int, int], list[_Template]],
        holidays: set[tuple[int | None, date]],
        exceptions: list[Row],
        now: datetime,
    ) -> None:
        self.now = now
        self.practice = practice
        self.practice_zone = zone(practice.time_zone)
        self.policy = SchedulingPolicy.from_settings(practice.settings)
        self.atype = atype
        self.providers = {p.id: p for p in providers}
        self.provider_order = [p.id for p in providers]
        self.locations = locations
        self.default_location_id = default_location_id
        self.templates = templates
        self.holidays = holidays
        self.duration = atype.duration_minutes * 60
        self.span = (atype.duration_minutes + (atype.buffer_minutes or 0)) * 60
        self.grid = self.policy.slot_grid_minutes * 60
        self.blocked: dict[int, list[tuple[int, int]]] = defaultdict(list)
        self.extra: dict[int, list[tuple[int, int, int]]] = defaultdict(list)
        for exc in exceptions:
            s, e = int(exc.starts_at.timestamp()), int(exc.ends_at.timestamp())
            if exc.kind == "blocked":
                self.blocked[exc.provider_id].append((s, e))
            elif exc.kind == "extra":
                loc = exc.location_id or default_location_id
                if loc is not None and loc in locations:
                    self.extra[exc.provider_id].append((s, e, loc))
        for pid, spans in list(self.blocked.items()):
            self.blocked[pid] = intervals.merge(spans)
        self._walls: dict[tuple[int, date, time], int] = {}
        self._bounds: dict[tuple[int, date], tuple[int, int]] = {}

    @classmethod
    def load(
        cls,
        session: Session,
        *,
        practice_id: int,
        appointment_type_id: int,
        provider_id: int | None,
        location_id: int | None,
        now: datetime,
    ) -> Planner:
        practice = session.get(Practice, practice_id)
        if practice is None:
            raise InvalidRequest(f"unknown practice {practice_id}")
        atype = session.get(AppointmentType, appointment_type_id)
        if atype is None or atype.practice_id != practice_id:
            raise InvalidRequest(f"unknown appointment type {appointment_type_id}")
        provider_q = select(Provider).where(
            Provider.practice_id == practice_id, Provider.active.is_(True)
        )
        if provider_id is not None:
            provider_q = provider_q.where(Provider.id == provider_id)
        providers = list(session.execute(provider_q.order_by(Provider.id)).scalars())
        all_locations = list(
            session.execute(
                select(Location.id, Location.time_zone)
                .where(Location.practice_id == practice_id)
                .order_by(Location.id)
            )
        )
        if location_id is not None and location_id not in {row.id for row in all_locations}:
            raise InvalidRequest(f"unknown location {location_id}")
        locations = {
            row.id: zone(row.time_zone)
            for row in all_locations
            if location_id is None or row.id == location_id
        }
        default_location = all_locations[0].id if all_locations else None
        pids = [p.id for p in providers]
        templates: dict[tuple[int, int], list[_Template]] = defaultdict(list)
        holidays: set[tuple[int | None, date]] = set()
        exceptions: list[Row] = []
        if pids and locations:
            templates = _templates(session, pids, location_id, locations, atype.code)
            horizon_end = now + timedelta(days=atype.max_horizon_days + 2)
            holidays = _holidays(session, practice_id, (now - DAY).date(), horizon_end.date())
            exceptions = _exceptions(session, pids, now - 2 * DAY, horizon_end)
        return cls(
            practice=practice,
            atype=atype,
            providers=providers,
            locations=locations,
            default_location_id=default_location,
            templates=templates,
            holidays=holidays,
            exceptions=exceptions,
            now=now,
        )

    # -- time conversions (cached: the same few walls recur for every provider) --------------

    def _wall(self, location_id: int, day: date, at: time) -> int:
        key = (location_id, day, at)
        if key not in self._walls:
            instant = wall_to_utc(
                day,
                at,
                self.locations[location_id],
                nonexistent="shift_forward",
                ambiguous="earlier",
            )
            self._walls[key] = int(instant.timestamp())
        return self._walls[key]

    def _day_bounds(self, location_id: int, day: date) -> tuple[int, int]:
        key = (location_id, day)
        if key not in self._bounds:
            s, e = local_day_bounds(day, self.locations[location_id])
            self._bounds[key] = (int(s.timestamp()), int(e.timestamp()))
        return self._bounds[key]

    def _window_utc(self, first: date, last: date) -> tuple[int, int]:
        starts, ends = [], []
        for loc in self.locations:
            starts.append(self._day_bounds(loc, first)[0])
            ends.append(self._day_bounds(loc, last)[1])
        return min(starts), max(ends)

    # -- bookings -----------------------------------------------------------------------------

    def load_busy(
        self, session: Session, first: date, last: date, exclude: frozenset[int]
    ) -> dict[int, _Busy]:
        """One query: every occupying appointment of the providers around [first, last]."""
        if not self.provider_order or not self.locations:
            return {}
        lo, hi = self._window_utc(first, last)
        lo_dt = datetime.fromtimestamp(lo, timezone.utc)
        hi_dt = datetime.fromtimestamp(hi, timezone.utc)
        stmt = (
            select(
                Appointment.provider_id,
                Appointment.starts_at,
                Appointment.ends_at,
                AppointmentType.buffer_minutes,
            )
            .join(AppointmentType, AppointmentType.id == Appointment.appointment_type_id)
            .where(
                Appointment.provider_id.in_(self.provider_order),
                occupying_filter(self.now),
                Appointment.starts_at >= lo_dt - DAY,
                Appointment.starts_at < hi_dt,
            )
        )
        if exclude:
            stmt = stmt.where(Appointment.id.not_in(exclude))
        spans: dict[int, list[tuple[int, int]]] = defaultdict(list)
        for pid, starts_at, ends_at, buffer in session.execute(stmt):
            end = int(ends_at.timestamp()) + (buffer or 0) * 60
            if end > lo:
                spans[pid].append((int(starts_at.timestamp()), end))
        return {pid: _Busy.of(s) for pid, s in spans.items()}

    def windows(
        self, session: Session, first: date, last: date, exclude: frozenset[int]
    ) -> Iterator[tuple[dict[int, _Busy], list[date]]]:
        """Consecutive windows of days (2, 4, 8, then 14 days), each with its bookings."""
        size = 2
        day = first
        while day <= last:
            end = min(day + timedelta(days=size - 1), last)
            busy = self.load_busy(session, day, end, exclude)
            yield busy, [day + timedelta(days=i) for i in range((end - day).days + 1)]
            day = end + DAY
            size = min(size * 2, _MAX_CHUNK_DAYS)

    # -- working time -------------------------------------------------------------------------

    def working_spans(self, provider_id: int, day: date) -> list[tuple[int, int, int]]:
        """(start, end, location) of the provider's open time on a local day, blocks removed."""
        by_location: dict[int, list[tuple[int, int]]] = defaultdict(list)
        if (None, day) not in self.holidays:
            for tpl in self.templates.get((provider_id, day.weekday()), ()):
                if not tpl.valid_on(day) or (tpl.location_id, day) in self.holidays:
                    continue
                s = self._wall(tpl.location_id, day, tpl.start)
                e = self._wall(tpl.location_id, day, tpl.end)
                if e > s:  # a template inside the spring-forward gap is empty
                    by_location[tpl.location_id].append((s, e))
        for s, e, loc in self.extra.get(provider_id, ()):
            if loc not in self.locations:
                continue
            d0, d1 = self._day_bounds(loc, day)
            if s < d1 and e > d0:
                by_location[loc].append((max(s, d0), min(e, d1)))
        blocked = self.blocked.get(provider_id, [])
        out: list[tuple[int, int, int]] = []
        for loc, spans in by_location.items():
            for s, e in intervals.subtract(intervals.merge(spans), blocked):
                out.append((s, e, loc))
        out.sort()
        return out

    def day_candidates(
        self,
        day: date,
        busy: dict[int, _Busy],
        *,
        lo_bound: int | None,
        hi_bound: int | None,
        preference: TimePreference | None,
    ) -> list[_Candidate]:
        """Free grid starts of every provider on a local day."""
        window = preference.start_window() if preference is not None else (None, None)
        found: list[_Candidate] = []
        for pid in self.provider_order:
            spans = self.working_spans(pid, day)
            if not spans:
                continue
            pbusy = busy.get(pid, _NO_BUSY)
            for s, e, loc in spans:
                lo, hi = s, e - self.duration
                if lo_bound is not None:
                    lo = max(lo, lo_bound)
                if hi_bound is not None:
                    hi = min(hi, hi_bound)
                if window[0] is not None:
                    lo = max(lo, self._wall(loc, day, window[0]))
                if window[1] is not None:
                    hi = min(hi, self._wall(loc, day, window[1]) - 1)
                if lo > hi:
                    continue
                d0, d1 = self._day_bounds(loc, day)
                load = pbusy.count_between(d0, d1)
                for start in self._free_starts(lo, hi, self.locations[loc], pbusy):
                    found.append((start, load, pid, loc))
        return found

    def _free_starts(self, lo: int, hi: int, tz: ZoneInfo, busy: _Busy) -> Iterator[int]:
        start = _align_up(lo, self.grid, tz)
        starts, ends = busy.starts, busy.ends
        while start <= hi:
            j = bisect_left(starts, start + self.span)  # spans starting before our end
            if j and ends[j - 1] > start:
                start = _align_up(ends[j - 1], self.grid, tz)  # skip past the booking
                continue
            yield start
            start += self.grid

    def option(self, cand: _Candidate) -> SlotOption:
        start, _, provider_id, location_id = cand
        provider = self.providers[provider_id]
        starts_at = datetime.fromtimestamp(start, timezone.utc)
        return SlotOption(
            provider_id=provider.id,
            provider_name=provider.display_name,
            location_id=location_id,
            appointment_type_id=self.atype.id,
            appointment_type_code=self.atype.code,
            starts_at=starts_at,
            ends_at=starts_at + timedelta(seconds=self.duration),
            local_start=datetime.fromtimestamp(start, self.locations[location_id]),
        )


def _align_up(instant: int, grid: int, tz: ZoneInfo) -> int:
    """The first instant at or after `instant` whose local wall clock is on the grid."""
    offset = datetime.fromtimestamp(instant, tz).utcoffset()
    local = instant + int(offset.total_seconds()) if offset is not None else instant
    rest = local % grid
    return instant if rest == 0 else instant + grid - rest
