"""Test databases: a throw-away PostgreSQL database, emptying tables, private spool directories."""

from __future__ import annotations

import atexit
import os
import shutil
import tempfile
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from assistant.db.engine import dispose_all, get_engine
from assistant.db.models import Base

PG_ADMIN_URL = os.environ.get("TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/postgres")


IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")


# The spool (Twilio requests kept while the database is down) of every test app, worker and
# command is a temporary directory, never the project's var/spool: a replay in a test must not
# take a developer's spooled items into a test database.
_SPOOL_ROOT = Path(tempfile.mkdtemp(prefix="assistant-test-spools-"))
atexit.register(shutil.rmtree, _SPOOL_ROOT, ignore_errors=True)
os.environ.setdefault("SPOOL_DIR", str(_SPOOL_ROOT / "from-environment"))


def fresh_spool_dir() -> str:
    """An empty spool directory of its own (settings built from an explicit env take one)."""
    return tempfile.mkdtemp(prefix="spool-", dir=_SPOOL_ROOT)


def postgres_database() -> Iterator[str]:
    """An empty PostgreSQL database of its own, dropped afterwards (a skip locally, a failure in
    CI, when PostgreSQL is not reachable)."""
    name = f"assistant_test_{uuid.uuid4().hex[:10]}"
    admin = create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT", future=True)
    try:
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
    except Exception as exc:  # noqa: BLE001 - any connection problem means "no PostgreSQL"
        admin.dispose()
        message = f"PostgreSQL not reachable at {PG_ADMIN_URL}: {type(exc).__name__}"
        if IN_CI:
            pytest.fail(message + " (CI must run the PostgreSQL tests)", pytrace=False)
        pytest.skip(message)
    url = PG_ADMIN_URL.rsplit("/", 1)[0] + f"/{name}"
    try:
        yield url
    finally:
        dispose_all()
        with admin.connect() as conn:  # a fault test may have blocked connections to it
            conn.execute(text(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS true'))
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def empty_all_tables(url: str) -> None:
    engine = get_engine(url)
    with engine.begin() as conn:
        if engine.dialect.name == "postgresql":
            names = ", ".join(f'"{t.name}"' for t in Base.metadata.sorted_tables)
            conn.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
        else:
            for table in reversed(Base.metadata.sorted_tables):
                conn.execute(table.delete())
