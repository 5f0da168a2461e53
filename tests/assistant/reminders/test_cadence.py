"""Cadence: 7, 2 and 1 days before, per appointment type, skipping what is already past."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from assistant.db.models import AppointmentType, OutboundMessage
from assistant.reminders import planning, worker
from assistant.reminders.replies import reminded_appointment
from assistant.unit_of_work import UnitOfWork
from tests.factories.reminders import (
    BOOKED_AT,
    VISIT,
    make_appointment,
    make_patient,
    ny,
    reminders_of,
    settings_for,
)

_reminders = reminders_of


def test_three_reminders_at_the_visit_time_7_2_and_1_days_before(world) -> None:
    with UnitOfWork(world.url) as uow:
        assert planning.plan(uow.session, now=BOOKED_AT) == 3
        uow.commit()
    rows = _reminders(world.url, world.appointment_id)
    assert [(r.offset_days, r.channel, r.status) for r in rows] == [
        (7, "sms", "pending"),
        (2, "sms", "pending"),
        (1, "sms", "pending"),
    ]
    assert [r.due_at for r in rows] == [
        ny(2026, 11, 25, 10),
        ny(2026, 11, 30, 10),
        ny(2026, 12, 1, 10),
    ]


def test_planning_twice_adds_nothing(world) -> None:
    for _ in range(2):
        with UnitOfWork(world.url) as uow:
            planning.plan(uow.session, now=BOOKED_AT)
            uow.commit()
    assert len(_reminders(world.url, world.appointment_id)) == 3


def test_offsets_already_past_when_booked_are_skipped(world) -> None:
    booked_three_days_before = VISIT - timedelta(days=3)
    with UnitOfWork(world.url) as uow:
        planning.plan(uow.session, now=booked_three_days_before)
        uow.commit()
    rows = _reminders(world.url, world.appointment_id)
    assert [(r.offset_days, r.status, r.skip_reason) for r in rows] == [
        (7, "skipped", "past_when_booked"),
        (2, "pending", None),
        (1, "pending", None),
    ]


def test_offsets_come_from_the_appointment_type(world) -> None:
    with UnitOfWork(world.url) as uow:
        uow.session.get(AppointmentType, world.clinic.follow_up_id).reminder_offsets_days = [3]
        uow.commit()
    with UnitOfWork(world.url) as uow:
        planning.plan(uow.session, now=BOOKED_AT)
        uow.commit()
    assert [r.offset_days for r in _reminders(world.url, world.appointment_id)] == [3]


def test_only_booked_or_confirmed_future_appointments_are_planned(world) -> None:
    with UnitOfWork(world.url) as uow:
        patient = make_patient(uow.session, world.clinic, phone="+15555550199", first="Ann")
        cancelled = make_appointment(
            uow.session, world.clinic, patient, VISIT + timedelta(hours=2), status="cancelled"
        )
        uow.commit()
    with UnitOfWork(world.url) as uow:
        planning.plan(uow.session, now=BOOKED_AT)
        uow.commit()
    assert _reminders(world.url, cancelled.id) == []


def test_each_reminder_goes_out_when_due_and_a_reply_finds_the_appointment(world) -> None:
    settings = settings_for(world.url)  # no Twilio credentials: recorded, not sent
    assert worker.run_once(settings, BOOKED_AT) == {"planned": 3}
    sent_at = []
    for now in (ny(2026, 11, 25, 10), ny(2026, 11, 30, 10), ny(2026, 12, 1, 10)):
        counts = worker.run_once(settings, now + timedelta(minutes=1))
        assert counts == {"planned": 0, "claimed": 1, "recorded": 1}
        sent_at.append(now)
    with UnitOfWork(world.url) as uow:
        messages = list(uow.session.execute(select(OutboundMessage)).scalars())
        assert [(m.purpose, m.appointment_id, m.status) for m in messages] == [
            ("reminder", world.appointment_id, "recorded")
        ] * 3
        # replies.py finds the reminded appointment through the message (1 = confirm)
        found = reminded_appointment(uow.session, "+15555550123", ny(2026, 12, 1, 11))
        assert found is not None and found.id == world.appointment_id
    assert {r.status for r in _reminders(world.url, world.appointment_id)} == {"sent"}
    assert worker.run_once(settings, ny(2026, 12, 1, 12)) == {"planned": 0}
