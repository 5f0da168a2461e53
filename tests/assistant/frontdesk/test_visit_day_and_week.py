"""Wishes read against the visit being moved (issue #16, classes 1 and 5): its own day, earlier
or later or a part of it ("later that same day", "el mismo día pero más temprano"), and the week
after it ("the following week", "la semana que sigue"), never before it. `now` and the visit are
fixed: nothing depends on today's date."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta, timezone

import pytest

from assistant.frontdesk.time_phrases import about_the_visit_day, carries_details, read_wish
from assistant.frontdesk.which_visit import PREP, WHEN, asked

NOW = datetime(2026, 3, 2, 15, 0, tzinfo=timezone.utc)  # Monday, 10 AM in New York
ZONE = "America/New_York"
VISIT, VISIT_TIME = date(2026, 3, 4), time(10, 0)  # the visit being moved: Wednesday 10 AM


def _wish(text: str, language: str = "en", at: time = VISIT_TIME):
    return read_wish(text, now=NOW, time_zone=ZONE, language=language, visit=VISIT, visit_time=at)


@pytest.mark.parametrize(
    "said",
    [
        "could i come in later that same day",
        "can we do it later in the day",
        "anything later on the day of my appointment",
        "same day just a little later",
        "el mismo dia pero mas tarde",
        "mas tarde ese mismo dia",
        "¿se puede más tarde el día de mi cita?",
    ],
)
def test_later_the_same_day_is_after_the_visit_that_day(said):
    pref = _wish(said, "es" if "dia" in said or "día" in said else "en").preference
    assert pref.on_date == VISIT
    assert pref.earliest is not None and pref.earliest > VISIT_TIME


@pytest.mark.parametrize(
    "said",
    ["earlier that same day if you have it", "same day but earlier", "el mismo dia pero antes"],
)
def test_earlier_the_same_day_is_before_the_visit_that_day(said):
    pref = _wish(said, at=time(14, 0)).preference
    assert pref.on_date == VISIT and pref.latest is not None and pref.latest <= time(14, 0)


def test_a_part_of_the_same_day():
    pref = _wish("same day but in the afternoon instead").preference
    assert (pref.on_date, pref.part_of_day) == (VISIT, "afternoon")
    pref = _wish("i'm at work in the morning so keep the same day but after lunch").preference
    assert pref.on_date == VISIT and pref.earliest is not None and pref.earliest >= time(12)


@pytest.mark.parametrize(
    "said",
    ["I can't do that day", "no puedo ese dia pero el jueves si", "that same day doesn't work"],
)
def test_the_day_denied_is_no_wish_for_it(said):
    assert not about_the_visit_day(said)
    assert _wish(said).preference.on_date != VISIT


@pytest.mark.parametrize(
    ("said", "yes"),
    [
        ("ese dia si puedo pero mas tarde como a las cuatro", True),
        ("is it possible to come a bit earlier on that day", True),
        ("that morning works, just earlier", True),
        ("that day I have work, can we do thursday", False),  # no time on that day
        ("i can't do that day, any day after", False),
    ],
)
def test_that_day_is_the_visits_with_a_time_on_it(said, yes):
    assert about_the_visit_day(said) == yes


def test_a_denial_elsewhere_in_the_message_does_not_cancel_the_day():
    assert about_the_visit_day("I'm not free in the morning, could I come later that same day")


@pytest.mark.parametrize(
    ("said", "language"),
    [
        ("push it to the following week in the morning", "en"),
        ("the week following would be better, afternoon", "en"),
        ("the week after, afternoon", "en"),
        ("quiero cambiar mi cita para la semana siguiente por la tarde", "es"),
        ("me la cambia a la semana que sigue en la tarde", "es"),
        ("mejor la semana de despues", "es"),
        ("a la otra semana en la mañana", "es"),
    ],
)
def test_the_week_after_counts_from_the_visit(said, language):
    wish = _wish(said, language)
    monday_after = VISIT - timedelta(days=VISIT.weekday()) + timedelta(days=7)
    assert wish.date_from == monday_after


@pytest.mark.parametrize(
    "said",
    [
        "could i come in later that same day",
        "el mismo dia pero mas tarde",
        "the following week",
        "la semana que sigue",
        "a couple hours later if possible",
    ],
)
def test_a_request_with_these_words_carries_its_details(said):
    assert carries_details(said, now=NOW, time_zone=ZONE, language="en")


@pytest.mark.parametrize(
    "said",
    [
        "when is my appointment and do i need to fast",
        "is there anything I need to do to prepare for it",
        "cuando es mi cita y tengo que ir en ayunas",
        "what should I bring",
    ],
)
def test_a_question_about_preparing_is_asked_with_a_check(said):
    assert PREP in asked(said)


def test_a_plain_check_asks_no_preparation():
    assert asked("when is my appointment") == frozenset({WHEN})
