"""Actions run as the action server runs them: a rasa_sdk Tracker, a CollectingDispatcher and a
real (SQLite) database, with the demo practice. Settings point the actions at that database."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from typing import Any

import pytest
import yaml
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from assistant.config import PROJECT_ROOT
from assistant.conversations import sessions
from assistant.demo.seed import seed_demo
from assistant.unit_of_work import UnitOfWork
from dialogues.actions import context


@pytest.fixture
def demo(sqlite_url: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    with UnitOfWork(sqlite_url) as uow:
        summary = seed_demo(uow.session)
        uow.commit()
    monkeypatch.setenv("DATABASE_URL", sqlite_url)
    context.settings.cache_clear()
    yield summary
    context.settings.cache_clear()


def conversation(url: str, practice_id: int, phone: str, channel: str = "sms") -> str:
    with UnitOfWork(url) as uow:
        found = sessions.sms_conversation(
            uow.session, practice_id=practice_id, phone=phone, session_minutes=30
        )
        found.channel = channel
        uow.commit()
        return found.uid


def tracker(
    uid: str,
    *,
    text: str = "",
    intent: str | None = None,
    slots: dict[str, Any] | None = None,
    latest_action: str = "action_listen",
    active_loop: str | None = None,
) -> Tracker:
    values = {"language": "en", "channel": "sms", **(slots or {})}
    events: list[dict[str, Any]] = [{"event": "user", "text": text}]
    answered = values.get("requested_slot")
    if answered and values.get(answered) is not None:  # what action_extract_slots just set
        events.append({"event": "slot", "name": answered, "value": values[answered]})
    return Tracker(
        sender_id=f"sms:{uid}",
        slots=values,
        latest_message={
            "text": text,
            "intent": {"name": intent, "confidence": 1.0} if intent else {},
            "metadata": {"conversation_uid": uid},
        },
        events=events,
        paused=False,
        followup_action=None,
        active_loop={"name": active_loop} if active_loop else {},
        latest_action_name=latest_action,
    )


def _domain() -> dict[str, Any]:
    """The forms of the real domain (what FormValidationAction reads)."""
    forms: dict[str, Any] = {}
    for path in sorted((PROJECT_ROOT / "dialogues" / "domain").glob("*.yml")):
        forms.update((yaml.safe_load(path.read_text()) or {}).get("forms") or {})
    return {"slots": {}, "forms": forms}


DOMAIN = _domain()


def run(action: Any, track: Tracker) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """(events, messages) of one run of the action."""
    dispatcher = CollectingDispatcher()
    result = action.run(dispatcher, track, DOMAIN)
    if asyncio.iscoroutine(result):
        result = asyncio.run(result)
    return result, dispatcher.messages


def slots_of(events: list[dict[str, Any]]) -> dict[str, Any]:
    return {e["name"]: e["value"] for e in events if e.get("event") == "slot"}
