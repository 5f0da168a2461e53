"""Identity: accent-insensitive names, dates of birth, the name deciding on a shared phone."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from assistant.conversations import sessions
from assistant.datetimes import parse_date_of_birth
from assistant.db.models import AuditEvent, Conversation
from assistant.identity import service
from assistant.identity.names import has_full_name, matches
from assistant.identity.verification import verify
from assistant.unit_of_work import UnitOfWork
from tests import factories


@pytest.mark.parametrize(
    "said",
    ["Maria Lopez", "maría lópez", "LOPEZ, MARIA", "my name is Maria Lopez", "Maria Lopez-Garcia"],
)
def test_names_match_whatever_the_accents_case_and_order(said):
    assert matches(said, "María", "López")


@pytest.mark.parametrize("said", ["Maria", "Mario Lopez", "Maria Lopes", "Lopez"])
def test_other_names_do_not_match(said):
    assert not matches(said, "Maria", "Lopez")


def test_a_full_name_needs_two_words():
    assert has_full_name("José Hernández")
    assert not has_full_name("my name is José")


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("03/03/1982", "en"),
        ("1982-03-03", "en"),
        ("March 3rd, 1982", "en"),
        ("3 de marzo de 1982", "es"),
        ("03/03/82", "es"),
    ],
)
def test_dates_of_birth(text, language):
    assert parse_date_of_birth(text, language) == date(1982, 3, 3)


def test_not_a_date_of_birth():
    assert parse_date_of_birth("I don't know", "en") is None
    assert parse_date_of_birth("13/45/1982", "en") is None


def _conversation(uow: UnitOfWork, practice_id: int, phone: str) -> Conversation:
    return sessions.sms_conversation(
        uow.session, practice_id=practice_id, phone=phone, session_minutes=30
    )


def test_the_name_said_decides_on_a_shared_phone(db_url):
    with UnitOfWork(db_url) as uow:
        practice = factories.practice(uow.session)
        factories.patient(uow.session, practice, first="Ana", last="Rivera", dob=date(2015, 5, 1))
        child = factories.patient(
            uow.session, practice, first="Mateo", last="Rivera", dob=date(2015, 5, 1)
        )
        conversation = _conversation(uow, practice.id, "+15555550123")
        found = verify(uow.session, conversation, "Mateo Rivera", date(2015, 5, 1))
        assert found is not None and found.id == child.id
        assert conversation.verified_patient_id == child.id
        event = uow.session.execute(select(AuditEvent)).scalar_one()
        assert (event.action, event.patient_id, event.detail) == (
            "verify", child.id, {"result": "success"}
        )  # fmt: skip


def test_caller_id_alone_proves_nothing(db_url):
    with UnitOfWork(db_url) as uow:
        practice = factories.practice(uow.session)
        factories.patient(uow.session, practice)
        conversation = _conversation(uow, practice.id, "+15555550123")
        assert verify(uow.session, conversation, "Maria Lopez", date(1982, 3, 4)) is None
        assert conversation.verified_patient_id is None
        event = uow.session.execute(select(AuditEvent)).scalar_one()
        assert (event.patient_id, event.detail) == (None, {"result": "failure"})


def test_three_failures_lock_the_conversation(db_url):
    with UnitOfWork(db_url) as uow:
        practice = factories.practice(uow.session)
        factories.patient(uow.session, practice)
        uid = _conversation(uow, practice.id, "+15555550123").uid
        uow.commit()
    results = [
        service.verify_for(UnitOfWork(db_url), uid, "Maria Lopez", "01/01/1990", "en")
        for _ in range(3)
    ]
    assert [r.status for r in results] == [service.NO_MATCH, service.NO_MATCH, service.LOCKED]
    assert service.is_locked(UnitOfWork(db_url), uid)
    late = service.verify_for(UnitOfWork(db_url), uid, "Maria Lopez", "03/03/1982", "en")
    assert late.status == service.LOCKED
    assert service.verified_patient_id(UnitOfWork(db_url), uid) is None


def test_verify_for_by_conversation_uid(db_url):
    with UnitOfWork(db_url) as uow:
        practice = factories.practice(uow.session)
        maria = factories.patient(uow.session, practice, first="María", last="López")
        uid = _conversation(uow, practice.id, "+15555550999").uid
        uow.commit()
    result = service.verify_for(UnitOfWork(db_url), uid, "maria lopez", "March 3, 1982", "en")
    assert result.verified and result.first_name == "María"
    assert service.verified_patient_id(UnitOfWork(db_url), uid) == maria.id
