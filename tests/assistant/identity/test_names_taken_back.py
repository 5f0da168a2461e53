"""A name that takes itself back ("Mario Lopez, I mean Maria"): the corrected name is used."""

from __future__ import annotations

import pytest

from assistant.identity.introduction import introduction
from assistant.identity.names import corrected_name, name_opening


@pytest.mark.parametrize(
    ("said", "name"),
    [
        ("Dana Whitfeld, sorry, Whitfield", "Dana Whitfield"),
        ("Petra Novak no wait, Petr Novak", "Petr Novak"),
        ("it's Jon— I mean John Carver", "John Carver"),
        ("Lucia Mendes, perdón, Mendez", "Lucia Mendez"),
        ("Tomas Reyes i meant Tomás", "Tomás Reyes"),
    ],
)
def test_a_name_said_again_replaces_the_one_before(said, name):
    assert corrected_name(said) == name


@pytest.mark.parametrize("said", ["Dana Whitfield", "no, Dana Whitfield", "a physical, no rush"])
def test_nothing_taken_back(said):
    assert corrected_name(said) is None


def test_an_introduction_uses_the_corrected_name():
    said = introduction("hey this is Gary Olsen, I mean Garry, dob 7/14/88, need to cancel")
    assert said is not None and said.name == "Garry Olsen" and said.date_of_birth == "7/14/88"
    assert "Gary" not in said.rest and "cancel" in said.rest


def test_a_name_opening_a_reply_that_corrects_something_else():
    assert name_opening("this is Rosa Vidal, oh and actually make it Tuesday") == "Rosa Vidal"
    assert name_opening("wait, make it Tuesday") is None
