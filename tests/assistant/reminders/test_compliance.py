"""Quiet hours in the patient's zone, 1/day and 3/week caps, consent, opt-out, cancellations:
checked when planned and again just before sending."""

from __future__ import annotations

from datetime import timedelta

from assistant.db.models import Appointment, AppointmentType, Patient, Reminder, SmsOptOut
from assistant.messaging.outbound import Outbound
from assistant.reminders import claims, sending, worker
from assistant.unit_of_work import UnitOfWork
from tests.factories.reminders import (
    BOOKED_AT,
    VISIT,
    make_appointment,
    make_clinic,
    make_patient,
    ny,
    plan,
    reminders_of,
    sent_messages,
    settings_for,
)

LA = "America/Los_Angeles"


def _only_one_day_before(url: str, type_id: int) -> None:
    with UnitOfWork(url) as uow:
        uow.session.get(AppointmentType, type_id).reminder_offsets_days = [1]
        uow.commit()


def _patient_in(url: str, patient_id: int, zone: str) -> None:
    with UnitOfWork(url) as uow:
        uow.session.get(Patient, patient_id).time_zone = zone
        uow.commit()


def _due(url: str, reminder_id: int, at) -> None:
    with UnitOfWork(url) as uow:
        uow.session.get(Reminder, reminder_id).due_at = at
        uow.commit()


def test_an_early_visit_is_not_reminded_before_8_in_the_patients_zone(world) -> None:
    _patient_in(world.url, world.patient_id, LA)
    _only_one_day_before(world.url, world.clinic.follow_up_id)
    with UnitOfWork(world.url) as uow:
        uow.session.get(Appointment, world.appointment_id).starts_at = ny(2026, 12, 2, 9)
        uow.commit()
    plan(world.url, BOOKED_AT)
    (reminder,) = reminders_of(world.url, world.appointment_id)
    assert reminder.due_at == ny(2026, 12, 1, 11)  # 9:00 in New York is 6:00 in Los Angeles


def test_at_night_in_the_patients_zone_a_due_reminder_waits_until_8(world) -> None:
    settings = settings_for(world.url)
    _patient_in(world.url, world.patient_id, LA)
    _only_one_day_before(world.url, world.clinic.follow_up_id)
    plan(world.url, BOOKED_AT)
    (reminder,) = reminders_of(world.url, world.appointment_id)
    one_am_in_new_york = ny(2026, 12, 1, 1)  # 22:00 the evening before in Los Angeles
    _due(world.url, reminder.id, one_am_in_new_york)

    assert worker.run_once(settings, one_am_in_new_york)["deferred"] == 1
    (reminder,) = reminders_of(world.url, world.appointment_id)
    assert (reminder.status, reminder.due_at) == ("pending", ny(2026, 12, 1, 11))  # 8:00 in LA
    assert sent_messages(world.url) == []
    assert worker.run_once(settings, ny(2026, 12, 1, 11))["recorded"] == 1


def test_the_patients_zone_not_the_clinics_decides(world) -> None:
    settings = settings_for(world.url)
    _patient_in(world.url, world.patient_id, LA)
    _only_one_day_before(world.url, world.clinic.follow_up_id)
    plan(world.url, BOOKED_AT)
    (reminder,) = reminders_of(world.url, world.appointment_id)
    half_past_eleven_in_new_york = ny(2026, 11, 30, 23, 30)  # 20:30 in Los Angeles
    _due(world.url, reminder.id, half_past_eleven_in_new_york)
    assert worker.run_once(settings, half_past_eleven_in_new_york)["recorded"] == 1


def test_at_most_one_a_day_and_three_a_week_per_patient(world) -> None:
    """Visit A on Dec 2 (7/2/1: Nov 25, 30, Dec 1) and visit B on Dec 8, whose 7-day reminder is
    also due on Dec 1. A's (closer to its visit) goes; B's waits for a free day and week."""
    settings = settings_for(world.url)
    with UnitOfWork(world.url) as uow:
        patient = uow.session.get(Patient, world.patient_id)
        later = make_appointment(uow.session, world.clinic, patient, ny(2026, 12, 8, 10))
        uow.commit()
    plan(world.url, BOOKED_AT)
    for day in (ny(2026, 11, 25, 10), ny(2026, 11, 30, 10)):
        assert worker.run_once(settings, day)["recorded"] == 1

    counts = worker.run_once(settings, ny(2026, 12, 1, 10))
    assert (counts["recorded"], counts["deferred"]) == (1, 1)
    # not Dec 2 at 8:00 (the next day): three went out since Nov 25 10:00, so a week after that
    b_seven_days = reminders_of(world.url, later.id)[0]
    assert b_seven_days.status == "pending"
    assert b_seven_days.due_at == ny(2026, 12, 2, 10) + timedelta(seconds=1)
    assert worker.run_once(settings, ny(2026, 12, 2, 8)) == {"planned": 0}
    assert worker.run_once(settings, ny(2026, 12, 2, 10, 1))["recorded"] == 1
    assert len(sent_messages(world.url)) == 4
    patient_days = [m.created_at.astimezone(VISIT.tzinfo).date() for m in sent_messages(world.url)]
    assert len(set(patient_days)) == 4


def test_a_deferral_that_would_crowd_out_a_closer_reminder_is_skipped_instead(world) -> None:
    """B's 2-day reminder (Dec 1) loses to A's 1-day; deferred to Dec 2 it would block B's own
    1-day reminder that morning, so it is skipped and the 1-day one goes."""
    settings = settings_for(world.url)
    with UnitOfWork(world.url) as uow:
        patient = uow.session.get(Patient, world.patient_id)
        later = make_appointment(uow.session, world.clinic, patient, ny(2026, 12, 3, 10))
        uow.commit()
    plan(world.url, ny(2026, 11, 29, 12))  # too late for both 7-day reminders
    assert worker.run_once(settings, ny(2026, 11, 30, 10))["recorded"] == 1  # A's 2-day
    counts = worker.run_once(settings, ny(2026, 12, 1, 10))
    assert (counts["recorded"], counts["skipped"]) == (1, 1)
    assert [
        (r.offset_days, r.status, r.skip_reason) for r in reminders_of(world.url, later.id)
    ] == [
        (7, "skipped", "past_when_booked"),
        (2, "skipped", "superseded"),
        (1, "pending", None),
    ]
    assert worker.run_once(settings, ny(2026, 12, 2, 10))["recorded"] == 1


def test_no_consent_no_reminder(db_url: str) -> None:
    with UnitOfWork(db_url) as uow:
        clinic = make_clinic(uow.session)
        patient = make_patient(uow.session, clinic, consent=False)
        appointment = make_appointment(uow.session, clinic, patient, VISIT)
        uow.commit()
    plan(db_url, BOOKED_AT)
    counts = worker.run_once(settings_for(db_url), ny(2026, 11, 25, 10))
    assert counts["skipped"] == 1
    assert reminders_of(db_url, appointment.id)[0].skip_reason == "no_consent"
    assert sent_messages(db_url) == []


def test_an_opted_out_number_gets_no_reminder(world) -> None:
    with UnitOfWork(world.url) as uow:
        uow.session.add(SmsOptOut(number="+15555550123", keyword="STOP"))
        uow.commit()
    plan(world.url, BOOKED_AT)
    worker.run_once(settings_for(world.url), ny(2026, 11, 25, 10))
    assert reminders_of(world.url, world.appointment_id)[0].skip_reason == "opted_out"
    assert sent_messages(world.url) == []


def test_a_cancelled_appointment_is_never_reminded(world) -> None:
    settings = settings_for(world.url)
    plan(world.url, BOOKED_AT)
    with UnitOfWork(world.url) as uow:
        uow.session.get(Appointment, world.appointment_id).status = "cancelled"
        uow.commit()
    for day in (ny(2026, 11, 25, 10), ny(2026, 11, 30, 10), ny(2026, 12, 1, 10)):
        worker.run_once(settings, day)
    assert [r.skip_reason for r in reminders_of(world.url, world.appointment_id)] == [
        "appointment_cancelled"
    ] * 3
    assert sent_messages(world.url) == []


def test_a_confirmed_appointment_gets_no_more_reminders(world) -> None:
    plan(world.url, BOOKED_AT)
    with UnitOfWork(world.url) as uow:
        uow.session.get(Appointment, world.appointment_id).status = "confirmed"
        uow.commit()
    worker.run_once(settings_for(world.url), ny(2026, 11, 25, 10))
    assert reminders_of(world.url, world.appointment_id)[0].skip_reason == "already_confirmed"


def _claim_then(world, change) -> str:
    """Claim the due 7-day reminder, apply `change` in another transaction, then send."""
    settings = settings_for(world.url)
    plan(world.url, BOOKED_AT)
    now = ny(2026, 11, 25, 10)
    with UnitOfWork(world.url) as uow:
        (claim,) = claims.claim_due(uow.session, now=now)
        uow.commit()
    with UnitOfWork(world.url) as uow:
        change(uow.session)
        uow.commit()
    return sending.process(UnitOfWork.factory(world.url), Outbound(settings), claim, now)


def test_cancelled_between_claim_and_send_is_not_sent(world) -> None:
    def cancel(session) -> None:
        session.get(Appointment, world.appointment_id).status = "cancelled"

    assert _claim_then(world, cancel) == "skipped"
    assert sent_messages(world.url) == []


def test_opted_out_between_claim_and_send_is_not_sent(world) -> None:
    def opt_out(session) -> None:
        session.add(SmsOptOut(number="+15555550123", keyword="STOP"))

    assert _claim_then(world, opt_out) == "skipped"
    assert sent_messages(world.url) == []


def test_consent_withdrawn_between_claim_and_send_is_not_sent(world) -> None:
    def withdraw(session) -> None:
        session.get(Patient, world.patient_id).sms_consent = False

    assert _claim_then(world, withdraw) == "skipped"
    assert sent_messages(world.url) == []
