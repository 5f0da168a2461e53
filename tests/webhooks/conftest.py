"""An app wired to a migrated SQLite database and a signer that signs as Twilio does."""

from __future__ import annotations

import pytest
from flask.testing import FlaskClient
from twilio.request_validator import RequestValidator

from assistant.config import Settings
from tests.factories.webhooks import (
    AUTH_TOKEN,
    PUBLIC_BASE_URL,
    FakeRasa,
    Signed,
    make_settings,
)
from webhooks import create_app


@pytest.fixture
def app_settings(sqlite_url: str) -> Settings:
    return make_settings(sqlite_url)


@pytest.fixture
def client(app_settings: Settings) -> FlaskClient:
    return create_app(app_settings).test_client()


@pytest.fixture
def signed_post(client: FlaskClient) -> Signed:
    """POST form params with the signature Twilio would compute for our public URL."""

    def post(path: str, params: dict[str, str], *, sign_url: str | None = None, token=AUTH_TOKEN):
        url = sign_url or PUBLIC_BASE_URL + path
        signature = RequestValidator(token).compute_signature(url, params)
        return client.post(path, data=params, headers={"X-Twilio-Signature": signature})

    return post


@pytest.fixture
def fake_rasa():
    import threading

    from werkzeug.serving import make_server

    fake = FakeRasa()
    server = make_server("127.0.0.1", 0, fake.wsgi, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    fake.url = f"http://127.0.0.1:{server.server_port}"
    yield fake
    server.shutdown()


@pytest.fixture
def client_with_fake_rasa(sqlite_url: str, fake_rasa: FakeRasa) -> FlaskClient:
    return create_app(make_settings(sqlite_url, RASA_URL=fake_rasa.url)).test_client()
