"""Recovering inside a form, whatever the classifier said about the answer.

Every form's validation runs through `RepairingForm`, the one base of the form validators: a
reply that changes the subject (dialogues/actions/answers.py) goes to the digression rules; an
emergency is answered with 911 /
988 at once and stops the task; "never mind" stops it with nothing changed (and says so);
"start over" and "go back" re-ask; a question about the office, insurance or preparation is
answered in place and the pending question asked again; two misunderstandings in a row offer a
person, a third hands the conversation to staff. Nothing here writes to the database except the
staff message of an insurance question or a handoff.
"""

from __future__ import annotations

import inspect
from abc import abstractmethod
from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.events import ActionExecutionRejected, EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.forms import FormValidationAction
from rasa_sdk.types import DomainDict

from assistant.frontdesk.corrections import asks_and_corrects, carries_correction, task_meant
from assistant.frontdesk.insurance import answer_insurance
from assistant.frontdesk.service import cancel_policy_for, office_info_for
from assistant.frontdesk.short_answers import (
    goes_back,
    is_emergency,
    question_topic,
    restarts,
    stops,
    wants_person,
)
from dialogues.actions.answers import digression
from dialogues.actions.common import language, text_of
from dialogues.actions.context import conversation_uid, unit_of_work
from dialogues.actions.handoff import hand_off

# What a form says when it did not understand an answer (counted: a person at the second).
MISUNDERSTOOD = frozenset(
    {
        "utter_choice_unclear",
        "utter_yes_or_no",
        "utter_provider_unclear",
        "utter_need_full_name",
        "utter_bad_date_of_birth",
        "utter_need_phone_number",
        "utter_readback_needs_yes",
        "utter_move_or_book_unclear",
    }
)
STOPPED, EMERGENCY, STAFF, SWITCHED = "stopped", "emergency", "staff", "switched"


class RepairingForm(FormValidationAction):
    """A form that recovers (see the module). Subclasses say what "start over" and "go back"
    clear, whether "never mind" can still leave everything unchanged, and the visit's prep."""

    # Slots cleared by "start over" (the form then asks again from its first open question).
    restart_slots: tuple[str, ...] = ()
    # requested slot -> slots cleared by "go back" (default: the question is asked again).
    back_slots: dict[str, tuple[str, ...]] = {}

    @abstractmethod
    def name(self) -> str:
        """Abstract, so that the action server does not register this base class."""

    async def required_slots(
        self,
        domain_slots: list[str],
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: DomainDict,
    ) -> list[str]:
        """A stopped task asks nothing more; otherwise what the form still needs."""
        if tracker.get_slot("task_stopped"):
            return []
        return self.slots_to_ask(tracker, domain_slots)

    def slots_to_ask(self, tracker: Tracker, domain_slots: list[str]) -> list[str]:
        """The form's questions, in order, given what is known (the domain's list by default)."""
        return domain_slots

    def can_stop(self, tracker: Tracker, requested: str) -> bool:
        """Whether stopping now leaves everything as it was (nothing committed yet)."""
        return True

    def prep(self, tracker: Tracker) -> str | None:
        return None

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        """An answer to the form's question is that answer; a real change of subject (an
        emergency, a person, an office question) rejects the form so that its rule answers."""
        requested = digression(tracker)
        if requested is not None:
            return [SlotSet(requested, None), ActionExecutionRejected(self.form_name())]
        return await super().run(dispatcher, tracker, domain)

    # Tasks a correction may turn this form's task into ("never mind, just confirm it").
    switches: tuple[str, ...] = ()

    def switch_to(self, tracker: Tracker, text: str) -> str | None:
        """Another task asked for instead ("actually just cancel it", "start over, I want to
        move my visit, not make a new one"): its name, else None."""
        wanted = task_meant(text, tracker.get_slot("task"))
        return wanted if wanted in self.switches else None

    def switch_details(self, tracker: Tracker, text: str) -> str:
        """What the task switched to starts from: the reply's own words."""
        return text

    async def get_validation_events(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        requested = tracker.get_slot("requested_slot")
        answered = bool(requested) and requested in tracker.slots_to_validate()
        if answered:
            asked_too = await self.answer_and_correct(dispatcher, tracker, str(requested), domain)
            if asked_too is not None:
                return asked_too
            repaired = self.repair(dispatcher, tracker, str(requested), text_of(tracker))
            if repaired is not None:
                tracker.slots.update(repaired)
                return [SlotSet(name, value) for name, value in repaired.items()]
        before = len(dispatcher.messages)
        events = await super().get_validation_events(dispatcher, tracker, domain)
        if not answered:
            return events
        said = {m.get("response") for m in dispatcher.messages[before:]}
        if not said & MISUNDERSTOOD:
            if tracker.get_slot("misunderstood"):
                events.append(SlotSet("misunderstood", 0))
            return events
        count = int(tracker.get_slot("misunderstood") or 0) + 1
        if count == 2:
            dispatcher.utter_message(response="utter_offer_person")
        elif count >= 3:  # never a loop: a person takes over
            dispatcher.utter_message(response="utter_staff_will_help")
            hand_off(dispatcher, tracker, f"not understood three times ({self.form_name()})")
            stopped = {str(requested): None, "task_stopped": STAFF, "misunderstood": 0}
            tracker.slots.update(stopped)
            return [SlotSet(name, value) for name, value in stopped.items()]
        events.append(SlotSet("misunderstood", count))
        return events

    async def answer_and_correct(
        self,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        requested: str,
        domain: DomainDict,
    ) -> list[EventType] | None:
        """ "Wait, make it Friday not Wednesday, and where do I park?": the question answered,
        then the correction taken as the answer (None: not both in the reply)."""
        text = text_of(tracker)
        topic = question_topic(text)
        rest = asks_and_corrects(text) if topic is not None else None
        validate = getattr(self, f"validate_{requested}", None)
        if topic is None or rest is None or validate is None or is_emergency(text):
            return None
        self.answer_question(dispatcher, tracker, topic)
        tracker.slots[requested] = rest
        result = validate(rest, dispatcher, tracker, domain)
        if inspect.isawaitable(result):
            result = await result
        tracker.slots.update(result)
        return [SlotSet(name, value) for name, value in result.items()]

    def repair(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, requested: str, text: str
    ) -> dict[str, Any] | None:
        """The slots to set when the answer was not an answer (None: validate it as usual)."""
        if is_emergency(text):
            dispatcher.utter_message(response="utter_emergency")
            return {requested: None, "task_stopped": EMERGENCY}
        if wants_person(text) and tracker.get_slot("misunderstood"):  # took the offer
            dispatcher.utter_message(response="utter_staff_will_help")
            hand_off(dispatcher, tracker, f"asked for a person ({self.form_name()})")
            return {requested: None, "task_stopped": STAFF, "misunderstood": 0}
        asks_policy = question_topic(text) == "policy"  # "is there a fee if I cancel?": asked
        switched = None if asks_policy else self.switch_to(tracker, text)
        if switched is not None:  # the router starts that task, with what was said
            return {requested: None, "task_stopped": SWITCHED, "task": switched,
                    "request_details": self.switch_details(tracker, text)}  # fmt: skip
        if stops(text) and self.can_stop(tracker, requested):
            dispatcher.utter_message(response="utter_nothing_changed")
            return {requested: None, "task_stopped": STOPPED}
        if restarts(text) and self.restart_slots and self.can_stop(tracker, requested):
            dispatcher.utter_message(response="utter_start_over")
            cleared = dict.fromkeys(self.restart_slots)
            return {**cleared, requested: None, "misunderstood": 0}
        if goes_back(text) and not carries_correction(text):  # "go back, I meant ...": that
            cleared = dict.fromkeys(self.back_slots.get(requested, ()))
            return {**cleared, requested: None, "misunderstood": 0}
        topic = question_topic(text)
        if topic is not None:
            self.answer_question(dispatcher, tracker, topic)
            return {requested: None}  # the form asks the pending question again
        return None

    def answer_question(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, topic: str
    ) -> None:
        uid = conversation_uid(tracker)
        if topic == "office":
            info = office_info_for(unit_of_work(), uid, language(tracker))
            if info:
                dispatcher.utter_message(response="utter_office_info", info=info)
                return
        if topic == "policy":  # the cancellation policy as the practice states it
            policy = cancel_policy_for(unit_of_work(), uid, language(tracker))
            dispatcher.utter_message(response="utter_office_info", info=policy)
            return
        if topic == "prep":
            prep = self.prep(tracker)
            if prep:
                dispatcher.utter_message(response="utter_office_info", info=prep)
            else:
                dispatcher.utter_message(response="utter_no_special_prep")
            return
        if topic == "insurance":  # the practice's plans, or billing's message; and on we go
            answer = answer_insurance(unit_of_work(), uid, language(tracker), text_of(tracker))
            dispatcher.utter_message(text=answer)
