"""Wall clock versus UTC at the practice, including both DST transitions of 2026 in New York."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

import pytest

from assistant.scheduling.clock import (
    is_ambiguous,
    is_nonexistent,
    local_day_bounds,
    local_today,
    local_tomorrow,
    to_utc,
    wall_to_utc,
)
from assistant.scheduling.errors import AmbiguousLocalTime, NonexistentLocalTime
from assistant.scheduling.preferences import TimePreference
from tests.factories.scheduling import NY, utc


def test_spring_forward_gap_is_refused_or_moved_to_the_end_of_the_gap() -> None:
    wall = datetime(2026, 3, 8, 2, 30)
    assert is_nonexistent(wall, NY)
    with pytest.raises(NonexistentLocalTime) as err:
        to_utc(wall, NY)
    assert err.value.next_valid == utc("2026-03-08 07:00")  # 03:00 EDT
    assert to_utc(wall, NY, nonexistent="shift_forward") == utc("2026-03-08 07:00")


def test_fall_back_hour_is_refused_or_resolved_to_the_first_or_second_time() -> None:
    wall = datetime(2026, 11, 1, 1, 30)
    assert is_ambiguous(wall, NY)
    with pytest.raises(AmbiguousLocalTime) as err:
        to_utc(wall, NY)
    assert (err.value.earlier, err.value.later) == (
        utc("2026-11-01 05:30"),  # 01:30 EDT
        utc("2026-11-01 06:30"),  # 01:30 EST
    )
    assert to_utc(wall, NY, ambiguous="earlier") == utc("2026-11-01 05:30")
    assert to_utc(wall, NY, ambiguous="later") == utc("2026-11-01 06:30")


def test_ordinary_times_convert_without_policies() -> None:
    assert wall_to_utc(date(2026, 6, 2), time(9), NY) == utc("2026-06-02 13:00")
    assert wall_to_utc(date(2026, 1, 6), time(9), NY) == utc("2026-01-06 14:00")


def test_dst_days_are_23_and_25_hours_long() -> None:
    start, end = local_day_bounds(date(2026, 3, 8), NY)
    assert end - start == timedelta(hours=23)
    start, end = local_day_bounds(date(2026, 11, 1), NY)
    assert end - start == timedelta(hours=25)


def test_tomorrow_is_tomorrow_at_the_practice_not_where_the_patient_is() -> None:
    now = utc("2026-06-10 02:30")  # Tue 22:30 in New York, already Wed 11:30 in Tokyo
    assert local_today(NY, now) == date(2026, 6, 9)
    assert local_tomorrow(NY, now) == date(2026, 6, 10)
    assert local_tomorrow("Asia/Tokyo", now) == date(2026, 6, 11)  # what the phone would say


def test_time_preference_filters_and_round_trips() -> None:
    pref = TimePreference(part_of_day="afternoon", earliest=time(15), weekdays=frozenset({1}))
    tue = datetime(2026, 6, 2, 15, 30)
    assert pref.accepts(tue)
    assert not pref.accepts(tue.replace(hour=14))  # before 3 pm
    assert not pref.accepts(tue.replace(hour=17))  # evening, not afternoon
    assert not pref.accepts(tue + timedelta(days=1))  # Wednesday
    assert TimePreference.from_json(pref.to_json()) == pref
