"""Fixtures of the scheduling tests: a small clinic on each backend, and PostgreSQL only."""

from __future__ import annotations

import pytest

from tests.assistant.scheduling.builders import Clinic, build_clinic
from tests.conftest import _empty_all_tables


@pytest.fixture
def pg_url(_migrated_postgres: str) -> str:
    """PostgreSQL only (migrated, emptied): for tests about real concurrency."""
    _empty_all_tables(_migrated_postgres)
    return _migrated_postgres


@pytest.fixture
def clinic(db_url: str) -> Clinic:
    return build_clinic(db_url)
