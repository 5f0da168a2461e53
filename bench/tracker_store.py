"""What the local SQLite tracker store costs per turn, next to Rasa's in-memory default.

Starts one action server and two Rasa servers side by side (same model): one with the SQLite
tracker store `assistant run` renders for a single Rasa server, one with Rasa's in-memory store.
Then plays the same conversations (verification, a question, a goodbye) against both, alternating
conversation by conversation (or batch by batch with --concurrency) so that both see the same
machine load, and reports p50/p95 per turn on Rasa's REST channel (/webhooks/rest/webhook).

    .venv/bin/python bench/tracker_store.py [--conversations 8] [--concurrency 1]
"""

from __future__ import annotations

import argparse
import socket
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import requests

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from assistant import stack  # noqa: E402
from assistant.config import PROJECT_ROOT, load_settings  # noqa: E402
from assistant.db import migrate  # noqa: E402
from assistant.demo.seed import seed_demo  # noqa: E402
from assistant.rasa_model import ensure_model  # noqa: E402
from assistant.unit_of_work import UnitOfWork  # noqa: E402
from bench.turn_latency import _bare_conversation, percentile  # noqa: E402

SCRIPT = [
    "I need to cancel my appointment",
    "Maria Lopez",
    "03/03/1982",
    "no",
    "what time do you open tomorrow",
    "where are you located",
    "thanks",
]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _conversation(rasa_url: str, database_url: str, phone: str) -> list[float]:
    uid = _bare_conversation(database_url, phone)
    metadata = {"conversation_uid": uid, "channel": "sms", "language": "en"}
    http, took = requests.Session(), []
    for body in SCRIPT:
        started = time.perf_counter()
        response = http.post(
            f"{rasa_url}/webhooks/rest/webhook",
            json={"sender": f"sms:{uid}", "message": body, "metadata": metadata},
            timeout=30,
        )
        took.append(time.perf_counter() - started)
        if not response.ok or not response.json():
            raise SystemExit(f"{rasa_url}: no answer to turn {body!r}")
    return took


def _summary(values: list[float]) -> str:
    ms = [v * 1000 for v in values]
    return f"n={len(ms)}  p50={percentile(ms, 50):6.1f} ms  p95={percentile(ms, 95):6.1f} ms"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--conversations", type=int, default=8, help="per tracker store")
    parser.add_argument("--concurrency", type=int, default=1, help="conversations at once")
    args = parser.parse_args()

    tmp = Path(tempfile.mkdtemp(prefix="tracker-bench-"))
    database_url = f"sqlite:///{tmp / 'assistant.sqlite3'}"
    migrate.upgrade(database_url)
    with UnitOfWork(database_url) as uow:
        seed_demo(uow.session)
        uow.commit()
    env = {
        "DATABASE_URL": database_url,
        "ACTION_SERVER_URL": f"http://127.0.0.1:{_free_port()}",
        "ASSISTANT_VAR_DIR": str(tmp),
    }
    sqlite = load_settings(
        env | {"RASA_URL": f"http://127.0.0.1:{_free_port()}"}, read_dotenv=False
    )
    memory = load_settings(
        env | {"RASA_URL": f"http://127.0.0.1:{_free_port()}"}, read_dotenv=False
    )
    model = ensure_model(PROJECT_ROOT / "var")
    in_memory = tmp / "endpoints-in-memory.yml"  # the template alone: Rasa's default store
    in_memory.write_text(
        (PROJECT_ROOT / "dialogues" / "endpoints.yml")
        .read_text()
        .replace("${ACTION_SERVER_URL}", env["ACTION_SERVER_URL"])
    )
    [actions] = [s for s in stack.services(sqlite, model, 0) if s.name == "actions"]
    [rasa_sqlite] = stack.rasa_servers(sqlite, model, stack.render_endpoints(sqlite))
    [rasa_memory] = stack.rasa_servers(memory, model, in_memory)
    rasa_memory.name = "rasa-memory"
    services = [actions, rasa_sqlite, rasa_memory]
    stack.start(services, stack.child_env(sqlite), tmp / "logs")
    try:
        stack.wait_ready(f"{env['ACTION_SERVER_URL']}/health", services, 300)
        for settings in (sqlite, memory):
            stack.wait_ready(f"{settings.rasa_url}/status", services, 300)
            _conversation(settings.rasa_url, database_url, "+15555558999")  # warm-up
        took: dict[str, list[float]] = {"sqlite": [], "memory": []}
        n = args.concurrency
        with ThreadPoolExecutor(max_workers=n) as pool:
            for batch in range(0, args.conversations, n):  # n at once on one store, then other
                order = (("sqlite", sqlite), ("memory", memory))[:: 1 if batch // n % 2 else -1]
                for name, settings in order:
                    phones = [f"+1555557{i:04d}" for i in range(batch, batch + n)]
                    for turns in pool.map(
                        lambda phone, url=settings.rasa_url: _conversation(
                            url, database_url, phone
                        ),
                        phones,
                    ):
                        took[name] += turns
        print(f"{args.conversations} conversations of {len(SCRIPT)} turns each, {n} at a time")
        for name, values in took.items():
            print(f"  {name:7s} {_summary(values)}")
        p50 = percentile(took["sqlite"], 50) / percentile(took["memory"], 50)
        p95 = percentile(took["sqlite"], 95) / percentile(took["memory"], 95)
        print(f"  sqlite/memory: p50 {p50:.2f}x  p95 {p95:.2f}x")
        for name, values in took.items():  # the longest tracker: the most events to load
            print(
                f"  {name:7s} last turns only: {_summary(values[len(SCRIPT) - 1 :: len(SCRIPT)])}"
            )
    finally:
        stack.stop(services)


if __name__ == "__main__":
    main()
