"""Reminders on Celery with the real Redis (db 13, flushed) and real worker processes.

What Twilio received is what the recording fake (`FakeTwilio`) accepted; what the practice sees
is what the database holds. The clock is fixed by passing `now` to the tasks, except in the
beat test, which runs on the real clock.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import redis
from sqlalchemy import select

from assistant.config import ConfigError, load_settings
from assistant.db.models import Location, OutboundMessage
from assistant.db.types import utcnow
from assistant.reminders import celery_app, pacing, policy
from assistant.unit_of_work import UnitOfWork
from tests.assistant.reminders.celery_worker import CeleryWorker, wait_until
from tests.factories.databases import empty_all_tables
from tests.factories.reminders import (
    BOOKED_AT,
    IN_CI,
    REDIS_URL,
    REMINDERS_DUE,
    all_reminders,
    assert_each_sent_once,
    enqueue,
    make_appointment,
    make_clinic,
    make_patient,
    patients_with_visits,
    plan,
    sent_reminders,
    settings_for,
    worker_env,
)


@pytest.fixture
def broker() -> Iterator[redis.Redis]:
    client = redis.Redis.from_url(REDIS_URL)
    try:
        client.ping()
    except redis.ConnectionError as exc:
        message = f"Redis not reachable at {REDIS_URL}: {type(exc).__name__}"
        if IN_CI:
            pytest.fail(message, pytrace=False)
        pytest.skip(message)
    client.flushdb()
    yield client
    client.flushdb()
    client.close()


@pytest.fixture
def pg_url(request: pytest.FixtureRequest) -> str:
    """PostgreSQL, the production database the Celery workers share."""
    url = request.getfixturevalue("_migrated_postgres")
    empty_all_tables(url)
    return url


def _idle(broker: redis.Redis) -> bool:
    """No task waiting in the queue and none delivered but unacknowledged."""
    queues = (celery_app.QUEUE, celery_app.CONTROL_QUEUE)
    return not any(broker.llen(q) for q in queues) and broker.hlen("unacked") == 0


@pytest.mark.postgres
def test_the_worker_plans_and_sends_each_due_reminder_once_despite_duplicate_tasks(
    pg_url, broker, fake_twilio, tmp_path
) -> None:
    numbers = patients_with_visits(pg_url, 6)
    settings = settings_for(pg_url, fake_twilio.url, REMINDER_BROKER_URL=REDIS_URL)
    with CeleryWorker(worker_env(settings, tmp_path), tmp_path / "worker.log"):
        enqueue(settings, celery_app.DISPATCH, BOOKED_AT)  # plans; nothing due yet
        wait_until(lambda: len(all_reminders(pg_url)) == 18, 60, "planning 6 x (7, 2, 1 days)")
        wait_until(lambda: _idle(broker), 30, "the queue to drain")
        assert fake_twilio.posts == 0
        # At-least-once delivery: the same tasks more than once, all at the same time.
        for task in (celery_app.DISPATCH, celery_app.DISPATCH, celery_app.SEND_DUE):
            enqueue(settings, task, REMINDERS_DUE)
        wait_until(lambda: len(sent_reminders(pg_url)) == 6, 60, "six reminders sent")
        wait_until(lambda: _idle(broker), 30, "the queue to drain")
    assert fake_twilio.posts == 6
    assert_each_sent_once(pg_url, fake_twilio, numbers)
    with UnitOfWork(pg_url) as uow:
        bodies = uow.session.execute(select(OutboundMessage.body)).scalars().all()
    assert len(bodies) == 6
    assert all(b.startswith("Test Family Clinic: appointment") for b in bodies)
    assert not any("Dermatology" in b or "Shah" in b for b in bodies)


@pytest.mark.postgres
def test_a_worker_killed_mid_batch_then_restarted_sends_each_reminder_once(
    pg_url, broker, fake_twilio, tmp_path
) -> None:
    numbers = patients_with_visits(pg_url, 12)
    plan(pg_url, BOOKED_AT)
    fake_twilio.clock = REMINDERS_DUE
    fake_twilio.delay = 0.4  # Twilio has the message; the worker has not got the SID yet
    settings = settings_for(pg_url, fake_twilio.url, REMINDER_BROKER_URL=REDIS_URL)
    env = worker_env(settings, tmp_path)
    log = tmp_path / "worker.log"
    first = CeleryWorker(env, log).start()
    try:
        enqueue(settings, celery_app.DISPATCH, REMINDERS_DUE)
        wait_until(lambda: fake_twilio.posts >= 4, 60, "four messages sent")
        first.kill()  # most likely while Twilio's answer to the fourth is on its way
    finally:
        first.kill()
    assert 4 <= fake_twilio.posts < 12
    stuck = [r for r in all_reminders(pg_url) if r.offset_days == 7 and r.status != "sent"]
    assert stuck and any(r.status == "claimed" for r in stuck)

    # The restarted worker runs the next dispatch, after the dead worker's lease.
    later = REMINDERS_DUE + policy.LEASE + timedelta(seconds=1)
    with CeleryWorker(env, log):
        enqueue(settings, celery_app.DISPATCH, later)
        wait_until(lambda: len(sent_reminders(pg_url)) == 12, 90, "all twelve reminders sent")
        wait_until(lambda: broker.llen(celery_app.QUEUE) == 0, 30, "the queue to drain")
    assert_each_sent_once(pg_url, fake_twilio, numbers)
    assert fake_twilio.posts == 12


@pytest.mark.postgres
def test_sending_is_paced_over_the_workers_at_the_configured_rate(
    pg_url, broker, fake_twilio, tmp_path
) -> None:
    patients_with_visits(pg_url, 5)
    plan(pg_url, BOOKED_AT)
    settings = settings_for(pg_url, fake_twilio.url, REMINDER_BROKER_URL=REDIS_URL)
    env = worker_env(settings, tmp_path, REMINDER_SEND_RATE="4")
    with CeleryWorker(env, tmp_path / "worker.log"):
        enqueue(settings, celery_app.DISPATCH, REMINDERS_DUE)
        wait_until(lambda: len(sent_reminders(pg_url)) == 5, 60, "five reminders sent")
    times = fake_twilio.post_times
    assert len(times) == 5
    assert times[-1] - times[0] >= 0.9  # 4 intervals of 1/4 s, give or take the network


def _daytime_zone(now: datetime) -> str:
    """A zone where it is now between 9:00 and 19:00, so the reminder is not held back."""
    for tz in ("Asia/Tokyo", "Asia/Kolkata", "Europe/Berlin", "America/New_York",
               "America/Los_Angeles", "Pacific/Honolulu", "Pacific/Kiritimati"):  # fmt: skip
        if 9 <= now.astimezone(ZoneInfo(tz)).hour < 19:
            return tz
    raise AssertionError("no daytime zone")


@pytest.mark.postgres
def test_beat_plans_and_sends_on_its_own(pg_url, broker, fake_twilio, tmp_path) -> None:
    """Worker + beat on the real clock: an appointment tomorrow, reminded 1 day before, whose
    reminder is due now, is texted without anyone enqueueing anything."""
    now = utcnow()
    with UnitOfWork(pg_url) as uow:
        clinic = make_clinic(uow.session)
        tz = _daytime_zone(now)
        uow.session.get(Location, clinic.location_id).time_zone = tz
        patient = make_patient(uow.session, clinic, time_zone=tz)
        appointment = make_appointment(
            uow.session, clinic, patient, now + timedelta(days=1, seconds=-20)
        )
        appointment.appointment_type.reminder_offsets_days = [1]
        uow.commit()
    settings = settings_for(pg_url, fake_twilio.url, REMINDER_BROKER_URL=REDIS_URL)
    env = worker_env(settings, tmp_path, REMINDER_INTERVAL_SECONDS="1")
    with CeleryWorker(env, tmp_path / "worker.log", beat=True):
        wait_until(lambda: len(sent_reminders(pg_url)) == 1, 60, "the reminder sent by beat")
    assert [m["to"] for m in fake_twilio.accepted] == ["+15555550123"]


def test_without_a_broker_url_there_is_no_celery_app(tmp_path) -> None:
    settings = settings_for(f"sqlite:///{tmp_path}/x.sqlite3")
    with pytest.raises(ConfigError, match="REMINDER_BROKER_URL"):
        celery_app.make_app(settings)


def test_the_beat_schedule_runs_dispatch_at_the_configured_interval(tmp_path) -> None:
    settings = settings_for(
        f"sqlite:///{tmp_path}/x.sqlite3",
        REMINDER_BROKER_URL=REDIS_URL,
        REMINDER_INTERVAL_SECONDS="45",
    )
    app = celery_app.make_app(settings)
    (entry,) = app.conf.beat_schedule.values()
    assert entry["task"] == celery_app.DISPATCH and entry["schedule"] == 45.0
    assert app.conf.task_acks_late and app.conf.worker_prefetch_multiplier == 1
    assert {celery_app.DISPATCH, celery_app.SEND_DUE} <= set(app.tasks)


def test_two_pacers_sharing_redis_keep_one_rate(broker) -> None:
    first, second = (pacing.shared(REDIS_URL, 20.0) for _ in range(2))
    waited = [p.wait() for _ in range(5) for p in (first, second)]
    assert sum(waited) >= 9 / 20 - 0.05  # ten sends at 20/s span 0.45 s


@pytest.mark.postgres
def test_dispatch_tops_up_the_waiting_send_tasks_instead_of_piling_them_up(
    pg_url, broker, tmp_path
) -> None:
    """With no worker running (a backlog), repeated dispatches keep at most the tasks needed."""
    patients_with_visits(pg_url, 30)
    plan(pg_url, BOOKED_AT)
    settings = settings_for(
        pg_url,
        REMINDER_BROKER_URL=REDIS_URL,
        ASSISTANT_VAR_DIR=str(tmp_path),
        REMINDER_SEND_RATE="0.1",  # batches of 15 fit in the lease at one text per 10 s
    )
    app = celery_app.make_app(settings)
    for _ in range(3):
        assert app.tasks[celery_app.DISPATCH](now=REMINDERS_DUE.isoformat())["due"] == 30
    assert broker.llen(celery_app.QUEUE) == 2  # 30 due in batches of 15
    assert broker.llen(celery_app.CONTROL_QUEUE) == 3  # one offers pass per dispatch


def test_dispatch_replays_the_spool(sqlite_url, broker, tmp_path) -> None:
    """Beat's tick also replays what the web app kept while the database was down."""
    from assistant.db.models import StaffTask
    from assistant.spool import Spool, keep_sms
    from tests import factories

    with UnitOfWork(sqlite_url) as uow:
        factories.patient(uow.session, factories.practice(uow.session))
        uow.commit()
    spool = Spool(tmp_path / "spool")
    form = {"MessageSid": "SM" + "6" * 32, "From": "+15555550123", "To": "+15555550100",
            "Body": "please call me back"}  # fmt: skip
    keep_sms(spool, form, reply="Thanks", response="<Response/>", language="en")
    settings = settings_for(
        sqlite_url,
        REMINDER_BROKER_URL=REDIS_URL,
        ASSISTANT_VAR_DIR=str(tmp_path / "var"),
        SPOOL_DIR=str(spool.directory),
    )
    app = celery_app.make_app(settings)
    app.tasks[celery_app.DISPATCH](now=REMINDERS_DUE.isoformat())
    assert spool.is_empty()
    with UnitOfWork(sqlite_url) as uow:
        [task] = uow.session.execute(select(StaffTask)).scalars()
        assert "please call me back" in task.summary


@pytest.mark.parametrize(
    ("name", "value"),
    [("REMINDER_BROKER_URL", "amqp://127.0.0.1"), ("REMINDER_SEND_RATE", "fast"),
     ("REMINDER_SEND_RATE", "-1"), ("REMINDER_INTERVAL_SECONDS", "0")],
)  # fmt: skip
def test_malformed_reminder_settings_stop_start_up_naming_the_variable(name, value) -> None:
    with pytest.raises(ConfigError, match=name):
        load_settings({name: value})


def test_the_broker_url_is_kept_out_of_the_settings_repr() -> None:
    settings = load_settings({"REMINDER_BROKER_URL": "redis://:s3cret@127.0.0.1:6379/0"})
    assert settings.reminder_broker_url == "redis://:s3cret@127.0.0.1:6379/0"
    assert "s3cret" not in repr(settings)
