"""Helpers shared by the appointment actions: the patient's language and channel, yes / no,
what a visit needs as preparation."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from assistant.frontdesk.short_answers import yes_no
from assistant.frontdesk.views import AppointmentView
from assistant.messages import supported
from dialogues.actions.context import latest_intent

# What the booking leaves in `book_confirm` (never what a patient types).
BOOKED, TO_STAFF = "[booked]", "[staff]"


def language(tracker: Tracker) -> str:
    return supported(tracker.get_slot("language"))


def channel(tracker: Tracker) -> str:
    return tracker.get_slot("channel") or "sms"


def text_of(tracker: Tracker) -> str:
    return str((tracker.latest_message or {}).get("text") or "")


def appointment_id(tracker: Tracker) -> int | None:
    value = tracker.get_slot("appointment_id")
    return int(value) if value is not None else None


def say_prep(dispatcher: CollectingDispatcher, view: AppointmentView) -> None:
    if view.prep:
        dispatcher.utter_message(response="utter_prep_instructions", when=view.when, prep=view.prep)


def yes_or_no(value: Any, tracker: Tracker) -> str | None:
    """ "yes" / "no" from an answer, None when unclear."""
    decided = yes_no(str(value or ""), latest_intent(tracker))
    return None if decided is None else ("yes" if decided else "no")
