"""Cancel (late flag), arrival, no-shows, running late."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from assistant.actor import Actor
from assistant.db.models import AppointmentHistory, AuditEvent, Practice
from assistant.scheduling import jobs, operations
from assistant.scheduling.errors import InvalidTransition
from assistant.unit_of_work import UnitOfWork
from tests.factories.scheduling import NOW, Clinic, at, book, utc


def cancel(clinic: Clinic, appointment_id: int, now) -> tuple[bool, bool]:
    with UnitOfWork(clinic.url) as uow:
        appointment, changed = operations.cancel(
            uow.session,
            appointment_id,
            reason="feeling better",
            actor=Actor("patient", "sms"),
            now=now,
        )
        uow.commit()
        return appointment.late_cancel, changed


def test_cancel_far_ahead_is_not_late(clinic: Clinic) -> None:
    appointment_id = book(clinic, "2026-06-04 09:00")
    assert cancel(clinic, appointment_id, NOW) == (False, True)
    stored = clinic.appointment(appointment_id)
    assert (stored.status, stored.cancel_reason, stored.late_cancel) == (
        "cancelled",
        "feeling better",
        False,
    )
    assert clinic.history(appointment_id)[-1] == ("cancelled", "booked", "cancelled", "patient")
    assert cancel(clinic, appointment_id, NOW) == (False, False)  # twice: no-op


def test_cancel_inside_24_hours_is_late(clinic: Clinic) -> None:
    appointment_id = book(clinic, "2026-06-02 09:00")  # 25 h after NOW
    assert cancel(clinic, appointment_id, NOW + timedelta(hours=2)) == (True, True)
    assert clinic.appointment(appointment_id).late_cancel is True


def test_late_cancel_window_comes_from_the_practice(clinic: Clinic) -> None:
    with UnitOfWork(clinic.url) as uow:
        uow.session.get(Practice, clinic.practice_id).settings = {"late_cancel_hours": 48}
        uow.commit()
    appointment_id = book(clinic, "2026-06-02 09:00")
    assert cancel(clinic, appointment_id, NOW) == (True, True)


def test_completed_appointments_cannot_be_cancelled(clinic: Clinic) -> None:
    appointment_id = clinic.add_appointment(
        "Pat", "Ada", "follow_up", at("2026-05-29 09:00"), status="completed"
    )
    with pytest.raises(InvalidTransition):
        cancel(clinic, appointment_id, NOW)


def test_no_shows_are_marked_after_the_grace(clinic: Clinic) -> None:
    ended_20_min_ago = clinic.add_appointment("Pat", "Ada", "follow_up", at("2026-06-01 07:10"))
    clinic.add_provider("Bob")
    ended_10_min_ago = clinic.add_appointment("Pat", "Bob", "follow_up", at("2026-06-01 07:20"))
    confirmed = clinic.add_appointment(
        "Nia", "Ada", "follow_up", at("2026-05-29 10:00"), status="confirmed"
    )
    arrived = clinic.add_appointment(
        "Nia", "Ada", "follow_up", at("2026-05-29 11:00"), status="arrived"
    )
    with UnitOfWork(clinic.url) as uow:
        marked = jobs.mark_no_shows(uow.session, now=NOW)
        uow.commit()
        assert sorted(a.id for a in marked) == sorted([ended_20_min_ago, confirmed])
    assert clinic.appointment(ended_20_min_ago).status == "no_show"
    assert clinic.appointment(ended_10_min_ago).status == "booked"
    assert clinic.appointment(arrived).status == "arrived"
    assert clinic.history(confirmed)[-1] == ("no_show", "confirmed", "no_show", "system:no_shows")


def test_arrival(clinic: Clinic) -> None:
    appointment_id = clinic.add_appointment("Pat", "Ada", "follow_up", at("2026-06-01 08:15"))
    with UnitOfWork(clinic.url) as uow:
        _, changed = operations.mark_arrived(
            uow.session, appointment_id, actor=Actor("staff:3", "console"), now=NOW
        )
        uow.commit()
    assert changed and clinic.appointment(appointment_id).status == "arrived"
    with UnitOfWork(clinic.url) as uow:
        marked = jobs.mark_no_shows(uow.session, now=NOW + timedelta(hours=3))
    assert marked == []


def test_running_late_note(clinic: Clinic) -> None:
    appointment_id = book(clinic, "2026-06-02 09:00")
    with UnitOfWork(clinic.url) as uow:
        short = operations.note_running_late(
            uow.session,
            appointment_id,
            minutes=10,
            actor=Actor("patient", "sms"),
            now=utc("2026-06-02 12:50"),
        )
        long = operations.note_running_late(
            uow.session,
            appointment_id,
            minutes=40,
            actor=Actor("patient", "sms"),
            now=utc("2026-06-02 12:55"),
        )
        uow.commit()
    assert (short.beyond_grace, long.beyond_grace) == (False, True)
    stored = clinic.appointment(appointment_id)
    assert (stored.status, stored.running_late_note) == ("booked", "running about 40 min late")
    assert [h[0] for h in clinic.history(appointment_id)] == [
        "booked",
        "running_late",
        "running_late",
    ]


def test_history_and_audit_carry_the_operations_now(clinic: Clinic) -> None:
    """Reports count changes by when they happened: the instant the caller decided with, not the
    machine's clock when the row was written (a test's fixed day, a replayed request)."""
    appointment_id = book(clinic, "2026-06-04 09:00")
    cancel(clinic, appointment_id, NOW)
    with UnitOfWork(clinic.url) as uow:
        history = uow.session.execute(
            select(AppointmentHistory).where(AppointmentHistory.appointment_id == appointment_id)
        ).scalars()
        assert [(h.action, h.at) for h in history][-1] == ("cancelled", NOW)
        audits = uow.session.execute(
            select(AuditEvent.at).where(
                AuditEvent.entity == "appointment", AuditEvent.entity_id == appointment_id
            )
        ).scalars()
        assert NOW in set(audits)
