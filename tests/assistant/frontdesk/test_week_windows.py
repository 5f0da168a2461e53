"""Where in the week a wish falls ("early next week", "a finales de la semana"), "not this
week", a weekday as a bound ("not before Wednesday", "a partir del miércoles"), lunchtime, the
end of the day, any doctor: read as the search's days, first day and clock window."""

from __future__ import annotations

from datetime import date, datetime, time, timezone

import pytest

from assistant.frontdesk.time_phrases import read_wish

NOW = datetime(2026, 3, 2, 15, 0, tzinfo=timezone.utc)  # Monday morning in New York
ZONE = "America/New_York"
NEXT_MONDAY = date(2026, 3, 9)


def _wish(text: str, language: str = "en"):
    return read_wish(text, now=NOW, time_zone=ZONE, language=language)


@pytest.mark.parametrize(
    ("text", "language", "weekdays", "first"),
    [
        ("early next week", "en", {0, 1}, NEXT_MONDAY),
        ("beginning of next week", "en", {0, 1}, NEXT_MONDAY),
        ("a principios de la semana que viene", "es", {0, 1}, NEXT_MONDAY),
        ("midweek next week", "en", {1, 2, 3}, NEXT_MONDAY),
        ("end of next week", "en", {3, 4}, NEXT_MONDAY),
        ("late next week", "en", {3, 4}, NEXT_MONDAY),
        ("a finales de la próxima semana", "es", {3, 4}, NEXT_MONDAY),
    ],
)
def test_parts_of_the_week(text, language, weekdays, first):
    wish = _wish(text, language)
    assert wish.preference.weekdays == frozenset(weekdays)
    assert wish.date_from == first and wish.preference.part_of_day is None


def test_early_next_week_is_no_morning_but_keeps_the_part_of_day_said():
    assert _wish("early next week").preference.part_of_day is None
    assert _wish("early next week in the afternoon").preference.part_of_day == "afternoon"


def test_a_weekday_said_wins_over_the_part_of_the_week():
    assert _wish("early next week, tuesday if you can").preference.weekdays == frozenset({1})


@pytest.mark.parametrize(
    ("text", "language"),
    [("not this week", "en"), ("esta semana no puedo", "es"), ("not until next week", "en")],
)
def test_not_this_week_is_from_next_monday(text, language):
    assert _wish(text, language).date_from == NEXT_MONDAY


@pytest.mark.parametrize(
    ("text", "language", "first"),
    [
        ("not before Wednesday", "en", date(2026, 3, 4)),
        ("nothing before thursday please", "en", date(2026, 3, 5)),
        ("anything from Wednesday on", "en", date(2026, 3, 4)),
        ("wednesday or later", "en", date(2026, 3, 4)),
        ("after wednesday", "en", date(2026, 3, 5)),
        ("a partir del miércoles", "es", date(2026, 3, 4)),
        ("después del jueves", "es", date(2026, 3, 6)),
    ],
)
def test_a_weekday_as_a_bound_is_the_first_day_not_the_only_one(text, language, first):
    wish = _wish(text, language)
    assert wish.date_from == first
    assert not wish.preference.weekdays and wish.preference.on_date is None


def test_a_weekday_with_its_day_of_the_month_is_that_day():
    pref = _wish("Wednesday the 11th").preference
    assert pref.on_date == date(2026, 3, 11) and pref.weekdays == frozenset({2})


@pytest.mark.parametrize(
    ("text", "language"),
    [("around lunchtime", "en"), ("at lunch on friday", "en"), ("a la hora del almuerzo", "es"),
     ("al mediodía", "es")],
)  # fmt: skip
def test_lunchtime_is_about_noon(text, language):
    pref = _wish(text, language).preference
    assert pref.start_window() == (time(11), time(14)) and pref.near == time(12)


@pytest.mark.parametrize(
    ("text", "language"),
    [("as late as possible in the day", "en"), ("the last appointment of the day", "en"),
     ("lo más tarde posible", "es")],
)  # fmt: skip
def test_the_end_of_the_day_is_the_latest_times_on_any_day(text, language):
    pref = _wish(text, language).preference
    assert pref.start_window() == (time(15), None) and pref.near == time(17)
    assert pref.on_date is None


@pytest.mark.parametrize(
    ("text", "language", "anyone"),
    [
        ("I don't care which doctor", "en", True),
        ("doesn't matter who", "en", True),
        ("any of your doctors is fine", "en", True),
        ("con quien sea", "es", True),
        ("no importa el doctor", "es", True),
        ("doesn't matter which day", "en", False),
        ("no importa la hora", "es", False),
    ],
)
def test_any_doctor_in_other_words(text, language, anyone):
    assert _wish(text, language).any_provider is anyone
