"""Turn latency at the Twilio edge: signed SMS in -> TwiML out, through the real stack.

Starts the action server, the Rasa server and the web app (gunicorn) on loopback, seeds the demo
practice in a fresh database, then plays simultaneous SMS conversations and reports p50/p95/p99
per turn at each concurrency, next to a bare Rasa REST turn measured in the same run.

    .venv/bin/python bench/turn_latency.py [--concurrency 1 10 50] [--turns 4] [--think 0.2]
        [--database-url postgresql://postgres@127.0.0.1:5432/bench]
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import requests
from sqlalchemy import select

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from assistant import stack  # noqa: E402
from assistant.config import PROJECT_ROOT, load_settings  # noqa: E402
from assistant.conversations import sessions  # noqa: E402
from assistant.db import migrate  # noqa: E402
from assistant.db.models import Practice  # noqa: E402
from assistant.demo.seed import seed_demo  # noqa: E402
from assistant.rasa_model import ensure_model  # noqa: E402
from assistant.simulator import TwilioSimulator  # noqa: E402
from assistant.unit_of_work import UnitOfWork  # noqa: E402

THINK_SECONDS = 0.2  # between a reply and the patient's next message (--think)
MIN_CONVERSATIONS = 10  # per level, so that even one-at-a-time has 40 turns to rank
SCRIPT = ["hi", "what time do you open tomorrow", "i need a refill on my lisinopril", "thanks"]


def percentile(values: list[float], pct: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(pct / 100 * (len(ordered) - 1)))]


def summary(values: list[float]) -> str:
    ms = [v * 1000 for v in values]
    return (
        f"n={len(ms):4d}  p50={percentile(ms, 50):6.1f} ms  p95={percentile(ms, 95):6.1f} ms"
        f"  p99={percentile(ms, 99):6.1f} ms"
    )


def _pause(first: bool) -> None:
    """Patients do not move in step: the first message comes at a random moment within one
    think time, the later ones after 0.5-1.5 think times (seeded in `main`)."""
    time.sleep(THINK_SECONDS * (random.random() if first else random.uniform(0.5, 1.5)))


def _conversation(sim: TwilioSimulator, number: str, turns: int, out: list[float]) -> None:
    _pause(first=True)
    for body in (SCRIPT * 3)[:turns]:
        started = time.perf_counter()
        replies = sim.text(number, body)
        out.append(time.perf_counter() - started)
        if not replies:
            raise RuntimeError(f"turn {body!r} got no reply")
        _pause(first=False)


def _dialogue_failures(app_log: Path) -> int:
    """Turns where the edge fell back (Rasa slow, down or empty): the app logs each one."""
    if not app_log.exists():
        return 0
    text = app_log.read_text(errors="replace")
    return text.count("dialogue unavailable") + text.count("dialogue gave an empty answer")


def _bare_conversation(database_url: str, phone: str) -> str:
    """A conversation row like the one the edge opens, so that the bare turn's actions do the
    same work as the edge's (they look the conversation up by the uid in the metadata)."""
    with UnitOfWork(database_url) as uow:
        practice_id = uow.session.execute(select(Practice.id).limit(1)).scalar_one()
        conversation = sessions.sms_conversation(
            uow.session, practice_id=practice_id, phone=phone, session_minutes=60
        )
        uow.commit()
        return str(conversation.uid)


def _bare_rasa(rasa_url: str, database_url: str, phone: str, turns: int, out: list[float]) -> None:
    http = requests.Session()
    uid = _bare_conversation(database_url, phone)
    metadata = {"conversation_uid": uid, "channel": "sms", "language": "en"}
    _pause(first=True)
    for body in (SCRIPT * 3)[:turns]:
        started = time.perf_counter()
        http.post(
            f"{rasa_url}/webhooks/rest/webhook",
            json={"sender": f"sms:{uid}", "message": body, "metadata": metadata},
            timeout=30,
        ).raise_for_status()
        out.append(time.perf_counter() - started)
        _pause(first=False)


def run(concurrency: list[int], turns: int, database_url: str | None) -> None:
    tmp = Path(tempfile.mkdtemp(prefix="bench-"))
    url = database_url or f"sqlite:///{tmp / 'bench.sqlite3'}"
    env = {
        "DATABASE_URL": url,
        "RASA_URL": "http://127.0.0.1:5105",
        "ACTION_SERVER_URL": "http://127.0.0.1:5155",
        "PUBLIC_BASE_URL": "http://127.0.0.1:8100",
        "RASA_TIMEOUT_SECONDS": "10",
        "ASSISTANT_VAR_DIR": str(tmp),
    }
    os.environ.update(env)  # the app, Rasa and the action server read the same settings
    settings = load_settings(env, read_dotenv=False)
    migrate.upgrade(url)
    with UnitOfWork(url) as uow:
        seed_demo(uow.session)
        uow.commit()
    model = ensure_model(PROJECT_ROOT / "var")
    services = stack.services(settings, model, 8100)
    stack.start(services, stack.child_env(settings), tmp / "logs")
    try:
        healthy, checks = stack.wait_healthy("http://127.0.0.1:8100", services)
        if not healthy:
            raise SystemExit(f"stack did not come up: {checks}; logs in {tmp / 'logs'}")
        sim = TwilioSimulator(
            app_url="http://127.0.0.1:8100",
            public_base_url=settings.public_base_url,
            auth_token=settings.webhook_auth_token,
        )
        sim.text("+15555559000", "hello")  # warm-up: the first Rasa turn loads lazily
        print(
            f"database: {url.split('://')[0]}, turns per conversation: {turns}, "
            f"think time {THINK_SECONDS} s"
        )
        failures_before = _dialogue_failures(tmp / "logs" / "app.log")
        for n in concurrency:
            edge: list[float] = []
            bare: list[float] = []
            with ThreadPoolExecutor(max_workers=n) as pool:
                jobs = [
                    pool.submit(_conversation, sim, f"+1555{n:03d}{i:04d}", turns, edge)
                    for i in range(max(n, MIN_CONVERSATIONS))
                ]
                for job in jobs:
                    job.result()  # a failed turn fails the benchmark instead of vanishing
            with ThreadPoolExecutor(max_workers=n) as pool:
                jobs = [
                    pool.submit(
                        _bare_rasa, settings.rasa_url, url, f"+1666{n:03d}{i:04d}", turns, bare
                    )
                    for i in range(max(n, MIN_CONVERSATIONS))
                ]
                for job in jobs:
                    job.result()
            failed = _dialogue_failures(tmp / "logs" / "app.log") - failures_before
            failures_before += failed
            p50 = statistics.median(edge) / statistics.median(bare)
            p95 = percentile(edge, 95) / percentile(bare, 95)
            print(f"{n:3d} concurrent  edge: {summary(edge)}")
            print(f"{n:3d} concurrent  bare: {summary(bare)}")
            print(f"{n:3d} concurrent  edge/bare: p50 {p50:.2f}x  p95 {p95:.2f}x")
            print(f"{n:3d} concurrent  turns the edge answered without the dialogue: {failed}")
    finally:
        stack.stop(services)


def main() -> None:
    global THINK_SECONDS
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--concurrency", type=int, nargs="+", default=[1, 10, 50])
    parser.add_argument("--turns", type=int, default=4)
    parser.add_argument("--database-url")
    parser.add_argument(
        "--think", type=float, default=THINK_SECONDS, help="seconds between a reply and the next"
    )
    args = parser.parse_args()
    random.seed(1)
    THINK_SECONDS = args.think
    run(args.concurrency, args.turns, args.database_url)


if __name__ == "__main__":
    main()
