"""Where an appointment conversation goes next: verify first, then check, cancel or reschedule.

`action_route_task` runs when a request arrives and after each form; it sets the `flow` slot
and the rules branch on it (identity_form, cancel_form, reschedule_form, or listen).
"""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from assistant.conversations.messages import take_message_from_dialogue
from assistant.frontdesk import service as frontdesk
from assistant.frontdesk.views import numbered
from assistant.frontdesk.words import yes_no
from assistant.identity import service as identity
from dialogues.actions.common import appointment_id, channel, language
from dialogues.actions.context import conversation_uid, latest_intent, settings

TASKS = {
    "check_appointment": "check",
    "cancel_appointment": "cancel",
    "reschedule_appointment": "reschedule",
}
TASK_SLOTS = (
    "appointment_choice",
    "appointment_id",
    "cancel_confirm",
    "cancel_reason",
    "rebook_answer",
    "time_preference",
    "slot_choice",
    "reschedule_confirm",
    "waitlist_answer",
    "offered_options",
    "chosen_option",
    "no_options",
)
RESCHEDULE_SLOTS = TASK_SLOTS[5:]


def reset(names: tuple[str, ...] = TASK_SLOTS) -> list[EventType]:
    return [SlotSet(name, None) for name in names]


def flow(value: str) -> SlotSet:
    return SlotSet("flow", value)


def hand_off(dispatcher: CollectingDispatcher, tracker: Tracker, reason: str) -> None:
    """A person takes over: a front-desk message; on a call the edge transfers (handoff)."""
    uid = conversation_uid(tracker)
    database_url = settings().database_url
    if uid:
        take_message_from_dialogue(database_url, uid, reason)
    if channel(tracker) == "voice":
        if uid:
            frontdesk.mark_handed_off(database_url, uid, f"Handed to front desk: {reason}")
        dispatcher.utter_message(json_message={"handoff": {"reason": reason}})
    elif uid:
        frontdesk.note_summary(database_url, uid, f"Front desk to follow up: {reason}")


def say_prep(dispatcher: CollectingDispatcher, view: frontdesk.AppointmentView) -> None:
    if view.prep:
        dispatcher.utter_message(response="utter_prep_instructions", when=view.when, prep=view.prep)


class ActionRouteTask(Action):
    def name(self) -> str:
        return "action_route_task"

    def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        previous = tracker.latest_action_name
        if previous == "cancel_form":
            return self.after_cancel(dispatcher, tracker)
        if previous == "reschedule_form":
            return self.after_reschedule(dispatcher, tracker)
        events: list[EventType] = []
        task = tracker.get_slot("task")
        intent = latest_intent(tracker)
        if previous != "identity_form" and intent in TASKS:
            task = TASKS[intent]
            events += [SlotSet("task", task), *reset()]
        uid = conversation_uid(tracker)
        database_url = settings().database_url
        if uid is None or identity.is_locked(database_url, uid):
            dispatcher.utter_message(response="utter_identity_handoff")
            hand_off(dispatcher, tracker, "identity not verified")
            return [*events, SlotSet("identity_failed", True), flow("done")]
        if identity.verified_patient_id(database_url, uid) is None:
            return [*events, flow("identify")]
        events.append(SlotSet("verified", True))
        listing = frontdesk.list_for(
            database_url, uid, language(tracker), channel(tracker), record=task == "check"
        )
        if not listing.appointments:
            dispatcher.utter_message(response="utter_no_upcoming_appointments")
            return [*events, flow("done")]
        if task == "check":
            self.tell(dispatcher, tracker, listing.appointments)
            return [*events, flow("done")]
        if len(listing.appointments) == 1:
            events.append(SlotSet("appointment_id", listing.appointments[0].appointment_id))
        return [*events, flow("reschedule" if task == "reschedule" else "cancel")]

    @staticmethod
    def tell(
        dispatcher: CollectingDispatcher, tracker: Tracker, views: list[frontdesk.AppointmentView]
    ) -> None:
        lang = language(tracker)
        lines = [v.line(lang) for v in views]
        if len(lines) == 1:
            dispatcher.utter_message(response="utter_upcoming_appointment", appointments=lines[0])
        else:
            dispatcher.utter_message(
                response="utter_upcoming_appointments",
                appointments=numbered(lines, lang, channel(tracker)),
            )
        for view in views:
            say_prep(dispatcher, view)

    def after_cancel(self, dispatcher: CollectingDispatcher, tracker: Tracker) -> list[EventType]:
        if tracker.get_slot("cancel_confirm") != "yes":
            dispatcher.utter_message(response="utter_reschedule_kept")
            return [flow("done")]
        if tracker.get_slot("rebook_answer") == "yes":
            return [SlotSet("task", "rebook"), *reset(RESCHEDULE_SLOTS), flow("reschedule")]
        dispatcher.utter_message(response="utter_anything_else")
        return [flow("done")]

    def after_reschedule(
        self, dispatcher: CollectingDispatcher, tracker: Tracker
    ) -> list[EventType]:
        decision = tracker.get_slot("reschedule_confirm")
        waitlist = tracker.get_slot("waitlist_answer")
        uid = conversation_uid(tracker)
        if waitlist is not None:
            joined = waitlist == "yes" and uid is not None
            if joined and frontdesk.join_waitlist_for(
                settings().database_url,
                uid,
                appointment_id(tracker) or 0,
                str(tracker.get_slot("time_preference") or ""),
                language(tracker),
            ):
                dispatcher.utter_message(response="utter_waitlist_joined")
            else:
                hand_off(dispatcher, tracker, "reschedule: no suitable time")
                dispatcher.utter_message(response="utter_staff_will_help")
        elif decision == "staff":
            pass  # already handed to staff while the form ran
        elif decision == "yes":
            dispatcher.utter_message(response="utter_anything_else")
        else:
            dispatcher.utter_message(response="utter_reschedule_kept")
        return [flow("done")]


def answer(value: Any, tracker: Tracker) -> str | None:
    """ "yes" / "no" from an answer, None when unclear."""
    decided = yes_no(str(value or ""), latest_intent(tracker))
    return None if decided is None else ("yes" if decided else "no")
