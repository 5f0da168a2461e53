"""Each Twilio event is acted on once: the first delivery claims its key, retries replay.

Twilio signs no timestamp and retries on timeouts, so the same MessageSid (or CallSid+step, or
sid+status) can arrive twice, even concurrently. The primary key on `webhook_events.key` makes
the claim atomic on every database.
"""

from __future__ import annotations

import hashlib

from sqlalchemy import update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from assistant.db.models import WebhookEvent
from assistant.db.types import utcnow

# INSERT ... ON CONFLICT DO NOTHING: the claim is a plain statement of the caller's transaction,
# so it is undone with it. (A savepoint is not: on SQLite, where pysqlite opens a transaction
# only before a write, a SAVEPOINT that comes first opens one of its own and its RELEASE
# commits the claim, so a request that then failed would have answered Twilio's retry with an
# empty reply instead of being processed.)
_INSERT = {"postgresql": postgresql.insert, "sqlite": sqlite.insert}


def claim(session: Session, key: str) -> WebhookEvent | None:
    """Claim `key`; returns None when it was new, else the earlier event (maybe with response).
    Concurrent claims of one key: the second waits for the first transaction and gets its event
    once that commits, or the claim if it rolls back."""
    insert = _INSERT.get(session.get_bind().dialect.name)
    if insert is None:  # another database: a savepoint
        try:
            with session.begin_nested():
                session.add(WebhookEvent(key=key))
            return None
        except IntegrityError:
            return session.get(WebhookEvent, key, populate_existing=True)
    statement = (
        insert(WebhookEvent)
        .values(key=key, received_at=utcnow())
        .on_conflict_do_nothing(index_elements=["key"])
    )
    if session.execute(statement).rowcount == 1:
        return None
    return session.get(WebhookEvent, key, populate_existing=True)


def remember_response(session: Session, key: str, response: str) -> None:
    """The answer a retry of `key` replays (one UPDATE: no read of the event first)."""
    session.execute(update(WebhookEvent).where(WebhookEvent.key == key).values(response=response))


KEY_LENGTH = 160  # webhook_events.key


def key(kind: str, *parts: str) -> str:
    """The key of an event: `kind:part:part`. One too long for the column (a hostile or odd
    sid) is hashed, so the same parts always give the same key and the claim still works."""
    joined = ":".join((kind, *parts))
    if len(joined) <= KEY_LENGTH:
        return joined
    digest = hashlib.sha256(joined.encode("utf-8", "surrogatepass")).hexdigest()
    return f"{kind}:sha256:{digest}"
