"""An app wired to a migrated SQLite database and a signer that signs as Twilio does."""

from __future__ import annotations

import socket
import xml.etree.ElementTree as ET
from collections.abc import Callable

import pytest
from flask.testing import FlaskClient
from twilio.request_validator import RequestValidator

from assistant.config import Settings, load_settings
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
    env = {
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


@pytest.fixture
def app_settings(sqlite_url: str) -> Settings:
    return make_settings(sqlite_url)


@pytest.fixture
def client(app_settings: Settings) -> FlaskClient:
    return create_app(app_settings).test_client()


Signed = Callable[..., object]


@pytest.fixture
def signed_post(client: FlaskClient) -> Signed:
    """POST form params with the signature Twilio would compute for our public URL."""

    def post(path: str, params: dict[str, str], *, sign_url: str | None = None, token=AUTH_TOKEN):
        url = sign_url or PUBLIC_BASE_URL + path
        signature = RequestValidator(token).compute_signature(url, params)
        return client.post(path, data=params, headers={"X-Twilio-Signature": signature})

    return post


def messages(response) -> list[str]:
    return [m.text or "" for m in ET.fromstring(response.get_data(as_text=True)).iter("Message")]
