"""Short notice: a visit booked after all its offsets had passed gets one reminder, the morning
after the booking (or at once for a same-day visit), under the same quiet hours, caps, consent
and opt-out as the others."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

import pytest

from assistant.actor import Actor
from assistant.console import reminder_metrics
from assistant.db.models import AppointmentType, Patient, Reminder, SmsOptOut
from assistant.reminders import planning, policy, worker
from assistant.scheduling import operations
from assistant.unit_of_work import UnitOfWork
from tests.factories.reminders import (
    UTC,
    Clinic,
    make_appointment,
    make_clinic,
    make_patient,
    ny,
    plan,
    reminders_of,
    sent_messages,
    settings_for,
)

EVENING = ny(2026, 12, 3, 19)  # Thursday 3 December 2026, 19:00 in New York
TOMORROW_10 = ny(2026, 12, 4, 10)  # Friday, 10:00
MORNING = ny(2026, 12, 4, 8)  # the first allowed moment of the day after the booking


@dataclass
class Booked:
    url: str
    clinic: Clinic
    patient_id: int
    appointment_id: int


def _book(
    url: str,
    starts_at: datetime,
    *,
    sms: list[int] | None = None,
    voice: list[int] | None = None,
    clinic: Clinic | None = None,
    **patient,
) -> Booked:
    """A consenting patient with a follow-up at `starts_at` (offsets 7, 2, 1 unless given)."""
    with UnitOfWork(url) as uow:
        clinic = clinic or make_clinic(uow.session)
        kind = uow.session.get(AppointmentType, clinic.follow_up_id)
        if sms is not None:
            kind.reminder_offsets_days = sms
        if voice is not None:
            kind.voice_reminder_offsets_days = voice
        person = make_patient(uow.session, clinic, **patient)
        appointment = make_appointment(uow.session, clinic, person, starts_at)
        uow.commit()
        return Booked(url, clinic, person.id, appointment.id)


def _rows(url: str, appointment_id: int) -> list[tuple]:
    return [
        (r.channel, r.offset_days, r.status, r.skip_reason, r.short_notice)
        for r in sorted(
            reminders_of(url, appointment_id), key=lambda r: (r.channel, -r.offset_days)
        )
    ]


def _short_notice(url: str, appointment_id: int) -> Reminder:
    (row,) = [r for r in reminders_of(url, appointment_id) if r.short_notice]
    return row


PAST = ("skipped", "past_when_booked", False)


def test_booked_at_7_pm_for_10_tomorrow_one_reminder_goes_at_8(db_url: str) -> None:
    visit = _book(db_url, TOMORROW_10)
    settings = settings_for(db_url)
    assert worker.run_once(settings, EVENING) == {"planned": 3}
    assert _rows(db_url, visit.appointment_id) == [
        ("sms", 7, *PAST),
        ("sms", 2, *PAST),
        ("sms", 1, "pending", None, True),
    ]
    assert _short_notice(db_url, visit.appointment_id).due_at == MORNING

    clock = (ny(2026, 12, 3, 19, 5), ny(2026, 12, 3, 21, 30), ny(2026, 12, 4, 7, 59))
    for now in clock:
        assert worker.run_once(settings, now) == {"planned": 0}, now
    assert sent_messages(db_url) == []
    assert worker.run_once(settings, MORNING) == {"planned": 0, "claimed": 1, "recorded": 1}
    assert worker.run_once(settings, ny(2026, 12, 4, 8, 1)) == {"planned": 0}

    (message,) = sent_messages(db_url)
    assert message.created_at == MORNING
    assert message.body == (
        "Test Family Clinic: appointment Fri Dec 4, 10:00 AM at Main Street Office. "
        "Reply 1 to confirm, 2 to reschedule, 3 to talk to us. STOP to opt out."
    )
    reminder = _short_notice(db_url, visit.appointment_id)
    assert (reminder.status, reminder.sent_at) == ("sent", MORNING)


def test_booked_at_11_pm_it_also_goes_at_8(db_url: str) -> None:
    visit = _book(db_url, TOMORROW_10)
    settings = settings_for(db_url)
    assert worker.run_once(settings, ny(2026, 12, 3, 23)) == {"planned": 3}
    assert _short_notice(db_url, visit.appointment_id).due_at == MORNING
    assert worker.run_once(settings, ny(2026, 12, 4, 7, 59)) == {"planned": 0}
    assert worker.run_once(settings, MORNING)["recorded"] == 1
    assert [m.created_at for m in sent_messages(db_url)] == [MORNING]


def test_at_8_exactly_an_hour_before_a_9_oclock_visit_it_still_goes(db_url: str) -> None:
    visit = _book(db_url, ny(2026, 12, 4, 9))
    settings = settings_for(db_url)
    worker.run_once(settings, EVENING)
    assert _short_notice(db_url, visit.appointment_id).due_at == MORNING
    assert worker.run_once(settings, MORNING)["recorded"] == 1


def test_a_same_day_visit_booked_in_the_morning_is_reminded_at_once(db_url: str) -> None:
    visit = _book(db_url, ny(2026, 12, 4, 17))
    booked = ny(2026, 12, 4, 9)
    counts = worker.run_once(settings_for(db_url), booked)
    assert counts == {"planned": 3, "claimed": 1, "recorded": 1}
    assert _rows(db_url, visit.appointment_id)[-1] == ("sms", 1, "sent", None, True)
    assert [m.created_at for m in sent_messages(db_url)] == [booked]


@pytest.mark.parametrize(
    ("booked", "due"),
    [
        (ny(2026, 12, 3, 19), ny(2026, 12, 3, 19)),  # 8:00 is too close to 8:30: at once
        (ny(2026, 12, 3, 21, 30), None),  # quiet until 8:00, too close to 8:30: none
    ],
)
def test_when_the_next_morning_is_too_close_at_once_or_none(db_url: str, booked, due) -> None:
    visit = _book(db_url, ny(2026, 12, 4, 8, 30))
    plan(db_url, booked)
    rows = reminders_of(db_url, visit.appointment_id)
    assert [r.due_at for r in rows if r.short_notice] == ([due] if due else [])
    if due is None:
        assert {(r.status, r.skip_reason) for r in rows} == {("skipped", "past_when_booked")}


def test_a_visit_two_hours_away_gets_none(db_url: str) -> None:
    visit = _book(db_url, ny(2026, 12, 4, 11))
    settings = settings_for(db_url)
    assert worker.run_once(settings, ny(2026, 12, 4, 9)) == {"planned": 3}
    assert _rows(db_url, visit.appointment_id) == [("sms", d, *PAST) for d in (7, 2, 1)]
    assert worker.run_once(settings, ny(2026, 12, 4, 10)) == {"planned": 0}
    assert sent_messages(db_url) == []


def test_a_visit_three_days_away_keeps_its_ordinary_reminders(db_url: str) -> None:
    visit = _book(db_url, ny(2026, 12, 7, 10))
    plan(db_url, ny(2026, 12, 4, 10))
    assert _rows(db_url, visit.appointment_id) == [
        ("sms", 7, *PAST),
        ("sms", 2, "pending", None, False),
        ("sms", 1, "pending", None, False),
    ]


def test_the_patients_zone_decides_the_morning(db_url: str) -> None:
    """8:00 in Los Angeles is 11:00 in New York, after the visit: so at once (16:00 there)."""
    visit = _book(db_url, TOMORROW_10, time_zone="America/Los_Angeles")
    plan(db_url, EVENING)
    assert _short_notice(db_url, visit.appointment_id).due_at == EVENING


def test_planning_twice_keeps_one_short_notice_row(db_url: str) -> None:
    visit = _book(db_url, TOMORROW_10)
    for now in (EVENING, EVENING + timedelta(minutes=1)):
        with UnitOfWork(db_url) as uow:
            planning.plan(uow.session, now=now, appointment_ids=[visit.appointment_id])
            uow.commit()
    assert len(reminders_of(db_url, visit.appointment_id)) == 3
    assert _short_notice(db_url, visit.appointment_id).due_at == MORNING


def test_each_channel_gets_one_but_only_one_goes_out_a_day(db_url: str) -> None:
    visit = _book(db_url, TOMORROW_10, voice=[1])
    settings = settings_for(db_url)
    plan(db_url, EVENING)
    assert _rows(db_url, visit.appointment_id) == [
        ("sms", 7, *PAST),
        ("sms", 2, *PAST),
        ("sms", 1, "pending", None, True),
        ("voice", 1, "pending", None, True),
    ]
    counts = worker.run_once(settings, MORNING, plan=False)
    assert (counts["recorded"], counts["skipped"]) == (1, 1)
    # the call would have to wait for tomorrow's 8:00, after the visit
    assert _rows(db_url, visit.appointment_id)[-2:] == [
        ("sms", 1, "sent", None, True),
        ("voice", 1, "skipped", "daily_cap", True),
    ]


def test_quiet_hours_hold_a_reminder_due_at_once(db_url: str) -> None:
    """Due at 20:55 (at once, for 8:30 tomorrow), the worker only gets to it at 21:05: quiet
    until 8:00, too close to the visit, skipped rather than sent at night."""
    visit = _book(db_url, ny(2026, 12, 4, 8, 30))
    plan(db_url, ny(2026, 12, 3, 20, 55))
    assert worker.run_once(settings_for(db_url), ny(2026, 12, 3, 21, 5))["skipped"] == 1
    assert _short_notice(db_url, visit.appointment_id).skip_reason == "quiet_hours"
    assert sent_messages(db_url) == []


@pytest.mark.parametrize("refusal", ["opted_out", "no_consent"])
def test_no_reminder_after_opt_out_or_without_consent(db_url: str, refusal: str) -> None:
    visit = _book(db_url, TOMORROW_10, consent=refusal != "no_consent")
    plan(db_url, EVENING)
    assert _short_notice(db_url, visit.appointment_id).status == "pending"
    if refusal == "opted_out":  # STOP the evening of the booking
        with UnitOfWork(db_url) as uow:
            opted = ny(2026, 12, 3, 20)
            uow.session.add(SmsOptOut(number="+15555550123", keyword="STOP", opted_out_at=opted))
            uow.commit()
    assert worker.run_once(settings_for(db_url), MORNING)["skipped"] == 1
    assert _short_notice(db_url, visit.appointment_id).skip_reason == refusal
    assert sent_messages(db_url) == []


def test_not_a_second_reminder_on_the_day_another_visit_was_reminded(db_url: str) -> None:
    """The patient got visit A's reminder at 8:30; visit B, booked at 9:00 for 17:00, would be
    reminded at once, but the daily cap moves it to tomorrow, after B: skipped."""
    a = _book(db_url, ny(2026, 12, 5, 8, 30))
    settings = settings_for(db_url)
    plan(db_url, ny(2026, 12, 1, 12))
    assert worker.run_once(settings, ny(2026, 12, 4, 8, 30))["recorded"] == 1  # A's 1-day
    with UnitOfWork(db_url) as uow:
        patient = uow.session.get(Patient, a.patient_id)
        b = make_appointment(uow.session, a.clinic, patient, ny(2026, 12, 4, 17)).id
        uow.commit()
    counts = worker.run_once(settings, ny(2026, 12, 4, 9))
    assert (counts["planned"], counts["claimed"], counts["skipped"]) == (3, 1, 1)
    assert "recorded" not in counts
    assert _short_notice(db_url, b).skip_reason == "daily_cap"
    assert len(sent_messages(db_url)) == 1


def test_deferred_by_the_daily_cap_to_the_visits_morning_it_still_goes(db_url: str) -> None:
    """A type reminded 7 and 2 days before. A's 2-day reminder and B's short-notice one are both
    due at 8:00 on Friday: A's goes, B's waits for Saturday 8:00, two hours before B at 10:00
    (an ordinary reminder would be skipped there: under `MIN_LEAD`)."""
    a = _book(db_url, ny(2026, 12, 6, 8), sms=[7, 2])
    settings = settings_for(db_url)
    plan(db_url, ny(2026, 12, 1, 12))
    with UnitOfWork(db_url) as uow:
        patient = uow.session.get(Patient, a.patient_id)
        b = make_appointment(uow.session, a.clinic, patient, ny(2026, 12, 5, 10)).id
        uow.commit()
    plan(db_url, EVENING)
    assert _short_notice(db_url, b).due_at == MORNING

    counts = worker.run_once(settings, MORNING)
    assert (counts["recorded"], counts["deferred"]) == (1, 1)
    deferred = _short_notice(db_url, b)
    assert (deferred.status, deferred.due_at) == ("pending", ny(2026, 12, 5, 8))
    assert ny(2026, 12, 5, 10) - deferred.due_at < policy.MIN_LEAD
    assert worker.run_once(settings, ny(2026, 12, 5, 7, 59)) == {"planned": 0}
    assert worker.run_once(settings, ny(2026, 12, 5, 8))["recorded"] == 1
    assert [m.created_at for m in sent_messages(db_url)] == [MORNING, ny(2026, 12, 5, 8)]


@pytest.mark.parametrize(
    ("booked", "visit", "morning_utc"),
    [
        # the evening before clocks go forward (14 March 2027): 8:00 EDT is 12:00 UTC
        (ny(2027, 3, 13, 19), ny(2027, 3, 14, 10), datetime(2027, 3, 14, 12, tzinfo=UTC)),
        # the evening before they go back (7 November 2027): 8:00 EST is 13:00 UTC
        (ny(2027, 11, 6, 19), ny(2027, 11, 7, 10), datetime(2027, 11, 7, 13, tzinfo=UTC)),
    ],
)
def test_across_a_dst_change_it_goes_at_8_local(db_url: str, booked, visit, morning_utc) -> None:
    appointment = _book(db_url, visit)
    settings = settings_for(db_url)
    assert worker.run_once(settings, booked) == {"planned": 3}
    assert _short_notice(db_url, appointment.appointment_id).due_at == morning_utc
    assert worker.run_once(settings, morning_utc - timedelta(minutes=1)) == {"planned": 0}
    assert worker.run_once(settings, morning_utc)["recorded"] == 1


def test_a_visit_moved_to_tomorrow_is_planned_the_same_way(db_url: str) -> None:
    old = _book(db_url, ny(2026, 12, 20, 10))
    settings = settings_for(db_url)
    plan(db_url, ny(2026, 12, 1, 12))
    with UnitOfWork(db_url) as uow:
        new = operations.reschedule(
            uow.session,
            old.appointment_id,
            starts_at=TOMORROW_10,
            actor=Actor("patient", "sms"),
            now=EVENING,
            enforce_rules=False,  # the test clinic has no opening hours
        ).id
        uow.commit()
    assert worker.run_once(settings, EVENING) == {"planned": 3}
    assert _rows(db_url, new)[-1] == ("sms", 1, "pending", None, True)
    assert worker.run_once(settings, MORNING)["recorded"] == 1
    (message,) = sent_messages(db_url)
    assert (message.appointment_id, message.created_at) == (new, MORNING)
    assert "Fri Dec 4, 10:00 AM" in message.body
    # the old visit's reminders are not sent: it was moved
    assert worker.run_once(settings, ny(2026, 12, 13, 10))["skipped"] == 1
    assert len(sent_messages(db_url)) == 1


def test_the_spanish_text_names_the_day_and_time(db_url: str) -> None:
    _book(db_url, TOMORROW_10, language="es")
    plan(db_url, EVENING)
    worker.run_once(settings_for(db_url), MORNING)
    (message,) = sent_messages(db_url)
    assert message.body.startswith(
        "Test Family Clinic: cita el vie 4 de diciembre a las 10:00 en Main Street Office."
    )


def test_the_console_counts_them_as_their_own_campaign(db_url: str) -> None:
    """Two short-notice texts on Friday 8:00 (one delivered, one patient opts out before the
    visit) and an ordinary 1-day text at 10:00 for a visit on Saturday."""
    first = _book(db_url, TOMORROW_10, phone="+15555550001", first="Ann")
    clinic = first.clinic
    second = _book(db_url, ny(2026, 12, 4, 10, 20), clinic=clinic, phone="+15555550002")
    _book(db_url, ny(2026, 12, 5, 10), clinic=clinic, phone="+15555550003", first="Cy")
    settings = settings_for(db_url)
    plan(db_url, EVENING)
    assert worker.run_once(settings, MORNING, plan=False)["recorded"] == 2
    with UnitOfWork(db_url) as uow:
        opted = ny(2026, 12, 4, 9)
        uow.session.add(SmsOptOut(number="+15555550002", keyword="STOP", opted_out_at=opted))
        reminder = uow.session.get(Reminder, _short_notice(db_url, first.appointment_id).id)
        reminder.delivery_status = "delivered"
        uow.commit()
    assert worker.run_once(settings, ny(2026, 12, 4, 10), plan=False)["recorded"] == 1
    assert _short_notice(db_url, second.appointment_id).status == "sent"
    with UnitOfWork(db_url) as uow:
        m = reminder_metrics.compute(uow.session, clinic.practice_id, now=ny(2026, 12, 5, 12))
    rows = [
        (r.day, r.campaign, r.sent, r.delivered, r.confirmed, r.rescheduled, r.cancelled,
         r.opted_out, r.no_answer)
        for r in m.rows
    ]  # fmt: skip
    friday = date(2026, 12, 4)
    assert rows == [
        (friday, "Text, 1 day before", 1, 0, 0, 0, 0, 0, 1),
        (friday, "Text, booked at short notice", 2, 1, 0, 0, 0, 1, 1),
    ]
    assert m.totals["Text, booked at short notice"].sent == 2


@pytest.mark.parametrize(("offsets", "short"), [([0], []), ([1, 0], [0])])
def test_an_offset_of_0_days_neither_calls_for_one_nor_stands_in_for_one(
    db_url: str, offsets, short
) -> None:
    """0 days before is the visit's own time, never usable: a type reminded only then is not
    given a short-notice reminder for a visit booked a fortnight ahead; with 1 day before too,
    a late booking takes the 0-day key for its short-notice row."""
    far = _book(db_url, ny(2026, 12, 18, 10), sms=offsets)
    late = _book(db_url, TOMORROW_10, clinic=far.clinic, phone="+15555550001")
    plan(db_url, EVENING)

    def short_notice_keys(appointment_id: int) -> list[int]:
        return [r.offset_days for r in reminders_of(db_url, appointment_id) if r.short_notice]

    assert short_notice_keys(far.appointment_id) == []
    assert short_notice_keys(late.appointment_id) == short
