"""The metrics page shows the reminder campaigns and the no-show comparison to managers."""

from __future__ import annotations

import re
from datetime import timedelta

from sqlalchemy import select

from assistant.console import reminder_metrics
from assistant.db.models import Appointment, Reminder
from assistant.db.types import utcnow
from assistant.demo.seed import seed_demo
from assistant.unit_of_work import UnitOfWork
from tests.factories.console import sign_in_client
from tests.factories.webhooks import make_settings
from webhooks import create_app


def test_managers_see_reminders_per_day_and_campaign(sqlite_url: str) -> None:
    sent_at = utcnow() - timedelta(hours=1)
    with UnitOfWork(sqlite_url) as uow:
        seed_demo(uow.session)
        appointment = uow.session.execute(
            select(Appointment).where(Appointment.starts_at > utcnow()).limit(1)
        ).scalar_one()
        uow.session.add(
            Reminder(
                appointment_id=appointment.id,
                patient_id=appointment.patient_id,
                offset_days=2,
                channel="sms",
                status="sent",
                due_at=sent_at,
                sent_at=sent_at,
                delivery_status="delivered",
            )
        )
        missed = uow.session.execute(
            select(Appointment).where(Appointment.id != appointment.id).limit(1)
        ).scalar_one()
        missed.starts_at, missed.status = utcnow() - timedelta(days=2), "no_show"
        uow.session.add(
            Reminder(
                appointment_id=missed.id,
                patient_id=missed.patient_id,
                offset_days=7,
                channel="sms",
                status="sent",
                due_at=sent_at - timedelta(days=9),
                sent_at=sent_at - timedelta(days=9),  # before the period: not in the table
            )
        )
        uow.commit()
        no_shows = reminder_metrics.compute(uow.session, appointment.practice_id).no_shows
    assert no_shows.reminded_no_shows >= 1
    console = create_app(make_settings(sqlite_url)).test_client()
    sign_in_client(console, "manager@riverside.example", "demo-manager")
    page = console.get("/console/metrics").get_data(as_text=True)
    section = page[page.index('id="reminders-title"') :]
    cells = re.findall(r"<t[dh][^>]*>([^<]*)</t[dh]>", section.split("<tfoot>")[0])
    header, row = cells[:9], cells[9:18]
    assert header == ["Day", "Campaign", "Sent", "Delivered", "Confirmed", "Rescheduled",
                      "Cancelled", "No answer", "Opted out"]  # fmt: skip
    assert row[1:] == ["Text, 2 days before", "1", "1", "0", "0", "0", "1", "0"]
    assert (
        f"reminded {round(no_shows.reminded_rate * 100)}%"
        f" ({no_shows.reminded_no_shows} of {no_shows.reminded})"
    ) in " ".join(section.split())
