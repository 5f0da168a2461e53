"""Which slots a patient is offered: templates, breaks, holidays, exceptions, buffers, rules."""

from __future__ import annotations

from datetime import date, time, timedelta

import pytest
from sqlalchemy import event

from assistant.db.engine import get_engine
from assistant.db.models import HELD
from assistant.scheduling.clock import local_tomorrow
from assistant.scheduling.errors import TypeNotBookable
from assistant.scheduling.preferences import TimePreference
from tests.factories.scheduling import (
    NOW,
    NY,
    TUE,
    Clinic,
    at,
    build_clinic,
    day_hhmm,
    find,
    hhmm,
    utc,
)

MORNING = [f"{h:02d}:{m:02d}" for h in (9, 10, 11) for m in (0, 15, 30, 45)][:-1]  # to 11:30
AFTERNOON = [f"{h:02d}:{m:02d}" for h in (13, 14, 15, 16) for m in (0, 15, 30, 45)][:-1]


def test_weekly_template_with_lunch_break(clinic: Clinic) -> None:
    options = find(clinic)
    assert hhmm(options) == MORNING + AFTERNOON
    first = options[0]
    assert first.starts_at == utc("2026-06-02 13:00")  # stored and returned in UTC
    assert first.local_start.tzinfo.key == NY
    assert first.provider_name == "Dr. Ada"
    assert find(clinic, day=date(2026, 6, 6)) == []  # Saturday: no template


def test_blocked_and_extra_exceptions(clinic: Clinic) -> None:
    clinic.add_exception("Ada", "blocked", at("2026-06-02 10:00"), at("2026-06-02 11:00"))
    clinic.add_exception("Ada", "extra", at("2026-06-06 09:00"), at("2026-06-06 10:00"))
    tuesday = hhmm(find(clinic))
    assert "09:30" in tuesday and "11:00" in tuesday
    assert not {"09:45", "10:00", "10:30", "10:45"} & set(tuesday)
    assert hhmm(find(clinic, day=date(2026, 6, 6))) == ["09:00", "09:15", "09:30"]


def test_practice_and_location_holidays(clinic: Clinic) -> None:
    clinic.add_holiday(TUE)
    assert find(clinic) == []
    clinic.add_holiday(date(2026, 6, 3), location_id=clinic.location_id)
    assert find(clinic, day=date(2026, 6, 3)) == []
    assert find(clinic, day=date(2026, 6, 4)) != []


def test_holiday_at_one_location_leaves_the_other_open(clinic: Clinic) -> None:
    uptown = clinic.add_location("Uptown")
    clinic.add_template("Ada", [2], "09:00", "10:00", location_id=uptown)  # Wednesdays
    clinic.add_holiday(date(2026, 6, 3), location_id=clinic.location_id)
    options = find(clinic, day=date(2026, 6, 3))
    assert hhmm(options) == ["09:00", "09:15", "09:30"]
    assert {o.location_id for o in options} == {uptown}


def test_buffers_of_existing_and_new_appointments(clinic: Clinic) -> None:
    # A procedure 09:00-09:30 plus 15 min buffer keeps Ada busy until 09:45.
    clinic.add_appointment("Pat", "Ada", "procedure", at("2026-06-02 09:00"))
    assert hhmm(find(clinic))[:2] == ["09:45", "10:00"]
    # A follow-up at 11:00 means a procedure (30 + 15 buffer) must start by 10:15.
    clinic.add_appointment("Pat", "Ada", "follow_up", at("2026-06-02 11:00"))
    procedures = hhmm(find(clinic, "procedure"))
    assert "10:15" in procedures and "10:30" not in procedures
    assert "11:30" in procedures  # the buffer may run past the end of the morning


def test_new_patient_rule(clinic: Clinic) -> None:
    with pytest.raises(TypeNotBookable) as err:
        find(clinic, "procedure", patient_id=clinic.patients["Nia"])
    assert err.value.code == "new_patients_not_allowed"
    assert find(clinic, "procedure", patient_id=clinic.patients["Pat"]) != []
    assert find(clinic, "new_visit", patient_id=clinic.patients["Nia"]) != []


def test_not_bookable_by_phone(clinic: Clinic) -> None:
    clinic.add_type("surgery_consult", 30, by_phone=False)
    with pytest.raises(TypeNotBookable):
        find(clinic, "surgery_consult", channel="sms")
    assert find(clinic, "surgery_consult", channel="portal") != []


def test_minimum_notice(clinic: Clinic) -> None:
    now = at("2026-06-02 09:05")  # notice is 2 hours
    assert hhmm(find(clinic, now=now))[0] == "11:15"


def test_maximum_horizon(clinic: Clinic) -> None:
    clinic.add_type("short_horizon", 30, horizon_days=7)
    now = at("2026-06-01 14:00")
    options = find(clinic, "short_horizon", day=TUE, until=date(2026, 7, 31), now=now)
    assert day_hhmm(options[-2:]) == ["Mon 08 13:45", "Mon 08 14:00"]  # exactly 7 days ahead


def test_preferences(clinic: Clinic) -> None:
    week = {"day": TUE, "until": date(2026, 6, 8)}
    afternoon = find(clinic, preference=TimePreference(part_of_day="afternoon"), **week)
    assert afternoon and all(o.local_start.hour >= 13 for o in afternoon)
    after_three = find(clinic, preference=TimePreference(earliest=time(15)), **week)
    assert hhmm(after_three)[:2] == ["15:00", "15:15"]
    before_ten = find(clinic, preference=TimePreference(latest=time(10)), **week)
    assert hhmm(before_ten)[-1] == "09:45"
    thursdays = find(clinic, preference=TimePreference(weekdays=frozenset({3})), **week)
    assert {o.local_start.date() for o in thursdays} == {date(2026, 6, 4)}
    evening = find(clinic, preference=TimePreference(part_of_day="evening"), **week)
    assert evening == []
    one_day = find(clinic, preference=TimePreference(on_date=date(2026, 6, 5)), **week)
    assert {o.local_start.date() for o in one_day} == {date(2026, 6, 5)}
    asap = find(clinic, preference=TimePreference(asap=True), day=date(2026, 6, 5), until=None)
    assert day_hhmm(asap[:1]) == ["Mon 01 10:00"]  # today, after the 2 h notice


def test_spread_options_and_limit(clinic: Clinic) -> None:
    options = find(clinic, spread=True, limit=3)
    assert hhmm(options) == ["09:00", "09:30", "10:00"]


def test_any_provider_collapses_same_time_to_the_least_busy(clinic: Clinic) -> None:
    clinic.add_provider("Bob")
    clinic.add_template("Bob", range(5), "09:00", "12:00")
    clinic.add_appointment("Pat", "Ada", "follow_up", at("2026-06-02 09:00"))
    options = find(clinic, provider_id=None, limit=2)
    assert [(o.local_start.strftime("%H:%M"), o.provider_name) for o in options] == [
        ("09:00", "Dr. Bob"),
        ("09:15", "Dr. Bob"),  # Ada has a booking that day, Bob none
    ]


def test_holds_block_until_they_expire(clinic: Clinic) -> None:
    clinic.add_appointment(
        "Nia",
        "Ada",
        "follow_up",
        at("2026-06-02 09:00"),
        status=HELD,
        hold_expires_at=NOW + timedelta(minutes=10),
    )
    assert hhmm(find(clinic))[0] == "09:30"
    assert hhmm(find(clinic, now=NOW + timedelta(minutes=11)))[0] == "09:00"


def test_cancelled_appointments_do_not_block(clinic: Clinic) -> None:
    clinic.add_appointment("Pat", "Ada", "follow_up", at("2026-06-02 09:00"), status="cancelled")
    assert hhmm(find(clinic))[0] == "09:00"


def test_template_validity_and_allowed_types(clinic: Clinic) -> None:
    clinic.add_provider("Cy")
    clinic.add_template(
        "Cy",
        [1],
        "08:00",
        "09:00",
        types=["follow_up"],
        valid_from=date(2026, 6, 9),
        valid_until=date(2026, 6, 30),
    )
    cy = {"provider_id": clinic.providers["Cy"]}
    assert find(clinic, **cy) == []  # 2 June: before valid_from
    assert hhmm(find(clinic, day=date(2026, 6, 9), **cy))[0] == "08:00"
    assert find(clinic, "new_visit", day=date(2026, 6, 9), **cy) == []  # type not allowed
    assert find(clinic, day=date(2026, 7, 7), **cy) == []  # after valid_until


def test_one_appointment_query_per_window_and_none_per_slot(clinic: Clinic) -> None:
    for day in range(2, 6):
        clinic.add_appointment("Pat", "Ada", "follow_up", at(f"2026-06-0{day} 10:00"))
    statements: list[str] = []

    def count(conn, cursor, statement, *args) -> None:
        if "FROM appointments" in statement:
            statements.append(statement)

    engine = get_engine(clinic.url)
    event.listen(engine, "before_cursor_execute", count)
    try:
        options = find(clinic, day=TUE, until=date(2026, 6, 15))  # 14 days, ~180 options
    finally:
        event.remove(engine, "before_cursor_execute", count)
    assert len(options) > 150
    # windows of 2, 4, 8 days; plus one query telling whether the patient is new
    assert len(statements) <= 4


def test_tomorrow_for_a_patient_texting_from_tokyo(clinic: Clinic) -> None:
    now = utc("2026-06-10 02:30")  # Tue 22:30 at the practice, Wed 11:30 in Tokyo
    tomorrow = local_tomorrow(NY, now)
    options = find(clinic, day=tomorrow, now=now)
    assert {o.local_start.date() for o in options} == {date(2026, 6, 10)}  # Wednesday
    assert hhmm(options)[0] == "09:00"


def test_spring_forward_gap_has_no_slots(db_url: str) -> None:
    clinic = build_clinic(db_url, weekday_hours=False)
    now = utc("2026-03-01 12:00")
    sunday = date(2026, 3, 8)
    clinic.add_template("Ada", [6], "01:00", "04:00")
    options = find(clinic, day=sunday, now=now)
    assert hhmm(options) == ["01:00", "01:15", "01:30", "01:45", "03:00", "03:15", "03:30"]
    assert [o.starts_at for o in options][3:5] == [utc("2026-03-08 06:45"), utc("2026-03-08 07:00")]
    assert options[3].ends_at - options[3].starts_at == timedelta(minutes=30)  # 01:45 EST-03:15 EDT


def test_template_inside_the_gap_does_not_exist(db_url: str) -> None:
    clinic = build_clinic(db_url, weekday_hours=False)
    clinic.add_template("Ada", [6], "02:00", "03:00")
    assert find(clinic, day=date(2026, 3, 8), now=utc("2026-03-01 12:00")) == []
    # the same template a week later is an ordinary hour
    assert len(find(clinic, day=date(2026, 3, 15), now=utc("2026-03-01 12:00"))) == 3


def test_fall_back_repeated_hour_gives_no_duplicates_or_overlaps(db_url: str) -> None:
    clinic = build_clinic(db_url, weekday_hours=False)
    clinic.add_template("Ada", [6], "00:00", "03:00")
    now = utc("2026-10-25 12:00")
    options = find(clinic, "new_visit", day=date(2026, 11, 1), now=now)  # 60 minutes
    starts = [o.starts_at for o in options]
    assert len(starts) == len(set(starts)) == 13  # 04:00Z .. 07:00Z every 15 min: 4 real hours
    assert starts == sorted(starts)
    assert hhmm(options).count("01:00") == 2
    assert [o.local_start.tzname() for o in options if o.local_start.hour == 1][::4] == [
        "EDT",
        "EST",
    ]
    # Book 01:30 EDT (05:30Z-06:30Z): nothing offered may overlap it, in either 01:xx hour.
    clinic.add_appointment("Pat", "Ada", "new_visit", at("2026-11-01 01:30"))
    for option in find(clinic, "new_visit", day=date(2026, 11, 1), now=now):
        assert option.ends_at <= utc("2026-11-01 05:30") or option.starts_at >= utc(
            "2026-11-01 06:30"
        )
    remaining = find(clinic, "new_visit", day=date(2026, 11, 1), now=now)
    assert utc("2026-11-01 06:30") in [o.starts_at for o in remaining]  # 01:30 EST is free
