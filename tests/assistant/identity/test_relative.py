"""A family member named with their date of birth in the booking request itself: the name
right after the relation word, the first birth date said after the name, whatever stands
between them (an age, "wants to be a patient", "que")."""

from __future__ import annotations

from datetime import date

import pytest

from assistant.identity.introduction import introduction
from assistant.identity.relative import relative_said

TODAY = date(2026, 3, 2)


@pytest.mark.parametrize(
    ("said", "language", "name", "born"),
    [
        ("hello it's Greta Holm, my wife Ingrid Holm would like to join the practice, her dob is"
         " 7/19/1984. any thursday?", "en", "Ingrid Holm", "7/19/1984"),
        ("calling about my boy Mateo Ferreira he is six born August second twenty nineteen he"
         " keeps coughing at night", "en", "Mateo Ferreira", "August second twenty nineteen"),
        ("my dad Walter Brennan-Hughes, who turns 80 next month, was born on 4/2/1947 and needs"
         " a checkup", "en", "Walter Brennan-Hughes", "4/2/1947"),
        ("Soy Rocío Álvarez. Quisiera una consulta para mi hijo Tomás Álvarez, tiene ocho años,"
         " nació el 9 de enero de 2018, le duele la garganta", "es", "Tomás Álvarez",
         "9 de enero de 2018"),
        ("le hablo por mi mamá Dolores de la Fuente que nació el doce de marzo de mil novecientos"
         " cincuenta y dos, quiere ser paciente", "es", "Dolores de la Fuente",
         "doce de marzo de mil novecientos cincuenta y dos"),
        ("for my husband, he's Omar Haddad, he was born 1/30/1981, just a physical", "en",
         "Omar Haddad", "1/30/1981"),
    ],
)  # fmt: skip
def test_the_relative_and_their_birth_date_are_read(said, language, name, born):
    found = relative_said(said, language, TODAY)
    assert found is not None
    assert (found.name, found.date_of_birth) == (name, born)
    assert name.split()[0] not in found.rest and born not in found.rest


def test_what_stands_between_the_name_and_the_date_stays_in_the_request():
    said = (
        "This is Greta Holm 2/2/1980. My husband Lars Holm wants to become a patient, dob"
        " 3/3/1979. Something the week after next in the afternoon?"
    )
    found = relative_said(said, "en", TODAY)
    assert found is not None and found.name == "Lars Holm"
    assert "become a patient" in found.rest and "afternoon" in found.rest
    assert "Greta" not in found.rest and "2/2/1980" not in found.rest  # the caller's own


@pytest.mark.parametrize(
    "said",
    [
        "mi hijo tiene tos desde el lunes, nació el 3 de mayo de 2016",  # no name said
        "my daughter has a fever, she was born 5/5/2019",
        "my son Eli Park has an appointment 3/20/2026",  # a date to come is no birth date
        "I'm Greta Holm born 2/2/1980 and I need a physical",  # nobody else named
    ],
)
def test_no_relative_is_read_without_a_name_and_a_past_birth_date(said):
    assert relative_said(said, "en", TODAY) is None


@pytest.mark.parametrize(
    "said",
    [
        "Hi, this is Greta Holm, I need to move my son's checkup, he was born 5/9/2015",
        "me llamo Rocío Álvarez, es para mi hijo Tomás, su fecha de nacimiento es 2/3/2017",
    ],
)
def test_a_relatives_birth_date_is_not_the_callers(said):
    found = introduction(said, "es" if "llamo" in said else "en")
    assert found is not None and found.name is not None
    assert found.date_of_birth is None  # asked: the caller's own is needed to verify them


def test_the_callers_own_birth_date_is_not_the_relatives():
    said = "my son Noah Brandt has a rash, can he come in friday? I'm his mom, my dob is 2/2/1980"
    assert relative_said(said, "en", TODAY) is None
