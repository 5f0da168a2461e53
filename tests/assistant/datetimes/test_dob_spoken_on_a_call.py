"""Dates of birth as callers say them (issue "understand whole requests", class 2): with "it's"
before three spoken numbers, and the year first. A wrong date is worse than none: the year's
last word is never taken for the day."""

from __future__ import annotations

from datetime import date

import pytest

from assistant.datetimes import parse_date_of_birth

TODAY = date(2026, 12, 7)


@pytest.mark.parametrize(
    ("said", "born"),
    [
        ("it's four nine seventy one", date(1971, 4, 9)),
        ("uh that's eleven two oh five", date(2005, 11, 2)),
        ("nineteen seventy one September ninth", date(1971, 9, 9)),
        ("two thousand four june twenty first", date(2004, 6, 21)),
        ("nineteen eighty eight, October second", date(1988, 10, 2)),
    ],
)
def test_said_on_a_call(said: str, born: date) -> None:
    assert parse_date_of_birth(said, "en", today=TODAY) == born


@pytest.mark.parametrize(
    ("said", "born"),
    [
        ("the second of october nineteen eighty eight", date(1988, 10, 2)),
        ("october second nineteen eighty eight", date(1988, 10, 2)),
        ("el dos de octubre de 1988", date(1988, 10, 2)),
    ],
)
def test_the_day_first_is_still_read(said: str, born: date) -> None:
    assert parse_date_of_birth(said, "en", today=TODAY) == born
