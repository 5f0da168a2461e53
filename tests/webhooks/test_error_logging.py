"""An unexpected database error on a route is logged without the patient's data."""

from __future__ import annotations

import logging

import pytest
from sqlalchemy.exc import IntegrityError

from assistant.db.models import WebhookEvent
from assistant.unit_of_work import UnitOfWork
from webhooks.safe_logging import log_unexpected
from webhooks.twilio import errors

KEY = "sms:Maria Lopez 1982-03-03"


def _duplicate_key_error(db_url: str) -> IntegrityError:
    with UnitOfWork(db_url) as uow:
        uow.session.add(WebhookEvent(key=KEY))
        uow.commit()
    try:
        with UnitOfWork(db_url) as uow:
            uow.session.add(WebhookEvent(key=KEY))
            uow.commit()
    except IntegrityError as error:
        return error
    raise AssertionError("the duplicate was accepted")


def test_a_database_error_is_logged_by_type_and_statement_only(
    db_url: str, caplog: pytest.LogCaptureFixture
):
    error = _duplicate_key_error(db_url)
    assert "Maria" in str(error.orig) or db_url.startswith("sqlite")  # PostgreSQL quotes the row
    with caplog.at_level(logging.ERROR, logger=errors.log.name):
        log_unexpected(errors.log, error, "unhandled error on %s", "/twilio/sms")
    assert "unhandled error on /twilio/sms: IntegrityError" in caplog.text
    assert "INSERT INTO webhook_events" in caplog.text
    assert "Maria" not in caplog.text and "1982" not in caplog.text


def test_other_errors_keep_their_traceback(caplog: pytest.LogCaptureFixture):
    try:
        raise LookupError("no such practice")
    except LookupError as error:
        with caplog.at_level(logging.ERROR, logger=errors.log.name):
            log_unexpected(errors.log, error, "unhandled error on %s", "/twilio/voice")
    assert "Traceback" in caplog.text and "LookupError" in caplog.text
