"""The demo practice: what someone trying the assistant will see and rely on."""

from __future__ import annotations

import re
import time
from collections import defaultdict
from datetime import date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from assistant.db.models import (
    CANCELLED,
    CONFIRMED,
    Appointment,
    AppointmentHistory,
    AppointmentType,
    AuditEvent,
    Holiday,
    Location,
    OutboundMessage,
    Patient,
    PatientPhone,
    Practice,
    Provider,
    ProviderSchedule,
)
from assistant.demo import database_is_empty, seed_demo
from assistant.unit_of_work import UnitOfWork

TODAY = date(2026, 11, 23)  # a Monday; Thanksgiving (Thu Nov 26) falls inside the window
NEW_YORK = ZoneInfo("America/New_York")


def _all(session: Session, model: type) -> list:
    return list(session.execute(select(model).order_by(model.id)).scalars())


def _count(session: Session, model: type) -> int:
    return session.execute(select(func.count()).select_from(model)).scalar_one()


def _age(born: date) -> int:
    return TODAY.year - born.year - ((TODAY.month, TODAY.day) < (born.month, born.day))


def test_database_is_empty_until_seeded(uow: UnitOfWork) -> None:
    assert database_is_empty(uow.session)
    seed_demo(uow.session, today=TODAY)
    assert not database_is_empty(uow.session)


def test_seed_creates_a_believable_practice(uow: UnitOfWork) -> None:
    summary = seed_demo(uow.session, today=TODAY)
    session = uow.session

    practice = session.get(Practice, summary.practice_id)
    assert practice.name == "Riverside Family Health"
    assert practice.settings["late_cancel_hours"] == 24
    assert practice.settings["running_late_grace_minutes"] == 15
    for key in ("recording_notice", "office_hours_text"):
        assert practice.settings[key] and practice.settings[f"{key}_es"]

    locations = _all(session, Location)
    assert len(locations) == summary.locations == 2
    for location in locations:
        assert location.time_zone == "America/New_York"
        assert location.parking and location.phone and location.fax
        assert location.opening_hours["mon"] and location.opening_hours["sun"] == []

    holidays = {holiday.day for holiday in _all(session, Holiday)}
    assert {date(2026, 11, 26), date(2026, 12, 25)} <= holidays

    providers = _all(session, Provider)
    assert len(providers) == summary.providers == 5
    assert {p.specialty for p in providers} == {"Family Medicine", "Dermatology"}

    types = {t.code: t for t in _all(session, AppointmentType)}
    assert types["new_patient"].duration_minutes == 40 and types["new_patient"].new_patients_allowed
    assert types["follow_up"].duration_minutes == 20
    biopsy = types["skin_biopsy"]
    assert not biopsy.bookable_by_phone and biopsy.prep_instructions and biopsy.prep_instructions_es
    assert all(t.name_es for t in types.values())

    assert _count(session, Patient) == summary.patients == 60
    spanish = session.execute(
        select(func.count()).select_from(Patient).where(Patient.preferred_language == "es")
    ).scalar_one()
    assert spanish == summary.spanish_speaking_patients == 12
    assert _count(session, Appointment) == summary.appointments >= 60


def test_patients_have_fictional_e164_numbers_and_a_spread_of_ages(uow: UnitOfWork) -> None:
    seed_demo(uow.session, today=TODAY)
    for phone in _all(uow.session, PatientPhone):
        assert re.fullmatch(r"\+155555501\d\d", phone.number)
    patients = _all(uow.session, Patient)
    ages = [_age(p.date_of_birth) for p in patients]
    assert min(ages) <= 5 and max(ages) >= 80 and min(ages) >= 1 and max(ages) <= 90
    assert sum(p.sms_consent for p in patients) >= 45
    assert len({p.full_name for p in patients}) == 60


def test_families_share_a_phone_number(uow: UnitOfWork) -> None:
    summary = seed_demo(uow.session, today=TODAY)
    by_number: dict[str, list[Patient]] = defaultdict(list)
    for patient in _all(uow.session, Patient):
        for phone in patient.phones:
            by_number[phone.number].append(patient)
    shared = {number: people for number, people in by_number.items() if len(people) > 1}
    assert len(shared) >= 4
    assert set(shared) == set(summary.shared_phones)
    for people in shared.values():
        assert len(people) in (2, 3)
        assert len({p.last_name for p in people}) == 1  # a parent and their children
        assert sum(_age(p.date_of_birth) < 18 for p in people) >= 1
    assert len(by_number["+15555550123"]) == 1 and len(by_number["+15555550124"]) == 1


def test_no_provider_has_overlapping_appointments(uow: UnitOfWork) -> None:
    seed_demo(uow.session, today=TODAY)
    by_provider: dict[int, list[Appointment]] = defaultdict(list)
    for appointment in _all(uow.session, Appointment):
        by_provider[appointment.provider_id].append(appointment)
    assert len(by_provider) == 5
    for appointments in by_provider.values():
        appointments.sort(key=lambda a: a.starts_at)
        for earlier, later in zip(appointments, appointments[1:], strict=False):
            assert earlier.ends_at <= later.starts_at


def test_appointments_lie_inside_provider_schedules_in_local_time(uow: UnitOfWork) -> None:
    summary = seed_demo(uow.session, today=TODAY)
    session = uow.session
    blocks = defaultdict(list)
    for block in _all(session, ProviderSchedule):
        blocks[(block.provider_id, block.location_id, block.weekday)].append(block)
    holidays = {holiday.day for holiday in _all(session, Holiday)}
    durations = {t.id: t.duration_minutes for t in _all(session, AppointmentType)}

    for appointment in _all(session, Appointment):
        start = appointment.starts_at.astimezone(NEW_YORK)
        end = appointment.ends_at.astimezone(NEW_YORK)
        assert appointment.starts_at.tzinfo == timezone.utc
        assert end - start == timedelta(minutes=durations[appointment.appointment_type_id])
        assert summary.first_day <= start.date() <= summary.last_day
        assert start.weekday() < 5 and start.date() not in holidays
        assert start.minute % 10 == 0
        key = (appointment.provider_id, appointment.location_id, start.weekday())
        assert any(b.start_time <= start.time() and end.time() <= b.end_time for b in blocks[key])


def test_each_provider_works_two_blocks_a_day_and_one_works_at_both_locations(
    uow: UnitOfWork,
) -> None:
    seed_demo(uow.session, today=TODAY)
    per_day: dict[tuple[int, int], int] = defaultdict(int)
    locations: dict[int, set[int]] = defaultdict(set)
    for block in _all(uow.session, ProviderSchedule):
        per_day[(block.provider_id, block.weekday)] += 1
        locations[block.provider_id].add(block.location_id)
        assert block.weekday < 5 and block.start_time < block.end_time
    assert set(per_day.values()) == {2}
    assert sum(len(where) > 1 for where in locations.values()) >= 1


def test_statuses_history_and_audit(uow: UnitOfWork) -> None:
    summary = seed_demo(uow.session, today=TODAY)
    session = uow.session
    appointments = _all(session, Appointment)
    statuses = [a.status for a in appointments]
    assert statuses.count("booked") > len(statuses) / 2
    assert statuses.count(CONFIRMED) >= 3 and statuses.count(CANCELLED) >= 1
    assert all(a.confirmed_at is not None for a in appointments if a.status == CONFIRMED)

    history = _all(session, AppointmentHistory)
    assert sorted(h.appointment_id for h in history) == sorted(a.id for a in appointments)
    assert {(h.action, h.actor, h.channel) for h in history} == {
        ("booked", "system:seed", "import")
    }

    events = _all(session, AuditEvent)
    assert {(e.actor, e.channel, e.action) for e in events} == {("system:seed", "import", "create")}
    assert sum(e.entity == "patient" for e in events) == summary.patients
    assert sum(e.entity == "appointment" for e in events) == summary.appointments


def test_maria_lopez_has_a_booked_follow_up_and_a_recorded_reminder(uow: UnitOfWork) -> None:
    summary = seed_demo(uow.session, today=TODAY)
    session = uow.session
    maria = session.execute(
        select(Patient).join(PatientPhone).where(PatientPhone.number == "+15555550123")
    ).scalar_one()
    assert (maria.first_name, maria.last_name) == ("Maria", "Lopez")
    assert maria.date_of_birth == date(1982, 3, 3)
    assert maria.preferred_language == "en" and maria.sms_consent

    appointment = session.execute(
        select(Appointment).where(Appointment.patient_id == maria.id)
    ).scalar_one()
    assert appointment.status == "booked"
    assert appointment.starts_at == datetime(2026, 11, 24, 10, tzinfo=NEW_YORK)
    assert appointment.provider_id == _all(session, Provider)[0].id
    assert appointment.location_id == _all(session, Location)[0].id
    assert appointment.appointment_type.code == "follow_up"

    reminder = session.execute(
        select(OutboundMessage).where(OutboundMessage.patient_id == maria.id)
    ).scalar_one()
    assert (reminder.purpose, reminder.status) == ("reminder", "recorded")
    assert reminder.to_number == "+15555550123" and reminder.appointment_id == appointment.id
    assert reminder.body == (
        "Riverside Family Health: reminder of your appointment Tue Nov 24 at 10:00 AM at "
        "Main Street Office. Reply 1 to confirm, 2 to reschedule, 3 to talk to us."
    )
    for private in ("Follow", "follow", "Family Medicine", "Chen"):
        assert private not in reminder.body

    demo = summary.english_demo
    assert (demo.patient_id, demo.appointment_id) == (maria.id, appointment.id)
    assert demo.reminder_message_id == reminder.id and demo.phone == "+15555550123"
    assert summary.phones_to_try[0] == "+15555550123"


def test_jose_hernandez_gets_his_reminder_in_spanish(uow: UnitOfWork) -> None:
    summary = seed_demo(uow.session, today=TODAY)
    session = uow.session
    jose = session.get(Patient, summary.spanish_demo.patient_id)
    assert (jose.full_name, jose.date_of_birth) == ("José Hernández", date(1975, 7, 15))
    assert jose.preferred_language == "es" and jose.phones[0].number == "+15555550124"
    appointment = session.get(Appointment, summary.spanish_demo.appointment_id)
    assert appointment.starts_at == datetime(2026, 11, 24, 14, tzinfo=NEW_YORK)
    assert appointment.status == "booked"
    reminder = session.get(OutboundMessage, summary.spanish_demo.reminder_message_id)
    assert reminder.to_number == "+15555550124" and reminder.status == "recorded"
    assert "recordatorio de su cita el martes 24 de noviembre a las 2:00 p. m." in reminder.body
    assert "Responda 1 para confirmar" in reminder.body


def test_the_demo_day_skips_weekends_and_holidays(uow: UnitOfWork) -> None:
    summary = seed_demo(uow.session, today=date(2026, 11, 25))  # the day before Thanksgiving
    assert summary.first_day == date(2026, 11, 27)
    start = summary.english_demo.appointment_starts_at.astimezone(NEW_YORK)
    assert start == datetime(2026, 11, 27, 10, tzinfo=NEW_YORK)
    assert "Fri Nov 27 at 10:00 AM" in summary.english_demo.reminder_body


def _snapshot(session: Session) -> tuple:
    patients = [
        (p.external_id, p.full_name, p.date_of_birth, p.preferred_language, p.sms_consent, p.email)
        + tuple(sorted(phone.number for phone in p.phones))
        for p in _all(session, Patient)
    ]
    appointments = sorted(
        (
            a.patient.external_id,
            a.provider.last_name,
            a.location.name,
            a.appointment_type.code,
            a.starts_at,
            a.status,
        )
        for a in _all(session, Appointment)
    )
    reminders = [m.body for m in _all(session, OutboundMessage)]
    return patients, appointments, reminders


def test_seeding_is_deterministic(uow: UnitOfWork) -> None:
    seed_demo(uow.session, today=TODAY, rng_seed=7)
    first = _snapshot(uow.session)
    uow.rollback()
    seed_demo(uow.session, today=TODAY, rng_seed=7)
    assert _snapshot(uow.session) == first
    uow.rollback()
    seed_demo(uow.session, today=TODAY, rng_seed=8)
    assert _snapshot(uow.session) != first


def test_seeding_is_fast(uow: UnitOfWork) -> None:
    started = time.perf_counter()
    seed_demo(uow.session, today=TODAY)
    uow.commit()
    elapsed = time.perf_counter() - started
    if uow.session.bind.dialect.name == "sqlite":
        assert elapsed < 2.0
