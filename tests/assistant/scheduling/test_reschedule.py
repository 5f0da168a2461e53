"""Rescheduling is atomic: the new slot and the release of the old one happen together or not."""

from __future__ import annotations

import pytest

from assistant.actor import Actor
from assistant.scheduling import guard, operations, securing
from assistant.scheduling.errors import SlotTaken
from assistant.unit_of_work import UnitOfWork
from tests.factories.scheduling import NOW, Clinic, at, book, find, hhmm, utc


def reschedule(clinic: Clinic, appointment_id: int, start: str, *, commit_anyway: bool = False):
    with UnitOfWork(clinic.url) as uow:
        try:
            new = operations.reschedule(
                uow.session,
                appointment_id,
                starts_at=at(start),
                actor=Actor("patient", "sms"),
                now=NOW,
            )
        finally:
            if commit_anyway:  # a caller that commits its own work even after a failure
                uow.commit()
        uow.commit()
        return new.id


def test_reschedule_moves_the_appointment(clinic: Clinic) -> None:
    old_id = book(clinic, "2026-06-02 09:00")
    new_id = reschedule(clinic, old_id, "2026-06-03 14:00")
    old, new = clinic.appointment(old_id), clinic.appointment(new_id)
    assert (old.status, old.rescheduled_to_id) == ("rescheduled", new_id)
    assert (new.status, new.starts_at, new.patient_id) == (
        "booked",
        utc("2026-06-03 18:00"),
        old.patient_id,
    )
    assert clinic.history(old_id)[-1] == ("rescheduled", "booked", "rescheduled", "patient")
    assert clinic.history(new_id) == [("booked", None, "booked", "patient")]
    assert hhmm(find(clinic))[0] == "09:00"  # the old time is free again


def test_reschedule_may_overlap_its_own_old_time(clinic: Clinic) -> None:
    old_id = book(clinic, "2026-06-02 09:00", type_code="new_visit")  # 09:00-10:00
    new_id = reschedule(clinic, old_id, "2026-06-02 09:30")
    assert clinic.appointment(new_id).starts_at == at("2026-06-02 09:30")
    assert [a.id for a in clinic.occupying("Ada")] == [new_id]


def test_failed_reschedule_leaves_the_original_untouched(clinic: Clinic) -> None:
    old_id = book(clinic, "2026-06-02 09:00")
    book(clinic, "2026-06-03 14:00", patient="Nia")
    with pytest.raises(SlotTaken) as err:
        reschedule(clinic, old_id, "2026-06-03 14:00", commit_anyway=True)
    assert hhmm(err.value.alternatives) == ["14:30", "15:00", "15:30"]
    old = clinic.appointment(old_id)
    assert (old.status, old.rescheduled_to_id) == ("booked", None)
    assert clinic.history(old_id) == [("booked", None, "booked", "patient")]
    assert len(clinic.occupying("Ada")) == 2


def test_database_guard_failure_mid_reschedule_leaves_the_original_untouched(
    clinic: Clinic, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Even when the Python re-check is fooled, the database refuses, and nothing half-done
    remains."""
    old_id = book(clinic, "2026-06-02 09:00")
    book(clinic, "2026-06-03 14:00", patient="Nia", type_code="new_visit")  # 14:00-15:00
    monkeypatch.setattr(guard, "find_conflicts", lambda *a, **k: [])
    with pytest.raises(SlotTaken):
        reschedule(clinic, old_id, "2026-06-03 14:30", commit_anyway=True)
    old = clinic.appointment(old_id)
    assert (old.status, old.rescheduled_to_id) == ("booked", None)
    assert len(clinic.occupying("Ada")) == 2


def test_crash_after_the_new_slot_was_inserted_leaves_the_original_untouched(
    clinic: Clinic, monkeypatch: pytest.MonkeyPatch
) -> None:
    old_id = book(clinic, "2026-06-02 09:00")

    def crash(*args, **kwargs):
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(securing, "record_created", crash)
    with pytest.raises(RuntimeError):
        reschedule(clinic, old_id, "2026-06-04 10:00", commit_anyway=True)
    old = clinic.appointment(old_id)
    assert (old.status, old.rescheduled_to_id) == ("booked", None)
    assert [a.id for a in clinic.occupying("Ada")] == [old_id]


def test_only_booked_or_confirmed_appointments_can_be_rescheduled(clinic: Clinic) -> None:
    from assistant.scheduling.errors import InvalidTransition

    old_id = book(clinic, "2026-06-02 09:00")
    with UnitOfWork(clinic.url) as uow:
        operations.cancel(uow.session, old_id, reason="x", actor=Actor("patient", "sms"), now=NOW)
        uow.commit()
    with pytest.raises(InvalidTransition):
        reschedule(clinic, old_id, "2026-06-03 14:00")
