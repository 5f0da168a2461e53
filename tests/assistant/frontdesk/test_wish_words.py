"""Time wishes as patients type and dictate them: abbreviations and typos, several weekdays,
"next week" in its variants, clock times with before/after/around, and wishes about the visit
being moved (issue #16 classes 1, 5; the reschedule path of issue #17)."""

from __future__ import annotations

from datetime import date, datetime, time, timezone

import pytest

from assistant.frontdesk.spelling import spelled_out
from assistant.frontdesk.time_phrases import read_wish

NOW = datetime(2026, 3, 4, 15, 0, tzinfo=timezone.utc)  # Wednesday 10 AM in New York
ZONE = "America/New_York"
NEXT_MONDAY, NEXT_SUNDAY = date(2026, 3, 9), date(2026, 3, 15)
VISIT, VISIT_TIME = date(2026, 3, 10), time(14, 0)  # the visit being moved: Tuesday 2 PM


def _wish(text: str, language: str = "en", **visit):
    return read_wish(text, now=NOW, time_zone=ZONE, language=language, **visit)


@pytest.mark.parametrize(
    ("text", "language", "weekday", "part"),
    [
        ("tues aft", "en", 1, "afternoon"),
        ("fri pm", "en", 4, "afternoon"),
        ("thurs am", "en", 3, "morning"),
        ("wed eve", "en", 2, "evening"),
        ("wendsday aftrenoon", "en", 2, "afternoon"),
        ("moev my appt to thurday mornign", "en", 3, "morning"),
        ("can u do tuseday afternon", "en", 1, "afternoon"),
        ("miercoles en la trade", "es", 2, "afternoon"),
        ("el jueves en la manana", "es", 3, "morning"),
        ("viernez en la tarde porfa", "es", 4, "afternoon"),
    ],
)
def test_abbreviated_and_misspelled_days(text, language, weekday, part):
    pref = _wish(text, language).preference
    assert pref.weekdays == frozenset({weekday}) and pref.part_of_day == part


def test_tomorrow_misspelled():
    pref = _wish("tomorow mornin").preference
    assert pref.on_date == date(2026, 3, 5) and pref.part_of_day == "morning"


@pytest.mark.parametrize(
    ("text", "language", "kept"),
    [
        ("I am free at 3 pm", "en", "I am free at 3 pm"),  # "am" the verb, "pm" a clock
        ("I sat down at the sun", "en", "I sat down at the sun"),
        ("voy en coche", "es", "voy en coche"),  # one edit from "noche": a word of its own
        ("buenas noches", "es", "buenas noches"),
        ("whatever works", "en", "whatever works"),
        ("the trade show", "en", "the trade show"),  # "tarde" is Spanish only
    ],
)
def test_real_words_are_not_typos(text, language, kept):
    assert spelled_out(text, language) == kept


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("la semana que entra", "es"),
        ("la semana que viene", "es"),
        ("la próxima semana", "es"),
        ("otro día de la semana que viene", "es"),
        ("sometime next week", "en"),
        ("next wk", "en"),
    ],
)
def test_next_week_is_that_week(text, language):
    wish = _wish(text, language)
    assert (wish.date_from, wish.date_to) == (NEXT_MONDAY, NEXT_SUNDAY)


@pytest.mark.parametrize(
    ("text", "language", "weekday"),
    [
        ("el lunes de la semana que entra", "es", 0),
        ("el martes de la semana que viene", "es", 1),
        ("next week on thursday", "en", 3),
    ],
)
def test_a_weekday_of_next_week(text, language, weekday):
    wish = _wish(text, language)
    assert wish.preference.weekdays == frozenset({weekday})
    assert wish.date_from == NEXT_MONDAY and wish.date_to == NEXT_SUNDAY


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("la semana que viene en la tarde", "es"),
        ("la próxima semana por la tarde", "es"),
        ("next week in the afternoon", "en"),
    ],
)
def test_a_part_of_the_day_next_week_is_not_today(text, language):
    """The recognizer dates a bare "en la tarde" today: with "next week" nothing fitted."""
    wish = _wish(text, language)
    assert wish.preference.on_date is None and wish.preference.part_of_day == "afternoon"
    assert wish.date_from == NEXT_MONDAY


@pytest.mark.parametrize(
    ("text", "language", "days"),
    [
        ("next week maybe Tuesday or Wednesday", "en", {1, 2}),
        ("el martes o el miércoles", "es", {1, 2}),
        ("not monday, thursday", "en", {3}),
        ("ay no perdón, el lunes no puedo, mejor el martes", "es", {1}),
        ("I can't do Monday but Tuesday works", "en", {1}),
    ],
)
def test_the_days_named_and_not_denied(text, language, days):
    assert _wish(text, language).preference.weekdays == frozenset(days)


@pytest.mark.parametrize(
    ("text", "language", "earliest", "latest", "near"),
    [
        ("a Monday after nine thirty", "en", time(9, 30), None, None),
        ("después de las nueve y media", "es", time(9, 30), None, None),
        ("antes de las diez", "es", None, time(10), None),
        ("Wednesday at 2:40 or 3", "en", time(14, 40), None, time(14, 40)),
        ("Tuesday at one p m", "en", time(12), time(15), time(13)),
        ("a eso de las diez", "es", time(9), time(12), time(10)),
        ("como a las diez", "es", time(9), time(12), time(10)),
        ("around ten thirty", "en", time(9, 30), time(12, 30), time(10, 30)),
    ],
)
def test_clock_times_with_before_after_around(text, language, earliest, latest, near):
    pref = _wish(text, language).preference
    assert (pref.earliest, pref.latest, pref.near) == (earliest, latest, near)


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("same time but a week later", "en"),
        ("a la misma hora pero una semana después", "es"),
        ("same time the following week", "en"),
    ],
)
def test_same_time_a_week_after_the_visit(text, language):
    pref = _wish(text, language, visit=VISIT, visit_time=VISIT_TIME).preference
    assert pref.on_date == date(2026, 3, 17) and pref.near == VISIT_TIME


def test_after_work_next_week_is_the_latest_times():
    wish = _wish("after work next week")
    assert wish.date_from == NEXT_MONDAY
    assert wish.preference.earliest == time(15) and wish.preference.near == time(17)
