"""Cancel form: which appointment, yes/no, an optional reason; then the offer of a new time."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.forms import FormValidationAction
from rasa_sdk.types import DomainDict

from assistant.frontdesk import service as frontdesk
from assistant.frontdesk.views import numbered
from assistant.frontdesk.words import choose
from dialogues.actions.answers import AnswersFirst
from dialogues.actions.common import appointment_id, channel, language
from dialogues.actions.context import conversation_uid, settings
from dialogues.actions.tasks import answer, hand_off


def listing(tracker: Tracker) -> list[frontdesk.AppointmentView]:
    uid = conversation_uid(tracker)
    if uid is None:
        return []
    return frontdesk.list_for(
        settings().database_url, uid, language(tracker), channel(tracker)
    ).appointments


def current(tracker: Tracker) -> frontdesk.AppointmentView | None:
    uid, chosen = conversation_uid(tracker), appointment_id(tracker)
    if uid is None or chosen is None:
        return None
    return frontdesk.appointment_for(
        settings().database_url, uid, chosen, language(tracker), channel(tracker)
    )


def pick_appointment(
    value: Any, dispatcher: CollectingDispatcher, tracker: Tracker
) -> dict[str, Any]:
    """ "The second one", "2", "Thursday" among the listed appointments."""
    views = listing(tracker)
    index = choose(str(value or ""), [v.local_date for v in views], [v.hour for v in views])
    if index is None:
        dispatcher.utter_message(response="utter_choice_unclear")
        return {"appointment_choice": None}
    return {"appointment_choice": value, "appointment_id": views[index].appointment_id}


class ActionAskAppointmentChoice(Action):
    def name(self) -> str:
        return "action_ask_appointment_choice"

    def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        lang = language(tracker)
        lines = [v.line(lang) for v in listing(tracker)]
        dispatcher.utter_message(
            response="utter_which_appointment", appointments=numbered(lines, lang, channel(tracker))
        )
        return []


class ActionAskCancelConfirm(Action):
    def name(self) -> str:
        return "action_ask_cancel_confirm"

    def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        view = current(tracker)
        line = view.line(language(tracker)) if view else ""
        dispatcher.utter_message(response="utter_confirm_cancel", appointment=line)
        return []


class ValidateCancelForm(AnswersFirst, FormValidationAction):
    def name(self) -> str:
        return "validate_cancel_form"

    async def required_slots(
        self,
        domain_slots: list[str],
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: DomainDict,
    ) -> list[str]:
        slots = [] if tracker.get_slot("appointment_id") is not None else ["appointment_choice"]
        slots.append("cancel_confirm")
        if tracker.get_slot("cancel_confirm") == "yes":
            slots += ["cancel_reason", "rebook_answer"]
        return slots

    def validate_appointment_choice(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        return pick_appointment(value, dispatcher, tracker)

    def validate_cancel_confirm(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        decided = answer(value, tracker)
        if decided is None:
            dispatcher.utter_message(response="utter_yes_or_no")
        return {"cancel_confirm": decided}

    def validate_cancel_reason(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        reason = None if answer(value, tracker) == "no" else str(value or "")[:200] or None
        uid, chosen = conversation_uid(tracker), appointment_id(tracker)
        result = (
            frontdesk.cancel_for(
                settings().database_url, uid, chosen, reason, language(tracker), channel(tracker)
            )
            if uid and chosen
            else None
        )
        if result is None or result.status != frontdesk.DONE or result.appointment is None:
            dispatcher.utter_message(response="utter_cannot_change_here")
            hand_off(dispatcher, tracker, "cancel could not be done by the assistant")
            return {"cancel_reason": str(value), "rebook_answer": "no"}
        dispatcher.utter_message(
            response="utter_appointment_cancelled",
            appointment=result.appointment.line(language(tracker)),
        )
        return {"cancel_reason": str(value)}

    def validate_rebook_answer(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        decided = answer(value, tracker)
        if decided is None:
            dispatcher.utter_message(response="utter_yes_or_no")
        return {"rebook_answer": decided}
