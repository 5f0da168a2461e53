"""Claims of Twilio events: once per key, and undone with the transaction that made them."""

from __future__ import annotations

from assistant import idempotency
from assistant.db.models import WebhookEvent
from assistant.unit_of_work import UnitOfWork


def test_a_second_claim_gets_the_first_event_and_its_answer(db_url: str):
    with UnitOfWork(db_url) as uow:
        assert idempotency.claim(uow.session, "sms:SM1") is None
        idempotency.remember_response(uow.session, "sms:SM1", "<Response/>")
        uow.commit()
    with UnitOfWork(db_url) as uow:
        earlier = idempotency.claim(uow.session, "sms:SM1")
        assert earlier is not None and earlier.response == "<Response/>"


def test_a_claim_that_opens_a_transaction_is_undone_with_it(db_url: str):
    """A request that fails after claiming (the claim its first statement) leaves no claim, so
    Twilio's retry is processed; on SQLite a savepoint-based claim committed itself."""
    with UnitOfWork(db_url) as uow:
        assert idempotency.claim(uow.session, "sms:SM2") is None
        uow.rollback()
    with UnitOfWork(db_url) as uow:
        assert uow.session.get(WebhookEvent, "sms:SM2") is None
        assert idempotency.claim(uow.session, "sms:SM2") is None
        uow.commit()
    with UnitOfWork(db_url) as uow:
        assert uow.session.get(WebhookEvent, "sms:SM2") is not None


def test_claims_inside_a_failed_unit_of_work_leave_nothing(db_url: str):
    try:
        with UnitOfWork(db_url) as uow:
            idempotency.claim(uow.session, "status:SM3:delivered")
            raise RuntimeError("the handler failed")
    except RuntimeError:
        pass
    with UnitOfWork(db_url) as uow:
        assert uow.session.get(WebhookEvent, "status:SM3:delivered") is None
