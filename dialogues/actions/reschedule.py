"""Reschedule form: which appointment, a preference, up to three options, read-back, commit."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from assistant.frontdesk import service as frontdesk
from assistant.frontdesk.corrections import corrected_wish, provider_kept, with_provider
from assistant.frontdesk.provider_words import names_provider
from assistant.frontdesk.short_answers import (
    asks_to_cancel,
    direction,
    replaces_visit,
    strict_no,
    strict_yes,
)
from assistant.frontdesk.views import numbered
from assistant.messages import translate
from dialogues.actions.cancel import current, pick_appointment
from dialogues.actions.commit import conclude
from dialogues.actions.common import appointment_id, channel, language
from dialogues.actions.context import conversation_uid, latest_intent, unit_of_work
from dialogues.actions.offering import OfferingForm, chosen, offered

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


def opening_wish(language: str, details: object) -> str:
    """What a move searches first: the when said with the request, else the soonest times,
    offered at once as a receptionist would (another day can still be asked for)."""
    return str(details) if details else translate(language, "frontdesk.soonest_wish")


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


class ValidateRescheduleForm(OfferingForm):
    restart_slots = ("time_preference", "slot_choice", "chosen_option", "offered_options",
                     "reschedule_confirm", "no_options", "waitlist_answer")  # fmt: skip
    back_slots = {
        "reschedule_confirm": ("slot_choice", "chosen_option"),
        "slot_choice": ("time_preference", "offered_options"),
        "waitlist_answer": ("time_preference", "no_options", "offered_options"),
    }

    decision, staff = "reschedule_confirm", _TO_STAFF
    cannot, why = "utter_cannot_change_here", "reschedule could not be done by the assistant"

    def name(self) -> str:
        return "validate_reschedule_form"

    def prep(self, tracker: Tracker) -> str | None:
        view = current(tracker)
        return view.prep if view else None

    switches = ("confirm", "cancel")

    def switch_to(self, tracker: Tracker, text: str) -> str | None:
        """ "Actually just cancel it": the visit is cancelled instead (after its read-back);
        "never mind, I'll keep it, just confirm it": confirmed."""
        moving = tracker.get_slot("task") == "reschedule"
        if moving and asks_to_cancel(text) and not replaces_visit(text):
            return "cancel"
        return super().switch_to(tracker, text) if moving else None

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
        if picked.get("appointment_id") and not tracker.get_slot("time_preference"):
            # when was said with the request ("... to Thursday afternoon"): not asked again;
            # nothing said: the soonest times
            tracker.slots["appointment_id"] = picked["appointment_id"]
            wish = opening_wish(language(tracker), tracker.get_slot("request_details"))
            return {**picked, **self.validate_time_preference(wish, dispatcher, tracker, domain)}
        return picked

    def validate_time_preference(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        text = str(value or "")
        soonest = text == opening_wish(language(tracker), None) and not offered(tracker)
        # "anything later that week": never earlier (and vice versa); the soonest times offered
        # unasked go no way
        way = None if soonest else direction(text)
        if way:
            tracker.slots["move_direction"] = way
        result = find_options(tracker, text)
        if soonest and result is not None and result.status == frontdesk.DONE and result.options:
            dispatcher.utter_message(text=translate(language(tracker), "frontdesk.soonest_times"))
        moved = {"move_direction": way} if way else {}
        return {"time_preference": value, **moved, **self.offer(result, dispatcher, tracker)}

    def search(
        self, tracker: Tracker, text: str, after: str | None = None
    ) -> frontdesk.ChangeResult | None:
        """Among the providers of the times offered before (any, once a colleague's)."""
        before = offered(tracker)
        any_provider = bool(before and before[0].any_provider)
        return find_options(tracker, text, after=after, any_provider=any_provider)

    def new_wish(self, text: str, before: str | None) -> str | None:
        """A new time, or another provider ("can it be with Dr. Okafor instead?")."""
        return provider_kept(corrected_wish(text, before), before) or with_provider(text, before)

    def provider_asked(self, text: str, tracker: Tracker) -> tuple[bool, int | None]:
        """A provider of the visit's kind named, or the visit's own ("the first doctor")."""
        uid, visit = conversation_uid(tracker), appointment_id(tracker)
        if not names_provider(text) or uid is None or visit is None:
            return False, None
        wanted = frontdesk.provider_asked_for(unit_of_work(), uid, visit, text)
        return wanted is not None, wanted

    def search_provider(
        self, provider: int | None, wish: str, dispatcher: CollectingDispatcher, tracker: Tracker
    ) -> dict[str, Any]:
        """Their times (the wish names them last); the colleagues only if they have none."""
        result = find_options(tracker, wish, any_provider=False)
        return {"no_options": None, **self.offer(result, dispatcher, tracker)}

    def no_times(self, dispatcher: CollectingDispatcher, tracker: Tracker) -> dict[str, Any]:
        dispatcher.utter_message(response="utter_no_options")  # the waitlist is offered
        return {"no_options": True, "offered_options": []}

    def validate_reschedule_confirm(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        return self.read_back(value, dispatcher, tracker)

    def validate_waitlist_answer(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        """Only an unambiguous yes joins the waitlist; "oh ok, Monday morning then" is a new
        wish (searched), not a yes."""
        text, intent = str(value or ""), latest_intent(tracker)
        wish = self.new_wish(text, tracker.get_slot("time_preference"))
        if wish:
            tracker.slots["time_preference"] = wish
            result = find_options(tracker, wish)
            offer = self.offer(result, dispatcher, tracker)
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
        cannot=ValidateRescheduleForm.cannot, why=ValidateRescheduleForm.why, staff=_TO_STAFF,
        done=("utter_rescheduled", {"reschedule_confirm": "yes"}),
    )  # fmt: skip
