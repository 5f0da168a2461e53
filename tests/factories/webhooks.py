"""Building and calling the web app in tests: settings, signed Twilio requests, a fake Rasa."""

from __future__ import annotations

import socket
import xml.etree.ElementTree as ET
from collections.abc import Callable

from flask.testing import FlaskClient
from sqlalchemy import select
from twilio.request_validator import RequestValidator

from assistant.config import Settings, load_settings
from assistant.db.models import Conversation
from assistant.unit_of_work import UnitOfWork
from tests import factories
from tests.factories.databases import fresh_spool_dir
from webhooks import create_app

PUBLIC_BASE_URL = "https://clinic.example.org"


AUTH_TOKEN = "0123456789abcdef0123456789abcdef"


def closed_port_url() -> str:
    """A loopback URL where nothing listens: a dialogue that is down."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    return f"http://127.0.0.1:{port}"


def make_settings(database_url: str, **overrides: str) -> Settings:
    """Settings of a test app; its spool (requests kept while the database is down) is a fresh
    temporary directory unless SPOOL_DIR is given, never the project's var/spool."""
    env = {
        "SPOOL_DIR": fresh_spool_dir(),
        "DATABASE_URL": database_url,
        "PUBLIC_BASE_URL": PUBLIC_BASE_URL,
        "TWILIO_ACCOUNT_SID": "AC" + "a" * 32,
        "TWILIO_AUTH_TOKEN": AUTH_TOKEN,
        "TWILIO_PHONE_NUMBER": "+15555550100",
        "SECRET_KEY": "test-secret-key-0123456789",
        "RASA_URL": closed_port_url(),
        "ACTION_SERVER_URL": closed_port_url(),
        "RASA_TIMEOUT_SECONDS": "2",
    }
    env.update(overrides)
    return load_settings(env)


Signed = Callable[..., object]


def sign_and_post(client: FlaskClient, path: str, params: dict[str, str]):
    """POST as Twilio would: signed over our public URL with the account's auth token."""
    signature = RequestValidator(AUTH_TOKEN).compute_signature(PUBLIC_BASE_URL + path, params)
    return client.post(path, data=params, headers={"X-Twilio-Signature": signature})


def messages(response) -> list[str]:
    return [m.text or "" for m in ET.fromstring(response.get_data(as_text=True)).iter("Message")]


def sms_texter(settings: Settings, sid_prefix: str = "SMS") -> Callable[[str, str], str]:
    """A patient's phone: each call sends one signed SMS to the app and returns the one reply."""
    client = create_app(settings).test_client()
    counter = iter(range(10_000))

    def send(sender: str, body: str) -> str:
        params = {
            "MessageSid": f"{sid_prefix}{next(counter):031d}",
            "From": sender,
            "To": "+15555550100",
            "Body": body,
        }
        response = sign_and_post(client, "/twilio/sms", params)
        assert response.status_code == 200
        [reply] = messages(response)
        return reply

    return send


def latest_sms_conversation(database_url: str, phone: str) -> Conversation:
    """The newest SMS conversation with this number, detached from its session."""
    with UnitOfWork(database_url) as uow:
        found = uow.session.execute(
            select(Conversation)
            .where(Conversation.phone == phone, Conversation.channel == "sms")
            .order_by(Conversation.id.desc())
            .limit(1)
        ).scalar_one()
        uow.session.expunge(found)
        return found


class FakeRasa:
    """A stand-in for the Rasa REST channel at the HTTP level, for edge-only tests: it records
    what the edge sent and answers with what the test queued. (Real Rasa: tests/integration.)"""

    def __init__(self) -> None:
        self.received: list[dict] = []
        self.answers: list[list[dict]] = []
        self.events: list[dict] = []

    def wsgi(self, environ, start_response):
        import json

        length = int(environ.get("CONTENT_LENGTH") or 0)
        sent = json.loads(environ["wsgi.input"].read(length) or b"{}")
        if "/tracker/events" in environ.get("PATH_INFO", ""):  # a slot set by the edge
            self.events.append({"path": environ["PATH_INFO"], **sent})
            start_response("200 OK", [("Content-Type", "application/json")])
            return [b"{}"]
        self.received.append(sent)
        body = json.dumps(self.answers.pop(0) if self.answers else []).encode()
        start_response("200 OK", [("Content-Type", "application/json")])
        return [body]


CALL = {"CallSid": "CA" + "7" * 32, "From": "+15555550123", "To": "+15555550100"}


def practice_with_patient(url: str) -> None:
    with UnitOfWork(url) as uow:
        factories.patient(uow.session, factories.practice(uow.session))
        uow.commit()
