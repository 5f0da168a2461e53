"""A bare "yes": the answer to a reminder text, or a patient who has more to ask."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher

from assistant.reminders import replies
from dialogues.actions.common import channel
from dialogues.actions.context import conversation_uid, unit_of_work

_RESPONSES = {
    replies.CONFIRMED: "utter_appointment_confirmed",
    replies.ALREADY_CONFIRMED: "utter_appointment_already_confirmed",
    replies.NOT_CONFIRMABLE: "utter_appointment_not_confirmable",
}


class ActionConfirmAppointment(Action):
    """A "yes" by text confirms the visit the reminder text asked about. Anything else (no
    reminder outstanding, "yes" to "anything else?", or a call, where the caller's number proves
    nothing) discloses nothing and asks what the patient needs: a confirmation without a
    reminder goes through the router, which verifies identity first."""

    def name(self) -> str:
        return "action_confirm_appointment"

    def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        uid = conversation_uid(tracker)
        answers_a_text = uid is not None and channel(tracker) != "voice"
        result = replies.confirm_reply_for(unit_of_work(), uid) if answers_a_text else None
        if result is None or result.status == replies.NO_REMINDER:
            dispatcher.utter_message(response="utter_what_else")
            return []
        dispatcher.utter_message(
            response=_RESPONSES[result.status], when=result.when, location=result.location
        )
        return []
