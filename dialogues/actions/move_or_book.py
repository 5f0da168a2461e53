"""A time asked for without saying move or book ("anything Thursday morning?") by someone who may
have a visit: "Would you like to move your visit on <day>, or book a new one?" (before
verification no visit is named). The router then moves or books, with the time already said.
"""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from assistant.frontdesk import service as frontdesk
from assistant.frontdesk import which_visit
from assistant.frontdesk.move_or_book import MOVE, move_or_new
from assistant.frontdesk.views import numbered
from dialogues.actions.common import channel, language
from dialogues.actions.context import conversation_uid, unit_of_work
from dialogues.actions.details import said_when
from dialogues.actions.repair import RepairingForm


def _listing(tracker: Tracker) -> frontdesk.Listing | None:
    """The verified patient's upcoming visits (None: not verified)."""
    uid = conversation_uid(tracker)
    if uid is None or not tracker.get_slot("verified"):
        return None
    return frontdesk.list_for(unit_of_work(), uid, language(tracker), channel(tracker))


class ActionAskMoveOrBookAnswer(Action):
    def name(self) -> str:
        return "action_ask_move_or_book_answer"

    def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        listing = _listing(tracker)
        views = listing.appointments if listing else []
        lang = language(tracker)
        if len(views) == 1:
            dispatcher.utter_message(
                response="utter_move_or_book_visit", appointment=views[0].line(lang)
            )
        elif views:
            lines = numbered([v.line(lang) for v in views], lang, channel(tracker))
            dispatcher.utter_message(response="utter_move_or_book_visits", appointments=lines)
        else:  # not verified yet: no visit is named
            dispatcher.utter_message(response="utter_move_or_book_unverified")
        return []


class ValidateMoveOrBookForm(RepairingForm):
    """Move or new: "move it", "the one I have", "a new one", "otra cita"; with several visits
    listed, the one named ("the Thursday one") is the one moved."""

    def name(self) -> str:
        return "validate_move_or_book_form"

    def validate_move_or_book_answer(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        if value is None:  # the form starting (the router cleared it): nothing answered yet
            return {"move_or_book_answer": None}
        said = str(value)
        choice = move_or_new(said)
        listing = _listing(tracker) if choice != "new" else None
        views = listing.appointments if listing else []
        index = which_visit.pick(said, views, today=listing.today) if len(views) > 1 else None
        if choice is None and index is not None:  # "the Thursday one": that visit, moved
            choice = MOVE
        if choice is None:
            dispatcher.utter_message(response="utter_move_or_book_unclear")
            return {"move_or_book_answer": None}
        found: dict[str, Any] = {"move_or_book_answer": choice}
        if choice == MOVE and index is not None:
            found["visit_said"] = said
        wish = which_visit.reference(said, moving=True).rest
        if said_when(tracker, wish):  # "move it, but to Friday": the new wish
            found["request_details"] = wish
        return found
