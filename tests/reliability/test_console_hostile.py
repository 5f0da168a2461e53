"""Hostile input in the staff console's forms, and no stored XSS from a patient's words.

A patient's text travels SMS -> staff task -> console: what they typed must be shown as text.
Every form (sign-in, patient search, notes, resolve, schedule and metrics parameters) answers
without a 5xx whatever it is given, and never echoes markup unescaped.
"""

from __future__ import annotations

import re
from datetime import date

import pytest
from flask.testing import FlaskClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from assistant.db.models import Patient, PatientPhone, StaffTask
from assistant.demo.seed import DemoSummary, seed_demo
from assistant.unit_of_work import UnitOfWork
from tests.factories.reliability import EXAMPLES, INJECTIONS, Twilio, text_chars
from tests.factories.webhooks import make_settings
from webhooks import create_app

FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
PROBE = '<b class="xss-probe">'  # must never come back as markup
payloads = st.one_of(st.sampled_from(INJECTIONS), st.text(text_chars, max_size=120)).map(
    lambda text: f"{text}{PROBE}"
)
SCRIPT = '<script>window.__xss=1</script><img src=x onerror="window.__xss=2">'


@pytest.fixture
def demo(sqlite_url: str) -> DemoSummary:
    with UnitOfWork(sqlite_url) as uow:
        summary = seed_demo(uow.session, today=date(2026, 11, 23))
        uow.commit()
    return summary


@pytest.fixture
def app(sqlite_url: str, demo: DemoSummary):
    return create_app(make_settings(sqlite_url))  # the dialogue is down: texts become tasks


def _token(client: FlaskClient, path: str) -> str:
    page = client.get(path).get_data(as_text=True)
    return re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)


def _signed_in(app, email: str = "manager@riverside.example", password: str = "demo-manager"):
    client = app.test_client()
    token = _token(client, "/console/login")
    response = client.post(
        "/console/login", data={"email": email, "password": password, "csrf_token": token}
    )
    assert response.status_code == 302
    return client


def _no_markup(response) -> str:
    assert response.status_code < 500, response.status_code
    page = response.get_data(as_text=True)
    assert PROBE not in page and "<script>window.__xss" not in page
    return page


def _open_task(url: str) -> int:
    with UnitOfWork(url) as uow:
        return uow.session.execute(
            select(StaffTask.id).where(StaffTask.status == "open").order_by(StaffTask.id).limit(1)
        ).scalar_one()


def test_a_script_texted_by_a_patient_is_shown_as_text_in_the_console(app, sqlite_url):
    """End to end: the SMS webhook stores the text in a staff task (the dialogue is down);
    the queue and the task page show it escaped."""
    twilio = Twilio(app.test_client())
    sms = {"MessageSid": "SM" + "8" * 32, "From": "+15555550123", "Body": SCRIPT}
    assert twilio.post("/twilio/sms", sms).status_code == 200
    with UnitOfWork(sqlite_url) as uow:
        task = uow.session.execute(
            select(StaffTask).where(StaffTask.summary.contains("__xss"))
        ).scalar_one()
        task_id = task.id
    client = _signed_in(app)
    for path in ("/console/queue", "/console/queue/rows", f"/console/tasks/{task_id}"):
        page = _no_markup(client.get(path))
        assert "&lt;script&gt;window.__xss=1&lt;/script&gt;" in page, path
    csp = client.get("/console/queue").headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp or "default-src 'self'" in csp  # inline script refused too


def test_a_patient_named_with_markup_is_escaped_in_search_and_record(app, sqlite_url, demo):
    with UnitOfWork(sqlite_url) as uow:
        patient = Patient(
            practice_id=demo.practice_id,
            first_name="Zed<script>window.__xss=1</script>",
            last_name=f"Quux{PROBE}",
            date_of_birth=date(1990, 1, 1),
        )
        patient.phones.append(PatientPhone(number="+15555550199"))
        uow.session.add(patient)
        uow.commit()
        patient_id = patient.id
    client = _signed_in(app)
    page = _no_markup(client.get("/console/patients?name=zed"))
    assert "Zed&lt;script&gt;" in page
    _no_markup(client.get(f"/console/patients/{patient_id}"))


@FUZZ
@given(email=payloads, password=payloads)
def test_sign_in_with_anything_is_refused_without_echoing_markup(app, email, password):
    client = app.test_client()
    token = _token(client, "/console/login")
    response = client.post(
        "/console/login", data={"email": email, "password": password, "csrf_token": token}
    )
    assert response.status_code in (401, 429)
    _no_markup(response)


@FUZZ
@given(name=payloads, phone=st.one_of(payloads, st.just("")), dob=st.one_of(payloads, st.just("")))
def test_patient_search_with_anything_answers_without_echoing_markup(app, name, phone, dob):
    client = _signed_in(app)
    response = client.get("/console/patients", query_string={"name": name, "phone": phone,
                                                              "dob": dob})  # fmt: skip
    assert response.status_code == 200
    _no_markup(response)


@FUZZ
@given(note=payloads)
def test_a_note_with_anything_is_stored_and_shown_as_text(app, sqlite_url, note):
    client = _signed_in(app)
    task_id = _open_task(sqlite_url)
    token = _token(client, f"/console/tasks/{task_id}")
    response = client.post(
        f"/console/tasks/{task_id}/notes", data={"text": note, "csrf_token": token}
    )
    assert response.status_code in (302, 303)
    page = _no_markup(client.get(f"/console/tasks/{task_id}"))
    if note.strip():
        assert "&lt;b class=&#34;xss-probe&#34;&gt;" in page or "&lt;b class=" in page


@FUZZ
@given(
    day=st.text(text_chars, max_size=40),
    days=st.text(text_chars, max_size=12),
    status=st.text(text_chars, max_size=20),
    task_id=st.integers(min_value=0, max_value=2**63),
)
def test_page_parameters_with_anything_answer_without_a_5xx(app, day, days, status, task_id):
    client = _signed_in(app)
    assert client.get("/console/schedule", query_string={"day": day}).status_code == 200
    assert client.get("/console/metrics", query_string={"days": days}).status_code == 200
    assert client.get("/console/queue", query_string={"status": status}).status_code == 200
    assert client.get(f"/console/tasks/{task_id}").status_code in (200, 404)
    assert client.get(f"/console/patients/{task_id}").status_code in (200, 404)


@FUZZ
@given(note=payloads)
def test_resolving_with_any_note_answers_without_a_5xx(app, sqlite_url, note):
    client = _signed_in(app)
    with UnitOfWork(sqlite_url) as uow:
        task_id = uow.session.execute(select(StaffTask.id).order_by(StaffTask.id)).scalars().first()
    token = _token(client, f"/console/tasks/{task_id}")
    response = client.post(
        f"/console/tasks/{task_id}/resolve", data={"note": note, "csrf_token": token}
    )
    assert response.status_code in (302, 303)
    _no_markup(client.get(f"/console/tasks/{task_id}"))
