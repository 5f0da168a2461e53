"""Turn latency at the Twilio edge: signed SMS in -> TwiML out, through the real stack.

Starts the action server, the Rasa server and the web app (gunicorn) on loopback, seeds the demo
practice in a fresh database, then plays simultaneous SMS conversations and reports p50/p95/p99
per turn at each concurrency, next to a bare Rasa REST turn measured in the same run: edge and
bare conversations are interleaved in one pool (edge, bare, edge, ...) so that both see the same
load, and each level is played `--runs` times (default 3) and the median of each figure reported.

    .venv/bin/python bench/turn_latency.py [--concurrency 1 10 50] [--turns 4] [--think 0.2]
        [--runs 3] [--database-url postgresql://postgres@127.0.0.1:5432/bench]
    .venv/bin/python bench/turn_latency.py --in-process 30 [--database-url ...]  # the edge alone
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


def _level(sim: TwilioSimulator, rasa_url: str, url: str, n: int, turns: int, run: int):
    """One run at `n` conversations at once: edge and bare conversations interleaved in one pool
    (edge, bare, edge, ...), so both sides see the same load at the same moments."""
    edge: list[float] = []
    bare: list[float] = []
    with ThreadPoolExecutor(max_workers=n) as pool:
        jobs = []
        for i in range(max(n, MIN_CONVERSATIONS)):
            number = f"{run}{n:03d}{i:04d}"
            jobs.append(pool.submit(_conversation, sim, f"+155{number}", turns, edge))
            jobs.append(pool.submit(_bare_rasa, rasa_url, url, f"+166{number}", turns, bare))
        for job in jobs:
            job.result()  # a failed turn fails the benchmark instead of vanishing
    return edge, bare


def _figures(edge: list[float], bare: list[float]) -> dict[str, float]:
    return {
        "edge p50": statistics.median(edge) * 1000,
        "edge p95": percentile(edge, 95) * 1000,
        "edge p99": percentile(edge, 99) * 1000,
        "bare p50": statistics.median(bare) * 1000,
        "bare p95": percentile(bare, 95) * 1000,
        "p50 ratio": statistics.median(edge) / statistics.median(bare),
        "p95 ratio": percentile(edge, 95) / percentile(bare, 95),
    }


def _print_figures(label: str, figures: dict[str, float]) -> None:
    print(
        f"{label}  edge p50 {figures['edge p50']:6.1f} p95 {figures['edge p95']:6.1f}"
        f" p99 {figures['edge p99']:6.1f} ms  bare p50 {figures['bare p50']:6.1f}"
        f" p95 {figures['bare p95']:6.1f} ms  edge/bare p50 {figures['p50 ratio']:.2f}x"
        f" p95 {figures['p95 ratio']:.2f}x"
    )


def run(concurrency: list[int], turns: int, database_url: str | None, runs: int) -> None:
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
            f"think time {THINK_SECONDS} s, runs per level: {runs} (median reported), "
            f"load average {os.getloadavg()[0]:.2f}"
        )
        failures_before = _dialogue_failures(tmp / "logs" / "app.log")
        for n in concurrency:
            results = []
            for run_index in range(1, runs + 1):
                edge, bare = _level(sim, settings.rasa_url, url, n, turns, run_index)
                results.append(_figures(edge, bare))
                _print_figures(f"{n:3d} concurrent  run {run_index}", results[-1])
            median = {k: statistics.median(r[k] for r in results) for k in results[0]}
            failed = _dialogue_failures(tmp / "logs" / "app.log") - failures_before
            failures_before += failed
            _print_figures(f"{n:3d} concurrent  MEDIAN", median)
            print(
                f"{n:3d} concurrent  turns the edge answered without the dialogue: {failed};"
                f" load average {os.getloadavg()[0]:.2f}"
            )
    finally:
        stack.stop(services)


def _instant_dialogue() -> str:
    """A loopback stand-in for Rasa's REST channel that answers at once: what is left of a turn
    is the edge's own work."""
    import json
    import threading

    from werkzeug.serving import make_server

    def answer(environ, start_response):
        environ["wsgi.input"].read(int(environ.get("CONTENT_LENGTH") or 0))
        start_response("200 OK", [("Content-Type", "application/json")])
        return [json.dumps([{"recipient_id": "bench", "text": "We open at 8 AM."}]).encode()]

    server = make_server("127.0.0.1", 0, answer, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return f"http://127.0.0.1:{server.server_port}"


def in_process(conversations: int, database_url: str | None) -> None:
    """The edge alone (`--in-process`): signed SMS turns through the Flask test client, the
    dialogue answering instantly; time, SQL statements, commits and pool checkouts per turn."""
    from sqlalchemy import event
    from twilio.request_validator import RequestValidator

    from assistant.db.engine import get_engine
    from webhooks import create_app

    tmp = Path(tempfile.mkdtemp(prefix="bench-"))
    url = database_url or f"sqlite:///{tmp / 'bench.sqlite3'}"
    env = {
        "DATABASE_URL": url,
        "RASA_URL": _instant_dialogue(),
        "PUBLIC_BASE_URL": "https://clinic.example.org",
        "RASA_TIMEOUT_SECONDS": "10",
        "ASSISTANT_VAR_DIR": str(tmp),
        "SPOOL_DIR": str(tmp / "spool"),
    }
    settings = load_settings(env, read_dotenv=False)
    migrate.upgrade(url)
    with UnitOfWork(url) as uow:
        seed_demo(uow.session)
        uow.commit()
    client = create_app(settings).test_client()
    counts = {"statements": 0, "commits": 0, "checkouts": 0}
    engine = get_engine(url)

    def count(name):
        return lambda *_args: counts.__setitem__(name, counts[name] + 1)

    event.listen(engine, "before_cursor_execute", count("statements"))
    event.listen(engine, "commit", count("commits"))
    event.listen(engine.pool, "checkout", count("checkouts"))
    signer = RequestValidator(settings.webhook_auth_token)
    times, per_turn = [], []
    for i in range(conversations):
        for n, body in enumerate(SCRIPT):
            form = {"MessageSid": f"SM{i:08d}{n:024d}", "From": f"+1555{i:07d}",
                    "To": "+15555550100", "Body": body}  # fmt: skip
            headers = {"X-Twilio-Signature": signer.compute_signature(
                f"{settings.public_base_url}/twilio/sms", form)}  # fmt: skip
            before, started = dict(counts), time.perf_counter()
            if client.post("/twilio/sms", data=form, headers=headers).status_code != 200:
                raise RuntimeError(f"turn {body!r} failed")
            times.append(time.perf_counter() - started)
            per_turn.append({k: counts[k] - before[k] for k in counts})
    print(f"database: {url.split('://')[0]}, in process, dialogue answering instantly, "
          f"load average {os.getloadavg()[0]:.2f}")  # fmt: skip
    print(f"edge alone: {summary(times[len(SCRIPT) :])}")  # the first conversation warms up
    for name in counts:
        mean = statistics.mean(t[name] for t in per_turn)
        print(f"  {name} per turn: {mean:.2f}")


def main() -> None:
    global THINK_SECONDS
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--concurrency", type=int, nargs="+", default=[1, 10, 50])
    parser.add_argument("--turns", type=int, default=4)
    parser.add_argument("--database-url")
    parser.add_argument("--runs", type=int, default=3, help="runs per level (median reported)")
    parser.add_argument(
        "--in-process",
        type=int,
        metavar="CONVERSATIONS",
        help="measure the edge alone, in process, with an instant dialogue (no stack)",
    )
    parser.add_argument(
        "--think", type=float, default=THINK_SECONDS, help="seconds between a reply and the next"
    )
    args = parser.parse_args()
    random.seed(1)
    THINK_SECONDS = args.think
    if args.in_process:
        in_process(args.in_process, args.database_url)
        return
    run(args.concurrency, args.turns, args.database_url, args.runs)


if __name__ == "__main__":
    main()
