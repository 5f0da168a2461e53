"""Actions run as the action server runs them: a rasa_sdk Tracker, a CollectingDispatcher and a
real (SQLite) database, with the demo practice. Settings point the actions at that database."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from assistant.demo.seed import seed_demo
from assistant.unit_of_work import UnitOfWork
from dialogues.actions import context


@pytest.fixture
def demo(sqlite_url: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    with UnitOfWork(sqlite_url) as uow:
        summary = seed_demo(uow.session)
        uow.commit()
    monkeypatch.setenv("DATABASE_URL", sqlite_url)
    context.settings.cache_clear()
    yield summary
    context.settings.cache_clear()
