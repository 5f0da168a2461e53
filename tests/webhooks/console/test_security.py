"""Console sessions and forms through Flask's test client: CSRF, cookie flags, idle timeout,
roles, headers and the sign-in redirect."""

from __future__ import annotations

import time
from datetime import date

import pytest
from flask.testing import FlaskClient

from assistant.demo.seed import seed_demo
from assistant.unit_of_work import UnitOfWork
from tests.factories.console import csrf_token, sign_in_client
from tests.factories.webhooks import make_settings
from webhooks import create_app
from webhooks.console.security import IDLE_SECONDS, safe_next


@pytest.fixture
def console(sqlite_url: str) -> FlaskClient:
    with UnitOfWork(sqlite_url) as uow:
        seed_demo(uow.session, today=date(2026, 11, 23))
        uow.commit()
    return create_app(make_settings(sqlite_url)).test_client()  # https public URL


def test_session_cookie_is_secure_httponly_lax(console: FlaskClient) -> None:
    response = sign_in_client(console, "frontdesk@riverside.example", "demo-frontdesk")
    assert response.status_code == 302 and response.location.endswith("/console/queue")
    cookie = response.headers["Set-Cookie"]
    assert "console_session=" in cookie
    assert "Secure" in cookie and "HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_posts_without_a_valid_csrf_token_are_refused(console: FlaskClient) -> None:
    no_token = console.post(
        "/console/login", data={"email": "frontdesk@riverside.example", "password": "x"}
    )
    assert no_token.status_code == 400
    sign_in_client(console, "frontdesk@riverside.example", "demo-frontdesk")
    assert console.post("/console/tasks/1/claim").status_code == 400
    assert console.post("/console/tasks/1/claim", data={"csrf_token": "forged"}).status_code == 400
    assert console.post("/console/logout").status_code == 400
    token = csrf_token(console, "/console/tasks/1")
    assert console.post("/console/tasks/1/claim", data={"csrf_token": token}).status_code == 302


def test_sign_in_replaces_the_csrf_token(console: FlaskClient) -> None:
    before = csrf_token(console)
    sign_in_client(console, "frontdesk@riverside.example", "demo-frontdesk")
    assert csrf_token(console, "/console/queue") != before


def test_pages_need_a_sign_in_and_return_there(console: FlaskClient) -> None:
    response = console.get("/console/patients?name=lopez")
    assert response.status_code == 302
    assert "/console/login?next=" in response.location
    token = csrf_token(console)
    response = console.post(
        "/console/login",
        data={
            "email": "frontdesk@riverside.example",
            "password": "demo-frontdesk",
            "csrf_token": token,
            "next": "/console/patients?name=lopez",
        },
    )
    assert response.location == "/console/patients?name=lopez"
    assert safe_next("https://evil.example/console/") is None
    assert safe_next("//evil.example/console/") is None
    assert safe_next("/console/queue") == "/console/queue"


def test_idle_sessions_expire_after_30_minutes(console: FlaskClient) -> None:
    sign_in_client(console, "frontdesk@riverside.example", "demo-frontdesk")
    assert console.get("/console/queue").status_code == 200
    with console.session_transaction() as session:
        session["seen"] = int(time.time()) - IDLE_SECONDS - 5
    response = console.get("/console/queue")
    assert response.status_code == 302 and response.location.endswith("/console/login")
    assert console.get("/console/queue").status_code == 302  # the session is gone


def test_the_queue_refresh_does_not_count_as_activity(console: FlaskClient) -> None:
    sign_in_client(console, "frontdesk@riverside.example", "demo-frontdesk")
    stale = int(time.time()) - 60
    with console.session_transaction() as session:
        session["seen"] = stale
    rows = console.get("/console/queue/rows", headers={"X-Console-Refresh": "1"})
    assert rows.status_code == 200 and b"queue-table" in rows.data
    with console.session_transaction() as session:
        assert session["seen"] == stale


def test_only_managers_see_metrics_and_pages_are_not_cached(console: FlaskClient) -> None:
    sign_in_client(console, "billing@riverside.example", "demo-billing")
    assert console.get("/console/metrics").status_code == 403
    page = console.get("/console/queue")
    assert page.headers["Cache-Control"] == "no-store"
    assert "frame-ancestors 'none'" in page.headers["Content-Security-Policy"]
    assert page.headers["X-Frame-Options"] == "DENY"
    console.post("/console/logout", data={"csrf_token": csrf_token(console, "/console/queue")})
    sign_in_client(console, "manager@riverside.example", "demo-manager")
    assert console.get("/console/metrics?days=30").status_code == 200


def test_wrong_password_and_lock_answers(console: FlaskClient) -> None:
    for _ in range(4):
        response = sign_in_client(console, "billing@riverside.example", "wrong-password")
        assert response.status_code == 401
        assert b"not correct" in response.data
    locked = sign_in_client(console, "billing@riverside.example", "wrong-password")
    assert locked.status_code == 429 and b"locked for 15 minutes" in locked.data
    assert sign_in_client(console, "billing@riverside.example", "demo-billing").status_code == 429
