"""Shared fixtures.

Database tests take the `db_url` fixture, which runs each test on SQLite *and* PostgreSQL (a
throw-away database on 127.0.0.1:5432, migrated with Alembic once per run and emptied between
tests). In CI (`CI=true`) an unreachable PostgreSQL fails the run instead of skipping.
"""

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

from assistant.db import migrate
from assistant.db.engine import dispose_all, get_engine, limit_postgres_waits
from assistant.db.models import Base
from assistant.unit_of_work import UnitOfWork

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


def _postgres_database() -> Iterator[str]:
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
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture(scope="session")
def _migrated_sqlite(tmp_path_factory: pytest.TempPathFactory) -> str:
    path: Path = tmp_path_factory.mktemp("db") / "test.sqlite3"
    url = f"sqlite:///{path}"
    migrate.upgrade(url)
    return url


@pytest.fixture(scope="session")
def _migrated_postgres() -> Iterator[str]:
    for url in _postgres_database():
        migrate.upgrade(url)
        yield url


def _empty_all_tables(url: str) -> None:
    engine = get_engine(url)
    with engine.begin() as conn:
        if engine.dialect.name == "postgresql":
            names = ", ".join(f'"{t.name}"' for t in Base.metadata.sorted_tables)
            conn.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
        else:
            for table in reversed(Base.metadata.sorted_tables):
                conn.execute(table.delete())


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def db_url(request: pytest.FixtureRequest) -> Iterator[str]:
    """An empty, migrated database; the test runs once per backend."""
    backend = "sqlite" if request.param == "sqlite" else "postgres"
    url = request.getfixturevalue(f"_migrated_{backend}")
    _empty_all_tables(url)
    yield url


@pytest.fixture
def sqlite_url(_migrated_sqlite: str) -> str:
    """SQLite only: for tests whose subject is not the database (the edge, the CLI ...)."""
    _empty_all_tables(_migrated_sqlite)
    return _migrated_sqlite


@pytest.fixture
def uow(db_url: str) -> Iterator[UnitOfWork]:
    with UnitOfWork(db_url) as unit:
        yield unit


@pytest.fixture(autouse=True)
def _database_wait_limit_stays_with_its_test() -> Iterator[None]:
    """`create_app` limits PostgreSQL waits for the whole process (DATABASE_TIMEOUT_SECONDS, 4 s):
    one test's app must not cut the next test's heavy PostgreSQL work (dropping a database, fifty
    concurrent bookings) short on a loaded machine."""
    yield
    limit_postgres_waits(0)
