"""The local supervisor: a process that dies is noticed, and stopping leaves nothing behind."""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

from assistant import stack

SLEEPER = [sys.executable, "-c", "import time; time.sleep(60)"]
# A parent that starts a grandchild, as gunicorn and Rasa do.
PARENT = [
    sys.executable,
    "-c",
    "import subprocess, sys, time; "
    "p = subprocess.Popen([sys.executable, '-c', 'import time; time.sleep(60)']); "
    "print(p.pid, flush=True); time.sleep(60)",
]


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # A zombie still answers kill(0); look at its state.
    stat = Path(f"/proc/{pid}/stat")
    return stat.exists() and stat.read_text().split()[2] != "Z"


def test_a_dead_service_is_reported_and_stop_cleans_up_grandchildren(tmp_path: Path) -> None:
    services = [stack.Service("sleeper", SLEEPER), stack.Service("parent", PARENT)]
    stack.start(services, dict(os.environ), tmp_path)
    try:
        deadline = time.monotonic() + 10
        log = tmp_path / "parent.log"
        while time.monotonic() < deadline and not log.read_text().strip():
            time.sleep(0.1)
        grandchild = int(log.read_text().split()[0])
        assert stack.dead(services) is None
        services[0].process.kill()
        services[0].process.wait()
        died = stack.dead(services)
        assert died is not None and died.name == "sleeper"
    finally:
        stack.stop(services, grace_seconds=5)
    assert services[1].process.poll() is not None
    deadline = time.monotonic() + 5
    while _alive(grandchild) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not _alive(grandchild)


def _settings(tmp_path: Path, **env: str):
    from assistant.config import load_settings

    return load_settings({"ASSISTANT_VAR_DIR": str(tmp_path), **env}, read_dotenv=False)


def _tracker_store(endpoints: Path) -> dict:
    import yaml

    return yaml.safe_load(endpoints.read_text()).get("tracker_store")


def test_one_rasa_server_keeps_its_conversations_in_a_sqlite_file(tmp_path: Path) -> None:
    """A Rasa server restarted by the supervisor finds the conversations in progress."""
    endpoints = stack.render_endpoints(_settings(tmp_path, RASA_URL="http://127.0.0.1:5305"))
    path = tmp_path / "rasa-tracker.sqlite3"
    assert _tracker_store(endpoints) == {"type": "SQL", "dialect": "sqlite", "db": str(path)}
    assert stack.sql_tracker_store("sqlite:///t.sqlite3")["db"] == str(Path.cwd() / "t.sqlite3")


def test_several_rasa_servers_get_no_default_tracker_store(tmp_path: Path) -> None:
    """They would need a lock store too: RASA_TRACKER_STORE_URL and RASA_LOCK_STORE_URL."""
    settings = _settings(tmp_path, RASA_URL="http://127.0.0.1:5305,http://127.0.0.1:5306")
    assert _tracker_store(stack.render_endpoints(settings)) is None
    db = tmp_path / "elsewhere" / "t.db"
    explicit = _settings(
        tmp_path, RASA_URL=settings.rasa_url, RASA_TRACKER_STORE_URL=f"sqlite:///{db}"
    )
    assert _tracker_store(stack.render_endpoints(explicit))["db"] == str(db)


def _serving(body: bytes):
    """A local HTTP server answering every GET with `body` (JSON)."""
    import threading
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 - http.server's name
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def test_wait_ready_waits_for_a_rasa_server_with_a_model():
    import pytest

    loaded = _serving(b'{"model_file": "assistant.tar.gz"}')
    loading = _serving(b'{"model_file": null}')
    try:
        stack.wait_ready(f"http://127.0.0.1:{loaded.server_port}/status", [], 5)
        with pytest.raises(TimeoutError, match="not ready after 1"):
            stack.wait_ready(f"http://127.0.0.1:{loading.server_port}/status", [], 1)
    finally:
        loaded.shutdown()
        loading.shutdown()


def test_wait_ready_stops_when_a_service_dies():
    import subprocess

    import pytest

    died = stack.Service("rasa", [sys.executable, "-c", "raise SystemExit(3)"])
    died.process = subprocess.Popen(died.argv)
    died.process.wait()
    with pytest.raises(RuntimeError, match="rasa exited with 3"):
        stack.wait_ready("http://127.0.0.1:9/status", [died], 30)


def test_rasa_keeps_the_real_clock_when_the_suite_moves_it() -> None:
    """Under libfaketime (scripts/test-shifted-clock.sh) Rasa's TensorFlow never loads a model:
    the Rasa server and training get the real clock, everything else the moved one."""
    from assistant.stack import real_clock_env

    moved = {"LD_PRELOAD": "/usr/lib/faketime/libfaketime.so.1", "FAKETIME": "+365d",
             "FAKETIME_DONT_FAKE_MONOTONIC": "1", "PATH": "/usr/bin"}  # fmt: skip
    assert real_clock_env(moved) == {"PATH": "/usr/bin"}
