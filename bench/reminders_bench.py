"""Reminder worker throughput on PostgreSQL: plan reminders for N appointments, then send the
N reminders due now, through Prism (Twilio's API mocked from its spec, real HTTP requests via the
twilio client) and, separately, in recorded mode (no credentials).

    bash scripts/install-prism.sh
    .venv/bin/python bench/reminders_bench.py [--appointments 5000] [--workers 1]
    .venv/bin/python bench/reminders_bench.py --celery [--appointments 1000] [--workers 1]
    .venv/bin/python bench/reminders_bench.py --plan-only --appointments 100000

Needs PostgreSQL at TEST_POSTGRES_URL (default postgresql://postgres@127.0.0.1:5432/postgres);
each mode runs in a throw-away database. `--celery` sends through `celery worker` processes
(solo pool, one per --workers) with the Redis broker at TEST_REDIS_URL (default db 13, flushed),
dispatched once with the clock fixed, to Prism, unpaced or at `--rate` messages per second.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import threading
import time
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from assistant.db import migrate  # noqa: E402
from assistant.db.models import Appointment, Patient, PatientPhone, Provider  # noqa: E402
from assistant.reminders import worker  # noqa: E402
from assistant.unit_of_work import UnitOfWork  # noqa: E402
from tests.assistant.reminders.conftest import (  # noqa: E402
    VISIT,
    make_clinic,
    ny,
    sending_outbound,
    settings_for,
)
from tests.conftest import _postgres_database  # noqa: E402
from tests.prism import running_prism  # noqa: E402

REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/13")

SLOTS_PER_PROVIDER = 10  # 10:00 to 13:00, 20 minutes apart


def seed(url: str, appointments: int) -> None:
    with UnitOfWork(url) as uow:
        session = uow.session
        clinic = make_clinic(session)
        providers = []
        for p in range(-(-appointments // SLOTS_PER_PROVIDER)):
            provider = Provider(practice_id=clinic.practice_id, first_name="P", last_name=str(p))
            session.add(provider)
            providers.append(provider)
        session.flush()
        patients = []
        for i in range(appointments):
            patient = Patient(
                practice_id=clinic.practice_id,
                first_name="Pat",
                last_name=str(i),
                date_of_birth=date(1980, 1, 1),
                sms_consent=True,
            )
            patient.phones.append(PatientPhone(number=f"+1555{i:07d}"))
            session.add(patient)
            patients.append(patient)
            if len(patients) % 2000 == 0 or i == appointments - 1:
                session.flush()  # ids for the appointments, a few round trips per thousand
        for i, patient in enumerate(patients):
            starts = VISIT + timedelta(minutes=20 * (i % SLOTS_PER_PROVIDER))
            session.add(
                Appointment(
                    practice_id=clinic.practice_id,
                    patient_id=patient.id,
                    provider_id=providers[i // SLOTS_PER_PROVIDER].id,
                    location_id=clinic.location_id,
                    appointment_type_id=clinic.follow_up_id,
                    starts_at=starts,
                    ends_at=starts + timedelta(minutes=20),
                )
            )
        uow.commit()


def plan_only(url: str, settings, appointments: int) -> dict:
    """Planning alone: time and the process's peak memory (seeding runs in a child process)."""
    import multiprocessing
    import resource

    child = multiprocessing.get_context("spawn").Process(target=seed, args=(url, appointments))
    child.start()
    child.join()
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    started = time.perf_counter()
    planned = worker.run_once(settings, ny(2026, 11, 20, 12))  # nothing due yet: plans only
    seconds = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return {
        "appointments": appointments,
        "rows_planned": planned["planned"],
        "plan_s": round(seconds, 1),
        "rss_before_mb": round(before / 1024),
        "peak_rss_mb": round(peak / 1024),
    }


def run(url: str, settings, appointments: int, workers: int, sending: bool) -> dict:
    seed(url, appointments)
    started = time.perf_counter()
    planned = worker.run_once(settings, ny(2026, 11, 20, 12))  # nothing due yet: plans only
    plan_seconds = time.perf_counter() - started
    results: list[dict] = []

    def one() -> None:
        outbound = sending_outbound(settings) if sending else None
        results.append(worker.run_once(settings, ny(2026, 11, 25, 14), outbound=outbound))

    threads = [threading.Thread(target=one) for _ in range(workers)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    send_seconds = time.perf_counter() - started
    done = sum(r.get("sent", 0) + r.get("recorded", 0) for r in results)
    return {
        "rows_planned": planned["planned"],
        "plan_s": round(plan_seconds, 2),
        "sent_or_recorded": done,
        "send_s": round(send_seconds, 2),
        "per_second": round(done / send_seconds, 1),
    }


def run_celery(
    url: str, prism: str, appointments: int, workers: int, log_dir: Path, rate: float = 0
) -> dict:
    import redis

    from assistant.reminders import celery_app
    from tests.assistant.reminders.celery_worker import CeleryWorker, wait_until
    from tests.assistant.reminders.conftest import BOOKED_AT
    from tests.assistant.reminders.test_celery import _env, _sent, plan

    broker = redis.Redis.from_url(REDIS_URL)
    broker.flushdb()
    seed(url, appointments)
    plan(url, BOOKED_AT)
    settings = settings_for(url, prism, REMINDER_BROKER_URL=REDIS_URL)
    env = _env(settings, log_dir, REMINDER_SEND_RATE=str(rate))
    procs = [CeleryWorker(env, log_dir / f"worker{i}.log").start() for i in range(workers)]
    try:
        client = celery_app.make_app(settings)
        started = time.perf_counter()
        with client.connection_for_write() as connection:
            now = ny(2026, 11, 25, 14).isoformat()
            client.send_task(celery_app.DISPATCH, kwargs={"now": now}, connection=connection)
        wait_until(lambda: len(_sent(url)) >= appointments, 3600, "all sent")
        seconds = time.perf_counter() - started
    finally:
        for proc in procs:
            proc.stop()
        broker.flushdb()
    return {
        "workers": workers,
        "rate_limit": rate or None,
        "sent": appointments,
        "send_s": round(seconds, 1),
        "per_second": round(appointments / seconds, 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--appointments", type=int, default=5000)
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--celery", action="store_true", help="send through Celery workers")
    parser.add_argument("--rate", type=float, default=0, help="REMINDER_SEND_RATE (--celery)")
    parser.add_argument("--plan-only", action="store_true", help="time and memory of planning")
    args = parser.parse_args()
    if args.plan_only:
        for url in _postgres_database():
            migrate.upgrade(url)
            print("planning:", plan_only(url, settings_for(url), args.appointments))
        return
    if args.celery:
        with tempfile.TemporaryDirectory() as tmp, running_prism(Path(tmp) / "p.log") as prism:
            for url in _postgres_database():
                migrate.upgrade(url)
                result = run_celery(
                    url, prism, args.appointments, args.workers, Path(tmp), args.rate
                )
                print("celery + prism:", result)
        return
    for url in _postgres_database():
        migrate.upgrade(url)
        print("recorded:", run(url, settings_for(url), args.appointments, args.workers, False))
    with tempfile.TemporaryDirectory() as tmp, running_prism(Path(tmp) / "prism.log") as prism:
        for url in _postgres_database():
            migrate.upgrade(url)
            settings = settings_for(url, prism)
            print("prism:", run(url, settings, args.appointments, args.workers, True))


if __name__ == "__main__":
    main()
