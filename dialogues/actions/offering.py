"""The times a form offers (booking, rescheduling), as the dialogue keeps them in its slots
(read as `OfferedTime`s); the one the patient means; and the one way both forms take the
choice and its read-back."""

from __future__ import annotations

from abc import abstractmethod
from datetime import date
from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from assistant.frontdesk.corrections import corrected_wish
from assistant.frontdesk.offers import OfferedTime, from_slots, to_slots
from assistant.frontdesk.service import CLOSED, DONE, ChangeResult
from assistant.frontdesk.short_answers import (
    choose,
    folded_text,
    has_yes_word,
    names_another_time,
    strict_no,
    strict_yes,
    wants_more,
)
from assistant.frontdesk.time_phrases import about_the_visit_day, same_day_as_visit
from dialogues.actions.context import latest_intent
from dialogues.actions.details import said_when
from dialogues.actions.handoff import hand_off
from dialogues.actions.repair import RepairingForm


def offered(tracker: Tracker) -> list[OfferedTime]:
    return from_slots(tracker.get_slot("offered_options"))


def chosen(tracker: Tracker) -> OfferedTime | None:
    """The offered time being read back."""
    value = tracker.get_slot("chosen_option")
    return OfferedTime.from_slot(value) if value else None


def _times(options: list[OfferedTime]) -> tuple[list[date], list[int], list[int]]:
    """(local dates, hours, minutes) of the offers (no minutes when one lacks them)."""
    minutes = [o.minute for o in options if o.minute is not None]
    return (
        [o.local_date for o in options],
        [o.hour for o in options],
        minutes if len(minutes) == len(options) else [],
    )


def pick_offered(text: str, options: list[OfferedTime]) -> int | None:
    """The offered time meant: "the second one", "the 1:30", "la de las nueve", "Tuesday",
    "the earliest one" (a clock time offered by none is not a choice)."""
    return choose(text, *_times(options))


def names_other_time(text: str, options: list[OfferedTime]) -> bool:
    """A reply that names a day, part of the day or clock time none of the offers has, turns
    one down ("tues doesnt work", "mornings are bad for me") or speaks of the visit's own day
    ("a bit earlier the same morning"): a new wish, even with "later" or "other" in it. When
    every offer is on one day, "later that day" is that day's: more of the same wish ("the same
    day but later" is still the visit's)."""
    one_day = len({o.local_date for o in options}) == 1
    visit_day = about_the_visit_day(text) and (not one_day or same_day_as_visit(text))
    return visit_day or names_another_time(text, *_times(options))


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
    if any(k in folded for k in _NEXT_ONE):
        return at + 1 if at + 1 < len(options) else None
    if any(k in folded for k in _PREVIOUS_ONE):
        return at - 1 if at > 0 else None
    return None


_NEXT_ONE = (" later one ", " next one ", " one after ", " one after that ", " la mas tarde ",
             " la de mas tarde ", " la siguiente ", " la que sigue ",
             " la de despues ")  # fmt: skip
_PREVIOUS_ONE = (" earlier one ", " one before ", " la mas temprano ",
                 " la de mas temprano ", " la mas temprana ", " la anterior ",
                 " la de antes ")  # fmt: skip


class OfferingForm(RepairingForm):
    """A form that offers times, takes the patient's choice and reads it back (booking a
    visit, moving one). Both answer the choice and the read-back the same way; each says how
    it searches (`search`), what it says of a search (`offer`) and its read-back's slot."""

    decision = ""  # the read-back's slot: "book_confirm", "reschedule_confirm"
    staff: dict[str, Any] = {}  # the slots when staff take over (`decision`: its staff value)
    cannot = ""  # the response when the assistant cannot do it here
    why = ""  # the handoff's reason, for staff

    @abstractmethod
    def search(self, tracker: Tracker, text: str, after: str | None = None) -> ChangeResult | None:
        """Times for the wish `text` (`after`: only later than this ISO instant)."""

    @abstractmethod
    def no_times(self, dispatcher: CollectingDispatcher, tracker: Tracker) -> dict[str, Any]:
        """The slots to set when a search found nothing."""

    def offer(
        self, result: ChangeResult | None, dispatcher: CollectingDispatcher, tracker: Tracker
    ) -> dict[str, Any]:
        """The slots to set after a search: the times found (the first one naming a colleague
        when the provider had nothing then); a closed day said; or staff take over."""
        if result is None or result.status not in (DONE, CLOSED):
            return self.hand_over(dispatcher, tracker)
        if result.status == CLOSED:  # "Saturday": closed then; another day, please
            dispatcher.utter_message(response="utter_office_info", info=result.note)
            return {"time_preference": None, "offered_options": [], "no_options": None}
        if not result.options:
            return self.no_times(dispatcher, tracker)
        first = result.options[0]
        if first.instead_of:  # "Dr. Park has nothing then; Dr. Chen does"
            dispatcher.utter_message(
                response="utter_colleague_offer",
                provider=first.instead_of,
                colleague=first.provider or "",
            )
        return {"offered_options": to_slots(result.options), "slot_choice": None}

    def hand_over(self, dispatcher: CollectingDispatcher, tracker: Tracker) -> dict[str, Any]:
        """Not possible here (a type staff book, the scheduler down): said, and staff help."""
        dispatcher.utter_message(response=self.cannot)
        hand_off(dispatcher, tracker, self.why)
        return dict(self.staff)

    def pick(self, text: str, options: list[OfferedTime]) -> int | None:
        return pick_offered(text, options)

    def new_wish(self, text: str, before: str | None) -> str | None:
        """The time wished anew in a reply ("what about next week?"), None when it is not one."""
        return corrected_wish(text, before)

    def provider_asked(self, text: str, tracker: Tracker) -> tuple[bool, int | None]:
        """(whether a reply asks for a provider, by name or as "the first doctor"; which one,
        None: whoever fits)."""
        return False, None

    def provider_changed(
        self,
        text: str,
        options: list[OfferedTime],
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
    ) -> dict[str, Any] | None:
        """ "Could I see Dr. Okafor instead?", then "actually no, keep me with Dr. Chen", "the
        first doctor is fine": that provider's times for the wish said before (None: the reply
        asks for no other provider than the one of the times offered, or picks one of them)."""
        asked, wanted = self.provider_asked(text, tracker)
        if not asked:
            return None
        index = self.pick(text, options) if options else None
        if index is not None and options[index].provider_id == wanted:
            return None  # "the 9:00 with Dr. Okafor": a choice
        if options and all(o.provider_id == wanted for o in options):
            return None  # theirs already
        before = str(tracker.get_slot("time_preference") or "")
        wish = " ".join(f"{before} {text}".split())
        cleared = {self.decision: None, "slot_choice": None, "chosen_option": None}
        return {**cleared, "time_preference": wish,
                **self.search_provider(wanted, wish, dispatcher, tracker)}  # fmt: skip

    def search_provider(
        self,
        provider: int | None,
        wish: str,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
    ) -> dict[str, Any]:
        """The slots after searching the times of `provider` (None: whoever fits)."""
        return {}

    def validate_slot_choice(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        """One of the times offered; "anything later?" (the next ones); or a new wish."""
        options = offered(tracker)
        text = str(value or "")
        other = self.provider_changed(text, options, dispatcher, tracker)
        if other is not None:
            return other
        index = self.pick(text, options)
        if index is not None:
            return {"slot_choice": value, "chosen_option": options[index].to_slot()}
        before = tracker.get_slot("time_preference")
        wish = self.new_wish(text, before)
        if wants_more(text) and options and not names_other_time(text, options):
            # "none of those, anything in the afternoon?": the next ones, as now wished
            after = options[-1].starts_at.isoformat()
            result = self.search(tracker, wish or str(before or ""), after)
            wished = {"time_preference": wish} if wish else {}
            return {"slot_choice": None, **wished, **self.offer(result, dispatcher, tracker)}
        if wish:  # "what about next week?", "not Tuesday, Thursday", "the afternoon"
            result = self.search(tracker, wish)
            return {"slot_choice": None, "time_preference": wish,
                    **self.offer(result, dispatcher, tracker)}  # fmt: skip
        if options and said_when(tracker, text):  # "as soon as possible", "whenever": searched
            result = self.search(tracker, text)
            return {"slot_choice": None, "time_preference": text,
                    **self.offer(result, dispatcher, tracker)}  # fmt: skip
        dispatcher.utter_message(response="utter_choice_unclear")
        return {"slot_choice": None}

    def read_back(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker
    ) -> dict[str, Any]:
        """The answer to the read-back (`decision`). Only an unambiguous yes ends the form (the
        router then makes the change); another choice is read back; a new wish searches again;
        a no offers the times again; anything else asks again."""
        text, intent = str(value or ""), latest_intent(tracker)
        options, read_back = offered(tracker), chosen(tracker)
        if strict_yes(text, intent):
            return {self.decision: "yes"}
        other = self.provider_changed(text, options, dispatcher, tracker)
        if other is not None:  # "no wait, go back to the original doctor"
            return other
        index = pick_on_readback(text, options, read_back) if options else None
        if index is not None and options[index] == read_back and has_yes_word(text):
            return {self.decision: "yes"}  # "yes, the first one" when the first was read back
        if index is not None:  # "ok I'll take the first one": read that one back
            return {self.decision: None, "slot_choice": text,
                    "chosen_option": options[index].to_slot()}  # fmt: skip
        cleared = {self.decision: None, "slot_choice": None, "chosen_option": None}
        before = tracker.get_slot("time_preference")
        wish = self.new_wish(text, before)
        more = wants_more(text) and not names_other_time(text, options)
        if options and (wish or more):
            after = options[-1].starts_at.isoformat() if more else None
            result = self.search(tracker, wish or str(before or ""), after)
            wished = {"time_preference": wish} if wish else {}
            return {**cleared, **wished, **self.offer(result, dispatcher, tracker)}
        if strict_no(text, intent):  # the times again (or "never mind" to keep things as they are)
            dispatcher.utter_message(response="utter_book_other_time")
            return cleared
        dispatcher.utter_message(response="utter_readback_needs_yes")
        return {self.decision: None}
