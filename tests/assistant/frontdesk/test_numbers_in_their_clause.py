"""A number or a day read in its clause: a clock time asked for beats a part of the day said
about something else; a day told of a past event is not the day wished; a year said with
"hundred" is a year; a capitalised name set off by a comma opens the message."""

from __future__ import annotations

from datetime import date, datetime, time, timezone

import pytest

from assistant.datetimes import parse_date_of_birth
from assistant.frontdesk.time_phrases import read_wish
from assistant.identity.introduction import introduction

NOW = datetime(2026, 3, 4, 15, 0, tzinfo=timezone.utc)  # Wednesday morning in New York
ZONE = "America/New_York"
VISIT, VISIT_TIME = date(2026, 3, 6), time(9, 30)


def _wish(text: str, language: str = "en"):
    return read_wish(
        text, now=NOW, time_zone=ZONE, language=language, visit=VISIT, visit_time=VISIT_TIME
    ).preference


@pytest.mark.parametrize(
    ("text", "language", "near"),
    [
        ("could it be at four the same day, mornings I have the school run", "en", time(16)),
        ("move it to 2 o'clock that day, I work in the morning", "en", time(14)),
        ("a las tres el mismo día, en la mañana trabajo", "es", time(15)),
    ],
)
def test_a_clock_time_asked_for_beats_a_part_of_day_said_apart(text, language, near):
    pref = _wish(text, language)
    assert pref.near == near and pref.part_of_day is None


def test_a_clock_time_said_with_its_part_of_day_keeps_both():
    pref = _wish("friday at 10 in the morning")
    assert pref.near == time(10) and pref.part_of_day in (None, "morning")


@pytest.mark.parametrize(
    ("text", "language", "weekdays"),
    [
        ("I pulled my back lifting boxes on Sunday, any chance for Thursday?", "en", {3}),
        ("my son fell off his bike Monday afternoon, can he be seen Friday", "en", {4}),
        ("me torcí el tobillo el domingo, ¿tienen algo el viernes?", "es", {4}),
        ("I was hoping for Tuesday", "en", {1}),  # a wish said in the past tense
    ],
)
def test_a_day_told_of_a_past_event_is_not_the_day_wished(text, language, weekdays):
    pref = _wish(text, language)
    assert set(pref.weekdays) == weekdays and pref.part_of_day is None


@pytest.mark.parametrize(
    ("said", "born"),
    [
        ("the fifteenth of July nineteen hundred and seventy five", date(1975, 7, 15)),
        ("March third nineteen hundred eighty two", date(1982, 3, 3)),
    ],
)
def test_a_year_said_with_hundred(said, born):
    assert parse_date_of_birth(said, "en") == born


@pytest.mark.parametrize(
    ("said", "name"),
    [
        ("Amparo Solís, necesito cancelar mi cita", "Amparo Solís"),
        ("Hope Church, I'd like to confirm tomorrow", "Hope Church"),
    ],
)
def test_a_name_set_off_by_a_comma_opens_the_message(said, name):
    found = introduction(said, "en")
    assert found is not None and found.name == name


@pytest.mark.parametrize("said", ["Dr Chen, is she in today?", "Cancel Appointment, Tuesday"])
def test_a_title_or_a_request_before_a_comma_is_no_name(said):
    assert introduction(said, "en") is None
