"""Shared pieces of the reliability suite: Twilio's side of a call (signed POSTs), a dialogue
stand-in that answers every turn, and checks on what Twilio would receive."""

from __future__ import annotations

import json
import os
import socket
import threading
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from flask.testing import FlaskClient
from sqlalchemy import func, select
from twilio.request_validator import RequestValidator
from werkzeug.serving import make_server

from assistant import stack
from assistant.config import PROJECT_ROOT, Settings
from assistant.db.models import Base
from assistant.demo.seed import DemoSummary, seed_demo
from assistant.rasa_model import ensure_model
from assistant.unit_of_work import UnitOfWork
from tests import factories
from tests.conftest import _empty_all_tables, _postgres_database
from tests.webhooks.conftest import AUTH_TOKEN, PUBLIC_BASE_URL, sms_texter
from webhooks import rasa_client

# Examples per property (hypothesis); RELIABILITY_EXAMPLES=300 for a deeper run.
EXAMPLES = int(os.environ.get("RELIABILITY_EXAMPLES", "30"))
CALL_SID = "CA" + "7" * 32
PATIENT_PHONE = "+15555550123"
PRACTICE_PHONE = "+15555550100"


class Twilio:
    """Twilio's side of the conversation: POSTs signed for our public URL."""

    def __init__(self, client: FlaskClient, token: str = AUTH_TOKEN) -> None:
        self.client, self.token = client, token

    def signature(self, path: str, params: dict[str, str]) -> str:
        return RequestValidator(self.token).compute_signature(PUBLIC_BASE_URL + path, params)

    def post(self, path: str, params: dict[str, str], **kwargs: Any):
        headers = {"X-Twilio-Signature": self.signature(path, params)}
        return self.client.post(path, data=params, headers=headers, **kwargs)


class ScriptedRasa:
    """The Rasa REST channel at the HTTP level. Every turn is answered by `answer(message)`
    (default: a plain reply); `before_answer` runs while the app waits (to inject faults)."""

    def __init__(self) -> None:
        self.received: list[dict] = []
        self.answer: Callable[[dict], list[dict]] = lambda _m: [
            {"recipient_id": "x", "text": "How can I help?"}
        ]
        self.before_answer: Callable[[dict], None] | None = None
        self.url = ""

    def wsgi(self, environ, start_response):
        length = int(environ.get("CONTENT_LENGTH") or 0)
        message = json.loads(environ["wsgi.input"].read(length) or b"{}")
        self.received.append(message)
        if self.before_answer is not None:
            self.before_answer(message)
        body = json.dumps(self.answer(message)).encode()
        start_response("200 OK", [("Content-Type", "application/json")])
        return [body]


@pytest.fixture
def scripted_rasa() -> Iterator[ScriptedRasa]:
    fake = ScriptedRasa()
    server = make_server("127.0.0.1", 0, fake.wsgi, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    fake.url = f"http://127.0.0.1:{server.server_port}"
    yield fake
    server.shutdown()


def seed_practice(url: str) -> None:
    with UnitOfWork(url) as uow:
        factories.patient(uow.session, factories.practice(uow.session))
        uow.commit()


def row_counts(url: str) -> dict[str, int]:
    """Rows per table: "nothing stored" means these do not change."""
    with UnitOfWork(url) as uow:
        return {
            table.name: uow.session.execute(select(func.count()).select_from(table)).scalar_one()
            for table in Base.metadata.sorted_tables
        }


def voice_twiml(response) -> ET.Element:
    """The caller's TwiML: 200, well-formed, and never dead air (something is said, the call is
    connected to a person, or it is ended on purpose)."""
    assert response.status_code == 200, response.status_code
    assert response.mimetype == "text/xml"
    root = ET.fromstring(response.get_data())
    assert root.tag == "Response"
    spoken = [s for s in root.iter("Say") if (s.text or "").strip()]
    ends = root.find("Dial") is not None or root.find("Hangup") is not None
    assert spoken or ends, response.get_data(as_text=True)
    return root


def sms_twiml(response) -> ET.Element:
    assert response.status_code == 200, response.status_code
    assert response.mimetype == "text/xml"
    root = ET.fromstring(response.get_data())
    assert root.tag == "Response"
    return root


# Real Rasa servers behind the app (test_scaling.py, test_rasa_faults.py): each module starts its
# own set once and defines a `two_servers` fixture giving (settings, services by name); the
# fixtures below work on whichever set the module started.


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def rasa_servers(
    settings: Settings, log_dir: Path, *, action_server_url: str | None = None
) -> Iterator[dict[str, stack.Service]]:
    """The action server and one Rasa server per RASA_URL, started and ready, stopped after.
    `action_server_url`: where the action server listens when the Rasa servers are to reach it
    through something else (settings.action_server_url)."""
    model = ensure_model(PROJECT_ROOT / "var")
    actions_at = replace(
        settings, action_server_url=action_server_url or settings.action_server_url
    )
    services = [s for s in stack.services(actions_at, model, app_port=0) if s.name == "actions"]
    services += [
        s for s in stack.services(settings, model, app_port=0) if s.name.startswith("rasa")
    ]
    stack.start(services, stack.child_env(actions_at), log_dir)
    try:
        stack.wait_ready(f"{actions_at.action_server_url}/health", services, 120)
        for url in settings.rasa_urls:
            stack.wait_ready(f"{url}/status", services, 150)
        yield {s.name: s for s in services}
    finally:
        stack.stop(services)


@pytest.fixture(scope="module")
def tracker_store_url() -> Iterator[str]:
    yield from _postgres_database()


@pytest.fixture
def demo(two_servers: tuple[Settings, dict[str, stack.Service]]) -> DemoSummary:
    settings, _ = two_servers
    _empty_all_tables(settings.database_url)
    with UnitOfWork(settings.database_url) as uow:
        summary = seed_demo(uow.session)
        uow.commit()
    return summary


@pytest.fixture
def served_by(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The Rasa server that answered each turn (attempts on a dead server are not listed)."""
    answered: list[str] = []
    post_turn = rasa_client._post_turn

    def recording(server: str, payload: dict[str, Any], timeout: float) -> Any:
        items = post_turn(server, payload, timeout)
        answered.append(server)
        return items

    monkeypatch.setattr(rasa_client, "_post_turn", recording)
    return answered


@pytest.fixture
def say(two_servers: tuple[Settings, dict[str, stack.Service]]) -> Callable[[str, str], str]:
    """One signed SMS as Twilio sends it; returns the one text the patient reads."""
    return sms_texter(two_servers[0])
