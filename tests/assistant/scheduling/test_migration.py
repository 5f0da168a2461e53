"""Migration 0002 upgrades and downgrades on both databases, and keeps the overlap guard."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import inspect

from assistant.db import migrate
from assistant.db.engine import get_engine
from tests.factories.databases import postgres_database

NEW_TABLES = {"waitlist_entries", "waitlist_offers"}


def _round_trip(url: str) -> None:
    migrate.upgrade(url, "0001")
    assert not NEW_TABLES & set(inspect(get_engine(url)).get_table_names())
    migrate.upgrade(url, "0002")  # not "head": later revisions are not this test's business
    assert migrate.current_revision(url) == "0002"
    assert set(inspect(get_engine(url)).get_table_names()) >= NEW_TABLES
    migrate.downgrade(url, "0001")
    assert migrate.current_revision(url) == "0001"
    assert not NEW_TABLES & set(inspect(get_engine(url)).get_table_names())
    migrate.upgrade(url, "0002")
    assert migrate.current_revision(url) == "0002"


def test_round_trip_on_sqlite(tmp_path: Path) -> None:
    _round_trip(f"sqlite:///{tmp_path / 'm.sqlite3'}")


@pytest.mark.postgres
def test_round_trip_on_postgres() -> None:
    for url in postgres_database():
        _round_trip(url)
