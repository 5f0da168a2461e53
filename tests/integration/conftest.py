"""A real Rasa server and action server, started once for the integration tests.

They run as separate processes (as in production) on free loopback ports, against a migrated
SQLite file that the tests and the action server share. The Flask app runs in-process.
"""

from __future__ import annotations

import socket
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from assistant import stack
from assistant.config import PROJECT_ROOT, Settings
from assistant.db import migrate
from assistant.demo.seed import DemoSummary, seed_demo
from assistant.rasa_model import ensure_model
from assistant.unit_of_work import UnitOfWork
from tests.factories.databases import empty_all_tables
from tests.factories.dialogues import bench_suite
from tests.factories.webhooks import make_settings


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="session")
def dialogue_settings(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Settings]:
    db_path: Path = tmp_path_factory.mktemp("integration") / "assistant.sqlite3"
    database_url = f"sqlite:///{db_path}"
    migrate.upgrade(database_url)
    settings = make_settings(
        database_url,
        RASA_URL=f"http://127.0.0.1:{_free_port()}",
        ACTION_SERVER_URL=f"http://127.0.0.1:{_free_port()}",
        RASA_TIMEOUT_SECONDS="10",
    )
    model = ensure_model(PROJECT_ROOT / "var")
    services = [
        s for s in stack.services(settings, model, app_port=0) if s.name in ("rasa", "actions")
    ]
    log_dir = tmp_path_factory.mktemp("logs")
    stack.start(services, stack.child_env(settings), log_dir)
    try:
        stack.wait_ready(f"{settings.action_server_url}/health", services, 120)
        stack.wait_ready(f"{settings.rasa_url}/status", services, 240)
        yield settings
    finally:
        stack.stop(services)


@pytest.fixture
def live_db(dialogue_settings: Settings) -> str:
    empty_all_tables(dialogue_settings.database_url)
    return dialogue_settings.database_url


@pytest.fixture
def demo(live_db: str) -> DemoSummary:
    """The demo practice, seeded for the practice's today."""
    with UnitOfWork(live_db) as uow:
        summary = seed_demo(uow.session)
        uow.commit()
    return summary


@pytest.fixture(scope="module")
def sim(dialogue_settings: Settings) -> Any:
    """A Twilio simulator posting to the app in-process (bench/conversation_suite.py's)."""
    return bench_suite().simulator(dialogue_settings)
