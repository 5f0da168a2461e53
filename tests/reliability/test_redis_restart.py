"""Redis (the reminders' Celery broker and the shared pacer) killed and restarted mid-batch.

The test runs its own `redis-server` on a free port, without persistence (`--save ""
--appendonly no`), in a temporary directory: the shared Redis on 6379 is never touched. A real
`celery worker` process sends a batch of 12 reminders at 3 a second; after four have gone out the
private Redis is killed (SIGKILL), left down for 2 s and started again on the same port, empty:
the queued and unacknowledged tasks and the pacer's key are gone with it. The worker must
reconnect on its own, and the next dispatch (beat's next tick once the claims' lease has run out)
must finish the batch from the database claims: every patient texted exactly once.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
import redis

from assistant.reminders import celery_app, policy, worker
from assistant.unit_of_work import UnitOfWork
from tests.assistant.reminders.celery_worker import CeleryWorker, wait_until
from tests.factories.databases import empty_all_tables
from tests.factories.reminders import (
    BOOKED_AT,
    REMINDERS_DUE,
    all_reminders,
    assert_each_sent_once,
    enqueue,
    patients_with_visits,
    plan,
    sent_reminders,
    settings_for,
    worker_env,
)
from tests.reliability.private_redis import PrivateRedis, started_redis

PATIENTS = 12
SEND_RATE = "3"  # messages a second: the batch takes about 4 s
KILL_AFTER = 4  # messages accepted by Twilio before Redis is killed
DOWN_SECONDS = 2.0


@pytest.fixture
def private_redis(tmp_path: Path) -> Iterator[PrivateRedis]:
    server = started_redis(tmp_path / "redis")
    yield server
    server.kill()


@pytest.fixture
def pg_url(request: pytest.FixtureRequest) -> str:
    url = request.getfixturevalue("_migrated_postgres")
    empty_all_tables(url)
    return url


@pytest.mark.postgres
def test_redis_killed_and_restarted_mid_batch_each_reminder_is_sent_once(
    pg_url: str,
    private_redis: PrivateRedis,
    fake_twilio,
    tmp_path: Path,
) -> None:
    numbers = patients_with_visits(pg_url, PATIENTS)
    plan(pg_url, BOOKED_AT)
    fake_twilio.clock = REMINDERS_DUE
    broker_url = private_redis.url
    settings = settings_for(pg_url, fake_twilio.url, REMINDER_BROKER_URL=broker_url)
    env = worker_env(
        settings, tmp_path, REMINDER_BROKER_URL=broker_url, REMINDER_SEND_RATE=SEND_RATE
    )
    log = tmp_path / "worker.log"
    celery = CeleryWorker(env, log)
    celery.start()
    broker = redis.Redis.from_url(broker_url)
    try:
        enqueue(settings, celery_app.DISPATCH, REMINDERS_DUE)
        wait_until(lambda: fake_twilio.posts >= KILL_AFTER, 30, f"{KILL_AFTER} messages sent")
        private_redis.kill()
        killed_at = time.monotonic()
        sent_before = fake_twilio.posts
        time.sleep(DOWN_SECONDS)
        assert fake_twilio.posts < PATIENTS, "the batch finished before Redis went away"
        private_redis.start()
        restarted_at = time.monotonic()
        # The worker reconnects on its own: its consumer logs a second connection.
        connected = f"Connected to redis://127.0.0.1:{private_redis.port}"
        wait_until(lambda: log.read_text().count(connected) >= 2, 30, "the worker to reconnect")
        reconnected_at = time.monotonic()
        assert celery.process is not None and celery.process.poll() is None

        # The failed task left the rest of its batch claimed: nothing is due again until the
        # claims' lease has run out, whatever is dispatched meanwhile.
        later = REMINDERS_DUE + policy.LEASE + timedelta(seconds=1)
        assert worker.due_count(UnitOfWork.factory(pg_url), REMINDERS_DUE) == 0
        assert worker.due_count(UnitOfWork.factory(pg_url), later) == PATIENTS - len(
            sent_reminders(pg_url)
        )
        # Beat's next tick after the lease (the restarted Redis holds no task).
        enqueue(settings, celery_app.DISPATCH, later)
        wait_until(lambda: len(sent_reminders(pg_url)) == PATIENTS, 30, "all reminders sent")
        done_at = time.monotonic()
        wait_until(lambda: broker.llen(celery_app.QUEUE) == 0, 30, "the queue to drain")
        time.sleep(1.0)  # anything sent twice would arrive now
        assert celery.process.poll() is None  # the same worker process, never restarted
    finally:
        celery.stop()
        broker.close()

    assert_each_sent_once(pg_url, fake_twilio, numbers)
    assert fake_twilio.posts == PATIENTS
    assert all(r.status == "sent" for r in all_reminders(pg_url) if r.offset_days == 7)
    print(
        f"\nsent before the kill: {sent_before}/{PATIENTS}; worker reconnected "
        f"{reconnected_at - restarted_at:.1f} s after the restart; batch complete "
        f"{done_at - killed_at:.1f} s after the kill ({done_at - reconnected_at:.1f} s after "
        "the re-dispatch)"
    )
