"""Scheduling engine benchmark: availability search latency and booking throughput.

    .venv/bin/python bench/scheduling_bench.py [--sqlite] [--searches 600] [--clients 8]

Builds a throw-away PostgreSQL database (TEST_POSTGRES_URL or postgres@127.0.0.1:5432, like the
tests), migrates it, and seeds 50 providers (Mon-Fri 08:00-12:00 and 13:00-17:00, two
locations), 2,000 patients and 20,000 booked 30-minute appointments spread over the next 90
days (about 40 % of the bookable time). Then:

* search: each search in its own unit of work (session, rules, templates, bookings), a mix of
  what patients ask for; p50/p95 per kind and overall. The full 90-day enumerations are the
  worst case (nothing found early, every booking read) and are reported apart;
* booking: N clients book random times for a fixed duration, each attempt its own unit of
  work: as processes (like web workers: the realistic figure) and as threads of one process
  (bounded by the GIL); bookings/second, attempts refused (slot taken), and a final check that
  no two occupying appointments of a provider overlap.

It prints Markdown for docs/benchmarks.md. The database is dropped at the end.
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import random
import sys
import tempfile
import threading
import time as clock
import uuid
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, insert, text

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from assistant.actor import Actor  # noqa: E402
from assistant.db import migrate  # noqa: E402
from assistant.db.engine import dispose_all, get_engine  # noqa: E402
from assistant.db.models import (  # noqa: E402
    Appointment,
    AppointmentType,
    Location,
    Patient,
    Practice,
    Provider,
    ProviderSchedule,
)
from assistant.scheduling import operations  # noqa: E402
from assistant.scheduling.availability import SearchRequest, search  # noqa: E402
from assistant.scheduling.clock import wall_to_utc  # noqa: E402
from assistant.scheduling.errors import SlotTaken, SlotUnavailable  # noqa: E402
from assistant.scheduling.preferences import TimePreference  # noqa: E402
from assistant.scheduling.securing import SlotRequest  # noqa: E402
from assistant.unit_of_work import UnitOfWork  # noqa: E402

PG_ADMIN_URL = os.environ.get("TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/postgres")
TZ = "America/New_York"
NOW = datetime(2026, 6, 1, 12, 0, tzinfo=timezone.utc)  # Monday 08:00 in New York
PROVIDERS = 50
PATIENTS = 2_000
APPOINTMENTS = 20_000
DAYS = 90
BLOCKS = ((time(8), time(12)), (time(13), time(17)))
_OVERLAPS = """
    SELECT count(*) FROM appointments a JOIN appointments b
      ON a.provider_id = b.provider_id AND a.id < b.id
     AND a.starts_at < b.ends_at AND b.starts_at < a.ends_at
     AND a.status IN ('held', 'booked', 'confirmed', 'arrived')
     AND b.status IN ('held', 'booked', 'confirmed', 'arrived')
"""


@dataclass
class World:
    url: str
    practice_id: int
    provider_ids: list[int]
    location_of: dict[int, int]
    type_ids: dict[str, int]
    patient_ids: list[int]


def seed(url: str) -> World:
    rnd = random.Random(7)
    with UnitOfWork(url) as uow:
        s = uow.session
        practice = Practice(name="Bench", slug="bench", time_zone=TZ, settings={})
        s.add(practice)
        s.flush()
        locations = [
            Location(
                practice_id=practice.id,
                name=f"Site {i}",
                address_line1="1 Main St",
                city="Springfield",
                state="NY",
                postal_code="10001",
                time_zone=TZ,
                opening_hours={},
            )
            for i in range(2)
        ]
        types = {
            "follow_up": AppointmentType(
                practice_id=practice.id, code="follow_up", name="Follow-up", duration_minutes=30
            ),
            "new_visit": AppointmentType(
                practice_id=practice.id, code="new_visit", name="New", duration_minutes=60
            ),
            "procedure": AppointmentType(
                practice_id=practice.id,
                code="procedure",
                name="Procedure",
                duration_minutes=30,
                buffer_minutes=15,
            ),
        }
        providers = [
            Provider(practice_id=practice.id, title="Dr.", first_name="P", last_name=f"No{i}")
            for i in range(PROVIDERS)
        ]
        s.add_all([*locations, *types.values(), *providers])
        s.flush()
        location_of = {p.id: locations[i % 2].id for i, p in enumerate(providers)}
        for p in providers:
            for weekday in range(5):
                for start, end in BLOCKS:
                    s.add(
                        ProviderSchedule(
                            provider_id=p.id,
                            location_id=location_of[p.id],
                            weekday=weekday,
                            start_time=start,
                            end_time=end,
                        )
                    )
        patients = [
            Patient(
                practice_id=practice.id,
                first_name=f"F{i}",
                last_name=f"L{i}",
                date_of_birth=date(1970 + i % 40, 1 + i % 12, 1 + i % 28),
            )
            for i in range(PATIENTS)
        ]
        s.add_all(patients)
        s.flush()
        world = World(
            url=url,
            practice_id=practice.id,
            provider_ids=[p.id for p in providers],
            location_of=location_of,
            type_ids={code: t.id for code, t in types.items()},
            patient_ids=[p.id for p in patients],
        )
        # Every half-hour slot of every provider over the horizon; book a random 20,000.
        slots: list[tuple[int, datetime]] = []
        first = date(2026, 6, 2)
        for offset in range(DAYS):
            day = first + timedelta(days=offset)
            if day.weekday() >= 5:
                continue
            for start, end in BLOCKS:
                t = datetime.combine(day, start)
                while t.time() < end:
                    instant = wall_to_utc(day, t.time(), TZ)
                    slots.extend((pid, instant) for pid in world.provider_ids)
                    t += timedelta(minutes=30)
        rows = [
            {
                "practice_id": practice.id,
                "patient_id": rnd.choice(world.patient_ids),
                "provider_id": pid,
                "location_id": location_of[pid],
                "appointment_type_id": world.type_ids["follow_up"],
                "starts_at": start,
                "ends_at": start + timedelta(minutes=30),
                "status": rnd.choice(("booked", "booked", "confirmed")),
                "late_cancel": False,
                "created_at": NOW,
                "updated_at": NOW,
            }
            for pid, start in rnd.sample(slots, APPOINTMENTS)
        ]
        s.execute(insert(Appointment.__table__), rows)
        uow.commit()
    engine = get_engine(url)
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.execute(text("ANALYZE"))  # planner statistics, as autovacuum would gather
    return world


def _kinds(world: World) -> dict[str, Callable[[random.Random], SearchRequest]]:
    base = {"practice_id": world.practice_id, "appointment_type_id": world.type_ids["follow_up"]}

    def provider(rnd: random.Random) -> int:
        return rnd.choice(world.provider_ids)

    return {
        "any provider, asap": lambda r: SearchRequest(
            **base, preference=TimePreference(asap=True), limit=3
        ),
        "one provider, asap": lambda r: SearchRequest(
            **base, provider_id=provider(r), preference=TimePreference(asap=True), limit=3
        ),
        "any provider, Tuesday afternoon": lambda r: SearchRequest(
            **base,
            preference=TimePreference(part_of_day="afternoon", weekdays=frozenset({1})),
            limit=3,
        ),
        "one provider, after 3 pm": lambda r: SearchRequest(
            **base, provider_id=provider(r), preference=TimePreference(earliest=time(15)), limit=5
        ),
        "one provider, a date 2-10 weeks out": lambda r: SearchRequest(
            **base,
            provider_id=provider(r),
            preference=TimePreference(on_date=date(2026, 6, 15) + timedelta(days=r.randrange(56))),
            limit=5,
        ),
        "any provider, 60-min new visit": lambda r: SearchRequest(
            practice_id=world.practice_id,
            appointment_type_id=world.type_ids["new_visit"],
            limit=5,
        ),
    }


def _worst(world: World) -> dict[str, Callable[[random.Random], SearchRequest]]:
    base = {"practice_id": world.practice_id, "appointment_type_id": world.type_ids["follow_up"]}
    return {
        "worst: one provider, every option in 90 days": lambda r: SearchRequest(
            **base, provider_id=r.choice(world.provider_ids), limit=100_000, spread=False
        ),
        "worst: any provider, every option in 90 days": lambda r: SearchRequest(
            **base, limit=100_000, spread=False
        ),
    }


def _time_search(url: str, request: SearchRequest) -> tuple[float, int]:
    started = clock.perf_counter()
    with UnitOfWork(url) as uow:
        found = search(uow.session, request, now=NOW)
    return (clock.perf_counter() - started) * 1000, len(found)


def _pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def bench_search(world: World, searches: int, worst_runs: int) -> list[str]:
    rnd = random.Random(11)
    kinds = _kinds(world)
    for make in kinds.values():  # warm-up: connections, zone caches
        _time_search(world.url, make(rnd))
    per_kind: dict[str, list[float]] = {name: [] for name in kinds}
    names = list(kinds)
    for i in range(searches):
        name = names[i % len(names)]
        ms, _ = _time_search(world.url, kinds[name](rnd))
        per_kind[name].append(ms)
    lines = ["| search | runs | p50 ms | p95 ms | options |", "|---|---:|---:|---:|---:|"]
    every = [ms for values in per_kind.values() for ms in values]
    for name, values in per_kind.items():
        _, n = _time_search(world.url, kinds[name](rnd))
        lines.append(
            f"| {name} | {len(values)} | {_pct(values, 0.5):.1f} | {_pct(values, 0.95):.1f} | {n} |"
        )
    lines.append(
        f"| **all typical searches** | {len(every)} | **{_pct(every, 0.5):.1f}** "
        f"| **{_pct(every, 0.95):.1f}** | |"
    )
    for name, make in _worst(world).items():
        runs = [_time_search(world.url, make(rnd)) for _ in range(worst_runs)]
        values = [ms for ms, _ in runs]
        lines.append(
            f"| {name} | {len(values)} | {_pct(values, 0.5):.1f} | {_pct(values, 0.95):.1f} "
            f"| {runs[-1][1]} |"
        )
    return lines


_BARRIER: Any = None  # set in each client before it starts (fork inherits it)


def _set_barrier(barrier: Any) -> None:
    global _BARRIER
    dispose_all()  # no pooled connection may cross a fork
    _BARRIER = barrier


def _attempt(world: World, rnd: random.Random, hot: bool) -> str:
    pid = world.provider_ids[0] if hot else rnd.choice(world.provider_ids)
    day = date(2026, 6, 3) if hot else date(2026, 6, 2) + timedelta(days=rnd.randrange(DAYS))
    while day.weekday() >= 5:
        day += timedelta(days=1)
    start, end = rnd.choice(BLOCKS)
    minute = rnd.randrange(0, (end.hour - start.hour) * 60 - 30 + 1, 15)
    at = (datetime.combine(day, start) + timedelta(minutes=minute)).time()
    try:
        with UnitOfWork(world.url) as uow:
            operations.book(
                uow.session,
                SlotRequest(
                    rnd.choice(world.patient_ids),
                    pid,
                    world.location_of[pid],
                    world.type_ids["follow_up"],
                    wall_to_utc(day, at, TZ),
                ),
                actor=Actor("bench", "portal"),
                now=NOW,
            )
            uow.commit()
        return "booked"
    except SlotTaken:
        return "taken"
    except SlotUnavailable:
        return "other"


def _client(world: World, seed_: int, seconds: float, hot: bool) -> tuple[dict[str, int], float]:
    """One client: after a warm-up attempt (connection, statement cache), book random
    15-minute-grid times for `seconds`. `hot`: everyone on one provider and one day."""
    rnd = random.Random(seed_)
    _attempt(world, rnd, hot)
    _BARRIER.wait()
    counts = {"booked": 0, "taken": 0, "other": 0}
    started = clock.perf_counter()
    while clock.perf_counter() - started < seconds:
        counts[_attempt(world, rnd, hot)] += 1
    return counts, clock.perf_counter() - started


def bench_booking(
    world: World, clients: int, seconds: float, *, hot: bool, threads: bool, run: int
) -> str:
    """`clients` concurrent clients: processes (like web workers) or threads of this one.
    Each run draws its own random times (`run` seeds them), so runs do not retry each other's
    bookings."""
    args = [(world, run * 1000 + i, seconds, hot) for i in range(clients)]
    if threads:
        _set_barrier(threading.Barrier(clients))
        with ThreadPoolExecutor(max_workers=clients) as pool:
            results = list(pool.map(lambda a: _client(*a), args))
    else:
        ctx = multiprocessing.get_context("fork")
        dispose_all()
        with ctx.Pool(clients, initializer=_set_barrier, initargs=(ctx.Barrier(clients),)) as pool:
            results = pool.starmap(_client, args)
    elapsed = max(active for _, active in results)
    booked = sum(r["booked"] for r, _ in results)
    taken = sum(r["taken"] for r, _ in results)
    attempts = booked + taken + sum(r["other"] for r, _ in results)
    label = "one provider, one day (hot)" if hot else "random providers and days"
    kind = "threads" if threads else "processes"
    return (
        f"| {label} | {clients} {kind} | {elapsed:.1f} | {attempts} | {booked} | {taken} "
        f"| {attempts / elapsed:.0f} | {booked / elapsed:.0f} |"
    )


def _pg_database() -> tuple[str, Callable[[], None]]:
    name = f"sched_bench_{uuid.uuid4().hex[:8]}"
    admin = create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT", future=True)
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))

    def drop() -> None:
        dispose_all()
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()

    return PG_ADMIN_URL.rsplit("/", 1)[0] + f"/{name}", drop


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--searches", type=int, default=600)
    parser.add_argument("--worst-runs", type=int, default=5)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--booking-seconds", type=float, default=10.0)
    parser.add_argument("--sqlite", action="store_true", help="also run the searches on SQLite")
    args = parser.parse_args()

    url, drop = _pg_database()
    try:
        started = clock.perf_counter()
        migrate.upgrade(url)
        world = seed(url)
        print(f"<!-- seeded PostgreSQL in {clock.perf_counter() - started:.0f} s -->\n")
        print("PostgreSQL, availability search:\n")
        print("\n".join(bench_search(world, args.searches, args.worst_runs)))
        print("\nPostgreSQL, booking throughput:\n")
        print(
            "| scenario | clients | seconds | attempts | booked | refused (taken) "
            "| attempts/s | bookings/s |"
        )
        print("|---|---:|---:|---:|---:|---:|---:|---:|")
        seconds = args.booking_seconds
        for run, threads in enumerate((False, True)):
            print(bench_booking(world, args.clients, seconds, hot=False, threads=threads, run=run))
        print(bench_booking(world, args.clients, seconds / 2, hot=True, threads=False, run=2))
        with UnitOfWork(url) as uow:
            overlaps = uow.session.execute(text(_OVERLAPS)).scalar_one()
        print(f"\nOverlapping occupying appointments after the runs: {overlaps}")
    finally:
        drop()
    if args.sqlite:
        with tempfile.TemporaryDirectory() as tmp:
            sqlite_url = f"sqlite:///{tmp}/bench.sqlite3"
            migrate.upgrade(sqlite_url)
            world = seed(sqlite_url)
            print("\nSQLite, availability search:\n")
            print("\n".join(bench_search(world, args.searches, args.worst_runs)))
            dispose_all()


if __name__ == "__main__":
    main()
