"""Holding and booking: what the database holds afterwards, and what the patient is told."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from assistant.actor import Actor
from assistant.db.models import AuditEvent
from assistant.scheduling import jobs, operations
from assistant.scheduling.errors import SlotTaken, SlotUnavailable, TypeNotBookable
from assistant.unit_of_work import UnitOfWork
from tests.factories.scheduling import NOW, Clinic, book, find, hhmm, hold, utc


def test_booking_takes_the_slot_and_is_recorded(clinic: Clinic) -> None:
    appointment_id = book(clinic, "2026-06-02 09:00")
    stored = clinic.appointment(appointment_id)
    assert (stored.status, stored.starts_at, stored.ends_at) == (
        "booked",
        utc("2026-06-02 13:00"),
        utc("2026-06-02 13:30"),
    )
    assert clinic.history(appointment_id) == [("booked", None, "booked", "patient")]
    with UnitOfWork(clinic.url) as uow:
        audit = uow.session.execute(
            select(AuditEvent).where(AuditEvent.entity_id == appointment_id)
        ).scalar_one()
        assert (audit.action, audit.entity, audit.patient_id) == (
            "create",
            "appointment",
            clinic.patients["Pat"],
        )
    assert hhmm(find(clinic))[0] == "09:30"


def test_overlapping_booking_is_refused_with_alternatives(clinic: Clinic) -> None:
    book(clinic, "2026-06-02 09:00", type_code="new_visit")  # 09:00-10:00
    with pytest.raises(SlotTaken) as err:
        book(clinic, "2026-06-02 09:30", patient="Nia")
    assert hhmm(err.value.alternatives) == ["10:00", "10:30", "11:00"]  # next after 09:30
    assert len(clinic.occupying("Ada")) == 1


def test_rules_are_enforced_when_booking(clinic: Clinic) -> None:
    with pytest.raises(SlotUnavailable) as err:
        book(clinic, "2026-06-02 12:15")  # lunch
    assert err.value.reason == "outside_hours"
    assert hhmm(err.value.alternatives) == ["13:00", "13:30", "14:00"]
    with pytest.raises(SlotUnavailable) as err:
        book(clinic, "2026-06-02 09:10")  # off the 15-minute grid
    assert err.value.reason == "outside_hours"
    with pytest.raises(SlotUnavailable) as err:
        book(clinic, "2026-06-01 09:00")  # within the 2 h notice
    assert err.value.reason == "min_notice"
    with pytest.raises(TypeNotBookable):
        book(clinic, "2026-06-02 09:00", patient="Nia", type_code="procedure")
    assert clinic.occupying("Ada") == []
    # staff may book outside the rules, never on top of someone
    book(clinic, "2026-06-02 12:15", enforce_rules=False)
    with pytest.raises(SlotTaken):
        book(clinic, "2026-06-02 12:30", enforce_rules=False, patient="Nia")


def test_hold_blocks_others_until_it_expires(clinic: Clinic) -> None:
    held_id = hold(clinic, "2026-06-02 09:00")
    held = clinic.appointment(held_id)
    assert (held.status, held.hold_expires_at) == ("held", NOW + timedelta(minutes=10))
    with pytest.raises(SlotTaken):
        book(clinic, "2026-06-02 09:00", patient="Nia", now=NOW + timedelta(minutes=5))
    # After expiry another patient gets the time; the stale hold is released on the way.
    later = NOW + timedelta(minutes=11)
    taken_id = book(clinic, "2026-06-02 09:00", patient="Nia", now=later)
    assert clinic.appointment(taken_id).status == "booked"
    released = clinic.appointment(held_id)
    assert (released.status, released.cancel_reason) == ("cancelled", "hold expired")
    assert clinic.history(held_id)[-1] == ("hold_expired", "held", "cancelled", "system:holds")


def test_booking_a_hold(clinic: Clinic) -> None:
    held_id = hold(clinic, "2026-06-02 09:00")
    with UnitOfWork(clinic.url) as uow:
        booked = operations.book_hold(
            uow.session, held_id, actor=Actor("patient", "sms"), now=NOW + timedelta(minutes=3)
        )
        uow.commit()
        assert booked.id == held_id
    stored = clinic.appointment(held_id)
    assert (stored.status, stored.hold_expires_at) == ("booked", None)
    assert [h[0] for h in clinic.history(held_id)] == ["held", "booked"]


def test_late_yes_to_an_expired_hold_still_books_if_the_time_is_free(clinic: Clinic) -> None:
    held_id = hold(clinic, "2026-06-02 09:00")
    with UnitOfWork(clinic.url) as uow:
        released = jobs.release_expired_holds(uow.session, now=NOW + timedelta(minutes=15))
        uow.commit()
    assert [a.id for a in released] == [held_id]
    with UnitOfWork(clinic.url) as uow:
        booked = operations.book_hold(
            uow.session, held_id, actor=Actor("patient", "sms"), now=NOW + timedelta(minutes=20)
        )
        uow.commit()
    assert booked.id != held_id and clinic.appointment(booked.id).status == "booked"
    assert clinic.appointment(held_id).status == "cancelled"


def test_late_yes_to_an_expired_hold_whose_time_was_taken(clinic: Clinic) -> None:
    held_id = hold(clinic, "2026-06-02 09:00")
    book(clinic, "2026-06-02 09:00", patient="Nia", now=NOW + timedelta(minutes=12))
    with UnitOfWork(clinic.url) as uow, pytest.raises(SlotTaken) as err:
        operations.book_hold(
            uow.session, held_id, actor=Actor("patient", "sms"), now=NOW + timedelta(minutes=20)
        )
    assert hhmm(err.value.alternatives)[0] == "09:30"


def test_release_expired_holds_job(clinic: Clinic) -> None:
    fresh = hold(clinic, "2026-06-02 10:00", now=NOW + timedelta(minutes=8))
    stale = hold(clinic, "2026-06-02 09:00")
    with UnitOfWork(clinic.url) as uow:
        released = jobs.release_expired_holds(uow.session, now=NOW + timedelta(minutes=12))
        uow.commit()
    assert [a.id for a in released] == [stale]
    assert clinic.appointment(stale).status == "cancelled"
    assert clinic.appointment(fresh).status == "held"
