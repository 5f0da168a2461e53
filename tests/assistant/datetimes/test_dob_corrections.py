"""A date of birth corrected in the same breath: the date affirmed, not the one denied."""

from __future__ import annotations

from datetime import date

import pytest

from assistant.datetimes.dob import corrected_date_of_birth

TODAY = date(2026, 3, 4)


@pytest.mark.parametrize(
    ("said", "language", "before"),
    [
        ("sorry, March third, not thirteenth", "en", "March 13th 1982"),
        ("no, the 3rd not the 13th", "en", "3/13/1982"),
        ("not thirteenth, third", "en", "march thirteenth nineteen eighty two"),
        ("march thirteenth 1982, sorry, march third, not thirteenth", "en", None),
        ("el tres, no el trece", "es", "trece de marzo de 1982"),
        ("perdón, el tres de marzo, no el trece", "es", "13/03/1982"),
        ("perdón, quise decir tres de marzo de 1982", "es", None),
    ],
)
def test_the_affirmed_date(said, language, before):
    assert corrected_date_of_birth(said, language, previous=before, today=TODAY) == date(1982, 3, 3)


@pytest.mark.parametrize("said", ["March 3 1982", "3/3/82", "tres de marzo de 1982"])
def test_a_plain_answer_is_no_correction(said):
    assert corrected_date_of_birth(said, "en", today=TODAY) is None


def test_a_correction_with_nothing_to_complete_it_is_not_guessed():
    assert corrected_date_of_birth("sorry, the third", "en", today=TODAY) is None


@pytest.mark.parametrize(
    ("said", "before"),
    [
        ("no wait i meant the nineteenth", "september eighteenth nineteen seventy seven"),
        ("no sorry, the 19th", "9/18/1977"),
        ("no no it's september 19 1977", "9/18/1977"),
        ("no, it's the 19th", "9/18/1977"),
    ],
)
def test_a_no_before_the_correction_denies_nothing(said, before):
    assert corrected_date_of_birth(said, "en", previous=before, today=TODAY) == date(1977, 9, 19)
