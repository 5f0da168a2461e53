"""After the router commits a change read back and answered yes (a booking, a move): the one
way the dialogue handles a time taken meanwhile or a change it could not make."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from assistant.frontdesk import service as frontdesk
from assistant.frontdesk.offers import to_slots
from dialogues.actions.common import language, say_prep
from dialogues.actions.handoff import hand_off


def not_done(
    dispatcher: CollectingDispatcher,
    tracker: Tracker,
    result: frontdesk.ChangeResult | None,
    *,
    decision: str,
    none_left: dict[str, Any],
    cannot: str,
    why: str,
    staff: dict[str, Any],
) -> dict[str, Any] | None:
    """The slots to set when the commit did not go through (None: it did). Taken meanwhile:
    the other times (or, with none left, `none_left`) and the read-back again; not possible
    here: `cannot` said, staff take over (`staff`)."""
    if result is not None and result.status == frontdesk.TAKEN:
        dispatcher.utter_message(response="utter_slot_taken")
        retry = {decision: None, "slot_choice": None, "chosen_option": None}
        if result.options:
            return {**retry, "offered_options": to_slots(result.options)}
        return {**retry, **none_left}
    if result is None or result.status != frontdesk.DONE or result.appointment is None:
        dispatcher.utter_message(response=cannot)
        hand_off(dispatcher, tracker, why)
        return dict(staff)
    return None


def conclude(
    dispatcher: CollectingDispatcher,
    tracker: Tracker,
    result: frontdesk.ChangeResult | None,
    *,
    done: tuple[str, dict[str, Any]],
    **when_not_done: Any,
) -> dict[str, Any]:
    """After the commit: `not_done`'s slots when it did not go through; else the change said
    (`done`: the response naming the visit, and the slots to set) with the visit's preparation."""
    failed = not_done(dispatcher, tracker, result, **when_not_done)
    if failed is not None or result is None or result.appointment is None:
        return failed or dict(when_not_done["staff"])
    response, slots = done
    dispatcher.utter_message(
        response=response, appointment=result.appointment.line(language(tracker))
    )
    say_prep(dispatcher, result.appointment)
    return slots
