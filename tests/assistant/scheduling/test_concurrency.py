"""Many patients, one slot: exactly one gets it, everyone else is told so with alternatives."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import date

import pytest

from assistant.actor import Actor
from assistant.db.models import Patient
from assistant.scheduling import operations
from assistant.scheduling.errors import SlotTaken
from assistant.scheduling.securing import SlotRequest
from assistant.unit_of_work import UnitOfWork
from tests.factories.scheduling import NOW, Clinic, at, build_clinic


def _patients(clinic: Clinic, count: int) -> list[int]:
    with UnitOfWork(clinic.url) as uow:
        patients = [
            Patient(
                practice_id=clinic.practice_id,
                first_name=f"P{i}",
                last_name="Race",
                date_of_birth=date(1990, 1, 1),
            )
            for i in range(count)
        ]
        uow.session.add_all(patients)
        uow.commit()
        return [p.id for p in patients]


def _race(clinic: Clinic, starts: list[str], type_code: str) -> list[tuple[str, object]]:
    """Every thread books its start at the same moment, each in its own unit of work."""
    patients = _patients(clinic, len(starts))
    barrier = threading.Barrier(len(starts))

    def attempt(i: int) -> tuple[str, object]:
        barrier.wait()
        try:
            with UnitOfWork(clinic.url) as uow:
                appointment = operations.book(
                    uow.session,
                    SlotRequest(
                        patients[i],
                        clinic.providers["Ada"],
                        clinic.location_id,
                        clinic.types[type_code],
                        at(starts[i]),
                    ),
                    actor=Actor("patient", "sms"),
                    now=NOW,
                )
                uow.commit()
                return "won", appointment.id
        except SlotTaken as exc:
            return "lost", exc.alternatives

    with ThreadPoolExecutor(max_workers=len(starts)) as pool:
        return list(pool.map(attempt, range(len(starts))))


@pytest.mark.postgres
def test_fifty_patients_one_slot_on_postgres(pg_url: str) -> None:
    clinic = build_clinic(pg_url)
    results = _race(clinic, ["2026-06-02 09:00"] * 50, "follow_up")
    winners = [value for outcome, value in results if outcome == "won"]
    losers = [value for outcome, value in results if outcome == "lost"]
    assert len(winners) == 1 and len(losers) == 49
    assert all(alternatives for alternatives in losers)
    assert all(alt.starts_at >= at("2026-06-02 09:30") for alts in losers for alt in alts)
    occupying = clinic.occupying("Ada")
    assert [(a.id, a.starts_at) for a in occupying] == [(winners[0], at("2026-06-02 09:00"))]


def test_overlapping_but_different_starts(db_url: str) -> None:
    """Four starts 15 minutes apart for a 60-minute visit all overlap: one winner only."""
    clinic = build_clinic(db_url)
    per_start = 10 if db_url.startswith("postgresql") else 5
    starts = [f"2026-06-02 09:{m:02d}" for m in (0, 15, 30, 45)] * per_start
    results = _race(clinic, starts, "new_visit")
    assert [outcome for outcome, _ in results].count("won") == 1
    occupying = clinic.occupying("Ada")
    assert len(occupying) == 1
    assert all(alts for outcome, alts in results if outcome == "lost")
