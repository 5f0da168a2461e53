"""A person takes over: the front desk gets a message; on a call the edge transfers."""

from __future__ import annotations

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from assistant.conversations.messages import take_message_from_dialogue
from assistant.frontdesk import service as frontdesk
from dialogues.actions.common import channel
from dialogues.actions.context import conversation_uid, unit_of_work


def hand_off(dispatcher: CollectingDispatcher, tracker: Tracker, reason: str) -> None:
    """A person takes over: a front-desk message; on a call the edge transfers (handoff)."""
    uid = conversation_uid(tracker)
    if uid:
        take_message_from_dialogue(unit_of_work(), uid, reason)
    if channel(tracker) == "voice":
        if uid:
            frontdesk.mark_handed_off(unit_of_work(), uid, f"Handed to front desk: {reason}")
        dispatcher.utter_message(json_message={"handoff": {"reason": reason}})
    elif uid:
        frontdesk.note_summary(unit_of_work(), uid, f"Front desk to follow up: {reason}")
