"""Session start: language and channel come from the edge's metadata, nothing else carries over."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import ActionExecuted, EventType, SessionStarted, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from dialogues.actions.context import metadata


class ActionSessionStart(Action):
    def name(self) -> str:
        return "action_session_start"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        meta = metadata(tracker)
        language = meta.get("language") if meta.get("language") in ("en", "es") else "en"
        channel = meta.get("channel") if meta.get("channel") in ("sms", "voice", "portal") else None
        events: list[EventType] = [SessionStarted(), SlotSet("language", language)]
        if channel:
            events.append(SlotSet("channel", channel))
        events.append(ActionExecuted("action_listen"))
        return events
