"""Hooks for the `schemathesis run` command line against a running app (`make run`): Twilio
routes get `X-Twilio-Signature` computed exactly as Twilio computes it, with the app's own
webhook token and PUBLIC_BASE_URL (read from the environment and `.env`, as the app reads them).

    SCHEMATHESIS_HOOKS=tests.reliability.schemathesis_hooks .venv/bin/schemathesis run \\
        webhooks/openapi.yaml --url http://127.0.0.1:8000 --max-redirects 0

A negative case that leaves the signature out stays unsigned (schemathesis drops the header).
The console and the portal are not signed in here: their pages redirect to sign-in.
"""

from __future__ import annotations

from functools import cache
from typing import Any
from urllib.parse import parse_qsl

import requests
import schemathesis
from schemathesis.transport.requests import REQUESTS_TRANSPORT
from twilio.request_validator import RequestValidator

from assistant.config import Settings, load_settings

FORM = "application/x-www-form-urlencoded"


@cache
def _settings() -> Settings:
    return load_settings()


def twilio_signature(case: schemathesis.Case, public_base_url: str, token: str) -> str:
    """The signature of this case as the requests transport will send it: the public URL with
    the query string as encoded, and the form fields as the app will parse them."""
    wire = REQUESTS_TRANSPORT.serialize_case(case, base_url=public_base_url)
    prepared = requests.Request(
        method=wire["method"],
        url=wire["url"],
        params=wire.get("params"),
        data=wire.get("data"),
        json=wire.get("json"),
        headers=wire["headers"],
    ).prepare()
    form: dict[str, str] = {}
    body = prepared.body
    if FORM in (prepared.headers.get("Content-Type") or "") and body:
        text = body.decode("utf-8", "replace") if isinstance(body, bytes) else str(body)
        for key, value in parse_qsl(text, keep_blank_values=True):
            form.setdefault(key, value)  # the app reads the first of repeated fields
    url = public_base_url.rstrip("/") + prepared.path_url
    return RequestValidator(token).compute_signature(url, form)


@schemathesis.hook
def before_call(context: schemathesis.HookContext, case: schemathesis.Case, kwargs: Any) -> None:
    if not case.path.startswith("/twilio/"):
        return
    cfg = _settings()
    signature = twilio_signature(case, cfg.public_base_url, cfg.webhook_auth_token)
    case.headers = {**(case.headers or {}), "X-Twilio-Signature": signature}
