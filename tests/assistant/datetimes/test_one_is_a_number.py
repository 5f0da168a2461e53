"""'una cita', 'una pregunta', 'the first one': a number, not one o'clock; 'a la una' and
'at one pm' still are."""

from __future__ import annotations

from datetime import date, datetime, time

import pytest

from assistant.datetimes.recognizer import recognize

NOW = datetime(2026, 6, 1, 9, 0)  # a Monday, naive local time


def _times(text: str, language: str) -> list[time]:
    return [p.start_time for p in recognize(text, language, NOW) if p.start_time is not None]


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("oiga una pregunta, hay estacionamiento", "es"),
        ("necesito una cita", "es"),
        ("the first one please", "en"),
        ("one more thing, where do I park", "en"),
    ],
)
def test_a_bare_one_is_no_clock_time(text, language):
    assert _times(text, language) == []


@pytest.mark.parametrize(
    ("text", "language", "wanted"),
    [
        ("el martes a la una", "es", time(13, 0)),
        ("a la una y media", "es", time(13, 30)),
        ("tuesday at one pm", "en", time(13, 0)),
        ("one thirty tomorrow", "en", time(13, 30)),
    ],
)
def test_one_o_clock_said_as_an_hour_is_kept(text, language, wanted):
    assert _times(text, language) == [wanted]


def test_the_day_and_part_of_day_after_una_cita_are_read():
    [piece] = recognize("quiero una cita el martes en la tarde", "es", NOW)
    assert piece.date == date(2026, 6, 2) and piece.part_of_day == "afternoon"
