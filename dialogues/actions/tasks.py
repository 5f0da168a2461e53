"""Where an appointment conversation goes next: verify first, then check, cancel or reschedule.

`action_route_task` runs when a request arrives and after each form; it sets the `flow` slot
and the rules branch on it (identity_form, cancel_form, reschedule_form, or listen).
"""

from __future__ import annotations

import re
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from assistant.conversations.messages import take_message_from_dialogue
from assistant.db.types import utcnow
from assistant.frontdesk import preferences
from assistant.frontdesk import service as frontdesk
from assistant.frontdesk.late import minutes_late, todays_appointment_for
from assistant.frontdesk.views import numbered
from assistant.frontdesk.words import yes_no
from assistant.identity import service as identity
from dialogues.actions.common import appointment_id, channel, language, text_of
from dialogues.actions.context import conversation_uid, latest_intent, settings
from dialogues.actions.late import note_late

TASKS = {
    "check_appointment": "check",
    "cancel_appointment": "cancel",
    "reschedule_appointment": "reschedule",
    "book_appointment": "book",
    "running_late": "late",
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
    "book_patient_status",
    "new_patient_name",
    "new_patient_dob",
    "new_patient_phone",
    "visit_reason",
    "book_type_choice",
    "book_type",
    "provider_preference",
    "book_provider",
    "book_confirm",
    "late_said",
    "late_minutes",
    "late_noted",
    "late_beyond",
    "late_reschedule",
    "request_details",
)
RESCHEDULE_SLOTS = TASK_SLOTS[5:12]
NEW_PATIENT_SLOTS = ("new_patient_name", "new_patient_dob", "new_patient_phone")
# What the booking form's validation leaves in `book_confirm` (never what a patient types).
BOOKED, TO_STAFF = "[booked]", "[staff]"
# Only to tell whether a request names a time (the search itself uses the location's zone).
PRACTICE_TIME_ZONE = "America/New_York"


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
        if previous == "book_form":
            return self.after_book(dispatcher, tracker)
        if previous == "late_form":
            return self.after_late(dispatcher, tracker)
        events: list[EventType] = []
        task = tracker.get_slot("task")
        intent = latest_intent(tracker)
        if previous != "identity_form" and intent in TASKS:
            task = TASKS[intent]
            events += [SlotSet("task", task), *reset()]
            if task == "late":  # "I'll be 20 minutes late": no need to ask again
                events.append(SlotSet("late_said", minutes_late(text_of(tracker))))
            if task in ("reschedule", "book"):  # "... to Thursday afternoon": not asked again
                events.append(SlotSet("request_details", said_details(tracker)))
        uid = conversation_uid(tracker)
        database_url = settings().database_url
        if uid is None or identity.is_locked(database_url, uid):
            dispatcher.utter_message(response="utter_identity_handoff")
            hand_off(dispatcher, tracker, "identity not verified")
            return [*events, SlotSet("identity_failed", True), flow("done")]
        verified = identity.verified_patient_id(database_url, uid) is not None
        if task == "book" and (verified or tracker.get_slot("book_patient_status") != "existing"):
            return [*events, SlotSet("verified", verified), flow("book")]
        if not verified:
            return [*events, flow("identify")]
        events.append(SlotSet("verified", True))
        if task == "late":
            return events + self.late(dispatcher, tracker, events)
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
            details = _slot_now(events, tracker, "request_details")
            if task == "reschedule" and details:  # the form validates it when it starts
                events.append(SlotSet("time_preference", details))
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

    def late(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, events: list[EventType]
    ) -> list[EventType]:
        uid = conversation_uid(tracker) or ""
        view = todays_appointment_for(
            settings().database_url, uid, language(tracker), channel(tracker)
        )
        if view is None:
            dispatcher.utter_message(response="utter_no_appointment_today")
            return [flow("done")]
        said = next((e["value"] for e in events if e.get("name") == "late_said"), None)
        if said is None:
            said = tracker.get_slot("late_said")
        found = [SlotSet("appointment_id", view.appointment_id)]
        if said is None:
            return [*found, flow("late")]
        # the minutes were in the first message: note it now, ask only about rescheduling
        slots = note_late(dispatcher, tracker, int(said), view.appointment_id)
        found += [SlotSet(k, v) for k, v in slots.items()]
        return [*found, flow("late" if slots.get("late_beyond") else "done")]

    def after_book(self, dispatcher: CollectingDispatcher, tracker: Tracker) -> list[EventType]:
        if tracker.get_slot("book_confirm") == BOOKED:
            dispatcher.utter_message(response="utter_anything_else")
            return [*reset(NEW_PATIENT_SLOTS), flow("done")]
        if tracker.get_slot("book_confirm") == TO_STAFF:
            return [flow("done")]
        if not tracker.get_slot("verified"):  # seen before: verify, then book
            return [flow("identify")]
        return [flow("done")]

    def after_late(self, dispatcher: CollectingDispatcher, tracker: Tracker) -> list[EventType]:
        if tracker.get_slot("late_reschedule") == "yes":
            return [SlotSet("task", "reschedule"), *reset(RESCHEDULE_SLOTS), flow("reschedule")]
        if tracker.get_slot("late_reschedule") == "no":
            dispatcher.utter_message(response="utter_late_come_anyway")
        return [flow("done")]

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


_PROVIDER_WORDS = re.compile(r"(?i)\b(dr|dra|doctor|doctora|np|pa|nurse practitioner)\b")


def said_when(tracker: Tracker, text: str) -> bool:
    """Does `text` say when?"""
    return preferences.carries_details(
        text, now=utcnow(), time_zone=PRACTICE_TIME_ZONE, language=language(tracker)
    )


# Words about the visit being moved, not the new time: "my 3pm appointment", "my Thursday
# visit", "instead of Thursday", "mi cita del jueves".
_CURRENT_VISIT = re.compile(
    r"(?i)\b(?:my|the|mi|la)\s+(?:[\w:]+\s+){1,3}(?:appointment|appt|visit|cita)\b"
    r"|\b(?:instead of|rather than|from|en vez del?|en lugar del?)\s+(?:(?:my|the|on)\s+)?"
    r"[\w:]+(?:\s+(?:at\s+)?\d[\w:]*)?"
    r"|\b(?:cita|appointment|appt|visit)\s+(?:del?|of|on|for)\s+(?:el\s+)?[\w:]+"
    r"(?=.*\b(?:to|for|al?|para)\b)"
)


def said_details(tracker: Tracker) -> str | None:
    """The request's own words when they say when (or with whom) the new visit should be:
    used as the answer. What names the visit being moved ("my 3pm appointment") is left out."""
    text = _CURRENT_VISIT.sub(" ", text_of(tracker))
    text = " ".join(text.split())
    if _PROVIDER_WORDS.search(text) or said_when(tracker, text):
        return text
    return None


def _slot_now(events: list[EventType], tracker: Tracker, name: str) -> Any:
    """A slot's value counting the events this action is about to return."""
    for event in reversed(events):
        if event.get("event") == "slot" and event.get("name") == name:
            return event.get("value")
    return tracker.get_slot(name)


def answer(value: Any, tracker: Tracker) -> str | None:
    """ "yes" / "no" from an answer, None when unclear."""
    decided = yes_no(str(value or ""), latest_intent(tracker))
    return None if decided is None else ("yes" if decided else "no")
