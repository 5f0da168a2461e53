"""Schemathesis against the app's own OpenAPI document (webhooks/openapi.yaml), in process.

Every operation of the document is called with requests schemathesis generates from its
schemas (coverage phase: boundary and missing values; fuzzing phase: random ones), conforming
ones for all 54 operations, then non-conforming ones only for the 51 that take a form, a body
or parameters. Each request is signed or signed in as its real caller's would be:

* Twilio routes: `X-Twilio-Signature` computed exactly as Twilio computes it, over the public
  URL (PUBLIC_BASE_URL + path + the query string as sent) and the form parameters as sent;
  a negative case that leaves the signature out must get 403 (nothing is accepted unsigned);
* console routes: a manager's staff session (the real sign-in form) and its CSRF token;
* portal routes: a patient's portal cookie from the real sign-in (code by SMS), a pending code
  or a pending link, and its CSRF token (form field, and the X-CSRF-Token header so that a
  malformed body still reaches the view);
* FHIR routes: a Bearer token (401 when a negative case leaves it out).

Each answer must be no 5xx, a declared status code and content type, with the declared headers
and (JSON) body schema. Twilio routes turn exceptions into an apology rather than a 500, so an
error logged by the app fails the case too; conforming Twilio requests must get 200/204.
Markup sent in free-text fields must never come back as markup, neither in the answer nor on
the page that shows what the form stored (where it must be, escaped).

Examples per operation and phase: RELIABILITY_EXAMPLES (default 10 here; about 50 s);
derandomized in CI (CI=true), random locally so that repeated runs explore more. `-s` prints
the figures: requests per phase, status codes per operation.
"""

from __future__ import annotations

import json
import logging
import os
import re
import shutil
import subprocess
import sys
import threading
import time
from collections import Counter, defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import pytest
import schemathesis
import yaml
from flask import Flask
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from markupsafe import escape
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)
from schemathesis.transport.prepare import get_exclude_headers
from schemathesis.transport.wsgi import WSGI_TRANSPORT
from twilio.request_validator import RequestValidator
from werkzeug.serving import make_server
from werkzeug.test import EnvironBuilder

from assistant.db import migrate
from assistant.db.engine import get_engine
from assistant.demo.seed import DemoSummary, seed_demo
from assistant.portal import signin
from assistant.unit_of_work import UnitOfWork
from tests.factories.databases import IN_CI
from tests.factories.portal import Visitor, portal_settings
from tests.factories.reliability import ScriptedRasa
from tests.factories.webhooks import PUBLIC_BASE_URL
from webhooks import create_app
from webhooks.console.security import CSRF_HEADER

SPEC_PATH = Path(__file__).resolve().parents[2] / "webhooks" / "openapi.yaml"
SPEC: dict[str, Any] = yaml.safe_load(SPEC_PATH.read_text())
EXAMPLES = int(os.environ.get("RELIABILITY_EXAMPLES", "10"))
FORM = "application/x-www-form-urlencoded"
FHIR_TOKEN = "schemathesis-fhir-token-0123456789"
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]
SENT: Counter[tuple[str, str]] = Counter()  # requests per (operation, phase)
ANSWERED: defaultdict[str, Counter[int]] = defaultdict(Counter)  # status codes per operation
SHOWN_ESCAPED: Counter[str] = Counter()  # stored markup found shown as text, per form
# Path values that exist in the seeded demo practice, drawn alongside schemathesis' own (mostly
# unknown) ones so that the views' real work runs; visit 1 is Maria Lopez's (the portal's
# patient), 2 and 3 are other patients' (the portal must not show them).
KNOWN: dict[str, list[Any]] = {
    "appointment_id": [1, 2, 3],
    "patient_id": [1, 2, 60],
    "task_id": [1, 2],
    "resource_type": ["Patient", "Appointment", "Practitioner", "Location", "Slot"],
    "resource_id": ["1", "2"],
}


def _schema(modes: list[GenerationMode]) -> schemathesis.BaseSchema:
    schema = schemathesis.openapi.from_path(SPEC_PATH)
    schema.config.generation.update(modes=modes, max_examples=EXAMPLES, deterministic=IN_CI)
    return schema


@schemathesis.hook
def flatmap_path_parameters(
    context: schemathesis.HookContext, path_parameters: dict[str, Any] | None
) -> st.SearchStrategy[dict[str, Any] | None]:
    """Also draw ids of records that exist (the generated ones are nearly all unknown)."""
    if not path_parameters:
        return st.just(path_parameters)
    return st.fixed_dictionaries(
        {
            name: st.one_of(st.just(value), st.sampled_from(KNOWN[name]))
            if name in KNOWN
            else st.just(value)
            for name, value in path_parameters.items()
        }
    )


# Stored XSS: markup in the free-text fields, and the page that shows what each form stored.
MARKUP = [
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "<b onmouseover=alert(1)>x</b>",
]
TEXT_FIELDS = {"message", "shown", "reason", "text", "note"}
SHOWN_ON = {
    "POST /portal/chat": "/portal/chat",
    "POST /console/tasks/{task_id}/notes": "/console/tasks/{task_id}",
    "POST /console/tasks/{task_id}/resolve": "/console/tasks/{task_id}",
}


@schemathesis.hook
def flatmap_body(context: schemathesis.HookContext, body: Any) -> st.SearchStrategy[Any]:
    """Also send markup in the free-text fields, as a hostile patient (or a paste) would."""
    fields = [name for name in body if name in TEXT_FIELDS] if isinstance(body, dict) else []
    if not fields:
        return st.just(body)
    with_markup = st.sampled_from(MARKUP).map(lambda m: {**body, **dict.fromkeys(fields, m)})
    return st.one_of(st.just(body), with_markup)


positive = _schema([GenerationMode.POSITIVE])
# Non-conforming data only, for every operation that takes a form, a body or parameters.
negative = _schema([GenerationMode.NEGATIVE]).include(
    name=[
        f"{method.upper()} {path}"
        for path, item in SPEC["paths"].items()
        for method, operation in item.items()
        if operation.get("requestBody") or operation.get("parameters")
    ]
)


# --- The app, its demo practice and its callers ---------------------------------------------------


@pytest.fixture(scope="module")
def seeded_template(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, DemoSummary]:
    """One migrated, seeded database file; each operation gets a copy (seeding takes 0.7 s)."""
    path = tmp_path_factory.mktemp("schemathesis") / "template.sqlite3"
    url = f"sqlite:///{path}"
    migrate.upgrade(url)
    with UnitOfWork(url) as uow:
        demo = seed_demo(uow.session)
        uow.commit()
    return path, demo


class HiddenErrors(logging.Handler):
    """Errors the app logged: on Twilio routes an exception becomes an apology (errors.py) or
    a fallback (transfer.py's never_5xx), never a 500, so the status code alone hides it."""

    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


class StaffSession:
    """The manager signed in through the console's real form; the session (a signed cookie)
    holds for every copy of the seeded database. Signed in again before its idle limit."""

    FRESH_SECONDS = 20 * 60

    def __init__(self) -> None:
        self._signed: tuple[str, str, float] | None = None

    def session(self, app: Flask) -> tuple[str, str]:
        if self._signed is None or time.monotonic() - self._signed[2] > self.FRESH_SECONDS:
            client = app.test_client()
            token = _form_csrf(client.get("/console/login").get_data(as_text=True))
            signed = client.post(
                "/console/login",
                data={
                    "email": "manager@riverside.example",
                    "password": "demo-manager",
                    "csrf_token": token,
                },
            )
            assert signed.status_code == 302, signed.status_code
            csrf = _form_csrf(client.get("/console/queue").get_data(as_text=True))
            cookie = client.get_cookie(app.config["SESSION_COOKIE_NAME"])
            assert cookie is not None
            self._signed = (cookie.value, csrf, time.monotonic())
        return self._signed[0], self._signed[1]


STAFF = StaffSession()


@dataclass
class Harness:
    """Sends a generated case as its real caller would, to one app on its own database."""

    app: Flask
    database_url: str
    demo: DemoSummary
    hidden: HiddenErrors
    _portal: dict[str, tuple[str, str]] = field(default_factory=dict)

    # Twilio ----------------------------------------------------------------------------------

    def twilio_signature(self, case: schemathesis.Case) -> str:
        """Twilio's signature of this request as it will be sent: the same request is built from
        the transport's own arguments, and signed over the public URL and its form fields."""
        wire = WSGI_TRANSPORT.serialize_case(case)
        keys = ("method", "path", "query_string", "headers", "data", "json")
        try:
            request = EnvironBuilder(**{k: wire[k] for k in keys if k in wire}).get_request()
        except (AttributeError, TypeError, ValueError):
            return ""  # no request can be built of it (Twilio sends none such): unsigned
        query = request.query_string.decode("latin-1")
        url = PUBLIC_BASE_URL + request.path + (f"?{query}" if query else "")
        token = self.app.extensions["assistant_settings"].webhook_auth_token
        return RequestValidator(token).compute_signature(url, request.form.to_dict())

    # Portal ----------------------------------------------------------------------------------

    def portal(self, state: str) -> tuple[str, str]:
        """(cookie, CSRF token) of a visitor: anonymous, with a code pending, with a link
        pending, or signed in, each reached through the portal's own pages (once per
        operation; every example starts again from it)."""
        if state not in self._portal:
            visitor = Visitor(self.app.test_client(), self.database_url, self.demo)
            maria = self.demo.english_demo
            if state == "code":
                assert visitor.request_code(maria.phone, "03/03/1982").status_code == 302
            elif state == "link":
                with UnitOfWork(self.database_url) as uow:
                    token = signin.create_link(
                        uow.session,
                        secret=self.app.config["SECRET_KEY"],
                        practice_id=self.demo.practice_id,
                        patient_id=maria.patient_id,
                        phone=maria.phone,
                    )
                    uow.commit()
                assert visitor.client.get(f"/portal/link/{token}").status_code == 302
            elif state == "signed_in":
                visitor.sign_in()
            page = {"code": "/portal/code", "link": "/portal/link"}.get(state, "/portal/sign-in")
            csrf = visitor.csrf(page)
            cookie = visitor.client.get_cookie("portal", path="/portal")
            assert cookie is not None
            self._portal[state] = (cookie.value, csrf)
        return self._portal[state]

    # Any operation ---------------------------------------------------------------------------

    def send(self, case: schemathesis.Case):
        SENT[(case.operation.label, case.meta.phase.name.value if case.meta else "")] += 1
        response = self._send(case)
        ANSWERED[case.operation.label][response.status_code] += 1
        self._no_markup_shown(case, response)
        return response

    def _no_markup_shown(self, case: schemathesis.Case, response: Any) -> None:
        """Markup sent in a form is never in an HTML page as markup: neither in the answer nor,
        for the forms that store text, on the page that shows it (where it must be, escaped)."""
        sent = [m for m in MARKUP if isinstance(case.body, dict) and m in case.body.values()]
        if not sent:
            return
        pages = []
        if "html" in response.headers.get("Content-Type", [""])[0]:
            pages.append(response.content.decode("utf-8", "replace"))
        shown_on = SHOWN_ON.get(case.operation.label)
        stored = shown_on and response.status_code in (200, 302)
        if stored:
            client = self.app.test_client()
            if case.path.startswith("/console/"):
                client.set_cookie(
                    self.app.config["SESSION_COOKIE_NAME"], STAFF.session(self.app)[0]
                )
            else:
                client.set_cookie("portal", self.portal(_portal_state(case.path))[0])
            page = client.get(shown_on.format(**(case.path_parameters or {})))
            pages.append(page.get_data(as_text=True))
        for html in pages:
            for markup in sent:
                assert markup not in html, (case.operation.label, markup)
        if stored and pages and all(str(escape(m)) in pages[-1] for m in sent):
            SHOWN_ESCAPED[case.operation.label] += 1

    def _send(self, case: schemathesis.Case):
        path = case.path
        if case.media_type == FORM and isinstance(case.body, list):
            # Werkzeug's test client cannot encode an array as a form: send it as the raw body
            # (a broken form, which is what this negative case means)
            case.body = json.dumps(case.body)
        unsent = {name.lower() for name in get_exclude_headers(case)}  # a negative case's
        if path.startswith("/twilio/"):
            response = case.call(
                app=self.app, headers={"X-Twilio-Signature": self.twilio_signature(case)}
            )
            if "x-twilio-signature" in unsent:  # nothing is accepted unsigned
                assert response.status_code == 403, (case.formatted_path, response.status_code)
            return response
        if path.startswith("/console/"):
            cookie, csrf = STAFF.session(self.app)
            _put_csrf(case, csrf)
            name = self.app.config["SESSION_COOKIE_NAME"]
            return case.call(app=self.app, cookies={name: cookie}, headers={CSRF_HEADER: csrf})
        if path.startswith("/portal"):
            cookie, csrf = self.portal(_portal_state(path))
            _put_csrf(case, csrf)
            return case.call(app=self.app, cookies={"portal": cookie}, headers={CSRF_HEADER: csrf})
        if path.startswith("/fhir/"):
            response = case.call(app=self.app, headers={"Authorization": f"Bearer {FHIR_TOKEN}"})
            if "authorization" in unsent:
                assert response.status_code == 401, (case.formatted_path, response.status_code)
            return response
        return case.call(app=self.app)


def _form_csrf(page: str) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)


def _put_csrf(case: schemathesis.Case, token: str) -> None:
    """The session's token in the form (the generated one is a random string): the data under
    test is everything else. A body that is no form at all still carries it in the header."""
    if isinstance(case.body, dict) and "csrf_token" in _form_fields(case):
        case.body["csrf_token"] = token


def _form_fields(case: schemathesis.Case) -> set[str]:
    body = SPEC["paths"][case.path][case.operation.method.lower()].get("requestBody", {})
    form = body.get("content", {}).get(FORM)
    if not form:
        return set()
    name = form["schema"].get("$ref", "").rsplit("/", 1)[-1]
    return set(SPEC["components"]["schemas"].get(name, {}).get("properties", {}))


def _portal_state(path: str) -> str:
    if path.startswith("/portal/code"):
        return "code"
    if path == "/portal/link":
        return "link"
    if path.startswith(("/portal/sign-in", "/portal/link/")):
        return "anonymous"
    return "signed_in"


@pytest.fixture(scope="module", autouse=True)
def _figures() -> Iterator[None]:
    """Operations and requests sent, printed at the end (`-s` shows them)."""
    started = time.monotonic()
    yield
    phases = Counter()
    for (_label, phase), count in SENT.items():
        phases[phase] += count
    print(
        f"\nschemathesis: {len({label for label, _ in SENT})} operations, "
        f"{sum(SENT.values())} requests ({dict(phases)}) in {time.monotonic() - started:.0f} s"
    )
    for label, statuses in sorted(ANSWERED.items()):
        print(f"  {label}: {dict(sorted(statuses.items()))}")
    print(f"  stored markup shown escaped: {dict(SHOWN_ESCAPED)}")


@pytest.fixture(scope="module")
def dialogue() -> Iterator[ScriptedRasa]:
    """A dialogue stand-in that answers every turn with a text and a button (one per module:
    stopping a server takes half a second)."""
    fake = ScriptedRasa()
    fake.answer = lambda _m: [
        {"recipient_id": "x", "text": "Which day suits you?"},
        {"recipient_id": "x", "buttons": [{"title": "Monday", "payload": "/inform"}]},
    ]
    server = make_server("127.0.0.1", 0, fake.wsgi, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    fake.url = f"http://127.0.0.1:{server.server_port}"
    yield fake
    server.shutdown()


@pytest.fixture
def harness(
    seeded_template: tuple[Path, DemoSummary], tmp_path: Path, dialogue: ScriptedRasa
) -> Iterator[Harness]:
    template, demo = seeded_template
    copy = tmp_path / "app.sqlite3"
    shutil.copyfile(template, copy)
    database_url = f"sqlite:///{copy}"
    settings = portal_settings(
        database_url,
        RASA_URL=dialogue.url,
        FHIR_API_TOKENS=f"schemathesis:{FHIR_TOKEN}",
    )
    hidden = HiddenErrors()
    safety_net = logging.getLogger("webhooks")  # errors.py, and transfer.py's never_5xx
    safety_net.addHandler(hidden)
    try:
        yield Harness(create_app(settings), database_url, demo, hidden)
    finally:
        safety_net.removeHandler(hidden)
        get_engine(database_url).dispose()  # this copy's connections (110 copies per run)


def _no_hidden_error(harness: Harness, case: schemathesis.Case) -> None:
    errors = [r.getMessage() for r in harness.hidden.records]
    harness.hidden.records.clear()
    assert not errors, f"{case.method} {case.formatted_path}: {errors}"


# --- The runs ---------------------------------------------------------------------------------

# The harness (app, database copy, sessions) is made once per operation and shared by its
# examples on purpose: it is what a stream of requests from real callers meets.
RELAXED = settings(
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    deadline=None,
)


@positive.parametrize()
@RELAXED
def test_conforming_requests_get_only_declared_answers(case: schemathesis.Case, harness: Harness):
    response = harness.send(case)
    # /healthz answers a declared 503 when the dialogue is down (here: a stand-in, no /status)
    checks = CHECKS[1:] if case.path == "/healthz" else CHECKS
    case.validate_response(response, checks=checks)
    _no_hidden_error(harness, case)
    if case.path.startswith("/twilio/"):  # Twilio's real requests are all answered
        assert response.status_code in (200, 204), (case.formatted_path, response.status_code)


@negative.parametrize()
@RELAXED
def test_non_conforming_requests_get_only_declared_answers(
    case: schemathesis.Case, harness: Harness
):
    response = harness.send(case)
    case.validate_response(response, checks=CHECKS)
    _no_hidden_error(harness, case)


# --- Found by schemathesis: what was fixed, pinned down ------------------------------------------


@pytest.mark.parametrize(
    "path,query",
    [
        ("/twilio/voice/gather", {"lang": "en", "step": "²", "silent": "³"}),
        ("/twilio/reminder-call", {"m": "²"}),
        ("/twilio/reminder-call/answer", {"m": "²", "tries": "²"}),
        ("/twilio/transfer/whisper", {"attempt": "²"}),
    ],
)
def test_digits_int_refuses_in_our_signed_query_parameters_are_no_error(
    harness: Harness, path: str, query: dict[str, str]
):
    """ "²" passed str.isdigit() and then failed int(): the caller got the apology instead of
    the turn (an exception behind a 200). Only our own signed URLs carry these parameters."""
    url = f"{path}?{urlencode(query)}"
    form = {"CallSid": "CA" + "1" * 32, "From": "+15555550123", "To": "+15555550100"}
    token = harness.app.extensions["assistant_settings"].webhook_auth_token
    signature = RequestValidator(token).compute_signature(PUBLIC_BASE_URL + url, form)
    response = harness.app.test_client().post(
        url, data=form, headers={"X-Twilio-Signature": signature}
    )
    assert response.status_code == 200
    assert not harness.hidden.records, [r.getMessage() for r in harness.hidden.records]


def test_metrics_period_in_other_digits_is_the_default_week(harness: Harness):
    """`days=²` was a 500 on the manager's metrics page."""
    cookie, _csrf = STAFF.session(harness.app)
    client = harness.app.test_client()
    client.set_cookie(harness.app.config["SESSION_COOKIE_NAME"], cookie)
    response = client.get("/console/metrics?days=²")
    assert response.status_code == 200
    assert 'href="/console/metrics?days=7" aria-current="page"' in response.get_data(as_text=True)


# --- The command line, with the signing hooks (tests/reliability/schemathesis_hooks.py) ---------


def test_the_command_line_with_the_hooks_signs_twilio_requests(
    seeded_template: tuple[Path, DemoSummary], tmp_path: Path, dialogue: ScriptedRasa
):
    """`schemathesis run` against the app served on a port, as against `make run`: with the
    hooks every conforming Twilio request is signed as Twilio signs it, so none is refused."""
    shutil.copyfile(seeded_template[0], tmp_path / "cli.sqlite3")
    answered: Counter[int] = Counter()
    server = make_server("127.0.0.1", 0, lambda environ, start: [], threaded=True)
    base = f"http://127.0.0.1:{server.server_port}"
    # As `make run` without a Twilio account: the webhook token derives from SECRET_KEY
    env = {
        "PUBLIC_BASE_URL": base,
        "SECRET_KEY": "cli-secret-key-0123456789",
        "TWILIO_ACCOUNT_SID": "",
        "TWILIO_AUTH_TOKEN": "",
        "TWILIO_PHONE_NUMBER": "",
    }
    app = create_app(
        portal_settings(f"sqlite:///{tmp_path / 'cli.sqlite3'}", RASA_URL=dialogue.url, **env)
    )

    def counted(environ: dict[str, Any], start_response: Any) -> Any:
        def start(status: str, headers: Any, *exc: Any) -> Any:
            if environ["PATH_INFO"].startswith("/twilio/"):  # not schemathesis' own probes
                answered[int(status.split()[0])] += 1
            return start_response(status, headers, *exc)

        return app(environ, start)

    server.app = counted
    threading.Thread(target=server.serve_forever, daemon=True).start()
    command = [
        str(Path(sys.executable).parent / "schemathesis"),
        "run",
        str(SPEC_PATH),
        "--url",
        base,
        "--include-path-regex",
        "^/twilio/",
        "--mode",
        "positive",
        "--phases",
        "fuzzing",
        "--max-examples",
        "3",
        "--seed",
        "1",
        "--workers",
        "1",
        "--max-redirects",
        "0",
        "--checks",
        "not_a_server_error,status_code_conformance,content_type_conformance",
    ]
    hooks = {"SCHEMATHESIS_HOOKS": "tests.reliability.schemathesis_hooks"}
    try:
        run = subprocess.run(
            command,
            cwd=SPEC_PATH.parents[1],
            env={**os.environ, **env, **hooks},
            capture_output=True,
            text=True,
            timeout=240,
        )
    finally:
        server.shutdown()
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-2000:]
    assert sum(answered.values()) >= 16, answered  # every Twilio operation was called
    assert set(answered) <= {200, 204}, answered  # ... and no request refused as unsigned
