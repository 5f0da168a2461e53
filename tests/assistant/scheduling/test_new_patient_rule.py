"""Who is a new patient: new until seen once, or until holding a visit that only established
patients may book (records imported from the EHR carry upcoming visits, not the history)."""

from __future__ import annotations

import pytest

from assistant.scheduling import rules
from assistant.scheduling.errors import TypeNotBookable
from assistant.unit_of_work import UnitOfWork
from tests.factories.scheduling import Clinic, book, utc


def _is_new(clinic: Clinic, name: str) -> bool:
    with UnitOfWork(clinic.url) as uow:
        return rules.is_new_patient(uow.session, clinic.patients[name])


def test_a_patient_seen_once_is_established(clinic: Clinic) -> None:
    assert _is_new(clinic, "Pat") is False  # a completed visit
    assert _is_new(clinic, "Nia") is True  # nothing at all


@pytest.mark.parametrize("status", ["booked", "confirmed", "arrived", "completed"])
def test_holding_a_visit_only_established_patients_book_makes_one_established(
    clinic: Clinic, status: str
) -> None:
    clinic.add_appointment("Nia", "Ada", "procedure", utc("2026-06-03 14:00"), status=status)
    assert _is_new(clinic, "Nia") is False


@pytest.mark.parametrize("status", ["cancelled", "no_show", "rescheduled"])
def test_a_visit_that_is_not_held_does_not_count(clinic: Clinic, status: str) -> None:
    clinic.add_appointment("Nia", "Ada", "procedure", utc("2026-06-03 14:00"), status=status)
    assert _is_new(clinic, "Nia") is True


def test_an_upcoming_first_visit_keeps_a_patient_new(clinic: Clinic) -> None:
    clinic.add_appointment("Nia", "Ada", "new_visit", utc("2026-06-03 14:00"))
    assert _is_new(clinic, "Nia") is True
    with pytest.raises(TypeNotBookable):  # still new: not a type for established patients
        book(clinic, "2026-06-04 09:00", patient="Nia", type_code="procedure")


def test_a_patient_holding_a_follow_up_may_book_what_established_patients_book(
    clinic: Clinic,
) -> None:
    clinic.add_appointment("Nia", "Ada", "procedure", utc("2026-06-03 14:00"))
    booked = book(clinic, "2026-06-04 09:00", patient="Nia", type_code="procedure")
    assert clinic.appointment(booked).status == "booked"
