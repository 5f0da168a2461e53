"""Each Twilio event is acted on once: the first delivery claims its key, retries replay.

Twilio signs no timestamp and retries on timeouts, so the same MessageSid (or CallSid+step, or
sid+status) can arrive twice, even concurrently. The primary key on `webhook_events.key` makes
the claim atomic on every database.
"""

from __future__ import annotations

import hashlib

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from assistant.db.models import WebhookEvent


def claim(session: Session, key: str) -> WebhookEvent | None:
    """Claim `key`; returns None when it was new, else the earlier event (maybe with response)."""
    try:
        with session.begin_nested():
            session.add(WebhookEvent(key=key))
        return None
    except IntegrityError:
        return session.get(WebhookEvent, key, populate_existing=True)


def remember_response(session: Session, key: str, response: str) -> None:
    event = session.get(WebhookEvent, key)
    if event is not None:
        event.response = response


KEY_LENGTH = 160  # webhook_events.key


def key(kind: str, *parts: str) -> str:
    """The key of an event: `kind:part:part`. One too long for the column (a hostile or odd
    sid) is hashed, so the same parts always give the same key and the claim still works."""
    joined = ":".join((kind, *parts))
    if len(joined) <= KEY_LENGTH:
        return joined
    digest = hashlib.sha256(joined.encode("utf-8", "surrogatepass")).hexdigest()
    return f"{kind}:sha256:{digest}"
