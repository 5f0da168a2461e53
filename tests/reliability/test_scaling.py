"""Horizontal scaling as Rasa documents it: two `rasa run` servers (same model, same endpoints)
sharing a SQL tracker store (PostgreSQL) and the Redis lock store, behind the app.

The app sends each turn to the next server in turn (RASA_URL lists both); a conversation served
alternately by both continues correctly, and one server killed mid-conversation loses no turn.
"""

from __future__ import annotations

import os
import signal
from collections.abc import Iterator
from pathlib import Path

import pytest

from assistant import stack
from assistant.config import Settings
from assistant.db import migrate
from assistant.db.models import Appointment
from assistant.unit_of_work import UnitOfWork
from tests.factories.databases import IN_CI
from tests.factories.reliability import free_port, rasa_servers
from tests.factories.webhooks import latest_sms_conversation, make_settings

pytestmark = pytest.mark.rasa

LOCK_STORE_URL = os.environ.get("TEST_RASA_LOCK_STORE_URL", "redis://127.0.0.1:6379/12")


def _require_redis() -> None:
    import redis

    try:
        redis.Redis.from_url(LOCK_STORE_URL, socket_timeout=2).ping()
    except redis.RedisError as exc:
        message = f"Redis not reachable at {LOCK_STORE_URL}: {type(exc).__name__}"
        if IN_CI:
            pytest.fail(message, pytrace=False)
        pytest.skip(message)


@pytest.fixture(scope="module")
def two_servers(
    tmp_path_factory: pytest.TempPathFactory, tracker_store_url: str
) -> Iterator[tuple[Settings, dict[str, stack.Service]]]:
    _require_redis()
    db_path: Path = tmp_path_factory.mktemp("scaling") / "assistant.sqlite3"
    migrate.upgrade(f"sqlite:///{db_path}")
    settings = make_settings(
        f"sqlite:///{db_path}",
        RASA_URL=f"http://127.0.0.1:{free_port()},http://127.0.0.1:{free_port()}",
        ACTION_SERVER_URL=f"http://127.0.0.1:{free_port()}",
        RASA_TIMEOUT_SECONDS="10",
        RASA_TRACKER_STORE_URL=tracker_store_url,
        RASA_LOCK_STORE_URL=LOCK_STORE_URL,
    )
    with rasa_servers(settings, tmp_path_factory.mktemp("scaling-logs")) as services:
        yield settings, services


def test_a_conversation_served_by_both_servers_in_turn_continues(two_servers, demo, say, served_by):
    settings, _ = two_servers
    maria = demo.english_demo
    assert "first and last name" in say(maria.phone, "I need to reschedule my appointment")
    assert "date of birth" in say(maria.phone, "Maria Lopez")
    verified = say(maria.phone, "03/03/1982")
    assert "1) " in verified and "2) " in verified  # the soonest times at once
    offer = say(maria.phone, "as soon as possible")
    assert "1) " in offer and "2) " in offer
    assert "To confirm: move your appointment on" in say(maria.phone, "the second one")
    assert "You're all set" in say(maria.phone, "yes")

    assert set(served_by) == set(settings.rasa_urls)
    assert all(a != b for a, b in zip(served_by, served_by[1:], strict=False))
    with UnitOfWork(settings.database_url) as uow:
        old = uow.session.get(Appointment, maria.appointment_id)
        assert old.status == "rescheduled"
        new = uow.session.get(Appointment, old.rescheduled_to_id)
        assert new.status == "booked" and new.provider_id == old.provider_id
    conversation = latest_sms_conversation(settings.database_url, maria.phone)
    assert conversation.verified_patient_id == maria.patient_id
    assert conversation.outcome == "rescheduled"


def test_killing_one_server_mid_conversation_loses_no_turn(two_servers, demo, say, served_by):
    settings, services = two_servers
    maria = demo.english_demo
    assert "first and last name" in say(maria.phone, "I need to cancel my appointment")
    assert "date of birth" in say(maria.phone, "maria lopez")
    assert len(set(served_by)) == 2

    second = services["rasa-2"].process
    os.killpg(second.pid, signal.SIGKILL)
    second.wait(timeout=10)

    reply = say(maria.phone, "March 3, 1982")
    assert "Do you want to cancel your appointment on" in reply and maria.provider_name in reply
    assert "is cancelled" in say(maria.phone, "yes")  # at the yes; then why, a new time?
    assert "new time" in say(maria.phone, "I'm feeling better")
    assert "anything else" in say(maria.phone, "no thanks")

    assert served_by[2:] == [settings.rasa_urls[0]] * 4
    with UnitOfWork(settings.database_url) as uow:
        appointment = uow.session.get(Appointment, maria.appointment_id)
        assert appointment.status == "cancelled"
        assert appointment.cancel_reason == "I'm feeling better"
    conversation = latest_sms_conversation(settings.database_url, maria.phone)
    assert conversation.verified_patient_id == maria.patient_id
    assert conversation.outcome == "cancelled"
