"""Console sessions: sign-in state, idle timeout, CSRF tokens, role checks, response headers."""

from __future__ import annotations

import hmac
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from functools import wraps
from typing import Any, TypeVar
from urllib.parse import urlparse

from flask import Flask, abort, g, redirect, request, session, url_for
from werkzeug.wrappers import Response

from assistant.console import auth
from assistant.db.models import Practice
from assistant.unit_of_work import UnitOfWork
from webhooks.context import settings

IDLE_SECONDS = 30 * 60
CSRF_FIELD = "csrf_token"
CSRF_HEADER = "X-CSRF-Token"
PASSIVE_HEADER = "X-Console-Refresh"  # the queue's auto-refresh: not activity

F = TypeVar("F", bound=Callable[..., Any])


@dataclass(frozen=True)
class Viewer:
    """What templates need of the signed-in person (plain values: usable after the session)."""

    id: int
    name: str
    role: str
    practice_name: str
    time_zone: str


def configure(app: Flask) -> None:
    """Session cookie settings for the whole app (only the console uses the session)."""
    secure = settings_of(app).public_base_url.startswith("https://")
    app.config.update(
        SESSION_COOKIE_NAME="console_session",
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_SECURE=secure,
        PERMANENT_SESSION_LIFETIME=timedelta(seconds=IDLE_SECONDS),
    )


def settings_of(app: Flask):
    return app.extensions["assistant_settings"]


# --- CSRF ----------------------------------------------------------------------------------------


def csrf_token() -> str:
    """The session's CSRF token (created on first use); rendered into every form."""
    token = session.get(CSRF_FIELD)
    if not token:
        token = session[CSRF_FIELD] = secrets.token_urlsafe(32)
    return token


def check_csrf() -> None:
    """Refuse a state-changing request whose token does not match the session's."""
    if request.method in ("GET", "HEAD", "OPTIONS"):
        return
    expected = session.get(CSRF_FIELD)
    given = request.form.get(CSRF_FIELD) or request.headers.get(CSRF_HEADER) or ""
    if not expected or not hmac.compare_digest(str(expected), str(given)):
        abort(400, description="The form has expired or was not sent from the console.")


# --- Sign-in state -------------------------------------------------------------------------------


def sign_in(user_id: int) -> None:
    """Start a fresh session (a new CSRF token too: no fixation across sign-in)."""
    session.clear()
    session.permanent = True
    session["uid"] = user_id
    session["seen"] = int(time.time())
    csrf_token()


def sign_out() -> None:
    session.clear()


def touch_session() -> bool:
    """Enforce the idle timeout; returns False when the session just expired."""
    if "uid" not in session:
        return True
    now = int(time.time())
    if now - int(session.get("seen", 0)) > IDLE_SECONDS:
        session.clear()
        return False
    if not request.headers.get(PASSIVE_HEADER):
        session["seen"] = now
    return True


def safe_next(target: str | None) -> str | None:
    """Only a path inside the console is an acceptable place to return to after sign-in."""
    if not target:
        return None
    parsed = urlparse(target)
    if parsed.scheme or parsed.netloc or not target.startswith("/console/"):
        return None
    return target


def login_required(view: F) -> F:
    """Open a unit of work, load the signed-in user into `g`, commit after the view.

    Reads are audited inside the view, so a view that returns normally is committed.
    """

    @wraps(view)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        user_id = session.get("uid")
        if user_id is None:
            if request.headers.get(PASSIVE_HEADER):
                abort(401)
            return redirect(url_for("console.login", next=request.full_path.rstrip("?")))
        with UnitOfWork(settings().database_url) as uow:
            user = auth.active_user(uow.session, int(user_id))
            if user is None:
                sign_out()
                return redirect(url_for("console.login"))
            practice = uow.session.get(Practice, user.practice_id)
            g.uow, g.user = uow, user
            g.viewer = Viewer(
                user.id,
                user.name,
                user.role,
                practice.name if practice else "",
                practice.time_zone if practice else "UTC",
            )
            result = view(*args, **kwargs)
            uow.commit()
            return result

    return wrapper  # type: ignore[return-value]


def roles_required(*roles: str) -> Callable[[F], F]:
    def decorate(view: F) -> F:
        @wraps(view)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            if g.viewer.role not in roles:
                abort(403)
            return view(*args, **kwargs)

        return wrapper  # type: ignore[return-value]

    return decorate


def secure_headers(response: Response) -> Response:
    """Pages hold patient data: no caching, no framing, scripts and styles from us only."""
    response.headers["Cache-Control"] = "no-store"
    response.headers["X-Frame-Options"] = "DENY"
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Referrer-Policy"] = "same-origin"
    response.headers["Content-Security-Policy"] = (
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
        "form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
    )
    return response
