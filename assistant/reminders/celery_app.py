"""Reminders on Celery with a Redis broker (production; `REMINDER_BROKER_URL`).

    celery -A assistant.reminders.celery_app worker --loglevel INFO    # one or more
    celery -A assistant.reminders.celery_app beat --loglevel INFO      # exactly one

Beat runs `reminders.dispatch` every `REMINDER_INTERVAL_SECONDS`: it plans new appointments and
queues `reminders.send_due` tasks for what is due, and `reminders.send_offers` for waitlist
offers (`offers`). A send task claims a batch and takes each
reminder through `sending.process`, exactly as the embedded worker does (`worker.send_batch`);
after a full batch it queues its successor. Tasks carry no reminder ids: the database claims
are the exactly-once guard, so a task delivered twice (Celery's at-least-once delivery, acks
late, a worker killed mid-batch) only claims what is still due and never sends anything twice.
Reminders a dead worker had claimed are taken over after their lease (`sending.recover`).

Sending is paced over all workers at `REMINDER_SEND_RATE` messages per second (`pacing`).
Without `REMINDER_BROKER_URL` none of this runs: `assistant reminders-worker` is the default.

Dispatch also replays the spool (`worker.replay_spool`): the Twilio requests the web app kept
on disk while the database was down. It runs on whichever worker takes the dispatch, so that
worker must see the spool directory of every web host (shared storage), or each web host runs
`assistant spool-replay` itself (cron, or an embedded `assistant reminders-worker`).
"""

from __future__ import annotations

import logging
import math
from datetime import datetime
from functools import cached_property

from celery import Celery
from kombu import Queue

from assistant.config import ConfigError, Settings, load_settings
from assistant.db.types import utcnow
from assistant.messaging.outbound import Outbound
from assistant.reminders import offers, pacing, worker
from assistant.reminders.pacing import Pacer
from assistant.unit_of_work import UnitOfWork

log = logging.getLogger(__name__)

DISPATCH = "reminders.dispatch"
SEND_DUE = "reminders.send_due"
SEND_OFFERS = "reminders.send_offers"
QUEUE = "reminders"  # send tasks
CONTROL_QUEUE = "reminders.control"  # dispatch and offers: never stuck behind a long backlog
MAX_PARALLEL_SENDS = 8  # send tasks queued at once by one dispatch
VISIBILITY_TIMEOUT = 3600  # seconds before Redis hands an unacknowledged task out again


class _Runtime:
    """Per-process state, made on first use (after a prefork worker has forked)."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.batch = worker.batch_size(settings.reminder_send_rate)

    @cached_property
    def outbound(self) -> Outbound:
        return Outbound(self.settings)

    @cached_property
    def redis(self):
        import redis

        return redis.Redis.from_url(self.settings.reminder_broker_url or "")

    def waiting_sends(self) -> int:
        """Send tasks queued and not yet started (kombu's Redis transport: a list per queue)."""
        return int(self.redis.llen(QUEUE))

    @cached_property
    def pacer(self) -> Pacer:
        settings = self.settings
        return pacing.shared(settings.reminder_broker_url or "", settings.reminder_send_rate)


def _clock(now: str | None):
    """Tasks run on the real clock; a fixed ISO instant (tests) replaces it."""
    if now is None:
        return utcnow
    fixed = datetime.fromisoformat(now)
    return lambda: fixed


def make_app(settings: Settings) -> Celery:
    """The Celery app for these settings, with the dispatch and send tasks registered."""
    if not settings.reminder_broker_url:
        raise ConfigError("REMINDER_BROKER_URL is required to run reminders on Celery")
    app = Celery("assistant.reminders", set_as_current=False)
    _configure(app, settings)
    _register_tasks(app, settings)
    return app


def _configure(app: Celery, settings: Settings) -> None:
    """Broker, queues, at-least-once delivery and beat's schedule."""
    run_dir = settings.var_dir / "run"  # beat's schedule file
    run_dir.mkdir(parents=True, exist_ok=True)
    app.conf.update(
        broker_url=settings.reminder_broker_url,
        broker_connection_retry_on_startup=True,
        broker_transport_options={"visibility_timeout": VISIBILITY_TIMEOUT},
        task_default_queue=QUEUE,
        task_queues=(Queue(QUEUE), Queue(CONTROL_QUEUE)),  # a worker consumes both
        task_routes={DISPATCH: {"queue": CONTROL_QUEUE}, SEND_OFFERS: {"queue": CONTROL_QUEUE}},
        task_serializer="json",
        accept_content=["json"],
        task_ignore_result=True,
        task_acks_late=True,  # a task whose worker died is delivered again ...
        task_reject_on_worker_lost=True,
        worker_prefetch_multiplier=1,  # ... and a worker holds no more than the one it runs
        enable_utc=True,
        timezone="UTC",
        beat_schedule_filename=str(run_dir / "celerybeat-schedule"),
        beat_schedule={
            "plan-and-dispatch": {
                "task": DISPATCH,
                "schedule": settings.reminder_interval_seconds,
                # piled-up dispatches (workers down) are dropped, not run in a burst
                "options": {"expires": settings.reminder_interval_seconds},
            }
        },
    )


def _register_tasks(app: Celery, settings: Settings) -> None:
    """The send, offer and dispatch tasks of this app, on its own runtime (settings)."""
    runtime = _Runtime(settings)  # tasks are not shared: each app (settings) has its own
    new_uow = UnitOfWork.factory(settings.database_url)  # a transaction per step of each item

    @app.task(name=SEND_DUE, shared=False)
    def send_due(now: str | None = None) -> dict[str, int]:
        """Claim and send one batch of due reminders; queue the next batch if it was full."""
        counts = worker.send_batch(
            new_uow, runtime.outbound, _clock(now), batch=runtime.batch, pacer=runtime.pacer
        )
        if counts.get("claimed", 0) >= runtime.batch:
            send_due.apply_async(kwargs={"now": now})
        if counts:
            log.info("reminders: %s", dict(counts))  # counts only, no PHI
        return dict(counts)

    @app.task(name=SEND_OFFERS, shared=False)
    def send_offers(now: str | None = None) -> dict[str, int]:
        """Text the waitlist offers waiting to go out (same claims, outbox and pace)."""
        counts = offers.send_offers(new_uow, runtime.outbound, _clock(now), pacer=runtime.pacer)
        if counts:
            log.info("waitlist offers: %s", dict(counts))
        return dict(counts)

    @app.task(name=DISPATCH, shared=False)
    def dispatch(now: str | None = None) -> dict[str, int]:
        """Plan new appointments, then queue send tasks for the reminders now due (no more than
        make up `MAX_PARALLEL_SENDS` waiting: a backlog does not pile up tasks every tick)."""
        clock = _clock(now)
        # Twilio requests kept in the spool while the database was down (assistant/spool):
        # replayed on the worker that runs dispatch, which must see the web hosts' spool dir
        worker.replay_spool(settings)
        planned = worker.plan_due(new_uow, clock())
        due = worker.due_count(new_uow, clock())
        wanted = min(MAX_PARALLEL_SENDS, math.ceil(due / runtime.batch))
        tasks = max(0, wanted - runtime.waiting_sends())
        for _ in range(tasks):
            send_due.apply_async(kwargs={"now": now})
        send_offers.apply_async(kwargs={"now": now})
        if planned or due:
            log.info("reminders: planned %d, due %d, %d send tasks", planned, due, tasks)
        return {"planned": planned, "due": due, "send_tasks": tasks}


_app: Celery | None = None


def __getattr__(name: str) -> Celery:
    """`celery -A assistant.reminders.celery_app` finds `app`, built from the environment."""
    global _app
    if name not in ("app", "celery"):
        raise AttributeError(name)
    if _app is None:
        _app = make_app(load_settings())
    return _app
