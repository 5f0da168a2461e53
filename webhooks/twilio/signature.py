"""`X-Twilio-Signature` validation against the public URL Twilio called.

Behind a proxy or tunnel `request.url` is not what Twilio signed, so the URL is rebuilt from
PUBLIC_BASE_URL plus the request's path and query string.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable
from typing import Any

from flask import abort, g, request
from twilio.request_validator import RequestValidator

from webhooks.context import settings

log = logging.getLogger(__name__)


def public_url() -> str:
    query = request.query_string.decode("latin-1")
    return settings().public_base_url + request.path + (f"?{query}" if query else "")


def is_valid_request() -> bool:
    signature = request.headers.get("X-Twilio-Signature", "")
    if not signature:
        return False
    validator = RequestValidator(settings().webhook_auth_token)
    params = request.form.to_dict(flat=True) if request.form else {}
    return validator.validate(public_url(), params, signature)


def twilio_signed(view: Callable[..., Any]) -> Callable[..., Any]:
    """Reject (403) any request Twilio did not sign for our public URL, before the view runs;
    mark the request as signed (`g.twilio_signed`) for the last-resort error handler."""

    @functools.wraps(view)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        if not is_valid_request():
            log.warning("rejected unsigned or mis-signed request to %s", request.path)
            abort(403)
        g.twilio_signed = True  # only a signed request may be kept in the spool (errors.py)
        return view(*args, **kwargs)

    return wrapper
