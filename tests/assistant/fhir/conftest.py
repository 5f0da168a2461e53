"""The demo practice on each backend, seeded for a fixed day, and a clock to match."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from assistant.demo.seed import seed_demo
from assistant.unit_of_work import UnitOfWork
from tests.factories.fhir import (
    TODAY,
    Demo,
)


@pytest.fixture
def demo(db_url: str) -> Iterator[Demo]:
    with UnitOfWork(db_url) as uow:
        summary = seed_demo(uow.session, today=TODAY)
        uow.commit()
        yield Demo(db_url, summary, uow.session)
