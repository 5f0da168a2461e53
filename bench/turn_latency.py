"""Turn latency at the Twilio edge: signed SMS in -> TwiML out, through the real stack.

Starts the action server, the Rasa server and the web app (gunicorn) on loopback, seeds the demo
practice in a fresh database, then plays simultaneous SMS conversations and reports p50/p95/p99
per turn at each concurrency, next to a bare Rasa REST turn measured in the same run.

    .venv/bin/python bench/turn_latency.py [--concurrency 1 10 50] [--turns 4]
        [--database-url postgresql://postgres@127.0.0.1:5432/bench]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import date
from pathlib import Path

import requests

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from assistant import stack  # noqa: E402
from assistant.config import PROJECT_ROOT, load_settings  # noqa: E402
from assistant.db import migrate  # noqa: E402
from assistant.demo.seed import seed_demo  # noqa: E402
from assistant.rasa_model import ensure_model  # noqa: E402
from assistant.simulator import TwilioSimulator  # noqa: E402
from assistant.unit_of_work import UnitOfWork  # noqa: E402

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


FALLBACK_REPLY = "A staff member will follow up"  # what the edge texts when Rasa fails


def _conversation(sim: TwilioSimulator, number: str, turns: int, out: list[float]) -> None:
    for body in (SCRIPT * 3)[:turns]:
        started = time.perf_counter()
        replies = sim.text(number, body)
        out.append(time.perf_counter() - started)
        if not replies or any(FALLBACK_REPLY in r for r in replies):
            raise RuntimeError(f"turn {body!r} fell back instead of being answered: {replies}")
        time.sleep(0.2)  # a patient does not answer instantly


def _bare_rasa(rasa_url: str, sender: str, turns: int, out: list[float]) -> None:
    http = requests.Session()
    for body in (SCRIPT * 3)[:turns]:
        started = time.perf_counter()
        http.post(
            f"{rasa_url}/webhooks/rest/webhook",
            json={"sender": sender, "message": body, "metadata": {"language": "en"}},
            timeout=30,
        ).raise_for_status()
        out.append(time.perf_counter() - started)
        time.sleep(0.2)


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
    settings = load_settings(env, read_dotenv=False)
    migrate.upgrade(url)
    with UnitOfWork(url) as uow:
        seed_demo(uow.session, today=date.today())
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
        print(f"database: {url.split('://')[0]}, turns per conversation: {turns}")
        for n in concurrency:
            edge: list[float] = []
            bare: list[float] = []
            with ThreadPoolExecutor(max_workers=n) as pool:
                jobs = [
                    pool.submit(_conversation, sim, f"+1555{n:03d}{i:04d}", turns, edge)
                    for i in range(n)
                ]
                for job in jobs:
                    job.result()  # a failed turn fails the benchmark instead of vanishing
            with ThreadPoolExecutor(max_workers=n) as pool:
                jobs = [
                    pool.submit(_bare_rasa, settings.rasa_url, f"bench:{n}:{i}", turns, bare)
                    for i in range(n)
                ]
                for job in jobs:
                    job.result()
            p50 = statistics.median(edge) / statistics.median(bare)
            p95 = percentile(edge, 95) / percentile(bare, 95)
            print(f"{n:3d} concurrent  edge: {summary(edge)}")
            print(f"{n:3d} concurrent  bare: {summary(bare)}")
            print(f"{n:3d} concurrent  edge/bare: p50 {p50:.2f}x  p95 {p95:.2f}x")
    finally:
        stack.stop(services)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--concurrency", type=int, nargs="+", default=[1, 10, 50])
    parser.add_argument("--turns", type=int, default=4)
    parser.add_argument("--database-url")
    args = parser.parse_args()
    run(args.concurrency, args.turns, args.database_url)


if __name__ == "__main__":
    main()
