"""Starting the Rasa server, the action server and the web app together, and stopping them.

Each runs as its own process (as in production). If one dies after start-up, it is started again
(assistant/supervisor.py); Ctrl-C stops them all cleanly.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlparse

import requests

from assistant.config import PROJECT_ROOT, Settings

# The patient's words are redacted from the Rasa server's log (dialogues/log_redaction.py).
RASA_LOGGING = PROJECT_ROOT / "dialogues" / "logging.yml"


@dataclass
class Service:
    name: str
    argv: list[str]
    process: subprocess.Popen | None = None

    @property
    def returncode(self) -> int | None:
        """The exit code once the process has exited (None while it runs or before it starts)."""
        return self.process.returncode if self.process is not None else None


def _bin(name: str) -> str:
    return str(Path(sys.executable).with_name(name))


def _port(url: str, default: int) -> int:
    return urlparse(url).port or default


def render_endpoints(settings: Settings) -> Path:
    """dialogues/endpoints.yml with the action server's URL filled in (Rasa 3.6 does not expand
    environment variables inside a longer string there)."""
    template = (PROJECT_ROOT / "dialogues" / "endpoints.yml").read_text()
    rendered = settings.var_dir / "run" / f"endpoints-{_port(settings.action_server_url, 5055)}.yml"
    rendered.parent.mkdir(parents=True, exist_ok=True)
    text = template.replace("${ACTION_SERVER_URL}", settings.action_server_url)
    stores = _stores(settings)
    if stores:
        text += "".join(_yaml_section(name, values) for name, values in stores.items())
    rendered.write_text(text)
    return rendered


def _stores(settings: Settings) -> dict[str, Any]:
    """Rasa's tracker store and lock store (RASA_TRACKER_STORE_URL, RASA_LOCK_STORE_URL), in the
    form Rasa's endpoints.yml documents."""
    stores: dict[str, Any] = {}
    tracker_store_url = settings.rasa_tracker_store_url or local_tracker_store_url(settings)
    if tracker_store_url:
        stores["tracker_store"] = sql_tracker_store(tracker_store_url)
    if settings.rasa_lock_store_url:
        stores["lock_store"] = redis_lock_store(settings.rasa_lock_store_url)
    return stores


def _yaml_section(name: str, values: dict[str, Any]) -> str:
    """A mapping of scalars as YAML (JSON scalars are YAML scalars)."""
    lines = "".join(f"  {key}: {json.dumps(value)}\n" for key, value in values.items())
    return f"{name}:\n{lines}"


def local_tracker_store_url(settings: Settings) -> str | None:
    """With one Rasa server and no RASA_TRACKER_STORE_URL: a SQLite file in the var dir, so that
    a Rasa server restarted by the supervisor carries on its conversations (Rasa's in-memory
    default forgets them: a patient half-way through verification would start over). Several
    servers keep Rasa's default: they need a shared store and a lock store, set explicitly."""
    if len(settings.rasa_urls) != 1:
        return None
    return f"sqlite:///{settings.var_dir / 'rasa-tracker.sqlite3'}"


def sql_tracker_store(url: str) -> dict[str, Any]:
    """postgresql://user:password@host:port/db, or sqlite:///path (relative to the current
    directory) and sqlite:////absolute/path, as SQLAlchemy spells them."""
    if url.startswith("sqlite:///"):
        path = Path(unquote(url[len("sqlite:///") :])).resolve()
        path.parent.mkdir(parents=True, exist_ok=True)
        return {"type": "SQL", "dialect": "sqlite", "db": str(path)}
    parsed = urlparse(url)
    store: dict[str, Any] = {
        "type": "SQL",
        "dialect": "postgresql",
        "url": parsed.hostname or "127.0.0.1",
        "port": parsed.port or 5432,
        "db": parsed.path.lstrip("/"),
        "username": unquote(parsed.username or "postgres"),
    }
    if parsed.password:
        store["password"] = unquote(parsed.password)
    return store


LOCK_STORE_SOCKET_TIMEOUT_SECONDS = 1.0


def redis_lock_store(url: str) -> dict[str, Any]:
    parsed = urlparse(url)
    store: dict[str, Any] = {
        "type": "redis",
        "url": parsed.hostname or "127.0.0.1",
        "port": parsed.port or 6379,
        "db": int(parsed.path.lstrip("/") or 0),
        "key_prefix": "frontdesk",
        # Rasa calls Redis synchronously: a Redis that does not answer stalls the whole server
        # (all its conversations) for this long per call; Rasa's default is 10 s.
        "socket_timeout": LOCK_STORE_SOCKET_TIMEOUT_SECONDS,
    }
    if parsed.password:
        store["password"] = unquote(parsed.password)
    return store


def services(settings: Settings, model: Path, app_port: int) -> list[Service]:
    """The action server, one Rasa server per URL in RASA_URL ("rasa", "rasa-2", ...), the app
    and the reminder worker."""
    actions_port = _port(settings.action_server_url, 5055)
    endpoints = render_endpoints(settings)
    return [
        Service(
            "actions",
            [_bin("rasa"), "run", "actions", "--actions", "dialogues.actions",
             "--port", str(actions_port)],
        ),
        *rasa_servers(settings, model, endpoints),
        Service(
            "app",
            [_bin("gunicorn"), "--workers", "2", "--threads", "8", "--timeout", "30",
             "--bind", f"127.0.0.1:{app_port}", "webhooks.wsgi:app"],
        ),
        _reminders(settings),
    ]  # fmt: skip


def rasa_servers(settings: Settings, model: Path, endpoints: Path) -> list[Service]:
    return [
        Service(
            "rasa" if index == 0 else f"rasa-{index + 1}",
            [_bin("rasa"), "run", "--enable-api", "--model", str(model),
             "--endpoints", str(endpoints), "--logging-config-file", str(RASA_LOGGING),
             "--interface", "127.0.0.1", "--port", str(_port(url, 5005))],
        )
        for index, url in enumerate(settings.rasa_urls)
    ]  # fmt: skip


def _reminders(settings: Settings) -> Service:
    """The embedded reminder worker; with REMINDER_BROKER_URL, a Celery worker with its beat
    (one process locally; production runs `worker` and a single `beat` separately)."""
    if settings.reminder_broker_url:
        return Service(
            "reminders",
            [_bin("celery"), "-A", "assistant.reminders.celery_app", "worker", "--beat",
             "--pool", "solo", "--loglevel", "INFO"],
        )  # fmt: skip
    return Service("reminders", [_bin("assistant"), "reminders-worker"])


def child_env(settings: Settings) -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = str(PROJECT_ROOT)
    env["ACTION_SERVER_URL"] = settings.action_server_url
    env["DATABASE_URL"] = settings.database_url
    env["SPOOL_DIR"] = str(settings.spool_dir.resolve())  # the web app keeps, the worker replays
    env.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    # Read by rasa.core.lock_store at import: how long a conversation stays locked by a server
    # that died mid-turn (Rasa's default: 60 s).
    env["TICKET_LOCK_LIFETIME"] = str(settings.rasa_lock_lifetime_seconds)
    return env


def interrupt_on_signals() -> None:
    """Ctrl-C and `kill` both stop the stack cleanly (a shell may start us ignoring SIGINT)."""

    def _raise(signum, _frame):
        raise KeyboardInterrupt(signal.Signals(signum).name)

    signal.signal(signal.SIGINT, _raise)
    signal.signal(signal.SIGTERM, _raise)


def start(services_: list[Service], env: dict[str, str], log_dir: Path) -> None:
    for service in services_:
        start_one(service, env, log_dir)


# libfaketime's variables (the test suite with a moved clock, scripts/test-shifted-clock.sh).
_FAKED_CLOCK = ("LD_PRELOAD", "FAKETIME")


def real_clock_env(env: dict[str, str]) -> dict[str, str]:
    """`env` without a faked clock: Rasa's TensorFlow never finishes loading (or training) a
    model under libfaketime. The Rasa server decides nothing by the date; the action server,
    which does, keeps the moved clock."""
    return {k: v for k, v in env.items() if not k.startswith(_FAKED_CLOCK)}


def start_one(service: Service, env: dict[str, str], log_dir: Path) -> None:
    """Start (or start again) one service, appending to its log file."""
    if service.name.startswith("rasa"):
        env = real_clock_env(env)
    log_dir.mkdir(parents=True, exist_ok=True)
    with open(log_dir / f"{service.name}.log", "ab") as log_file:  # the child keeps its copy
        service.process = subprocess.Popen(
            service.argv,
            cwd=PROJECT_ROOT,
            env=env,
            stdout=log_file,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group: we stop it and its children
        )


def kill_leftovers(service: Service) -> None:
    """After a service's main process exited: kill what remains of its process group (workers
    that would keep its port)."""
    if service.process is None:
        return
    with contextlib.suppress(ProcessLookupError, PermissionError):  # nothing left
        os.killpg(service.process.pid, signal.SIGKILL)


def stop(services_: list[Service], grace_seconds: float = 10.0) -> None:
    for service in services_:
        if service.process and service.process.poll() is None:
            os.killpg(service.process.pid, signal.SIGTERM)
    deadline = time.monotonic() + grace_seconds
    for service in services_:
        if service.process is None:
            continue
        try:
            service.process.wait(timeout=max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            os.killpg(service.process.pid, signal.SIGKILL)
            service.process.wait()


def dead(services_: list[Service]) -> Service | None:
    for service in services_:
        if service.process is not None and service.process.poll() is not None:
            return service
    return None


def wait_ready(url: str, services_: list[Service], timeout: float) -> None:
    """Poll `url` until it answers 2xx (a Rasa server's /status: with a model loaded). Raises
    RuntimeError when one of `services_` dies first, TimeoutError when time runs out."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if died := dead(services_):
            raise RuntimeError(f"{died.name} exited with {died.returncode}")
        try:
            response = requests.get(url, timeout=2)
            if response.ok and (not url.endswith("/status") or _has_model(response)):
                return
        except requests.RequestException:
            pass
        time.sleep(0.5)
    raise TimeoutError(f"{url} not ready after {timeout} s")


def _has_model(response: requests.Response) -> bool:
    try:
        body = response.json()
    except ValueError:
        return False
    return isinstance(body, dict) and bool(body.get("model_file"))


def wait_healthy(
    base_url: str, services_: list[Service], timeout: float = 300.0
) -> tuple[bool, dict]:
    """Poll /healthz until everything is up, a service dies, or time runs out."""
    deadline = time.monotonic() + timeout
    checks: dict = {}
    while time.monotonic() < deadline:
        if dead(services_):
            return False, checks
        try:
            response = requests.get(f"{base_url}/healthz", timeout=3)
            checks = response.json().get("checks", {})
            if response.status_code == 200:
                return True, checks
        except (requests.RequestException, ValueError):
            pass
        time.sleep(1.0)
    return False, checks
