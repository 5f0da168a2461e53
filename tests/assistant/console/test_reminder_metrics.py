"""Reminder campaign measures: per day and campaign, each reminder in one outcome; no-shows."""

from __future__ import annotations

from datetime import date, timedelta

from assistant.actor import Actor
from assistant.console import reminder_metrics
from assistant.db.models import Appointment, Reminder, SmsOptOut
from assistant.reminders import worker
from assistant.scheduling import operations
from assistant.unit_of_work import UnitOfWork
from tests.factories.reminders import (
    BOOKED_AT,
    VISIT,
    make_appointment,
    make_clinic,
    make_patient,
    ny,
    plan,
    settings_for,
)

NOW = ny(2026, 12, 3, 12)


def _campaign_world(url: str) -> list[int]:
    """Four patients with a visit on 2 December: one confirms the 7-day text, one cancels
    after the 2-day text, one opts out after the 7-day text and misses the visit, one has no
    consent (never reminded) and comes."""
    with UnitOfWork(url) as uow:
        clinic = make_clinic(uow.session)
        ids = []
        for i in range(4):
            patient = make_patient(
                uow.session, clinic, phone=f"+1555555{i:04d}", first=f"P{i}", consent=i != 3
            )
            ids.append(
                make_appointment(uow.session, clinic, patient, VISIT + timedelta(minutes=20 * i)).id
            )
        uow.commit()
    plan(url, BOOKED_AT)
    settings = settings_for(url)  # recorded, not sent: the measures are the same
    worker.run_once(settings, ny(2026, 11, 25, 11), plan=False)
    with UnitOfWork(url) as uow:
        operations.confirm(
            uow.session, ids[0], actor=Actor("patient", "sms"), now=ny(2026, 11, 25, 11, 30)
        )
        uow.session.add(
            SmsOptOut(number="+15555550002", keyword="STOP", opted_out_at=ny(2026, 11, 25, 12))
        )
        first = uow.session.query(Reminder).filter_by(appointment_id=ids[0], offset_days=7).one()
        first.delivery_status = "delivered"
        uow.commit()
    worker.run_once(settings, ny(2026, 11, 30, 11), plan=False)
    with UnitOfWork(url) as uow:
        operations.cancel(
            uow.session, ids[1], reason="conflict", actor=Actor("patient", "sms"),
            now=ny(2026, 11, 30, 12),
        )  # fmt: skip
        uow.commit()
    worker.run_once(settings, ny(2026, 12, 1, 11), plan=False)
    with UnitOfWork(url) as uow:
        for appointment_id, status in (
            (ids[0], "completed"),
            (ids[2], "no_show"),
            (ids[3], "completed"),
        ):
            uow.session.get(Appointment, appointment_id).status = status
        uow.commit()
    return ids


def test_each_reminder_counts_in_one_outcome_per_day_and_campaign(db_url: str) -> None:
    _campaign_world(db_url)
    with UnitOfWork(db_url) as uow:
        practice_id = uow.session.query(Appointment.practice_id).first()[0]
        m = reminder_metrics.compute(uow.session, practice_id, days=30, now=NOW)
    rows = [
        (r.day, r.campaign, r.sent, r.delivered, r.confirmed, r.rescheduled, r.cancelled,
         r.opted_out, r.no_answer)
        for r in m.rows
    ]  # fmt: skip
    assert rows == [
        (date(2026, 11, 30), "Text, 2 days before", 1, 0, 0, 0, 1, 0, 0),
        (date(2026, 11, 25), "Text, 7 days before", 3, 1, 1, 0, 0, 1, 1),
    ]
    assert list(m.totals) == ["Text, 2 days before", "Text, 7 days before"]
    assert m.totals["Text, 7 days before"].sent == 3


def test_no_show_rate_of_reminded_and_not_reminded_visits(db_url: str) -> None:
    _campaign_world(db_url)
    with UnitOfWork(db_url) as uow:
        practice_id = uow.session.query(Appointment.practice_id).first()[0]
        no_shows = reminder_metrics.compute(uow.session, practice_id, days=30, now=NOW).no_shows
    assert (no_shows.reminded, no_shows.reminded_no_shows) == (2, 1)
    assert (no_shows.not_reminded, no_shows.not_reminded_no_shows) == (1, 0)
    assert no_shows.reminded_rate == 0.5 and no_shows.not_reminded_rate == 0.0


def test_campaign_names() -> None:
    assert reminder_metrics.campaign_name("sms", 7) == "Text, 7 days before"
    assert reminder_metrics.campaign_name("voice", 1) == "Call, 1 day before"
    assert reminder_metrics.campaign_name("sms", 1, True) == "Text, booked at short notice"
    assert reminder_metrics.campaign_name("voice", 2, True) == "Call, booked at short notice"
