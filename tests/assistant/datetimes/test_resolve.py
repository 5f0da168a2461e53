"""`assistant.datetimes.resolve`: English and Spanish, voice and SMS, at the practice's zone."""

from __future__ import annotations

from datetime import date, datetime, time, timezone

import pytest

from assistant.datetimes import Resolved, resolve, to_time_preference
from assistant.scheduling.preferences import TimePreference

TZ = "America/New_York"
# Friday 2019-03-01 09:00 in New York.
NOW = datetime(2019, 3, 1, 14, 0, tzinfo=timezone.utc)


def one(text: str, language: str = "en", now: datetime = NOW) -> Resolved:
    found = resolve(text, now=now, time_zone=TZ, language=language)
    assert len(found) == 1, found
    return found[0]


@pytest.mark.parametrize(
    ("text", "language", "expected"),
    [
        ("tomorrow", "en", date(2019, 3, 2)),
        ("tmrw", "en", date(2019, 3, 2)),
        ("mañana", "es", date(2019, 3, 2)),
        ("manana", "es", date(2019, 3, 2)),
        ("pasado mañana", "es", date(2019, 3, 3)),
        ("el martes", "es", date(2019, 3, 5)),
        ("Tuesday", "en", date(2019, 3, 5)),
        ("the 15th", "en", date(2019, 3, 15)),
        ("on the fifteenth", "en", date(2019, 3, 15)),
        ("el 15", "es", date(2019, 3, 15)),
        ("el quince de marzo", "es", date(2019, 3, 15)),
        ("in two weeks", "en", date(2019, 3, 15)),
        ("en dos semanas", "es", date(2019, 3, 15)),
        ("Wednesday next week", "en", date(2019, 3, 6)),
        ("March 1st", "en", date(2019, 3, 1)),
    ],
)
def test_dates(text: str, language: str, expected: date) -> None:
    item = one(text, language)
    assert item.kind == "date"
    assert item.date == expected


def test_the_15th_after_the_15th_is_next_month() -> None:
    later = datetime(2019, 3, 20, 14, 0, tzinfo=timezone.utc)
    assert one("the 15th", now=later).date == date(2019, 4, 15)


@pytest.mark.parametrize(
    ("text", "language", "expected"),
    [
        ("ten thirty", "en", time(10, 30)),
        ("two pm", "en", time(14, 0)),
        ("at 2", "en", time(14, 0)),
        ("at 9", "en", time(9, 0)),
        ("quarter past 4 in the evening", "en", time(16, 15)),
        ("4:15", "en", time(16, 15)),
        ("a las diez y media", "es", time(10, 30)),
        ("dos y media", "es", time(14, 30)),
        ("a las dos y media", "es", time(14, 30)),
        ("a las once menos cuarto", "es", time(10, 45)),
        ("a las 3 de la tarde", "es", time(15, 0)),
    ],
)
def test_times(text: str, language: str, expected: time) -> None:
    item = one(text, language)
    assert item.kind == "time"
    assert item.start_time == expected


def test_next_tuesday_afternoon_is_a_date_with_12_to_17() -> None:
    item = one("can i come in next tuesday afternoon")
    assert item.kind == "part_of_day"
    assert item.text == "next tuesday afternoon"
    assert item.date == date(2019, 3, 5)
    assert (item.start_time, item.end_time) == (time(12), time(17))
    assert item.start.isoformat() == "2019-03-05T12:00:00-05:00"
    assert item.end.isoformat() == "2019-03-05T17:00:00-05:00"
    assert to_time_preference(item) == TimePreference(
        part_of_day="afternoon", on_date=date(2019, 3, 5)
    )


def test_el_jueves_por_la_tarde_is_the_afternoon_not_the_recognizers_evening() -> None:
    item = one("el jueves por la tarde", "es")
    assert (item.kind, item.part_of_day, item.date) == (
        "part_of_day",
        "afternoon",
        date(2019, 3, 7),
    )


@pytest.mark.parametrize(
    ("text", "language"), [("any time after 3", "en"), ("después de las tres", "es")]
)
def test_after_3_is_earliest_15(text: str, language: str) -> None:
    item = one(text, language)
    assert item.kind == "time_range"
    assert (item.start_time, item.end_time) == (time(15), None)
    assert to_time_preference(item) == TimePreference(earliest=time(15))


@pytest.mark.parametrize(
    ("text", "language"),
    [("between two and four", "en"), ("entre las dos y las cuatro", "es")],
)
def test_between_two_and_four(text: str, language: str) -> None:
    item = one(text, language)
    assert (item.start_time, item.end_time) == (time(14), time(16))


def test_before_5_is_latest_17() -> None:
    item = one("before 5")
    assert (item.start_time, item.end_time) == (None, time(17))


def test_first_thing_monday_is_monday_morning_earliest_opening() -> None:
    item = one("first thing monday")
    assert item.kind == "part_of_day"
    assert item.date == date(2019, 3, 4)
    assert item.part_of_day == "morning"
    assert item.earliest_opening
    assert to_time_preference(item) == TimePreference(
        part_of_day="morning", on_date=date(2019, 3, 4)
    )


@pytest.mark.parametrize(
    ("text", "language", "expected"),
    [
        ("tomorrow at ten thirty", "en", "2019-03-02T10:30:00-05:00"),
        ("10am tmrw", "en", "2019-03-02T10:00:00-05:00"),
        ("wed 3/6 @ 4:15", "en", "2019-03-06T16:15:00-05:00"),
        ("Can you book it for the 7th at 4 pm please?", "en", "2019-03-07T16:00:00-05:00"),
        ("el martes a las dos y media", "es", "2019-03-05T14:30:00-05:00"),
        ("manana a las diez", "es", "2019-03-02T10:00:00-05:00"),
        ("el viernes 8 a las 9am", "es", "2019-03-08T09:00:00-05:00"),
        ("mie 6 a las 4", "es", "2019-03-06T16:00:00-05:00"),
    ],
)
def test_datetimes(text: str, language: str, expected: str) -> None:
    item = one(text, language)
    assert item.kind == "datetime"
    assert item.start.isoformat() == expected
    assert to_time_preference(item) == TimePreference(
        earliest=item.start_time,
        latest=time(item.start_time.hour, item.start_time.minute + 1),
        on_date=item.date,
    )


def test_span_points_into_the_original_text() -> None:
    text = "Can I come 10AM Tmrw?"
    item = one(text)
    assert (item.start_char, item.end_char, item.text) == (11, 20, "10AM Tmrw")
    assert text[item.start_char : item.end_char] == item.text


def test_next_week_is_a_monday_to_monday_range() -> None:
    item = one("next week")
    assert item.kind == "date_range"
    assert (item.date, item.end_date) == (date(2019, 3, 4), date(2019, 3, 11))
    assert to_time_preference(item) is None


class TestMiIsNotWednesday:
    def test_possessive_mi(self) -> None:
        found = resolve("mi cita es el lunes", now=NOW, time_zone=TZ, language="es")
        assert [(r.kind, r.date) for r in found] == [("date", date(2019, 3, 4))]

    def test_mi_alone(self) -> None:
        assert resolve("mi hija tiene fiebre", now=NOW, time_zone=TZ, language="es") == []

    def test_mie_with_a_day_number_is_wednesday(self) -> None:
        assert one("mie 6", "es").date == date(2019, 3, 6)


class TestTomorrowAtThePractice:
    """ "Tomorrow" counts from the practice's today, not UTC's or the server's."""

    def test_late_evening_new_york_is_already_tomorrow_in_utc(self) -> None:
        # 2019-03-01 23:30 in New York = 2019-03-02 04:30 UTC.
        now = datetime(2019, 3, 2, 4, 30, tzinfo=timezone.utc)
        assert one("tomorrow", now=now).date == date(2019, 3, 2)

    def test_across_spring_forward(self) -> None:
        # Saturday 2026-03-07 23:30 EST = 2026-03-08 04:30 UTC; DST starts that night.
        now = datetime(2026, 3, 8, 4, 30, tzinfo=timezone.utc)
        item = one("tomorrow at 10am", now=now)
        assert item.date == date(2026, 3, 8)
        assert item.start.isoformat() == "2026-03-08T10:00:00-04:00"

    def test_now_given_in_another_zone(self) -> None:
        now = datetime(2019, 3, 1, 20, 30, tzinfo=timezone.utc).astimezone()
        assert one("mañana", "es", now=now).date == date(2019, 3, 2)
        # 16:00 UTC Friday is 01:00 Saturday in Tokyo.
        friday_utc = datetime(2019, 3, 1, 16, 0, tzinfo=timezone.utc)
        tokyo = resolve("tomorrow", now=friday_utc, time_zone="Asia/Tokyo", language="en")
        assert tokyo[0].date == date(2019, 3, 3)


def test_no_dates_no_results() -> None:
    assert resolve("i need a refill please", now=NOW, time_zone=TZ, language="en") == []


def test_to_value_duckling_like() -> None:
    assert one("tomorrow").to_value() == "2019-03-02"
    assert one("any time after 3").to_value() == {"from": "15:00", "to": None}
