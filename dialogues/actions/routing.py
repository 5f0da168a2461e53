"""Requests that need a person: take the message and route it to the right department.

The department follows the words too (records, a complaint, a bill) when the classifier only
knew it was not an appointment task; a message that also asks for a task ("... and cancel my
appointment") has the task done next (dialogues/actions/compound.py)."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher

from assistant.conversations.messages import take_message_from_dialogue
from assistant.frontdesk.short_answers import is_emergency
from assistant.routing import department_for
from dialogues.actions.common import text_of
from dialogues.actions.compound import (
    department_request,
    handle_other_parts,
    reason_of_a_booking,
    task_follows,
)
from dialogues.actions.context import conversation_uid, latest_intent, unit_of_work


class ActionTakeMessage(Action):
    def name(self) -> str:
        return "action_take_message"

    def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        if is_emergency(text_of(tracker)):  # whatever the classifier said: 911 / 988 first
            dispatcher.utter_message(response="utter_emergency")
        uid = conversation_uid(tracker)
        if uid is None:
            dispatcher.utter_message(text="Please call our office and a staff member will help.")
            return []
        intent, text = latest_intent(tracker), text_of(tracker)
        then = task_follows(tracker)
        if then and reason_of_a_booking(text):  # "book a visit to go over my results"
            handle_other_parts(dispatcher, tracker, text, offices_only=True)
            return then  # a booking with that reason, not a message for the department
        if then:  # "... and cancel my appointment": the other parts now, the task next
            if department_for(intent) == "front_desk":  # by the words: office, departments
                handle_other_parts(dispatcher, tracker, text)
            else:  # the department the classifier heard, and any office question
                handle_other_parts(dispatcher, tracker, text, offices_only=True)
                reply = take_message_from_dialogue(unit_of_work(), uid, intent)
                dispatcher.utter_message(text=reply)
            return then
        if department_for(intent) == "front_desk":  # the classifier knew no department
            intent = department_request(text) or intent
        reply = take_message_from_dialogue(unit_of_work(), uid, intent)
        if tracker.get_slot("channel") == "voice":
            # On a call the edge turns this into a transfer (or a voicemail for the task).
            dispatcher.utter_message(json_message={"handoff": {"reason": intent}})
            return []
        dispatcher.utter_message(text=reply)
        return []
