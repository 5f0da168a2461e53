"""A "yes" to a reminder text (bare, with thanks, or with a question after it), or a patient
who has more to ask."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher

from assistant.frontdesk.short_answers import opens_with_yes, question_topic
from assistant.reminders import replies
from dialogues.actions.common import channel, language, text_of
from dialogues.actions.compound import handle_other_parts
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


def answers_reminder_with_yes(dispatcher: CollectingDispatcher, tracker: Tracker) -> bool:
    """ "Yes definitely, thank you for the reminder!", "si voy. tengo que ir en ayunas?" heard
    as thanks, a care question or nothing: a text that opens with a yes answers the reminder
    that went to this number (confirmed), and what follows is answered too."""
    uid, text = conversation_uid(tracker), text_of(tracker)
    if uid is None or channel(tracker) == "voice" or tracker.active_loop_name:
        return False
    yes, rest = opens_with_yes(text)
    if not yes:
        return False
    result = replies.confirm_reply_for(unit_of_work(), uid)
    if result.status == replies.NO_REMINDER:
        return False
    dispatcher.utter_message(
        response=_RESPONSES[result.status], when=result.when, location=result.location
    )
    if rest and question_topic(rest) == "prep" and result.appointment_id is not None:
        prep = replies.prep_for_reply(unit_of_work(), result.appointment_id, language(tracker))
        if prep:
            dispatcher.utter_message(response="utter_office_info", info=prep)
        else:
            dispatcher.utter_message(response="utter_no_special_prep")
    elif rest:
        handle_other_parts(dispatcher, tracker, rest)  # "..., where do I park?"
    return True


class ActionThank(Action):
    """Thanks; "yes, thanks for the reminder" answers the reminder too."""

    def name(self) -> str:
        return "action_thank"

    def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        if not answers_reminder_with_yes(dispatcher, tracker):
            dispatcher.utter_message(response="utter_you_are_welcome")
        return []
