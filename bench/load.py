"""Load at the Twilio edge: many simultaneous signed conversations, SMS and voice, through the
full stack scaled as Rasa documents it.

Starts the action server, one or two `rasa run` servers (same model, same endpoints; with two,
they share a SQL tracker store in a fresh PostgreSQL database and the Redis lock store) and the
web app (gunicorn) on loopback; seeds the demo practice; then at each concurrency plays that many
conversations at once (half texts, half calls, with think time between turns) and reports
p50/p95/p99 per turn, per channel and overall, the throughput, and the first concurrency at which
the overall p95 passes 1 s.

    .venv/bin/python bench/load.py [--servers 2] [--concurrency 1 4 8 16 32] [--turns 4]
        [--think 1.0] [--channels sms voice] [--database-url postgresql://...]
"""

from __future__ import annotations

import argparse
import os
import random
import secrets
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import create_engine, text

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from assistant import stack  # noqa: E402
from assistant.config import PROJECT_ROOT, Settings, load_settings  # noqa: E402
from assistant.db import migrate  # noqa: E402
from assistant.demo.seed import seed_demo  # noqa: E402
from assistant.rasa_model import ensure_model  # noqa: E402
from assistant.simulator import SimulatedCall, TwilioSimulator  # noqa: E402
from assistant.unit_of_work import UnitOfWork  # noqa: E402
from bench.turn_latency import percentile  # noqa: E402
from webhooks import rasa_client  # noqa: E402

PG_ADMIN_URL = "postgresql://postgres@127.0.0.1:5432/postgres"
LOCK_STORE_URL = "redis://127.0.0.1:6379/12"
APP_PORT = 8200
SMS_SCRIPT = ["hi", "what time do you open tomorrow", "i need a refill on my lisinopril", "thanks"]
VOICE_SCRIPT = ["what time do you open tomorrow", "where are you located", "no thanks", "goodbye"]
P95_LIMIT = 1.0  # seconds


@dataclass
class Level:
    """The turns measured at one concurrency: (channel, seconds) pairs, and the wall time."""

    concurrency: int
    turns: list[tuple[str, float]] = field(default_factory=list)
    seconds: float = 0.0
    lock: threading.Lock = field(default_factory=threading.Lock)

    def record(self, channel: str, seconds: float) -> None:
        with self.lock:
            self.turns.append((channel, seconds))

    def latencies(self, channel: str | None = None) -> list[float]:
        return [s for c, s in self.turns if channel in (None, c)]


def _pause(think: float, first: bool) -> None:
    """Patients do not move in step: a random start within one think time, then 0.5-1.5."""
    time.sleep(think * (random.random() if first else random.uniform(0.5, 1.5)))


def _timed(level: Level, channel: str, turn: Callable[[], bool]) -> None:
    started = time.perf_counter()
    answered = turn()
    level.record(channel, time.perf_counter() - started)
    if not answered:
        raise RuntimeError(f"a {channel} turn got no answer")


def text_conversation(sim: TwilioSimulator, number: str, turns: int, think: float, level: Level):
    _pause(think, first=True)
    for body in (SMS_SCRIPT * 3)[:turns]:
        _timed(level, "sms", lambda body=body: bool(sim.text(number, body)))
        _pause(think, first=False)


def voice_conversation(sim: TwilioSimulator, number: str, turns: int, think: float, level: Level):
    """A call: the greeting, then speech answers to each <Gather> (each answer is one turn)."""
    _pause(think, first=True)
    call = SimulatedCall(sim, number)
    path = call.start().next_path
    for speech in (VOICE_SCRIPT * 3)[:turns]:
        if path is None:
            break
        _pause(think, first=False)
        answer = None

        def turn(speech: str = speech, path: str = path) -> bool:
            nonlocal answer
            answer = call.answer(path, speech)
            return bool(answer.said)

        _timed(level, "voice", turn)
        path = answer.next_path if answer else None
    call.hang_up()


def play_level(sim: TwilioSimulator, n: int, args: argparse.Namespace) -> Level:
    level = Level(n)
    players = [text_conversation if "sms" in args.channels else voice_conversation]
    if set(args.channels) == {"sms", "voice"}:
        players = [text_conversation, voice_conversation]
    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=n) as pool:
        jobs = []
        for i in range(max(n, args.min_conversations)):
            player, number = players[i % len(players)], f"+1555{n:03d}{i:04d}"
            jobs.append(pool.submit(player, sim, number, args.turns, args.think, level))
        for job in jobs:
            job.result()  # a failed turn fails the benchmark instead of vanishing
    level.seconds = time.perf_counter() - started
    return level


def summary(values: list[float]) -> str:
    if not values:
        return "n=   0"
    ms = [v * 1000 for v in values]
    return (
        f"n={len(ms):4d}  p50={percentile(ms, 50):7.1f} ms  p95={percentile(ms, 95):7.1f} ms"
        f"  p99={percentile(ms, 99):7.1f} ms"
    )


def report(level: Level, channels: list[str]) -> None:
    n = level.concurrency
    for channel in channels:
        print(f"{n:3d} concurrent  {channel:5s}  {summary(level.latencies(channel))}")
    rate = len(level.turns) / level.seconds
    print(f"{n:3d} concurrent  all    {summary(level.latencies())}  {rate:5.1f} turns/s")


@contextmanager
def tracker_database(servers: int) -> Iterator[str | None]:
    """A fresh PostgreSQL database for Rasa's SQL tracker store (two servers), dropped after."""
    if servers < 2:
        yield None
        return
    name = f"frontdesk_load_{secrets.token_hex(4)}"
    admin = create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT", future=True)
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield PG_ADMIN_URL.rsplit("/", 1)[0] + f"/{name}"
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def make_settings(tmp: Path, servers: int, database_url: str, tracker: str | None) -> Settings:
    env = {
        "DATABASE_URL": database_url,
        "RASA_URL": ",".join(f"http://127.0.0.1:{5205 + i}" for i in range(servers)),
        "ACTION_SERVER_URL": "http://127.0.0.1:5255",
        "PUBLIC_BASE_URL": f"http://127.0.0.1:{APP_PORT}",
        "RASA_TIMEOUT_SECONDS": "10",
        "ASSISTANT_VAR_DIR": str(tmp),
    }
    if tracker:
        env |= {"RASA_TRACKER_STORE_URL": tracker, "RASA_LOCK_STORE_URL": LOCK_STORE_URL}
    os.environ.update(env)  # the app (gunicorn) reads its settings from the environment
    return load_settings(env, read_dotenv=False)


def run(args: argparse.Namespace) -> None:
    tmp = Path(tempfile.mkdtemp(prefix="load-"))
    database_url = args.database_url or f"sqlite:///{tmp / 'load.sqlite3'}"
    migrate.upgrade(database_url)
    with UnitOfWork(database_url) as uow:
        seed_demo(uow.session)
        uow.commit()
    with tracker_database(args.servers) as tracker:
        settings = make_settings(tmp, args.servers, database_url, tracker)
        model = ensure_model(PROJECT_ROOT / "var")
        services = [s for s in stack.services(settings, model, APP_PORT) if s.name != "reminders"]
        stack.start(services, stack.child_env(settings), tmp / "logs")
        try:
            measure(settings, services, args, tmp)
        finally:
            stack.stop(services)


def measure(
    settings: Settings, services: list[stack.Service], args: argparse.Namespace, tmp: Path
) -> None:
    healthy, checks = stack.wait_healthy(f"http://127.0.0.1:{APP_PORT}", services)
    if not healthy:
        raise SystemExit(f"stack did not come up: {checks}; logs in {tmp / 'logs'}")
    wait_for_every_rasa(settings)
    sim = TwilioSimulator(
        app_url=f"http://127.0.0.1:{APP_PORT}",
        public_base_url=settings.public_base_url,
        auth_token=settings.webhook_auth_token,
    )
    for i in range(len(settings.rasa_urls)):  # warm-up: each Rasa server's first turn is slow
        sim.text(f"+1555999{i:04d}", "hello")
    print(
        f"Rasa servers: {len(settings.rasa_urls)}, tracker store: "
        f"{'SQL (PostgreSQL)' if settings.rasa_tracker_store_url else 'in memory'}, lock store: "
        f"{'Redis' if settings.rasa_lock_store_url else 'in memory'}, database: "
        f"{settings.database_url.split(':')[0]}, turns per conversation: {args.turns}, "
        f"think {args.think} s, channels: {' '.join(args.channels)}"
    )
    passed_at = None
    for n in args.concurrency:
        level = play_level(sim, n, args)
        report(level, args.channels)
        if passed_at is None and percentile(level.latencies(), 95) > P95_LIMIT:
            passed_at = n
    dialogue_failures = _dialogue_failures(tmp / "logs" / "app.log")
    print(f"turns the edge answered without the dialogue: {dialogue_failures}")
    print(
        f"p95 passes {P95_LIMIT:.0f} s at concurrency {passed_at}"
        if passed_at
        else f"p95 stayed under {P95_LIMIT:.0f} s up to concurrency {max(args.concurrency)}"
    )


def wait_for_every_rasa(settings: Settings, timeout: float = 300.0) -> None:
    """/healthz needs one Rasa server with a model; the measurement needs all of them."""
    deadline = time.monotonic() + timeout
    while not all(rasa_client.model_loaded(url) for url in settings.rasa_urls):
        if time.monotonic() > deadline:
            raise SystemExit(f"not every Rasa server came up within {timeout:.0f} s")
        time.sleep(1.0)


def _dialogue_failures(app_log: Path) -> int:
    if not app_log.exists():
        return 0
    logged = app_log.read_text(errors="replace")
    return logged.count("dialogue unavailable") + logged.count("dialogue gave an empty answer")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--servers", type=int, choices=(1, 2), default=2)
    parser.add_argument("--concurrency", type=int, nargs="+", default=[1, 4, 8, 16, 32])
    parser.add_argument("--turns", type=int, default=4)
    parser.add_argument("--think", type=float, default=1.0, help="seconds between turns")
    parser.add_argument("--channels", nargs="+", choices=("sms", "voice"), default=["sms", "voice"])
    parser.add_argument("--min-conversations", type=int, default=8, help="per level, at least")
    parser.add_argument("--database-url")
    args = parser.parse_args()
    random.seed(1)
    run(args)


if __name__ == "__main__":
    main()
