"""Appointment actions."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher

from assistant.conversations.messages import take_message_from_dialogue
from assistant.reminders import replies
from dialogues.actions.context import conversation_uid, latest_intent, settings

_RESPONSES = {
    replies.CONFIRMED: "utter_appointment_confirmed",
    replies.ALREADY_CONFIRMED: "utter_appointment_already_confirmed",
    replies.NOT_CONFIRMABLE: "utter_appointment_not_confirmable",
}


class ActionConfirmAppointment(Action):
    """Confirm the appointment a reminder asked about. Without a reminder to answer, nothing is
    disclosed: the request goes to staff until identity verification is in place."""

    def name(self) -> str:
        return "action_confirm_appointment"

    def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        uid = conversation_uid(tracker)
        database_url = settings().database_url
        result = replies.confirm_reply_for(database_url, uid) if uid else None
        if result is None or result.status == replies.NO_REMINDER:
            if uid:
                take_message_from_dialogue(database_url, uid, latest_intent(tracker))
            dispatcher.utter_message(response="utter_no_reminder_to_confirm")
            return []
        dispatcher.utter_message(
            response=_RESPONSES[result.status], when=result.when, location=result.location
        )
        return []
