"""Where an appointment conversation goes next: verify first, then check, cancel or reschedule.

`action_route_task` runs when a request arrives and after each form; it sets the `flow` slot
and the rules branch on it (identity_form, cancel_form, reschedule_form, or listen).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml
from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from assistant.conversations.messages import CARE_QUESTION, take_message_from_dialogue
from assistant.frontdesk import service as frontdesk
from assistant.frontdesk import which_visit
from assistant.frontdesk.booking import request_status
from assistant.frontdesk.corrections import self_corrected
from assistant.frontdesk.late import minutes_said, todays_appointment_for
from assistant.frontdesk.move_or_book import MOVE, says_late
from assistant.frontdesk.own_visit import (
    about_the_reminded_visit,
    checks_rather_than_books,
    confirmation_denied,
    own_visit_task,
    without_visit_times,
)
from assistant.frontdesk.provider_words import others_named
from assistant.frontdesk.respelling import respelled
from assistant.frontdesk.short_answers import direction, is_emergency, replaces_visit
from assistant.frontdesk.views import numbered
from assistant.identity import service as identity
from assistant.reminders import replies
from dialogues.actions.book import commit_booking, request_slots, says_booking_details
from dialogues.actions.cancel import NOTED, commit_cancel, note_cancel_reason
from dialogues.actions.common import (
    BOOKED,
    TO_STAFF,
    appointment_id,
    channel,
    language,
    request_text,
    say_prep,
    text_of,
)
from dialogues.actions.compound import (
    TASK_INTENTS,
    a_message_not_a_task,
    asks_the_nurse,
    book_or_move,
    books,
    confirm_by_words,
    handle_other_parts,
    move_or_book_unsaid,
    moves,
    task_in,
    task_words,
)
from dialogues.actions.context import conversation_uid, latest_intent, unit_of_work
from dialogues.actions.details import (
    for_someone_else,
    identity_said,
    said_details,
    said_when,
    slot_now,
    someone_said,
    without_introduction,
)
from dialogues.actions.handoff import hand_off
from dialogues.actions.late import note_late
from dialogues.actions.repair import SWITCHED
from dialogues.actions.reschedule import commit_reschedule, opening_wish

TASKS = {
    "confirm_appointment": "confirm",
    "check_appointment": "check",
    "cancel_appointment": "cancel",
    "reschedule_appointment": "reschedule",
    "book_appointment": "book",
    "running_late": "late",
}


def form_slots(form: str) -> tuple[str, ...]:
    """A form's required slots, as the domain lists them."""
    for path in sorted((Path(__file__).resolve().parents[1] / "domain").glob("*.yml")):
        forms = (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("forms") or {}
        if form in forms:
            return tuple(forms[form]["required_slots"])
    raise LookupError(form)


# What a task keeps between turns besides its form's answers: the visit, the times offered and
# chosen, what the router and the repairs noted.
TASK_STATE = (
    "appointment_id", "offered_options", "chosen_option", "no_options", "book_type",
    "book_provider", "late_said", "late_noted", "late_beyond", "task_stopped", "misunderstood",
    "move_or_book", "move_direction", "cancel_done", "request_details", "visit_said",
)  # fmt: skip
TASK_FORMS = ("confirm_form", "cancel_form", "reschedule_form", "book_form", "late_form",
              "move_or_book_form")  # fmt: skip
# What a new task clears: every task form's questions (from the domain) and the task's state.
TASK_SLOTS = tuple(dict.fromkeys(s for form in TASK_FORMS for s in form_slots(form))) + TASK_STATE

# What a new time search clears: the reschedule form's questions (the visit is known) and the
# search it keeps between them.
RESCHEDULE_SLOTS = tuple(s for s in form_slots("reschedule_form") if s != "appointment_choice") + (
    "offered_options", "chosen_option", "no_options",
)  # fmt: skip
NEW_PATIENT_SLOTS = ("new_patient_name", "new_patient_dob", "new_patient_phone")
_FORMS = ("identity_form", "confirm_form", "cancel_form", "reschedule_form", "book_form",
          "late_form", "move_or_book_form")  # fmt: skip
# Actions that answer one part of a compound request and then hand the task to the router.
_ANSWERED_FIRST = ("action_take_message", "action_office_info", "action_after_emergency")
REMINDER_RESPONSES = {
    replies.CONFIRMED: "utter_appointment_confirmed",
    replies.ALREADY_CONFIRMED: "utter_appointment_already_confirmed",
    replies.NOT_CONFIRMABLE: "utter_appointment_not_confirmable",
}


def reset(names: tuple[str, ...] = TASK_SLOTS) -> list[EventType]:
    return [SlotSet(name, None) for name in names]


def flow(value: str) -> SlotSet:
    return SlotSet("flow", value)


def request_without_introduction(tracker: Tracker) -> str:
    """The request as the rules read it (respelled), without "this is <name>, born <date>"."""
    return respelled(without_introduction(tracker, text_of(tracker)), language(tracker))


class ActionRouteTask(Action):
    def name(self) -> str:
        return "action_route_task"

    def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        events = self.route(dispatcher, tracker)
        done = any(e.get("name") == "flow" and e.get("value") == "done" for e in events)
        handed_off = any("handoff" in (m.get("custom") or {}) for m in dispatcher.messages)
        if done and not handed_off and channel(tracker) == "voice":
            # back to listening: the greeting's keypad menu works again (1 confirm, 3 cancel,
            # 4 reschedule, 0 staff); inside a task a digit answers the question asked
            dispatcher.utter_message(json_message={"keypad_menu": True})
        return events

    def route(self, dispatcher: CollectingDispatcher, tracker: Tracker) -> list[EventType]:
        previous = tracker.latest_action_name
        after = self.after_form(dispatcher, tracker, previous)
        if after is not None:
            return after
        said = request_text(tracker)  # "cn u move my appt": written out
        if previous not in _FORMS and is_emergency(said):
            dispatcher.utter_message(response="utter_emergency")  # before any task
            return [flow("done")]
        said = request_without_introduction(tracker)  # not "born 3/3/82"
        intent = confirm_by_words(said, self.requested_intent(tracker, previous))
        if intent == "book_appointment" and not (books(said) or moves(said)):
            own = own_visit_task(said)  # "sí voy a ir a mi cita" heard as a booking: confirm
            intent = TASK_INTENTS[own] if own else intent
        if intent == "book_appointment" and not moves(said) and checks_rather_than_books(said):
            intent = TASK_INTENTS["check"]  # "when am I scheduled to come in next?"
        denied = intent == "confirm_appointment" and confirmation_denied(said)
        if denied and own_visit_task(said) == "check":  # "am I booked? nobody confirmed it"
            intent = TASK_INTENTS["check"]
        fresh = previous not in (*_FORMS, *_ANSWERED_FIRST, "identity_form")
        if fresh and intent in TASKS and a_message_not_a_task(said):
            return [FollowupAction("action_take_message")]  # the department its words name
        if intent == "cancel_appointment" and replaces_visit(said):
            intent = "reschedule_appointment"  # "cancel it and give me another one": a move
        events: list[EventType] = []
        if previous != "identity_form" and intent in TASKS:
            task = book_or_move(said, TASKS[intent])  # booking never moves a visit
            heard = task in ("book", "reschedule", "check") or (
                task == "late" and not says_late(said)
            )  # "¿tienen algo el jueves en la tarde?" heard as running late
            if heard and move_or_book_unsaid(said):
                task = "either"  # "anything Thursday morning?": asked, never booked silently
            events = self.start(dispatcher, tracker, task, previous in _ANSWERED_FIRST)
            if any(e.get("name") == "flow" for e in events):  # answered already (a reminder)
                return events
        return events + self.for_patient(dispatcher, tracker, events, intent in TASKS)

    def after_form(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, previous: str | None
    ) -> list[EventType] | None:
        """What follows a form that ended (None: no form ended, or the identity form)."""
        if previous not in _FORMS:
            return None
        stopped = tracker.get_slot("task_stopped")
        if stopped == SWITCHED and tracker.get_slot("task") == "confirm":
            # "don't cancel it, just confirm it": the visit read back, confirmed
            chosen = appointment_id(tracker)
            confirmed = self.confirm(dispatcher, tracker, chosen)
            return [*reset(), SlotSet("task", "confirm"), *confirmed]
        if stopped == SWITCHED and appointment_id(tracker) is None and tracker.get_slot("verified"):
            # "start over, I want to move my visit, not book a new one": their visit (the only
            # one, or the one named), as a move asked for at the start
            switched = self.switch(tracker)[:-1]  # without its flow
            task = str(tracker.get_slot("task"))
            return switched + self.for_verified(dispatcher, tracker, switched, task)
        if stopped == SWITCHED:
            return self.switch(tracker)
        if stopped:
            return [flow("done")]  # stopped inside the form: already said (nothing changed)
        after = {
            "confirm_form": self.after_confirm,
            "cancel_form": self.after_cancel,
            "reschedule_form": self.after_reschedule,
            "book_form": self.after_book,
            "late_form": self.after_late,
            "move_or_book_form": self.after_move_or_book,
        }.get(str(previous))
        return after(dispatcher, tracker) if after else None

    @staticmethod
    def requested_intent(tracker: Tracker, previous: str | None) -> str | None:
        """The classifier's intent; after a compound request's other part was answered, the
        task its words ask for."""
        intent = latest_intent(tracker)
        if previous in _ANSWERED_FIRST and intent not in TASKS:
            said = request_text(tracker)  # "which doctor am I seeing?" heard as care: a check
            task = task_in(without_visit_times(said)) or own_visit_task(said)
            return TASK_INTENTS.get(task or "", intent)
        return intent

    def start(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, task: str, follows: bool
    ) -> list[EventType]:
        """A new request: its task and what was said with it ("... to Thursday afternoon",
        "... and where do I park?"); flow "done" when it is already answered."""
        said, uid = request_text(tracker), conversation_uid(tracker)
        if task != "book":  # the request without "this is <name>, born <date>"
            said = request_without_introduction(tracker)
        if task == "book" and uid and asks_the_nurse(said):  # "should I come in, or the nurse?"
            reply = take_message_from_dialogue(unit_of_work(), uid, CARE_QUESTION)
            dispatcher.utter_message(text=reply)
            return [flow("done")]
        if not follows:  # "... and where do I park?", "... and I need a refill": first
            handle_other_parts(dispatcher, tracker, said)
        events: list[EventType] = [SlotSet("task", task), *reset()]
        if task == "late":  # "I'll be 20 minutes late", "a few minutes late": not asked again
            events.append(SlotSet("late_said", minutes_said(said)))
        # without "... and what's the address?" nor what it took back ("next week.. wait no,
        # the week after next")
        words = self_corrected(task_words(said))
        move_words = task == "book" and moves(said) and not books(said)  # "push it back"
        moving = task in ("reschedule", "either") or move_words
        named = which_visit.reference(words, moving=moving)  # "the later one", "la del jueves"
        if named.words and (task in ("confirm", "check", "cancel", "reschedule") or move_words):
            events.append(SlotSet("visit_said", named.words))
        if task in ("check", "confirm"):  # "¿qué día y con quién?", "do I need to fast?"
            events.append(SlotSet("request_details", words))
        # a text answering the reminder text; a call verifies (its number proves nothing)
        answers_text = channel(tracker) != "voice"
        if task == "confirm" and uid and answers_text and self.answer_reminder(dispatcher, uid):
            return [*events, flow("done")]  # a reminder's answer: no verification needed
        if move_words:
            events.append(SlotSet("move_or_book", True))  # "push it back": a move if they have one
        way = direction(which_visit.without_places(words, moving=moving))  # not "the later one"
        if task in ("book", "reschedule", "either") and way:
            events.append(SlotSet("move_direction", way))
        if moving:  # "... to Thursday afternoon": not asked again (nor "the later one")
            wish = named.rest if task == "reschedule" else words
            events.append(SlotSet("request_details", said_details(tracker, wish)))
        if task == "book":  # "I'm new, a sick visit Thursday morning": none asked again
            full = said if says_booking_details(said) else None
            wish = said_details(tracker, named.rest) if move_words and named.words else None
            events.append(SlotSet("request_details", wish or said_details(tracker) or full))
        return events

    def for_patient(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, events: list[EventType],
        asked: bool,
    ) -> list[EventType]:  # fmt: skip
        """Verify first (or book a new patient); then the task for the verified patient."""
        uid = conversation_uid(tracker)
        if uid is None or identity.is_locked(unit_of_work(), uid):
            dispatcher.utter_message(response="utter_identity_handoff")
            hand_off(dispatcher, tracker, "identity not verified")
            return [SlotSet("identity_failed", True), flow("done")]
        verified = identity.verified_patient_id(unit_of_work(), uid) is not None
        task = slot_now(events, tracker, "task")
        found: list[EventType] = []
        moving = slot_now(events, tracker, "move_or_book")
        if task == "book" and moving and verified and self.has_upcoming(tracker, uid):
            task = "reschedule"  # asked in booking words to move the visit they have
            found.append(SlotSet("task", task))
        says_new = request_status(request_text(tracker)) == "new"
        if task == "book" and moving and not verified and not says_new:
            return [flow("identify")]  # a move if they have a visit: who they are first
        reply = task == "either" and about_the_reminded_visit(request_text(tracker))
        if reply and uid and replies.answers_a_reminder(unit_of_work(), uid):
            # "can't do that day, anything the week after?" answering the reminder: that visit
            task = "reschedule"
            found.append(SlotSet("task", task))
        if task == "either":  # move the visit they have, or a new one? asked (none: a new one)
            has_visit = verified and self.has_upcoming(tracker, uid)
            if has_visit or (not verified and not says_new):
                return [*found, flow("move_or_book")]
            task = "book"
            found.append(SlotSet("task", task))
        if task == "book" and verified and for_someone_else(request_text(tracker)):
            # never booked under the verified parent's record: staff book the family member
            dispatcher.utter_message(response="utter_cannot_book_here")
            hand_off(dispatcher, tracker, "booking for a family member of a verified patient")
            return [*found, flow("done")]
        if task == "book":
            return found + self.book(tracker, events, verified)
        if not verified:  # name and date of birth said with the request: not asked again
            said_who = identity_said(tracker) if asked else {}
            return [*found, *(SlotSet(k, v) for k, v in said_who.items()), flow("identify")]
        found.append(SlotSet("verified", True))
        if task == "late":
            return found + self.late(dispatcher, tracker, events)
        return found + self.for_verified(dispatcher, tracker, [*events, *found], str(task))

    def for_verified(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, events: list[EventType],
        task: str,
    ) -> list[EventType]:  # fmt: skip
        """Check, confirm, cancel or reschedule among the verified patient's upcoming visits."""
        listing = frontdesk.list_for(
            unit_of_work(),
            conversation_uid(tracker) or "",
            language(tracker),
            channel(tracker),
            record=task == "check",
        )
        views = listing.appointments
        if not views:
            dispatcher.utter_message(response="utter_no_upcoming_appointments")
            return [flow("done")]
        picked = self.named_visit(tracker, events, listing)
        if task == "check":
            asked = which_visit.asked(str(slot_now(events, tracker, "request_details") or ""))
            named = picked is not None and len(views) > 1  # "my appointment with Dr. Okafor"
            self.tell(dispatcher, tracker, [picked] if picked else views, asked, named=named)
            return [flow("done")]
        found: list[EventType] = []
        if picked is not None:
            chosen = picked.appointment_id
            if task == "confirm":
                asked = which_visit.asked(str(slot_now(events, tracker, "request_details") or ""))
                return self.confirm(dispatcher, tracker, chosen, asked)
            found.append(SlotSet("appointment_id", chosen))
            details = slot_now(events, tracker, "request_details")
            # "move my visit with Dr. Okafor" of a visit with Dr. Chen: Dr. Okafor is the wish
            other = others_named(str(slot_now(events, tracker, "visit_said") or ""),
                                 picked.provider_words[-1:])  # fmt: skip
            details = " ".join(f"{other} {details or ''}".split()) or details
            if task == "reschedule" and len(views) > 1:  # which one, by their words: said
                dispatcher.utter_message(
                    response="utter_moving_visit", appointment=picked.line(language(tracker))
                )
            if task == "reschedule":  # the form validates it when it starts: the times at once
                found.append(SlotSet("time_preference", opening_wish(language(tracker), details)))
        if task == "confirm":
            return [*found, flow("confirm")]
        return [*found, flow("reschedule" if task == "reschedule" else "cancel")]

    @staticmethod
    def named_visit(
        tracker: Tracker, events: list[EventType], listing: frontdesk.Listing
    ) -> frontdesk.AppointmentView | None:
        """The visit the task is about: the only one, or the one the request's words name among
        several ("the later one", "la del jueves", "the one with Dr. Okafor"); None: ask."""
        views = listing.appointments
        if len(views) == 1:
            return views[0]
        said = slot_now(events, tracker, "visit_said")
        index = which_visit.pick(str(said), views, today=listing.today) if said else None
        return views[index] if index is not None else None

    @staticmethod
    def switch(tracker: Tracker) -> list[EventType]:
        """Another task asked for inside a form ("actually just cancel it", "no, move it to
        Monday instead"): that task, for the same visit, with what was said as its details."""
        task, said = tracker.get_slot("task"), str(tracker.get_slot("request_details") or "")
        chosen = tracker.get_slot("appointment_id")
        events = [*reset(), SlotSet("task", task), SlotSet("appointment_id", chosen)]
        if task == "reschedule":
            way = direction(said)
            if way:
                events.append(SlotSet("move_direction", way))
            when = said if said_when(tracker, said) else None
            if when:  # "... to Monday afternoon": searched, not asked
                events.append(SlotSet("request_details", when))
            if chosen is not None:  # else the soonest times
                events.append(SlotSet("time_preference", opening_wish(language(tracker), when)))
        return [*events, flow("reschedule" if task == "reschedule" else "cancel")]

    @staticmethod
    def book(tracker: Tracker, events: list[EventType], verified: bool) -> list[EventType]:
        """Book: verify a patient seen before first; the details said with the request are the
        form's answers (it validates them when it starts)."""
        said = slot_now(events, tracker, "request_details")
        status = slot_now(events, tracker, "book_patient_status")
        found: dict[str, Any] = {}
        if not verified and status is None and said:
            status = request_status(str(said))
            if status:
                found["book_patient_status"] = status
        if not verified and status == "existing":  # seen before: verify, then book
            return [*(SlotSet(k, v) for k, v in found.items()), flow("identify")]
        who = someone_said(text_of(tracker), language(tracker)) if not verified else None
        if who is not None:  # "my son Lucas Lopez, dob 4/18/2015, ...": the form's answers
            name, dob, rest = who
            found.update(new_patient_name=name, new_patient_dob=dob)
            found["request_details"] = rest if says_booking_details(rest) or said_when(
                tracker, rest) else None  # fmt: skip
        found.update(request_slots(tracker, str(said or ""), verified))
        return [*(SlotSet(k, v) for k, v in found.items()), SlotSet("verified", verified),
                flow("book")]  # fmt: skip

    @staticmethod
    def has_upcoming(tracker: Tracker, uid: str) -> bool:
        listing = frontdesk.list_for(unit_of_work(), uid, language(tracker), "sms")
        return bool(listing.appointments)

    @staticmethod
    def answer_reminder(dispatcher: CollectingDispatcher, uid: str) -> bool:
        """Confirm the appointment of an outstanding reminder (its answer), if there is one."""
        result = replies.confirm_reply_for(unit_of_work(), uid)
        if result.status == replies.NO_REMINDER:
            return False
        dispatcher.utter_message(
            response=REMINDER_RESPONSES[result.status], when=result.when, location=result.location
        )
        return True

    @staticmethod
    def confirm(
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        chosen: int | None,
        asked: frozenset[str] = frozenset(),
    ) -> list[EventType]:
        """Confirm the verified patient's chosen visit, saying which (date, time, provider), and
        how to prepare for it (asked with the confirmation: that none is needed too)."""
        uid = conversation_uid(tracker)
        result = (
            frontdesk.confirm_for(
                unit_of_work(),
                uid,
                chosen,
                language(tracker),
                channel(tracker),
            )
            if uid and chosen
            else None
        )
        if result is None or result.appointment is None:
            dispatcher.utter_message(response="utter_appointment_not_confirmable")
            hand_off(dispatcher, tracker, "confirm could not be done by the assistant")
            return [flow("done")]
        line = result.appointment.line(language(tracker))
        if result.status == frontdesk.ALREADY:
            dispatcher.utter_message(response="utter_was_already_confirmed", appointment=line)
        else:
            dispatcher.utter_message(response="utter_confirmed_appointment", appointment=line)
        say_prep(dispatcher, result.appointment, asked=which_visit.PREP in asked)
        dispatcher.utter_message(response="utter_anything_else")
        return [flow("done")]

    def after_confirm(self, dispatcher: CollectingDispatcher, tracker: Tracker) -> list[EventType]:
        asked = which_visit.asked(str(tracker.get_slot("request_details") or ""))
        return self.confirm(dispatcher, tracker, appointment_id(tracker), asked)

    @staticmethod
    def tell(
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        views: list[frontdesk.AppointmentView],
        asked: frozenset[str] = frozenset(),
        *,
        named: bool = False,
    ) -> None:
        """The visits (day, time, provider, place), and where or what kind when asked; `named`:
        the one of several the patient asked about (not "your next appointment")."""
        lang = language(tracker)
        lines = [v.line(lang) for v in views]
        if len(lines) == 1:
            which = "utter_named_appointment" if named else "utter_upcoming_appointment"
            dispatcher.utter_message(response=which, appointments=lines[0])
        else:
            dispatcher.utter_message(
                response="utter_upcoming_appointments",
                appointments=numbered(lines, lang, channel(tracker)),
            )
        told: set[str] = set()  # each place's address once
        for view in views:
            if which_visit.WHERE in asked and view.address and view.location not in told:
                told.add(view.location)
                dispatcher.utter_message(
                    response="utter_visit_address", location=view.location, address=view.address
                )
            if which_visit.KIND in asked and view.type_name:
                dispatcher.utter_message(
                    response="utter_visit_kind", when=view.when, kind=view.type_name
                )
            say_prep(dispatcher, view, asked=which_visit.PREP in asked and len(views) == 1)

    def late(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, events: list[EventType]
    ) -> list[EventType]:
        uid = conversation_uid(tracker) or ""
        view = todays_appointment_for(unit_of_work(), uid, language(tracker), channel(tracker))
        if view is None:
            dispatcher.utter_message(response="utter_no_appointment_today")
            return [flow("done")]
        said = next((e["value"] for e in events if e.get("name") == "late_said"), None)
        if said is None:
            said = tracker.get_slot("late_said")
        found = [SlotSet("appointment_id", view.appointment_id)]
        if said is None:
            return [*found, flow("late")]
        # the minutes were in the first message: note it now, ask only about rescheduling
        slots = note_late(dispatcher, tracker, int(said) or None, view.appointment_id)
        found += [SlotSet(k, v) for k, v in slots.items()]
        return [*found, flow("late" if slots.get("late_beyond") else "done")]

    def after_book(self, dispatcher: CollectingDispatcher, tracker: Tracker) -> list[EventType]:
        decision = tracker.get_slot("book_confirm")
        if decision == "yes":  # read back and answered yes: book it now
            slots = commit_booking(dispatcher, tracker)
            decision = slots.get("book_confirm")
            if decision is None:  # just taken: the times again, in the form
                return [*(SlotSet(k, v) for k, v in slots.items()), flow("book")]
            if decision == BOOKED:
                dispatcher.utter_message(response="utter_anything_else")
                return [SlotSet("book_confirm", BOOKED), *reset(NEW_PATIENT_SLOTS), flow("done")]
            return [SlotSet("book_confirm", decision), flow("done")]
        if decision == TO_STAFF:
            return [flow("done")]
        if not tracker.get_slot("verified"):  # seen before: verify, then book
            return [flow("identify")]
        return [flow("done")]

    def after_move_or_book(
        self, dispatcher: CollectingDispatcher, tracker: Tracker
    ) -> list[EventType]:
        """Moving the visit they have, or a new one: that task, with the time already said."""
        task = "reschedule" if tracker.get_slot("move_or_book_answer") == MOVE else "book"
        events: list[EventType] = [SlotSet("task", task)]
        return events + self.for_patient(dispatcher, tracker, events, False)

    def after_late(self, dispatcher: CollectingDispatcher, tracker: Tracker) -> list[EventType]:
        if tracker.get_slot("late_reschedule") == "yes":
            return [SlotSet("task", "reschedule"), *reset(RESCHEDULE_SLOTS), flow("reschedule")]
        if tracker.get_slot("late_reschedule") == "no":
            dispatcher.utter_message(response="utter_late_come_anyway")
        return [flow("done")]

    def after_cancel(self, dispatcher: CollectingDispatcher, tracker: Tracker) -> list[EventType]:
        if tracker.get_slot("cancel_confirm") != "yes":
            dispatcher.utter_message(response="utter_reschedule_kept")
            return [flow("done")]
        if not tracker.get_slot("cancel_done"):  # answered yes: cancel it now, before any "why?"
            if not commit_cancel(dispatcher, tracker):
                return [flow("done")]
            return [SlotSet("cancel_done", True), flow("cancel")]  # then: why, a new time?
        if tracker.get_slot("cancel_reason") != NOTED:  # the reason, kept at once; a new time?
            note_cancel_reason(tracker)
            return [SlotSet("cancel_reason", NOTED), flow("cancel")]
        if tracker.get_slot("rebook_answer") == "yes":
            return [SlotSet("task", "rebook"), *reset(RESCHEDULE_SLOTS), flow("reschedule")]
        dispatcher.utter_message(response="utter_anything_else")
        return [flow("done")]

    def after_reschedule(
        self, dispatcher: CollectingDispatcher, tracker: Tracker
    ) -> list[EventType]:
        decision = tracker.get_slot("reschedule_confirm")
        waitlist = tracker.get_slot("waitlist_answer")
        uid = conversation_uid(tracker)
        if waitlist is not None:
            joined = waitlist == "yes" and uid is not None
            if joined and frontdesk.join_waitlist_for(
                unit_of_work(),
                uid,
                appointment_id(tracker) or 0,
                str(tracker.get_slot("time_preference") or ""),
                language(tracker),
            ):
                dispatcher.utter_message(response="utter_waitlist_joined")
            else:
                hand_off(dispatcher, tracker, "reschedule: no suitable time")
                dispatcher.utter_message(response="utter_staff_will_help")
        elif decision == "staff":
            pass  # already handed to staff while the form ran
        elif decision == "yes":  # read back and answered yes: move it now
            slots = commit_reschedule(dispatcher, tracker)
            if slots.get("reschedule_confirm") is None:  # just taken: the times again
                return [*(SlotSet(k, v) for k, v in slots.items()), flow("reschedule")]
            if slots["reschedule_confirm"] == "yes":
                dispatcher.utter_message(response="utter_anything_else")
        else:
            dispatcher.utter_message(response="utter_reschedule_kept")
        return [flow("done")]
