"""Cancel form: which appointment and yes/no; the router cancels at the yes. Then, once it is
cancelled, an optional reason and the offer of a new time (a patient who stops answering after
the yes has their visit cancelled all the same)."""

from __future__ import annotations

import re
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from assistant.frontdesk import service as frontdesk
from assistant.frontdesk import which_visit
from assistant.frontdesk.corrections import without_kept
from assistant.frontdesk.short_answers import (
    asks_to_cancel,
    asks_to_reschedule,
    choose,
    folded_text,
    stops,
    strict_no,
    strict_yes,
)
from assistant.frontdesk.views import numbered
from dialogues.actions.common import appointment_id, channel, language, yes_or_no
from dialogues.actions.compound import says_confirm, task_in
from dialogues.actions.context import conversation_uid, latest_intent, unit_of_work
from dialogues.actions.handoff import hand_off
from dialogues.actions.repair import RepairingForm

NO_REASON = "[none]"  # what `cancel_reason` holds when the patient gave none
NOTED = "[noted]"  # ... once the router has noted it on the cancelled visit


def commit_cancel(dispatcher: CollectingDispatcher, tracker: Tracker) -> bool:
    """Cancel the visit read back and answered yes (the router calls this as soon as the
    cancel form has its yes). False: it could not be done here, and staff will help."""
    uid, chosen = conversation_uid(tracker), appointment_id(tracker)
    result = (
        frontdesk.cancel_for(
            unit_of_work(),
            uid,
            chosen,
            None,
            language(tracker),
            channel(tracker),
        )
        if uid and chosen
        else None
    )
    if result is None or result.status != frontdesk.DONE or result.appointment is None:
        dispatcher.utter_message(response="utter_cannot_change_here")
        hand_off(dispatcher, tracker, "cancel could not be done by the assistant")
        return False
    dispatcher.utter_message(
        response="utter_appointment_cancelled",
        appointment=result.appointment.line(language(tracker)),
    )
    return True


def note_cancel_reason(tracker: Tracker) -> None:
    """The reason given after the cancellation, kept on the cancelled visit (none: nothing)."""
    reason = tracker.get_slot("cancel_reason")
    uid, chosen = conversation_uid(tracker), appointment_id(tracker)
    if reason in (None, NO_REASON, NOTED) or not uid or not chosen:
        return
    frontdesk.cancel_for(
        unit_of_work(),
        uid,
        chosen,
        str(reason),
        language(tracker),
        channel(tracker),
    )


def listing(tracker: Tracker) -> list[frontdesk.AppointmentView]:
    uid = conversation_uid(tracker)
    if uid is None:
        return []
    return frontdesk.list_for(unit_of_work(), uid, language(tracker), channel(tracker)).appointments


def current(tracker: Tracker) -> frontdesk.AppointmentView | None:
    uid, chosen = conversation_uid(tracker), appointment_id(tracker)
    if uid is None or chosen is None:
        return None
    return frontdesk.appointment_for(
        unit_of_work(), uid, chosen, language(tracker), channel(tracker)
    )


def pick_appointment(
    value: Any, dispatcher: CollectingDispatcher, tracker: Tracker
) -> dict[str, Any]:
    """ "The second one", "2", "Thursday", "the one with Dr. Okafor", "la de la tarde" among
    the listed appointments."""
    uid = conversation_uid(tracker)
    found = (
        frontdesk.list_for(unit_of_work(), uid, language(tracker), channel(tracker))
        if uid
        else frontdesk.Listing()
    )
    views, said = found.appointments, str(value or "")
    index = choose(said, [v.local_date for v in views], [v.hour for v in views])
    if index is None:
        index = which_visit.pick(said, views, today=found.today)
    if index is None:
        dispatcher.utter_message(response="utter_choice_unclear")
        return {"appointment_choice": None}
    return {"appointment_choice": value, "appointment_id": views[index].appointment_id}


def _other_visit(text: str, tracker: Tracker) -> int | None:
    """Another of the patient's visits named at a read-back ("no, the later one", "la del
    jueves"): its id (None: none, or the one read back)."""
    uid = conversation_uid(tracker)
    if uid is None:
        return None
    found = frontdesk.list_for(unit_of_work(), uid, language(tracker), channel(tracker))
    views = found.appointments
    meant = without_kept(text)  # "I meant the one with Dr. Okafor, keep Chen"
    index = which_visit.pick(meant, views, today=found.today) if len(views) > 1 else None
    if index is None or views[index].appointment_id == appointment_id(tracker):
        return None
    return views[index].appointment_id


_TAKEN_BACK = re.compile(r"\b(no|not|dont|don't|nope|never|nunca|wait|espere|espera)\b")


class ActionAskAppointmentChoice(Action):
    def name(self) -> str:
        return "action_ask_appointment_choice"

    def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        lang = language(tracker)
        lines = [v.line(lang) for v in listing(tracker)]
        which = "utter_which_to_confirm" if tracker.get_slot("task") == "confirm" else None
        dispatcher.utter_message(
            response=which or "utter_which_appointment",
            appointments=numbered(lines, lang, channel(tracker)),
        )
        return []


class ActionAskCancelConfirm(Action):
    def name(self) -> str:
        return "action_ask_cancel_confirm"

    def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        view = current(tracker)
        line = view.line(language(tracker)) if view else ""
        dispatcher.utter_message(response="utter_confirm_cancel", appointment=line)
        return []


class ValidateConfirmForm(RepairingForm):
    """Which of several upcoming visits to confirm (the router confirms it)."""

    def name(self) -> str:
        return "validate_confirm_form"

    def slots_to_ask(self, tracker: Tracker, domain_slots: list[str]) -> list[str]:
        return ["appointment_choice"]

    def validate_appointment_choice(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        return pick_appointment(value, dispatcher, tracker)


class ValidateCancelForm(RepairingForm):
    restart_slots = ("cancel_confirm",)

    def name(self) -> str:
        return "validate_cancel_form"

    def can_stop(self, tracker: Tracker, requested: str) -> bool:
        return not tracker.get_slot("cancel_done")  # once cancelled, "never mind" changes nothing

    def prep(self, tracker: Tracker) -> str | None:
        view = current(tracker)
        return view.prep if view else None

    def switch_to(self, tracker: Tracker, text: str) -> str | None:
        """Before the cancellation, "actually I'd rather move it (to Monday)" moves it; "no
        wait, don't cancel it, just confirm it" confirms it."""
        if tracker.get_slot("cancel_done") or asks_to_cancel(text):
            return None
        if asks_to_reschedule(text):
            # "no, la otra, la más tarde" names the other visit (read back), moves nothing
            rest = which_visit.reference(text).rest
            if not asks_to_reschedule(rest) and _other_visit(text, tracker) is not None:
                return None
            return "reschedule"
        # "no wait, don't cancel it, confirm it" (not "sí, confirmo": a yes to the cancellation)
        keeps = bool(_TAKEN_BACK.search(folded_text(text)))
        return "confirm" if keeps and (task_in(text) == "confirm" or says_confirm(text)) else None

    def slots_to_ask(self, tracker: Tracker, domain_slots: list[str]) -> list[str]:
        if tracker.get_slot("cancel_done"):  # cancelled by the router at the yes: why, a new time?
            reason = tracker.get_slot("cancel_reason")
            if reason is None:
                return ["cancel_reason"]
            # the router notes the reason as soon as it is given, then: a new time?
            return ["rebook_answer"] if reason == NOTED else []
        slots = [] if tracker.get_slot("appointment_id") is not None else ["appointment_choice"]
        return [*slots, "cancel_confirm"]

    def validate_appointment_choice(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        return pick_appointment(value, dispatcher, tracker)

    def validate_cancel_confirm(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        """The read-back: only an unambiguous yes cancels; a no keeps the visit."""
        text, intent = str(value or ""), latest_intent(tracker)
        if strict_yes(text, intent):
            return {"cancel_confirm": "yes"}
        other = _other_visit(text, tracker)
        if other is not None:  # "wait no, the later one": that one read back instead
            return {"appointment_id": other, "cancel_confirm": None}
        if strict_no(text, intent):
            return {"cancel_confirm": "no"}
        dispatcher.utter_message(response="utter_yes_or_no")
        return {"cancel_confirm": None}

    def validate_cancel_reason(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        """Why (or "no"), asked once the visit is cancelled: the router notes it on the visit."""
        said = str(value or "")[:200]
        none = not said or yes_or_no(said, tracker) == "no" or stops(said)
        return {"cancel_reason": NO_REASON if none else said}

    def validate_rebook_answer(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        decided = yes_or_no(value, tracker)
        if decided is None:
            dispatcher.utter_message(response="utter_yes_or_no")
        return {"rebook_answer": decided}
