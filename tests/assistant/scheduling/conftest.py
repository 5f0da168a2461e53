"""Fixtures of the scheduling tests: a small clinic on each backend, and PostgreSQL only."""

from __future__ import annotations

import pytest

from tests.factories.databases import empty_all_tables
from tests.factories.scheduling import Clinic, build_clinic


@pytest.fixture
def pg_url(_migrated_postgres: str) -> str:
    """PostgreSQL only (migrated, emptied): for tests about real concurrency."""
    empty_all_tables(_migrated_postgres)
    return _migrated_postgres


@pytest.fixture
def clinic(db_url: str) -> Clinic:
    return build_clinic(db_url)
