"""Shared fixtures.

Database tests take the `db_url` fixture, which runs each test on SQLite *and* PostgreSQL (a
throw-away database on 127.0.0.1:5432, migrated with Alembic once per run and emptied between
tests). In CI (`CI=true`) an unreachable PostgreSQL fails the run instead of skipping.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from assistant.db import migrate
from assistant.db.engine import limit_postgres_waits
from assistant.unit_of_work import UnitOfWork
from tests.assistant.reminders.fake_twilio import FakeTwilio
from tests.browsers import chromium
from tests.factories.databases import (
    IN_CI,
    empty_all_tables,
    postgres_database,
)
from tests.prism import PrismUnavailable, running_prism


@pytest.fixture(scope="session")
def _migrated_sqlite(tmp_path_factory: pytest.TempPathFactory) -> str:
    path: Path = tmp_path_factory.mktemp("db") / "test.sqlite3"
    url = f"sqlite:///{path}"
    migrate.upgrade(url)
    return url


@pytest.fixture(scope="session")
def _migrated_postgres() -> Iterator[str]:
    for url in postgres_database():
        migrate.upgrade(url)
        yield url


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def db_url(request: pytest.FixtureRequest) -> Iterator[str]:
    """An empty, migrated database; the test runs once per backend."""
    backend = "sqlite" if request.param == "sqlite" else "postgres"
    url = request.getfixturevalue(f"_migrated_{backend}")
    empty_all_tables(url)
    yield url


@pytest.fixture
def sqlite_url(_migrated_sqlite: str) -> str:
    """SQLite only: for tests whose subject is not the database (the edge, the CLI ...)."""
    empty_all_tables(_migrated_sqlite)
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


# Twilio stand-ins: Prism (its REST API from the OpenAPI description) and a scripted fake.
@pytest.fixture(scope="session")
def prism_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    log = tmp_path_factory.mktemp("prism") / "prism.log"
    try:
        with running_prism(log) as url:
            yield url
    except PrismUnavailable as exc:
        if IN_CI:
            pytest.fail(str(exc), pytrace=False)
        pytest.skip(str(exc))


@pytest.fixture
def fake_twilio() -> Iterator[FakeTwilio]:
    with FakeTwilio() as fake:
        yield fake


# Debian's Chromium, driven by Playwright, for every browser test (the console's, the portal's,
# the real-stack chat): one per test module, closed when the module ends. Two sync Playwrights
# side by side fail to start, and a live one keeps an event loop running in the main thread,
# where later tests' `asyncio.run()` would then fail: neither may outlive its module.
@pytest.fixture(scope="module")
def browser():
    """One Chromium for a module's browser tests (tests/browsers.py)."""
    with chromium() as launched:
        yield launched
