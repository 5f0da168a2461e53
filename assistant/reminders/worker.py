"""The reminder worker: plan, claim what is due, send. Several may run at once (claims are
atomic); `assistant reminders-worker` runs one, and `assistant run` starts one with the stack.
Each tick also replays the spool (Twilio requests kept while the database was down)."""

from __future__ import annotations

import logging
import signal
import threading
from collections import Counter
from collections.abc import Callable
from datetime import datetime

from assistant.config import Settings
from assistant.db.types import utcnow
from assistant.messaging.outbound import Outbound
from assistant.reminders import offers, pacing, planning, policy, sending
from assistant.reminders.claims import claim_due, claimable_count
from assistant.reminders.pacing import Pacer
from assistant.unit_of_work import UnitOfWork, UnitOfWorkFactory

log = logging.getLogger(__name__)

BATCH = 50


def batch_size(rate: float, batch: int = BATCH) -> int:
    """A batch must be sent well within the claim's lease, at the sending rate."""
    if rate <= 0:
        return batch
    return max(1, min(batch, int(policy.LEASE.total_seconds() * rate / 2)))


def plan_due(new_uow: UnitOfWorkFactory, now: datetime) -> int:
    """Plan reminders for appointments that have none yet; returns the rows planned."""
    with new_uow() as uow:
        planned = planning.plan(uow.session, now=now)
        uow.commit()
    return planned


def due_count(new_uow: UnitOfWorkFactory, now: datetime) -> int:
    """How many reminders could be claimed now (due, or left by a worker that died)."""
    with new_uow() as uow:
        return claimable_count(uow.session, now=now)


def send_batch(
    new_uow: UnitOfWorkFactory,
    outbound: Outbound,
    clock: Callable[[], datetime],
    *,
    batch: int = BATCH,
    pacer: Pacer | None = None,
) -> Counter[str]:
    """Claim up to `batch` due reminders and take each to its next state (the unit of work of
    both the embedded worker and a Celery send task). Returns counts: claimed, and one per
    outcome (sent, recorded, skipped ...)."""
    counts: Counter[str] = Counter()
    with new_uow() as uow:
        claims = claim_due(uow.session, now=clock(), limit=batch)
        uow.commit()
    if claims:
        counts["claimed"] = len(claims)
    wait = pacer.wait if pacer is not None else None
    for claim in claims:
        counts[sending.process(new_uow, outbound, claim, clock(), before_transmit=wait)] += 1
    return counts


def run_once(
    settings: Settings,
    now: datetime | None = None,
    *,
    outbound: Outbound | None = None,
    batch: int = BATCH,
    plan: bool = True,
    pacer: Pacer | None = None,
) -> dict[str, int]:
    """One pass: plan new appointments, then claim and process due reminders until none is
    left, then text the waitlist offers waiting to go out. Returns counts: planned, claimed,
    one per outcome (sent, recorded, skipped ...) and per offer outcome (offer_sent ...).
    `now` fixes the clock (tests); by default the time is read afresh for each reminder.
    Sending is paced at `settings.reminder_send_rate` unless another `pacer` is given."""
    clock: Callable[[], datetime] = (lambda: now) if now is not None else utcnow
    outbound = outbound or Outbound(settings)
    pacer = pacer or pacing.local(settings.reminder_send_rate)
    batch = batch_size(settings.reminder_send_rate, batch)
    new_uow = UnitOfWork.factory(settings.database_url)
    counts: Counter[str] = Counter()
    if plan:
        counts["planned"] = plan_due(new_uow, clock())
    while True:
        done = send_batch(new_uow, outbound, clock, batch=batch, pacer=pacer)
        if not done:
            break
        counts.update(done)
    counts.update(offers.send_offers(new_uow, outbound, clock, pacer=pacer))
    return dict(counts)


def replay_spool(settings: Settings) -> dict[str, int]:
    """Replay what the spool holds (assistant/spool): one `scandir` when it is empty. Never
    raises: a spool problem must not stop the reminders (it is logged, by type only)."""
    from assistant.spool import Spool
    from assistant.spool.replay import replay

    try:
        return replay(UnitOfWork.factory(settings.database_url), Spool(settings.spool_dir))
    except Exception as exc:  # noqa: BLE001 - the next tick tries again
        log.error("spool replay failed: %s", type(exc).__name__)
        return {}


def run_forever(
    settings: Settings, interval_seconds: float = 30.0, stop: threading.Event | None = None
) -> None:
    """Run a pass every `interval_seconds` until `stop` is set (SIGTERM/SIGINT set it when
    this is the main thread). A failed pass is logged (its type only: no PHI) and retried."""
    stop = stop or threading.Event()
    if threading.current_thread() is threading.main_thread():
        for signum in (signal.SIGTERM, signal.SIGINT):
            signal.signal(signum, lambda *_: stop.set())
    outbound = Outbound(settings)
    pacer = pacing.local(settings.reminder_send_rate)
    log.info("reminder worker started (every %.0f s)", interval_seconds)
    while not stop.is_set():
        replay_spool(settings)  # first: a patient's words waiting since an outage
        try:
            counts = run_once(settings, outbound=outbound, pacer=pacer)
            if any(counts.values()):
                log.info("reminders: %s", counts)  # counts only
        except Exception as exc:  # noqa: BLE001 - keep the worker alive; the next pass retries
            log.error("reminder pass failed: %s", type(exc).__name__)
        stop.wait(interval_seconds)
    log.info("reminder worker stopped")
