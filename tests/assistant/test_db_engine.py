"""A PostgreSQL server that accepts connections and never answers is given up on in time."""

from __future__ import annotations

import socket
import time
from collections.abc import Iterator

import pytest
from psycopg2 import extensions
from sqlalchemy import text
from sqlalchemy.exc import OperationalError

from assistant.db import engine
from tests.factories.databases import PG_ADMIN_URL


@pytest.fixture
def silent_server() -> Iterator[str]:
    """A port that accepts connections (the kernel does) and never says a word."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(8)
    yield f"postgresql://postgres@127.0.0.1:{listener.getsockname()[1]}/hung"
    listener.close()


@pytest.fixture
def limited() -> Iterator[None]:
    before = extensions.get_wait_callback(), engine._wait_limit
    engine.limit_postgres_waits(0.5)
    yield
    extensions.set_wait_callback(before[0])
    engine._wait_limit = before[1]


def test_a_hung_server_is_an_operational_error_after_the_limit(silent_server: str, limited):
    started = time.monotonic()
    hung = engine.get_engine(silent_server)
    with pytest.raises(OperationalError, match="did not answer within 0.5 s"), hung.connect() as c:
        c.execute(text("SELECT 1"))
    assert 0.4 < time.monotonic() - started < 3.0


def test_no_limit_uninstalls_the_wait_callback(limited):
    engine.limit_postgres_waits(0)
    assert extensions.get_wait_callback() is None


@pytest.mark.postgres
def test_a_live_server_answers_as_before(limited):
    with engine.get_engine(PG_ADMIN_URL).connect() as connection:
        assert connection.execute(text("SELECT 40 + 2")).scalar_one() == 42


def test_database_errors_do_not_carry_the_patients_data(db_url: str):
    """An error's message reaches logs (log.exception): it names the statement, not its values."""
    from sqlalchemy.exc import IntegrityError

    from assistant.db.models import WebhookEvent
    from assistant.unit_of_work import UnitOfWork

    with UnitOfWork(db_url) as uow:
        uow.session.add(WebhookEvent(key="sms:Maria Lopez 1982-03-03"))
        uow.commit()
    with pytest.raises(IntegrityError) as raised, UnitOfWork(db_url) as uow:
        uow.session.add(WebhookEvent(key="sms:Maria Lopez 1982-03-03"))
        uow.commit()
    message = str(raised.value)
    assert "webhook_events" in message and "hidden due to hide_parameters" in message
    # the parameters are hidden; PostgreSQL's own DETAIL line may still quote the row, which
    # is why webhooks/twilio/errors.py logs database errors without the driver's message
    assert "'sms:Maria Lopez 1982-03-03'" not in message
