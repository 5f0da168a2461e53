"""Reminder test data: a clinic, patients, appointments, settings and the reminder rows."""

from __future__ import annotations

import os
from collections import Counter
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from assistant.config import Settings, load_settings
from assistant.db.models import (
    Appointment,
    AppointmentType,
    Location,
    OutboundMessage,
    Patient,
    Practice,
    Provider,
    Reminder,
)
from assistant.messaging.outbound import Outbound
from assistant.messaging.twilio_client import TwilioSender
from assistant.reminders import celery_app, planning
from assistant.unit_of_work import UnitOfWork
from tests.factories import patient_on_file
from tests.factories.databases import fresh_spool_dir

NY = "America/New_York"


UTC = timezone.utc


IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")


BIOPSY_PREP = "Shower the morning of your visit; no lotion on the area."


def settings_for(database_url: str, api_base_url: str | None = None, **extra: str) -> Settings:
    """Twilio credentials pointing at `api_base_url`; without it, no credentials (recorded)."""
    env = {
        "DATABASE_URL": database_url,
        "PUBLIC_BASE_URL": "https://clinic.example.org",
        "REMINDER_SEND_RATE": "0",  # unpaced unless a test is about the rate
        "SPOOL_DIR": fresh_spool_dir(),  # the worker's tick replays the spool
    }
    if api_base_url:
        env |= {
            "TWILIO_ACCOUNT_SID": "AC" + "a" * 32,
            "TWILIO_AUTH_TOKEN": "0123456789abcdef0123456789abcdef",
            "TWILIO_PHONE_NUMBER": "+15555550100",
            "TWILIO_API_BASE_URL": api_base_url,
            "SECRET_KEY": "test-secret-key-0123456789",
        }
    env |= extra
    return load_settings(env)


def sending_outbound(settings: Settings, sleeps: list[float] | None = None) -> Outbound:
    """An Outbound that really sends, recording backoff sleeps instead of sleeping."""
    sleeps = sleeps if sleeps is not None else []
    return Outbound(settings, TwilioSender(settings, sleep=sleeps.append))


@dataclass
class Clinic:
    practice_id: int
    location_id: int
    provider_id: int
    follow_up_id: int
    biopsy_id: int


def make_clinic(session: Session) -> Clinic:
    practice = Practice(name="Test Family Clinic", slug="test-family", time_zone=NY)
    session.add(practice)
    session.flush()
    location = Location(
        practice_id=practice.id,
        name="Main Street Office",
        address_line1="1 Main St",
        city="Springfield",
        state="NY",
        postal_code="10001",
        time_zone=NY,
    )
    provider = Provider(
        practice_id=practice.id,
        title="Dr.",
        first_name="Asha",
        last_name="Shah",
        specialty="Dermatology",
    )
    follow_up = AppointmentType(
        practice_id=practice.id,
        code="follow_up",
        name="Follow-up visit",
        duration_minutes=20,
        reminder_offsets_days=[7, 2, 1],
    )
    biopsy = AppointmentType(
        practice_id=practice.id,
        code="skin_biopsy",
        name="Skin biopsy",
        duration_minutes=30,
        prep_instructions=BIOPSY_PREP,
        reminder_offsets_days=[7, 2, 1],
    )
    session.add_all([location, provider, follow_up, biopsy])
    session.flush()
    return Clinic(practice.id, location.id, provider.id, follow_up.id, biopsy.id)


def make_patient(
    session: Session,
    clinic: Clinic,
    *,
    phone: str = "+15555550123",
    consent: bool = True,
    time_zone: str | None = None,
    language: str = "en",
    first: str = "Maria",
) -> Patient:
    return patient_on_file(
        session,
        clinic.practice_id,
        first=first,
        phone=phone,
        language=language,
        consent=consent,
        time_zone=time_zone,
    )


def make_appointment(
    session: Session,
    clinic: Clinic,
    patient: Patient,
    starts_at: datetime,
    *,
    type_id: int | None = None,
    status: str = "booked",
) -> Appointment:
    appointment = Appointment(
        practice_id=clinic.practice_id,
        patient_id=patient.id,
        provider_id=clinic.provider_id,
        location_id=clinic.location_id,
        appointment_type_id=type_id or clinic.follow_up_id,
        starts_at=starts_at,
        ends_at=starts_at + timedelta(minutes=20),
        status=status,
    )
    session.add(appointment)
    session.flush()
    return appointment


def ny(year: int, month: int, day: int, hour: int, minute: int = 0) -> datetime:
    """A New York wall-clock time as a UTC instant."""

    return datetime(year, month, day, hour, minute, tzinfo=ZoneInfo(NY)).astimezone(UTC)


# Wednesday 2 December 2026, 10:00 in New York: the visit most tests remind of.
VISIT = ny(2026, 12, 2, 10)


BOOKED_AT = ny(2026, 11, 20, 12)  # twelve days before


@dataclass
class World:
    url: str
    clinic: Clinic
    patient_id: int
    appointment_id: int


def reminders_of(url: str, appointment_id: int) -> list[Reminder]:
    """The appointment's reminders, furthest out first (detached, safe to read)."""
    with UnitOfWork(url) as uow:
        rows = list(
            uow.session.execute(
                select(Reminder)
                .where(Reminder.appointment_id == appointment_id)
                .order_by(Reminder.offset_days.desc())
            ).scalars()
        )
        uow.session.expunge_all()
        return rows


def sent_messages(url: str) -> list[OutboundMessage]:
    with UnitOfWork(url) as uow:
        rows = list(
            uow.session.execute(select(OutboundMessage).order_by(OutboundMessage.id)).scalars()
        )
        uow.session.expunge_all()
        return rows


def plan(url: str, now: datetime) -> None:
    with UnitOfWork(url) as uow:
        planning.plan(uow.session, now=now)
        uow.commit()


REMINDERS_DUE = ny(2026, 11, 25, 20)  # every 7-day reminder of a VISIT-day appointment is due


def worker_env(settings: Settings, tmp_path: Path, **extra: str) -> dict[str, str]:
    env = {
        "DATABASE_URL": settings.database_url,
        "PUBLIC_BASE_URL": settings.public_base_url,
        "REMINDER_BROKER_URL": REDIS_URL,
        "REMINDER_SEND_RATE": "0",
        "ASSISTANT_VAR_DIR": str(tmp_path / "var"),
    }
    if settings.twilio_enabled:
        env |= {
            "TWILIO_ACCOUNT_SID": settings.twilio_account_sid or "",
            "TWILIO_AUTH_TOKEN": settings.twilio_auth_token or "",
            "TWILIO_PHONE_NUMBER": settings.twilio_phone_number or "",
            "TWILIO_API_BASE_URL": settings.twilio_api_base_url or "",
            "SECRET_KEY": settings.secret_key,
        }
    return env | extra


def patients_with_visits(url: str, count: int, *, first_visit: datetime = VISIT) -> list[str]:
    """`count` consenting patients with a follow-up each, 20 minutes apart; their numbers."""
    numbers = [f"+1555555{i:04d}" for i in range(count)]
    with UnitOfWork(url) as uow:
        clinic = make_clinic(uow.session)
        for i, number in enumerate(numbers):
            patient = make_patient(uow.session, clinic, phone=number, first=f"P{i}")
            make_appointment(uow.session, clinic, patient, first_visit + timedelta(minutes=20 * i))
        uow.commit()
    return numbers


def all_reminders(url: str) -> list[Reminder]:
    with UnitOfWork(url) as uow:
        rows = list(uow.session.execute(select(Reminder).order_by(Reminder.id)).scalars())
        uow.session.expunge_all()
        return rows


def sent_reminders(url: str) -> list[Reminder]:
    return [r for r in all_reminders(url) if r.status == "sent"]


def enqueue(settings: Settings, task: str, now: datetime | None) -> None:
    client = celery_app.make_app(settings)
    with client.connection_for_write() as connection:
        client.send_task(
            task, kwargs={"now": now.isoformat() if now else None}, connection=connection
        )


def assert_each_sent_once(url: str, fake, numbers: list[str]) -> None:
    received = Counter(m["to"] for m in fake.accepted)
    assert received == Counter(numbers)  # each patient texted exactly once
    sent = [r for r in all_reminders(url) if r.offset_days == 7]
    assert {r.status for r in sent} == {"sent"}
    assert {r.twilio_sid for r in sent} == {m["sid"] for m in fake.accepted}


REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/13")
