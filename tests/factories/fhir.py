"""FHIR test constants and the seeded demo practice they refer to."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timezone

from sqlalchemy.orm import Session

from assistant.demo.seed import DemoSummary

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
