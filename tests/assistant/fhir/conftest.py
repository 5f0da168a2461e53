"""The demo practice on each backend, seeded for a fixed day, and a clock to match."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, timezone

import pytest
from sqlalchemy.orm import Session

from assistant.demo.seed import DemoSummary, seed_demo
from assistant.unit_of_work import UnitOfWork

TODAY = date(2026, 6, 1)  # a Monday; the seeded appointments start on Tuesday 2 June
NOW = datetime(2026, 6, 1, 14, 0, tzinfo=timezone.utc)
BASE = "https://clinic.example.org/fhir/R4"
ACTOR = "fhir:test-ehr"


@dataclass
class Demo:
    url: str
    summary: DemoSummary
    session: Session

    @property
    def practice_id(self) -> int:
        return self.summary.practice_id


@pytest.fixture
def demo(db_url: str) -> Iterator[Demo]:
    with UnitOfWork(db_url) as uow:
        summary = seed_demo(uow.session, today=TODAY)
        uow.commit()
        yield Demo(db_url, summary, uow.session)
