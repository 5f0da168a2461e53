"""Names as patients say and type them: apart or together, particles, spelled out on the phone,
one slip of the keyboard (only with the exact date of birth, and never stretching short names)."""

from __future__ import annotations

from datetime import date

import pytest

from assistant.conversations import sessions
from assistant.identity.names import matches, matches_closely
from assistant.identity.verification import verify
from assistant.unit_of_work import UnitOfWork
from tests import factories


@pytest.mark.parametrize(
    ("said", "first", "last"),
    [
        ("siobhan oconnor", "Siobhan", "O'Connor"),
        ("siobhan o connor", "Siobhan", "O'Connor"),
        ("Siobhan O’Connor".replace("’", "'"), "Siobhan", "O'Connor"),
        ("dangelo russo", "D'Angelo", "Russo"),
        ("pieter vanderberg", "Pieter", "van der Berg"),
        ("Van der Berg, Pieter", "Pieter", "van der Berg"),
        ("Carmen Delrio", "Carmen", "Del Río"),
        ("carmen del rio", "Carmen", "Del Río"),
        ("juan delacruz", "Juan Pablo", "de la Cruz Morales"),
        ("juan pablo de la cruz", "Juan Pablo", "de la Cruz Morales"),
        ("ian mac donald", "Ian", "MacDonald"),
        ("mary kate olsen whitfield", "Mary-Kate", "Olsen-Whitfield"),
        ("marykate olsen", "Mary-Kate", "Olsen-Whitfield"),
        ("a o i f e murphy", "Aoife", "Murphy"),
        ("m a r t a i l v e s", "Marta", "Ilves"),
        ("its marta m a r t a ilves", "Marta", "Ilves"),
        ("E. Lindqvist", "E", "Lindqvist"),
        ("thanh le", "Thanh", "Le"),
        ("Zoë Bélanger", "Zoe", "Belanger"),
    ],
)
def test_names_said_apart_together_or_spelled(said, first, last):
    assert matches(said, first, last)


@pytest.mark.parametrize(
    ("said", "first", "last"),
    [
        ("pieter van", "Pieter", "van der Berg"),  # a particle is no surname
        ("carmen del", "Carmen", "Del Río"),
        ("siobhan o", "Siobhan", "O'Connor"),
        ("m a r t a", "Marta", "Ilves"),
        ("marta ilvesen", "Marta", "Ilves"),
    ],
)
def test_part_of_a_name_is_not_the_name(said, first, last):
    assert not matches(said, first, last)


@pytest.mark.parametrize(
    ("said", "first", "last"),
    [
        ("Catherine Dubios", "Catherine", "Dubois"),  # two letters swapped
        ("Cathrine Dubois", "Catherine", "Dubois"),  # one missing
        ("Oluwadamilare Adebayoo", "Oluwadamilare", "Adebayo"),  # one extra
    ],
)
def test_one_slip_in_a_long_name_is_close(said, first, last):
    assert not matches(said, first, last)
    assert matches_closely(said, first, last)


@pytest.mark.parametrize(
    ("said", "first", "last"),
    [
        ("Maria Lopes", "Maria", "Lopez"),  # short names are other people's names
        ("Mario Lopez", "Maria", "Lopez"),
        ("Katherine Dubois", "Catherine", "Dubois"),  # another first letter
        ("Cathrine Dubios", "Catherine", "Dubois"),  # a slip in both names
        ("Catherine", "Catherine", "Dubois"),
    ],
)
def test_what_is_not_close_enough(said, first, last):
    assert not matches_closely(said, first, last)


def _conversation(uow: UnitOfWork, practice_id: int):
    return sessions.sms_conversation(
        uow.session, practice_id=practice_id, phone="+15555550777", session_minutes=30
    )


def test_a_slip_verifies_only_with_the_exact_date_of_birth(db_url):
    born = date(1986, 4, 4)
    with UnitOfWork(db_url) as uow:
        practice = factories.practice(uow.session)
        catherine = factories.patient(uow.session, practice, first="Catherine", last="Dubois",
                                      dob=born)  # fmt: skip
        conversation = _conversation(uow, practice.id)
        assert verify(uow.session, conversation, "Catherine Dubios", date(1986, 4, 5)) is None
        found = verify(uow.session, conversation, "Catherine Dubios", born)
        assert found is not None and found.id == catherine.id


def test_the_name_said_exactly_wins_over_a_close_one(db_url):
    """Twins born the same day: the one named is verified, never the sibling one letter off."""
    born = date(2012, 6, 1)
    with UnitOfWork(db_url) as uow:
        practice = factories.practice(uow.session)
        factories.patient(uow.session, practice, first="Adriana", last="Castillo", dob=born)
        adriano = factories.patient(uow.session, practice, first="Adriano", last="Castillo",
                                    dob=born)  # fmt: skip
        conversation = _conversation(uow, practice.id)
        found = verify(uow.session, conversation, "Adriano Castillo", born)
        assert found is not None and found.id == adriano.id
        # one slip from both: neither is guessed
        assert verify(uow.session, conversation, "Adrianu Castillo", born) is None


@pytest.mark.parametrize(
    ("said", "first", "last"),
    [("liam o apostrophe n e i l l", "Liam", "O'Neill"),
     ("liam o apostrophe neill", "Liam", "O'Neill"),
     ("anne dash sophie marchand", "Anne-Sophie", "Marchand")],
)  # fmt: skip
def test_apostrophe_and_dash_said_on_the_phone(said, first, last):
    assert matches(said, first, last)
