"""The times a form offers (booking, rescheduling), as the dialogue keeps them in its slots:
read as `OfferedTime`s, and the one the patient means."""

from __future__ import annotations

from rasa_sdk import Tracker

from assistant.frontdesk.offers import OfferedTime, from_slots
from assistant.frontdesk.short_answers import choose, folded_text


def offered(tracker: Tracker) -> list[OfferedTime]:
    return from_slots(tracker.get_slot("offered_options"))


def chosen(tracker: Tracker) -> OfferedTime | None:
    """The offered time being read back."""
    value = tracker.get_slot("chosen_option")
    return OfferedTime.from_slot(value) if value else None


def pick_offered(text: str, options: list[OfferedTime]) -> int | None:
    """The offered time meant: "the second one", "the 1:30", "la de las nueve", "Tuesday",
    "the earliest one" (a clock time offered by none is not a choice)."""
    minutes = [o.minute for o in options if o.minute is not None]
    return choose(
        text,
        [o.local_date for o in options],
        [o.hour for o in options],
        minutes if len(minutes) == len(options) else (),
    )


def pick_on_readback(
    text: str, options: list[OfferedTime], read_back: OfferedTime | None
) -> int | None:
    """Another of the offered times named at the read-back: "the first one", "the 2 pm",
    "Thursday", or "the later one" / "the earlier one" next to the one read back."""
    index = pick_offered(text, options)
    if index is not None:
        return index
    folded = f" {folded_text(text)} "
    at = next((i for i, o in enumerate(options) if o == read_back), None)
    if at is None:
        return None
    if any(k in folded for k in (" later one ", " la mas tarde ", " la de mas tarde ")):
        return at + 1 if at + 1 < len(options) else None
    if any(k in folded for k in (" earlier one ", " la mas temprano ", " la de mas temprano ")):
        return at - 1 if at > 0 else None
    return None
