"""Helpers shared by the appointment actions: the patient's language and channel, yes / no,
what a visit needs as preparation."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from assistant.frontdesk.respelling import respelled
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


def request_text(tracker: Tracker) -> str:
    """The patient's words as the rules read a whole request: shorthand and typos of request
    words written out ("cn u move my appt" -> "can you move my appointment"). Names and dates
    of birth are read from `text_of`, as said."""
    return respelled(text_of(tracker), language(tracker))


def appointment_id(tracker: Tracker) -> int | None:
    value = tracker.get_slot("appointment_id")
    return int(value) if value is not None else None


def say_prep(
    dispatcher: CollectingDispatcher, view: AppointmentView, *, asked: bool = False
) -> None:
    """The visit's preparation; when the patient asked ("do I need to fast?") and it needs none,
    that it needs none."""
    if view.prep:
        dispatcher.utter_message(response="utter_prep_instructions", when=view.when, prep=view.prep)
    elif asked:
        dispatcher.utter_message(response="utter_no_special_prep")


def yes_or_no(value: Any, tracker: Tracker) -> str | None:
    """ "yes" / "no" from an answer, None when unclear."""
    decided = yes_no(str(value or ""), latest_intent(tracker))
    return None if decided is None else ("yes" if decided else "no")
