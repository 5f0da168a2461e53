"""The classifier's emergency weighed with its words before 911 is said.

The rule `intent: medical_emergency` runs `action_weigh_emergency`, then `utter_emergency`. This
action lets the rule go on to 911 unless all three hold:

* the words explain the alarm by something that is no one's health (a car that broke down,
  traffic, an idiom: `assistant.frontdesk.subject.false_alarm`), with no red flag, sign of
  acute illness or injury, or poisoning said besides;
* what is left of the message asks for something: an appointment task or a department by its
  words ("I have to cancel", "can someone explain the charge");
* (the action runs: if it fails, the rule still says 911).

Then the message is heard again as that request (the turn is reverted and re-uttered with the
intent its words ask for), after one line: "If anyone is hurt or this is a medical emergency,
call 911."
"""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import ActionExecuted, EventType, UserUtteranceReverted
from rasa_sdk.executor import CollectingDispatcher

from assistant.frontdesk import alarm
from assistant.frontdesk.subject import false_alarm
from dialogues.actions.common import request_text
from dialogues.actions.compound import TASK_INTENTS, department_request, task_in


def request_instead(text: str) -> str | None:
    """The intent a false alarm's words ask for; None: an emergency (911)."""
    if not false_alarm(text):
        return None
    rest = alarm.explained(text) or ""
    task = task_in(rest)
    return TASK_INTENTS[task] if task else department_request(rest)


class ActionWeighEmergency(Action):
    def name(self) -> str:
        return "action_weigh_emergency"

    def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        instead = request_instead(request_text(tracker))
        if instead is None:
            return []  # the rule goes on: 911 / 988
        dispatcher.utter_message(response="utter_if_medical_emergency")
        # as Rasa's two-stage fallback does: the turn taken back, listened to again, re-heard
        listened = ActionExecuted("action_listen")
        return [UserUtteranceReverted(), listened, heard_as(tracker, instead)]


def heard_as(tracker: Tracker, intent: str) -> EventType:
    """The latest message again, with `intent` (its text, entities and metadata kept)."""
    latest = tracker.latest_message or {}
    ranking = [
        {"name": intent, "confidence": 1.0},
        *(r for r in latest.get("intent_ranking") or [] if r.get("name") != intent),
    ]
    return {
        "event": "user",
        "timestamp": None,
        "text": latest.get("text"),
        "parse_data": {
            "text": latest.get("text"),
            "intent": {"name": intent, "confidence": 1.0},
            "intent_ranking": ranking,
            "entities": latest.get("entities") or [],
        },
        "input_channel": tracker.get_latest_input_channel(),
        "message_id": latest.get("message_id"),
        "metadata": latest.get("metadata") or {},
    }
