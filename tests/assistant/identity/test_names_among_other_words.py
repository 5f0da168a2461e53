"""Names among other words: a question asked where the date of birth was asked is no corrected
name (it would fail the check that follows); a first name that is also a request word ("Will",
"May") said with the date of birth is a name."""

from __future__ import annotations

import pytest

from assistant.identity.introduction import introduction
from assistant.identity.names import names_instead


@pytest.mark.parametrize(
    "said",
    [
        "Ana Ruiz",
        "sorry it's Tomás de la Vega",
        "Will Brennan",
        "May Okafor-Diaz",
        "oops, my legal name is Roberta Diaz, everyone calls me Bobbie",
        "perdon, el nombre completo es Maria Guadalupe Ochoa",
    ],
)
def test_a_name_said_instead(said: str) -> None:
    assert names_instead(said)


@pytest.mark.parametrize(
    "said",
    [
        "wait which floor are you on, is there an elevator",
        "oh before that do you validate parking for the garage",
        "oiga y una cosa, tienen rampa para silla de ruedas",
        "is Dr Chen in on Fridays?",
    ],
)
def test_a_question_is_no_name(said: str) -> None:
    assert not names_instead(said)


@pytest.mark.parametrize(
    ("said", "name", "dob", "rest"),
    [
        ("Will Brennan here, dob 10/2/1971, need to move my visit", "Will Brennan",
         "10/2/1971", "need to move my visit"),
        ("May Sorensen, born 6/14/1990. when is my appt?", "May Sorensen", "6/14/1990",
         "when is my appt?"),
    ],
)  # fmt: skip
def test_a_first_name_that_is_a_request_word(said: str, name: str, dob: str, rest: str) -> None:
    found = introduction(said, "en")
    assert found is not None
    assert (found.name, found.date_of_birth, found.rest) == (name, dob, rest)


def test_a_request_word_before_a_name_is_not_made_part_of_it() -> None:
    found = introduction("Can Ana Ruiz 4/9/71 come in friday", "en")
    assert found is None or found.name != "Can Ana Ruiz"
