"""Names with letters a keyboard or a transcript writes another way (ø, æ, ł, đ, ß, ü), a
patient with a single name, a date said where the name was asked, and a name said with the
request: matched tolerantly, but a wrong date of birth still verifies no one."""

from __future__ import annotations

from datetime import date

import pytest

from assistant.conversations import sessions
from assistant.identity.introduction import introduction
from assistant.identity.names import has_full_name, matches
from assistant.identity.verification import verify
from assistant.unit_of_work import UnitOfWork
from tests import factories


@pytest.mark.parametrize(
    ("said", "first", "last"),
    [
        ("Soren Kjaer Lund", "Søren", "Kjær-Lund"),
        ("soeren lund", "Søren", "Kjær-Lund"),
        ("Lukasz Zielinski", "Łukasz", "Zieliński"),
        ("Dang Minh Quan", "Quân", "Đặng"),
        ("Jorg Strasse", "Jörg", "Straße"),
        ("Joerg Strasse", "Jörg", "Straße"),
        ("Aeron Thorsson", "Æron", "Þórsson"),
        ("Ines Dahl", "Inès", "Dahl"),
    ],
)
def test_letters_written_plainly_match(said, first, last):
    assert matches(said, first, last)


@pytest.mark.parametrize("said", ["Soren Lunde", "Sara Kjaer", "Lund"])
def test_other_names_still_do_not_match(said):
    assert not matches(said, "Søren", "Kjær-Lund")


def test_a_single_name_recorded_twice_is_said_once():
    assert matches("Komang, that's my only name", "Komang", "Komang")
    assert matches("it's just Komang", "Komang", "Komang")
    assert not matches("Ketut", "Komang", "Komang")
    assert not matches("Komang Putri", "Putri", "Ayu")  # a two-name record needs both


def test_a_date_is_no_name():
    assert not has_full_name("12/12/1968")
    assert not has_full_name("04 11 1990")
    assert has_full_name("Komang, just one name")


def test_a_single_name_with_a_wrong_date_verifies_no_one(db_url):
    with UnitOfWork(db_url) as uow:
        practice = factories.practice(uow.session)
        factories.patient(
            uow.session, practice, first="Komang", last="Komang", dob=date(1990, 4, 11)
        )
        conversation = sessions.sms_conversation(
            uow.session, practice_id=practice.id, phone="+15555550123", session_minutes=30
        )
        assert verify(uow.session, conversation, "Komang", date(1990, 11, 4)) is None
        assert conversation.verified_patient_id is None
        found = verify(uow.session, conversation, "Komang", date(1990, 4, 11))
        assert found is not None and conversation.verified_patient_id == found.id


def test_a_plain_spelling_with_a_wrong_date_verifies_no_one(db_url):
    with UnitOfWork(db_url) as uow:
        practice = factories.practice(uow.session)
        factories.patient(uow.session, practice, first="Søren", last="Lund", dob=date(1971, 6, 2))
        conversation = sessions.sms_conversation(
            uow.session, practice_id=practice.id, phone="+15555550123", session_minutes=30
        )
        assert verify(uow.session, conversation, "Soren Lund", date(1971, 2, 6)) is None
        assert verify(uow.session, conversation, "Soren Lund", date(1971, 6, 2)) is not None


@pytest.mark.parametrize(
    ("text", "name", "born", "language"),
    [
        ("Oluwaseun Adeyemi, I'd like to cancel my visit", "Oluwaseun Adeyemi", None, "en"),
        ("Marisol Quintero. quiero saber cuándo es mi cita", "Marisol Quintero", None, "es"),
        ("need to cancel. Ngozi Eze 11/2/90", "Ngozi Eze", "11/2/90", "en"),
        ("cancelar cita por favor. Rocío Benítez 4-9-1988", "Rocío Benítez", "4-9-1988", "es"),
        (
            "le habla Gustavo Peña desde el celular de mi esposa, quiero confirmar",
            "Gustavo Peña",
            None,
            "es",
        ),  # fmt: skip
    ],
)
def test_a_name_said_with_the_request(text, name, born, language):
    found = introduction(text, language)
    assert found is not None and found.name == name and found.date_of_birth == born


@pytest.mark.parametrize(
    "text",
    [
        "Happy Friday, can you confirm my appointment?",
        "Good Morning, I need to move my visit",
        "Main Street, where do I park?",
        "Quick Question, when is my appointment",
        "confirm my appointment. Tuesday 12/8/2026 works",
    ],
)
def test_openings_that_are_no_name(text):
    found = introduction(text, "en")
    assert found is None or found.name is None
