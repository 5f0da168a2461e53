"""`parse_date_of_birth`: every spoken and written form, and the two-digit year rule."""

from __future__ import annotations

from datetime import date

import pytest

from assistant.datetimes import parse_date_of_birth

TODAY = date(2026, 1, 15)


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("march third nineteen eighty two", "en"),
        ("March 3rd, 1982", "en"),
        ("3/3/82", "en"),
        ("03-03-1982", "en"),
        ("1982-03-03", "en"),
        ("the third of march 1982", "en"),
        ("my birthday is march 3 82", "en"),
        ("tres de marzo de mil novecientos ochenta y dos", "es"),
        ("3 de marzo del 82", "es"),
        ("el 3 de marzo de 1982", "es"),
        ("03/03/1982", "es"),
    ],
)
def test_forms(text: str, language: str) -> None:
    assert parse_date_of_birth(text, language, today=TODAY) == date(1982, 3, 3)


def test_month_first_in_english_day_first_in_spanish() -> None:
    assert parse_date_of_birth("4/5/1990", "en", today=TODAY) == date(1990, 4, 5)
    assert parse_date_of_birth("4/5/1990", "es", today=TODAY) == date(1990, 5, 4)
    # Only one order is valid: 25 cannot be a month.
    assert parse_date_of_birth("25/12/1990", "en", today=TODAY) == date(1990, 12, 25)


def test_spoken_years() -> None:
    assert parse_date_of_birth("july fourth two thousand five", today=TODAY) == date(2005, 7, 4)
    assert parse_date_of_birth("4 de julio de dos mil cinco", "es", today=TODAY) == date(2005, 7, 4)
    assert parse_date_of_birth("june first nineteen oh five", today=TODAY) is None  # > 110 y
    assert parse_date_of_birth("twenty first of june nineteen fifty", today=TODAY) == date(
        1950, 6, 21
    )


class TestTwoDigitYears:
    def test_this_century_when_not_in_the_future(self) -> None:
        assert parse_date_of_birth("1/10/26", today=TODAY) == date(2026, 1, 10)
        assert parse_date_of_birth("3/3/25", today=TODAY) == date(2025, 3, 3)

    def test_last_century_when_this_one_would_be_in_the_future(self) -> None:
        assert parse_date_of_birth("1/20/26", today=TODAY) == date(1926, 1, 20)
        assert parse_date_of_birth("3/3/82", today=TODAY) == date(1982, 3, 3)


@pytest.mark.parametrize(
    "text", ["tomorrow", "march third", "next tuesday at 3", "2/30/1990", "12/12/2030", ""]
)
def test_not_a_full_past_date(text: str) -> None:
    assert parse_date_of_birth(text, "en", today=TODAY) is None
