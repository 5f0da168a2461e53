"""Reschedule form: which appointment, a preference, up to three options, read-back, commit."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from assistant.frontdesk import service as frontdesk
from assistant.frontdesk.offers import to_slots
from assistant.frontdesk.short_answers import (
    asks_to_cancel,
    direction,
    has_yes_word,
    replaces_visit,
    strict_no,
    strict_yes,
    wants_more,
)
from assistant.frontdesk.views import numbered
from assistant.messages import translate
from dialogues.actions.cancel import current, pick_appointment
from dialogues.actions.commit import conclude
from dialogues.actions.common import appointment_id, channel, language
from dialogues.actions.context import conversation_uid, latest_intent, unit_of_work
from dialogues.actions.corrections import corrected_wish, with_provider
from dialogues.actions.handoff import hand_off
from dialogues.actions.offering import chosen, offered, pick_offered, pick_on_readback
from dialogues.actions.repair import RepairingForm

_TO_STAFF = {"reschedule_confirm": "staff"}


def find_options(
    tracker: Tracker, text: str, *, after: str | None = None, any_provider: bool = False
) -> frontdesk.ChangeResult | None:
    uid, chosen = conversation_uid(tracker), appointment_id(tracker)
    if uid is None or chosen is None:
        return None
    return frontdesk.options_for(
        unit_of_work(),
        uid,
        chosen,
        text,
        language(tracker),
        channel(tracker),
        after=after,
        any_provider=any_provider,
        direction=tracker.get_slot("move_direction"),
    )


def _ordinal_replies(language: str) -> list[str]:
    return [translate(language, f"frontdesk.reply_option_{i}") for i in (1, 2, 3)]


def _yes_no(language: str) -> list[tuple[str, str]]:
    """(title, what is said) of the yes and no buttons."""
    return [
        (
            translate(language, f"frontdesk.button_{word}"),
            translate(language, f"frontdesk.reply_{word}"),
        )
        for word in ("yes", "no")
    ]


def quick_replies(tracker: Tracker, pairs: list[tuple[str, str]]) -> list[dict[str, str]]:
    """Buttons (title, what is said when pressed) where a screen shows them: the portal."""
    if channel(tracker) != "portal":
        return []
    return [{"title": title, "payload": said} for title, said in pairs]


class ActionAskSlotChoice(Action):
    def name(self) -> str:
        return "action_ask_slot_choice"

    def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        labels = [o.label for o in offered(tracker)]
        said = _ordinal_replies(language(tracker))
        dispatcher.utter_message(
            response="utter_offer_options",
            options=numbered(labels, language(tracker), channel(tracker)),
            buttons=quick_replies(tracker, list(zip(labels, said, strict=False))),
        )
        return []


class ActionAskRescheduleConfirm(Action):
    def name(self) -> str:
        return "action_ask_reschedule_confirm"

    def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        read_back = chosen(tracker)
        new = read_back.label if read_back else ""
        buttons = quick_replies(tracker, _yes_no(language(tracker)))
        if tracker.get_slot("task") == "rebook":
            dispatcher.utter_message(response="utter_confirm_rebook", new=new, buttons=buttons)
            return []
        view = current(tracker)
        old = view.line(language(tracker)) if view else ""
        dispatcher.utter_message(
            response="utter_confirm_reschedule", old=old, new=new, buttons=buttons
        )
        return []


READBACK_CLEARED = {"reschedule_confirm": None, "slot_choice": None, "chosen_option": None}


class ValidateRescheduleForm(RepairingForm):
    restart_slots = ("time_preference", "slot_choice", "chosen_option", "offered_options",
                     "reschedule_confirm", "no_options", "waitlist_answer")  # fmt: skip
    back_slots = {
        "reschedule_confirm": ("slot_choice", "chosen_option"),
        "slot_choice": ("time_preference", "offered_options"),
        "waitlist_answer": ("time_preference", "no_options", "offered_options"),
    }

    def name(self) -> str:
        return "validate_reschedule_form"

    def prep(self, tracker: Tracker) -> str | None:
        view = current(tracker)
        return view.prep if view else None

    def switch_to(self, tracker: Tracker, text: str) -> str | None:
        """ "Actually just cancel it": the visit is cancelled instead (after its read-back)."""
        moving = tracker.get_slot("task") == "reschedule"
        return "cancel" if moving and asks_to_cancel(text) and not replaces_visit(text) else None

    def slots_to_ask(self, tracker: Tracker, domain_slots: list[str]) -> list[str]:
        if tracker.get_slot("reschedule_confirm") == "staff":
            return []
        slots = [] if tracker.get_slot("appointment_id") is not None else ["appointment_choice"]
        slots.append("time_preference")
        if tracker.get_slot("no_options"):
            slots.append("waitlist_answer")
        else:
            slots += ["slot_choice", "reschedule_confirm"]
        return slots

    def validate_appointment_choice(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        picked = pick_appointment(value, dispatcher, tracker)
        details = tracker.get_slot("request_details")
        if details and picked.get("appointment_id") and not tracker.get_slot("time_preference"):
            # when was said with the request ("... to Thursday afternoon"): not asked again
            tracker.slots["appointment_id"] = picked["appointment_id"]
            result = find_options(tracker, str(details))
            return {
                **picked,
                "time_preference": details,
                **self._offer(result, dispatcher, tracker),
            }
        return picked

    def validate_time_preference(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        text = str(value or "")
        way = direction(text)  # "anything later that week": never earlier (and vice versa)
        if way:
            tracker.slots["move_direction"] = way
        result = find_options(tracker, text)
        moved = {"move_direction": way} if way else {}
        return {"time_preference": value, **moved, **self._offer(result, dispatcher, tracker)}

    def _offer(
        self,
        result: frontdesk.ChangeResult | None,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
    ) -> dict[str, Any]:
        if result is None or result.status not in (frontdesk.DONE, frontdesk.CLOSED):
            dispatcher.utter_message(response="utter_cannot_change_here")
            hand_off(dispatcher, tracker, "reschedule could not be done by the assistant")
            return dict(_TO_STAFF)
        if result.status == frontdesk.CLOSED:  # "Saturday": closed then; another day, please
            dispatcher.utter_message(response="utter_office_info", info=result.note)
            return {"time_preference": None, "offered_options": [], "no_options": None}
        if not result.options:
            dispatcher.utter_message(response="utter_no_options")
            return {"no_options": True, "offered_options": []}
        first = result.options[0]
        if first.instead_of:  # "Dr. Park has nothing then; Dr. Chen does"
            dispatcher.utter_message(
                response="utter_colleague_offer",
                provider=first.instead_of,
                colleague=first.provider or "",
            )
        return {"offered_options": to_slots(result.options), "slot_choice": None}

    def validate_slot_choice(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        options = offered(tracker)
        text = str(value or "")
        index = pick_offered(text, options)
        if index is not None:
            return {"slot_choice": value, "chosen_option": options[index].to_slot()}
        if wants_more(text) and options:
            result = find_options(
                tracker,
                str(tracker.get_slot("time_preference") or ""),
                after=options[-1].starts_at.isoformat(),
                any_provider=bool(options[0].any_provider),
            )
            return {"slot_choice": None, **self._offer(result, dispatcher, tracker)}
        before = tracker.get_slot("time_preference")
        wish = corrected_wish(text, before) or with_provider(text, before)
        if wish and options:  # "what about next week?", "not Tuesday, Thursday", "Dr. Okafor"
            result = find_options(tracker, wish, any_provider=bool(options[0].any_provider))
            return {"slot_choice": None, "time_preference": wish,
                    **self._offer(result, dispatcher, tracker)}  # fmt: skip
        dispatcher.utter_message(response="utter_choice_unclear")
        return {"slot_choice": None}

    def validate_reschedule_confirm(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        """The read-back. Only an unambiguous yes moves the visit; another choice is read back;
        a new wish searches again; a no offers the times again; anything else asks again."""
        text, intent = str(value or ""), latest_intent(tracker)
        options, read_back = offered(tracker), chosen(tracker)
        if strict_yes(text, intent):  # the form ends; the router moves the visit
            return {"reschedule_confirm": "yes"}
        index = pick_on_readback(text, options, read_back) if options else None
        if index is not None and options[index] == read_back and has_yes_word(text):
            # "yes, the first one" when the first one was read back
            return {"reschedule_confirm": "yes"}
        if index is not None:  # "ok I'll take the first one": read that one back
            return {
                "reschedule_confirm": None,
                "slot_choice": text,
                "chosen_option": options[index].to_slot(),
            }
        before = tracker.get_slot("time_preference")
        wish = corrected_wish(text, before) or with_provider(text, before)
        if options and (wish or wants_more(text)):
            after = options[-1].starts_at.isoformat() if not wish else None
            result = find_options(
                tracker,
                wish or str(tracker.get_slot("time_preference") or ""),
                after=after,
                any_provider=bool(options[0].any_provider),
            )
            wished = {"time_preference": wish} if wish else {}
            return {**READBACK_CLEARED, **wished, **self._offer(result, dispatcher, tracker)}
        if strict_no(text, intent):  # the times again (or "never mind" to keep the visit)
            dispatcher.utter_message(response="utter_book_other_time")
            return dict(READBACK_CLEARED)
        dispatcher.utter_message(response="utter_readback_needs_yes")
        return {"reschedule_confirm": None}

    def validate_waitlist_answer(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        """Only an unambiguous yes joins the waitlist; "oh ok, Monday morning then" is a new
        wish (searched), not a yes."""
        text, intent = str(value or ""), latest_intent(tracker)
        before = tracker.get_slot("time_preference")
        wish = corrected_wish(text, before) or with_provider(text, before)
        if wish:
            tracker.slots["time_preference"] = wish
            result = find_options(tracker, wish)
            offer = self._offer(result, dispatcher, tracker)
            if offer.get("no_options"):  # still nothing: the waitlist question again
                return {"time_preference": wish, "waitlist_answer": None, **offer}
            return {"time_preference": wish, "waitlist_answer": None, "no_options": None,
                    **offer}  # fmt: skip
        if strict_yes(text, intent):
            return {"waitlist_answer": "yes"}
        if strict_no(text, intent):
            return {"waitlist_answer": "no"}
        dispatcher.utter_message(response="utter_yes_or_no")
        return {"waitlist_answer": None}


def commit_reschedule(dispatcher: CollectingDispatcher, tracker: Tracker) -> dict[str, Any]:
    """Move the visit to the option read back and answered yes (the router calls this once
    the form has ended). Returns the slots to set: `reschedule_confirm` "yes" when done, "staff"
    when staff will help, None when the time was just taken (the times again)."""
    uid, visit, option = conversation_uid(tracker), appointment_id(tracker), chosen(tracker)
    result = (
        frontdesk.reschedule_for(
            unit_of_work(),
            uid,
            visit,
            option,
            language(tracker),
            channel(tracker),
        )
        if uid and visit and option
        else None
    )
    return conclude(
        dispatcher, tracker, result, decision="reschedule_confirm",
        none_left={"no_options": True, "offered_options": []},
        cannot="utter_cannot_change_here", why="reschedule could not be done by the assistant",
        staff=_TO_STAFF,
        done=("utter_rescheduled", {"reschedule_confirm": "yes"}),
    )  # fmt: skip
