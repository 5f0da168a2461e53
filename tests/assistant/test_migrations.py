"""The whole migration chain upgrades, downgrades to nothing and upgrades again, on SQLite and
PostgreSQL, and leaves a schema that matches the models (no drift between them)."""

from __future__ import annotations

from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect

from assistant.db import migrate
from assistant.db.engine import get_engine
from assistant.db.models import Base
from tests.conftest import _postgres_database


def _tables(url: str) -> set[str]:
    return set(inspect(get_engine(url)).get_table_names()) - {"alembic_version"}


def _drift(url: str) -> list:
    with get_engine(url).connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        return compare_metadata(context, Base.metadata)


def _full_round_trip(url: str) -> None:
    migrate.upgrade(url)
    assert _tables(url) == set(Base.metadata.tables)
    assert _drift(url) == []
    migrate.downgrade(url, "base")
    assert migrate.current_revision(url) is None
    assert _tables(url) == set()
    migrate.upgrade(url)
    assert _tables(url) == set(Base.metadata.tables)


def test_chain_round_trip_on_sqlite(tmp_path: Path) -> None:
    _full_round_trip(f"sqlite:///{tmp_path / 'chain.sqlite3'}")


@pytest.mark.postgres
def test_chain_round_trip_on_postgres() -> None:
    for url in _postgres_database():
        _full_round_trip(url)
