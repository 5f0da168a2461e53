"""A person takes over: the front desk gets a message; on a call the edge transfers."""

from __future__ import annotations

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from assistant.conversations.messages import take_message_from_dialogue
from assistant.frontdesk import service as frontdesk
from assistant.unit_of_work import UnitOfWork
from dialogues.actions.common import channel
from dialogues.actions.context import conversation_uid, settings


def hand_off(dispatcher: CollectingDispatcher, tracker: Tracker, reason: str) -> None:
    """A person takes over: a front-desk message; on a call the edge transfers (handoff)."""
    uid = conversation_uid(tracker)
    database_url = settings().database_url
    if uid:
        take_message_from_dialogue(UnitOfWork(database_url), uid, reason)
    if channel(tracker) == "voice":
        if uid:
            frontdesk.mark_handed_off(
                UnitOfWork(database_url), uid, f"Handed to front desk: {reason}"
            )
        dispatcher.utter_message(json_message={"handoff": {"reason": reason}})
    elif uid:
        frontdesk.note_summary(UnitOfWork(database_url), uid, f"Front desk to follow up: {reason}")
