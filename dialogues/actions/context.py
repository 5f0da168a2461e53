"""What an action needs to know about the turn: settings, the conversation, the language."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from rasa_sdk import Tracker

from assistant.config import Settings, load_settings
from assistant.unit_of_work import UnitOfWork


@lru_cache(maxsize=1)
def settings() -> Settings:
    return load_settings()


def unit_of_work() -> UnitOfWork:
    """A new unit of work for one service call; the service commits it (docs/ENGINEERING.md)."""
    return UnitOfWork(settings().database_url)


def metadata(tracker: Tracker) -> dict[str, Any]:
    """Metadata the edge attached to this message (falls back to the session's first one)."""
    latest = (tracker.latest_message or {}).get("metadata") or {}
    if latest:
        return latest
    return tracker.get_slot("session_started_metadata") or {}


def conversation_uid(tracker: Tracker) -> str | None:
    """Our conversation id; the sender id is '<channel>:<uid>' when metadata is missing."""
    uid = metadata(tracker).get("conversation_uid")
    if uid:
        return str(uid)
    sender = tracker.sender_id or ""
    return sender.split(":", 1)[1] if ":" in sender else None


def latest_intent(tracker: Tracker) -> str | None:
    return ((tracker.latest_message or {}).get("intent") or {}).get("name")
