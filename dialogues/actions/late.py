"""Running late: how late (unless they said it already), a note and a task for the desk; past
the practice's grace period, the offer to reschedule."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from assistant.frontdesk import late
from assistant.frontdesk.short_answers import yes_no
from dialogues.actions.common import appointment_id, channel, language
from dialogues.actions.context import conversation_uid, latest_intent, unit_of_work
from dialogues.actions.repair import RepairingForm


def note_late(
    dispatcher: CollectingDispatcher,
    tracker: Tracker,
    minutes: int | None,
    appointment: int | None = None,
) -> dict[str, Any]:
    """Record it and tell the patient; returns the slots to set (`late_beyond` when past grace)."""
    uid, chosen = conversation_uid(tracker), appointment or appointment_id(tracker)
    result = (
        late.note_late_for(
            unit_of_work(),
            uid,
            chosen,
            minutes,
            language(tracker),
            channel(tracker),
        )
        if uid and chosen
        else late.LateResult(False)
    )
    if not result.noted or result.appointment is None:
        dispatcher.utter_message(response="utter_late_not_noted")
        return {"late_noted": True, "late_beyond": False}
    if result.beyond_grace:
        dispatcher.utter_message(
            response="utter_late_beyond_grace",
            when=result.appointment.when,
            grace=str(result.grace_minutes),
        )
        return {"late_noted": True, "late_beyond": True}
    dispatcher.utter_message(response="utter_late_noted", when=result.appointment.when)
    return {"late_noted": True, "late_beyond": False}


class ValidateLateForm(RepairingForm):
    def name(self) -> str:
        return "validate_late_form"

    def can_stop(self, tracker: Tracker, requested: str) -> bool:
        return requested == "late_minutes"  # after that the note is made

    def slots_to_ask(self, tracker: Tracker, domain_slots: list[str]) -> list[str]:
        slots = [] if tracker.get_slot("late_noted") else ["late_minutes"]
        if tracker.get_slot("late_beyond"):
            slots.append("late_reschedule")
        return slots

    def validate_late_minutes(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        minutes = late.minutes_late(str(value or ""))
        return {"late_minutes": str(value), **note_late(dispatcher, tracker, minutes)}

    def validate_late_reschedule(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        decided = yes_no(str(value or ""), latest_intent(tracker))
        if decided is None:
            dispatcher.utter_message(response="utter_yes_or_no")
            return {"late_reschedule": None}
        return {"late_reschedule": "yes" if decided else "no"}
