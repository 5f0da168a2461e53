"""Portal cookie state, CSRF, signed-in views and response headers.

The portal keeps its own cookie (`portal`, path `/portal`), separate from the console's Flask
session: a signed value holding the CSRF token, the language, the pending sign-in challenge and,
once signed in, a random session token whose hash is the `portal_sessions` row. The cookie is
HttpOnly, SameSite=Lax, and Secure unless turned off for local http (PORTAL_SECURE_COOKIES).
CSRF follows the console: a per-visitor token in every form (or the X-CSRF-Token header).
"""

from __future__ import annotations

import hmac
import secrets
from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from flask import abort, g, jsonify, redirect, request, url_for
from itsdangerous import BadSignature, URLSafeSerializer
from werkzeug.wrappers import Response

from assistant.portal import web_sessions
from assistant.unit_of_work import UnitOfWork
from webhooks.console.security import CSRF_FIELD, CSRF_HEADER, secure_headers
from webhooks.context import settings

COOKIE = "portal"
LANGUAGES = ("en", "es")

F = TypeVar("F", bound=Callable[..., Any])


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(settings().secret_key, salt="portal-cookie")


def load_state() -> None:
    """Read the cookie into `g.state` (an empty state when missing or tampered with)."""
    raw = request.cookies.get(COOKIE)
    try:
        state = _serializer().loads(raw) if raw else {}
    except BadSignature:
        state = {}
    g.state = state if isinstance(state, dict) else {}
    g.state_changed = False
    wanted = request.args.get("lang")
    if wanted in LANGUAGES and g.state.get("lang") != wanted:
        put("lang", wanted)


def put(key: str, value: Any) -> None:
    if value is None:
        g.state.pop(key, None)
    else:
        g.state[key] = value
    g.state_changed = True


def pop(key: str) -> Any:
    value = g.state.get(key)
    if value is not None:
        put(key, None)
    return value


def language() -> str:
    chosen = g.get("state", {}).get("lang")
    if chosen in LANGUAGES:
        return chosen
    return request.accept_languages.best_match(LANGUAGES) or "en"


def save_state(response: Response) -> Response:
    if g.get("state_changed"):
        response.set_cookie(
            COOKIE,
            _serializer().dumps(g.state),
            path="/portal",
            httponly=True,
            samesite="Lax",
            secure=settings().portal_cookie_secure,
        )
    return secure_headers(response)


# --- CSRF ----------------------------------------------------------------------------------------


def csrf_token() -> str:
    token = g.state.get("csrf")
    if not token:
        token = secrets.token_urlsafe(32)
        put("csrf", token)
    return token


def check_csrf() -> None:
    if request.method in ("GET", "HEAD", "OPTIONS"):
        return
    expected = g.state.get("csrf")
    given = request.form.get(CSRF_FIELD) or request.headers.get(CSRF_HEADER) or ""
    if not expected or not hmac.compare_digest(str(expected), str(given)):
        abort(400, description="csrf")


def begin_session(token: str) -> None:
    """Signed in: keep the session token, a fresh CSRF token (no fixation), drop the challenge."""
    language_kept = g.state.get("lang")
    g.state = {"sid": token, "csrf": secrets.token_urlsafe(32)}
    if language_kept:
        g.state["lang"] = language_kept
    g.state_changed = True


def end_session() -> None:
    language_kept = g.state.get("lang")
    g.state = {"lang": language_kept} if language_kept else {}
    g.state_changed = True


def wants_json() -> bool:
    return request.is_json or request.accept_mimetypes.best == "application/json"


def signed_in(view: F) -> F:
    """Load the live portal session into `g.portal` inside a unit of work; commit after the view.

    Without one (never signed in, signed out, idle too long), nothing is done: pages go back to
    sign-in saying why, scripted requests get 401.
    """

    @wraps(view)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        cfg = settings()
        with UnitOfWork(cfg.database_url) as uow:
            token = g.state.get("sid")
            portal = web_sessions.current(uow.session, token, secret=cfg.secret_key)
            if portal is None:
                uow.commit()  # an idle session is ended for good
                had_session = bool(token)
                end_session()
                if had_session:
                    put("notice", "session_expired")
                if wants_json() or request.method != "GET":
                    if wants_json():
                        return jsonify({"error": "signed_out"}), 401
                    return redirect(url_for("portal.sign_in"))
                return redirect(url_for("portal.sign_in"))
            chosen = g.state.get("lang")
            if chosen in LANGUAGES:
                web_sessions.set_language(uow.session, portal, chosen)
            else:
                put("lang", portal.language)
            g.uow, g.portal = uow, portal
            result = view(*args, **kwargs)
            uow.commit()
            return result

    return wrapper  # type: ignore[return-value]
