"""The reminder worker: plan, claim what is due, send. Several may run at once (claims are
atomic); `assistant reminders-worker` runs one, and `assistant run` starts one with the stack."""

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
from assistant.reminders import planning, sending
from assistant.reminders.claims import claim_due
from assistant.unit_of_work import UnitOfWork

log = logging.getLogger(__name__)

BATCH = 50


def run_once(
    settings: Settings,
    now: datetime | None = None,
    *,
    outbound: Outbound | None = None,
    batch: int = BATCH,
    plan: bool = True,
) -> dict[str, int]:
    """One pass: plan new appointments, then claim and process due reminders until none is
    left. Returns counts: planned, claimed, and one per outcome (sent, recorded, skipped ...).
    `now` fixes the clock (tests); by default each batch reads the time afresh."""
    clock: Callable[[], datetime] = (lambda: now) if now is not None else utcnow
    outbound = outbound or Outbound(settings)
    url = settings.database_url
    counts: Counter[str] = Counter()
    if plan:
        with UnitOfWork(url) as uow:
            counts["planned"] = planning.plan(uow.session, now=clock())
            uow.commit()
    while True:
        at = clock()
        with UnitOfWork(url) as uow:
            claims = claim_due(uow.session, now=at, limit=batch)
            uow.commit()
        if not claims:
            break
        counts["claimed"] += len(claims)
        for claim in claims:
            counts[sending.process(url, outbound, claim, at)] += 1
    return dict(counts)


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
    log.info("reminder worker started (every %.0f s)", interval_seconds)
    while not stop.is_set():
        try:
            counts = run_once(settings, outbound=outbound)
            if any(counts.values()):
                log.info("reminders: %s", counts)  # counts only
        except Exception as exc:  # noqa: BLE001 - keep the worker alive; the next pass retries
            log.error("reminder pass failed: %s", type(exc).__name__)
        stop.wait(interval_seconds)
    log.info("reminder worker stopped")
