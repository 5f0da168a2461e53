"""Shared pieces of the reliability suite: Twilio's side of a call (signed POSTs), a dialogue
stand-in that answers every turn, and checks on what Twilio would receive."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from werkzeug.serving import make_server

from assistant import stack
from assistant.config import Settings
from assistant.db import migrate
from assistant.demo.seed import DemoSummary, seed_demo
from assistant.unit_of_work import UnitOfWork
from tests.factories.databases import empty_all_tables, postgres_database
from tests.factories.reliability import (
    ScriptedRasa,
    seed_practice,
)
from tests.factories.webhooks import sms_texter
from webhooks import rasa_client


@pytest.fixture
def scripted_rasa() -> Iterator[ScriptedRasa]:
    fake = ScriptedRasa()
    server = make_server("127.0.0.1", 0, fake.wsgi, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    fake.url = f"http://127.0.0.1:{server.server_port}"
    yield fake
    server.shutdown()


# Real Rasa servers behind the app (test_scaling.py, test_rasa_faults.py): each module starts its
# own set once and defines a `two_servers` fixture giving (settings, services by name); the
# fixtures below work on whichever set the module started.


@pytest.fixture(scope="module")
def tracker_store_url() -> Iterator[str]:
    yield from postgres_database()


@pytest.fixture
def demo(two_servers: tuple[Settings, dict[str, stack.Service]]) -> DemoSummary:
    settings, _ = two_servers
    empty_all_tables(settings.database_url)
    with UnitOfWork(settings.database_url) as uow:
        summary = seed_demo(uow.session)
        uow.commit()
    return summary


@pytest.fixture
def served_by(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The Rasa server that answered each turn (attempts on a dead server are not listed)."""
    answered: list[str] = []
    post_turn = rasa_client._post_turn

    def recording(server: str, payload: dict[str, Any], timeout: float) -> Any:
        items = post_turn(server, payload, timeout)
        answered.append(server)
        return items

    monkeypatch.setattr(rasa_client, "_post_turn", recording)
    return answered


@pytest.fixture
def say(two_servers: tuple[Settings, dict[str, stack.Service]]) -> Callable[[str, str], str]:
    """One signed SMS as Twilio sends it; returns the one text the patient reads."""
    return sms_texter(two_servers[0])


@pytest.fixture
def own_postgres() -> Iterator[str]:
    """A migrated PostgreSQL database of this test's own (dropped or blocked by the test)."""
    for url in postgres_database():
        migrate.upgrade(url)
        seed_practice(url)
        yield url
