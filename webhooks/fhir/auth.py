"""Bearer tokens of the FHIR API (setting FHIR_API_TOKENS), compared in constant time."""

from __future__ import annotations

import hmac

from flask import Request

from assistant.config import Settings


def token_name(request: Request, settings: Settings) -> str | None:
    """The name of the configured token the request carries, or None."""
    header = request.headers.get("Authorization", "")
    scheme, _, given = header.partition(" ")
    if scheme.lower() != "bearer" or not given.strip():
        return None
    offered = given.strip().encode()
    matched = None
    for name, token in settings.fhir_api_tokens:  # no early exit: every token is compared
        if hmac.compare_digest(offered, token.encode()):
            matched = name
    return matched
