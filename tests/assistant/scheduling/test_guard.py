"""The database itself refuses overlapping appointments, whoever writes them."""

from __future__ import annotations

import pytest
from sqlalchemy.exc import IntegrityError

from tests.factories.scheduling import Clinic, at


def test_database_refuses_overlapping_occupying_appointments(clinic: Clinic) -> None:
    clinic.add_appointment("Pat", "Ada", "new_visit", at("2026-06-02 09:00"))  # 09:00-10:00
    with pytest.raises(IntegrityError):
        clinic.add_appointment("Nia", "Ada", "follow_up", at("2026-06-02 09:30"))
    with pytest.raises(IntegrityError):  # same start: the partial unique index of 0001
        clinic.add_appointment("Nia", "Ada", "follow_up", at("2026-06-02 09:00"))
    # touching is fine, and so is overlapping a cancelled appointment
    clinic.add_appointment("Nia", "Ada", "follow_up", at("2026-06-02 10:00"))
    clinic.add_appointment("Nia", "Ada", "follow_up", at("2026-06-02 09:15"), status="cancelled")
    assert len(clinic.occupying("Ada")) == 2


def test_database_refuses_reviving_into_an_overlap(clinic: Clinic) -> None:
    from assistant.db.models import Appointment
    from assistant.unit_of_work import UnitOfWork

    clinic.add_appointment("Pat", "Ada", "new_visit", at("2026-06-02 09:00"))
    cancelled = clinic.add_appointment(
        "Nia", "Ada", "follow_up", at("2026-06-02 09:30"), status="cancelled"
    )
    with UnitOfWork(clinic.url) as uow, pytest.raises(IntegrityError):
        uow.session.get(Appointment, cancelled).status = "booked"
        uow.commit()


def test_other_providers_may_overlap(clinic: Clinic) -> None:
    clinic.add_provider("Bob")
    clinic.add_appointment("Pat", "Ada", "new_visit", at("2026-06-02 09:00"))
    clinic.add_appointment("Nia", "Bob", "new_visit", at("2026-06-02 09:30"))
    assert len(clinic.occupying("Bob")) == 1
