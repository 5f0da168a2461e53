"""Book form: new or existing patient, the type, a provider, a time, up to three options,
read-back, book; then the time and any prep instructions.

A patient who has been seen before is verified first (the identity form, via the router); a new
patient gives name, date of birth, a callback number and the reason category, and is created
with the booking.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from assistant.datetimes import parse_date_of_birth
from assistant.frontdesk import booking
from assistant.frontdesk import service as frontdesk
from assistant.frontdesk.corrections import corrected_wish
from assistant.frontdesk.offers import OfferedTime
from assistant.frontdesk.provider_words import FIRST, last_mention, names_provider
from assistant.frontdesk.short_answers import choose, wants_more
from assistant.frontdesk.views import numbered
from assistant.identity.names import has_full_name
from assistant.messages import translate
from dialogues.actions.commit import conclude
from dialogues.actions.common import BOOKED, TO_STAFF, channel, language, yes_or_no
from dialogues.actions.compound import mentions_prep
from dialogues.actions.context import conversation_uid, unit_of_work
from dialogues.actions.details import said_when
from dialogues.actions.handoff import hand_off
from dialogues.actions.offering import OfferingForm, chosen, offered

_TO_STAFF = {"book_confirm": TO_STAFF}
NEW_PATIENT_SLOTS = ["new_patient_name", "new_patient_dob", "new_patient_phone", "visit_reason"]


def types(tracker: Tracker) -> list[dict[str, Any]]:
    uid = conversation_uid(tracker)
    return booking.types_for(unit_of_work(), uid, language(tracker)) if uid else []


def providers(tracker: Tracker) -> list[dict[str, Any]]:
    uid, chosen = conversation_uid(tracker), tracker.get_slot("book_type") or {}
    if uid is None or not chosen:
        return []
    return booking.providers_for(unit_of_work(), uid, int(chosen["id"]), reason(tracker))


def reason(tracker: Tracker) -> str | None:
    """The reason category (a new patient's, or the kind of provider a request asked for, as
    "a dermatologist"): which specialty sees them (None: any). A new patient who gave no
    reason starts in primary care (a check-up), never in a specialty by chance."""
    said = tracker.get_slot("visit_reason")
    first_visit = (tracker.get_slot("book_type") or {}).get("code") == booking.NEW_PATIENT_TYPE
    if (is_new(tracker) or first_visit) and said in (None, "other"):
        return "check-up"
    return said


def says_booking_details(text: str) -> bool:
    """Whether a booking request carries details the form would otherwise ask for."""
    return bool(
        booking.request_status(text)
        or booking.names_a_kind(text)
        or booking.named_type(text)
        or booking.reason_category(text) != "other"
    )


def request_slots(tracker: Tracker, text: str, verified: bool) -> dict:
    """A verified patient's answers said with the request ("a physical with a family doctor,
    Thursday morning"): set before the form starts, which validates them as answers, so that
    none is asked again. Only what is not known yet. (A new patient's come once their name and
    date of birth are known: `ValidateBookForm._from_request`.)"""
    uid = conversation_uid(tracker)
    if not text or uid is None or not verified:
        return {}
    text = booking.request_meant(text)  # "a physical.. no sorry a sick visit": a sick visit
    found: dict[str, Any] = {}
    if booking.reason_category(text) != "other" and not tracker.get_slot("visit_reason"):
        found["visit_reason"] = text
    listed = booking.types_for(unit_of_work(), uid, language(tracker))
    kind = booking.type_for_request(text, listed)
    if kind is None or tracker.get_slot("book_type_choice"):
        return found
    found["book_type_choice"] = str(kind["name"])
    category = booking.reason_category(text)
    fitting = booking.providers_for(
        unit_of_work(),
        uid,
        int(kind["id"]),
        None if category == "other" else category,
    )
    named = booking.named_provider(text, fitting)
    who_unsaid = named is None and not tracker.get_slot("provider_preference")
    if who_unsaid and (booking.names_a_kind(text) or said_when(tracker, text)):
        found["provider_preference"] = "any"  # who was not said: whoever fits the reason
    return found


def is_new(tracker: Tracker) -> bool:
    """Not verified and not seen before (by their words, or by name and date of birth)."""
    return tracker.get_slot("book_patient_status") != "existing" and not tracker.get_slot(
        "verified"
    )


class ActionAskBookTypeChoice(Action):
    def name(self) -> str:
        return "action_ask_book_type_choice"

    def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        names = [str(t["name"]) for t in types(tracker)]
        dispatcher.utter_message(
            response="utter_ask_book_type_choice",
            types=numbered(names, language(tracker), channel(tracker)),
        )
        return []


class ActionAskProviderPreference(Action):
    def name(self) -> str:
        return "action_ask_provider_preference"

    def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        names = [str(p["name"]) for p in providers(tracker)]
        listed = (
            translate(
                language(tracker), "frontdesk.either_or", most=", ".join(names[:-1]), last=names[-1]
            )
            if len(names) > 1
            else "".join(names)
        )
        dispatcher.utter_message(response="utter_ask_provider_preference", providers=listed)
        return []


class ActionAskBookConfirm(Action):
    def name(self) -> str:
        return "action_ask_book_confirm"

    def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        option = chosen(tracker)
        kind_chosen = tracker.get_slot("book_type") or {}
        said = str(tracker.get_slot("request_details") or "")
        if kind_chosen and mentions_prep(said):  # "... I have to fast": said with the read-back
            prep = booking.prep_for(unit_of_work(), int(kind_chosen["id"]), language(tracker))
            if prep:
                dispatcher.utter_message(response="utter_office_info", info=prep)
        kind = str(kind_chosen.get("name", "")).lower()
        if language(tracker) != "es":
            kind = ("an " if kind[:1] in "aeiou" else "a ") + kind
        dispatcher.utter_message(
            response="utter_confirm_booking", kind=kind, new=option.label if option else ""
        )
        return []


class ValidateBookForm(OfferingForm):
    restart_slots = ("book_type_choice", "book_type", "provider_preference", "book_provider",
                     "time_preference", "slot_choice", "chosen_option", "offered_options",
                     "book_confirm", "no_options")  # fmt: skip
    back_slots = {
        "book_confirm": ("slot_choice", "chosen_option"),
        "slot_choice": ("time_preference", "offered_options"),
        "time_preference": ("provider_preference", "book_provider"),
        "provider_preference": ("book_type_choice", "book_type"),
    }

    decision, staff = "book_confirm", _TO_STAFF
    cannot, why = "utter_cannot_book_here", "booking could not be done by the assistant"
    switches = ("reschedule", "cancel")  # "start over, I want to move my visit, not a new one"

    def switch_to(self, tracker: Tracker, text: str) -> str | None:
        """A verified patient's visit moved or cancelled instead of a new one booked."""
        return super().switch_to(tracker, text) if tracker.get_slot("verified") else None

    def switch_details(self, tracker: Tracker, text: str) -> str:
        """ "No, I meant move it" after "next week": the move keeps the time wished before
        (a reply naming a time of its own is that wish, merged with the one before)."""
        before = tracker.get_slot("request_details")
        if not before or not said_when(tracker, str(before)):
            return text
        if said_when(tracker, text) or names_provider(text):
            return corrected_wish(text, str(before)) or text
        return str(before)

    def name(self) -> str:
        return "validate_book_form"

    def prep(self, tracker: Tracker) -> str | None:
        kind = tracker.get_slot("book_type") or {}
        return (
            booking.prep_for(unit_of_work(), int(kind["id"]), language(tracker)) if kind else None
        )

    def slots_to_ask(self, tracker: Tracker, domain_slots: list[str]) -> list[str]:
        if tracker.get_slot("book_confirm") in (TO_STAFF, BOOKED):
            return []
        slots: list[str] = []
        if not tracker.get_slot("verified"):
            if tracker.get_slot("book_patient_status") == "existing":
                return slots  # seen before, by their words: the router verifies them first
            # name and date of birth: a patient on file is verified by them, anyone else is new
            slots += ["new_patient_name", "new_patient_dob"]
            if not self._caller_known(tracker):  # otherwise: the number they use
                slots.append("new_patient_phone")
        # the type only when the request did not say it; the provider only when named (else
        # whoever fits the reason); the time unless said with the request
        return slots + ["book_type_choice", "time_preference", "slot_choice", "book_confirm"]

    @staticmethod
    def _caller_known(tracker: Tracker) -> bool:
        uid = conversation_uid(tracker)
        return booking.caller_known(unit_of_work(), uid) if uid else False

    def validate_book_patient_status(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        intent = ((tracker.latest_message or {}).get("intent") or {}).get("name")
        status = booking.patient_status(str(value or ""), intent)
        if status is None:
            dispatcher.utter_message(response="utter_yes_or_no")
        return {"book_patient_status": status}

    def validate_new_patient_name(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        """The name alone ("his name is Mateo Lopez"); with the date of birth said in the same
        answer ("Tessa Lindqvist, 04/29/1989"), that is taken too and not asked."""
        said = str(value or "")
        both = booking.name_and_birth(said, language(tracker))
        name = both[0] if both else booking.clean_name(said)
        if not has_full_name(name):
            dispatcher.utter_message(response="utter_need_full_name")
            return {"new_patient_name": None}
        found = {"new_patient_name": name[:120]}
        if both is None or tracker.get_slot("new_patient_dob"):
            return found
        tracker.slots.update(found)
        return {**found, **self.validate_new_patient_dob(both[1], dispatcher, tracker, domain)}

    def validate_new_patient_dob(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        dob = parse_date_of_birth(str(value or ""), language(tracker))
        if dob is None or dob >= date.today():
            dispatcher.utter_message(response="utter_bad_date_of_birth")
            return {"new_patient_dob": None}
        uid, name = conversation_uid(tracker), str(tracker.get_slot("new_patient_name") or "")
        first = booking.find_registered(unit_of_work(), uid, name, dob) if uid else None
        if first is not None:  # already a patient: verified by name and date of birth
            dispatcher.utter_message(response="utter_already_registered", first_name=first)
            found = {
                "new_patient_dob": dob.isoformat(),
                "verified": True,
                "book_patient_status": "existing",
                "new_patient_name": None,
            }
        else:
            found = {"new_patient_dob": dob.isoformat(), "book_patient_status": "new"}
        tracker.slots.update(found)
        return {**found, **self._from_request(tracker, dispatcher)}

    def _from_request(self, tracker: Tracker, dispatcher: CollectingDispatcher) -> dict[str, Any]:
        """Once who is booking is known: the reason, the type and when, from the request's own
        words (validated as answers), so that they are not asked. A new patient's visit is the
        first visit (a sick visit for symptoms)."""
        said = booking.request_meant(str(tracker.get_slot("request_details") or ""))
        found: dict[str, Any] = {}
        if said and booking.reason_category(said) != "other":  # new or found in the records
            found["visit_reason"] = booking.reason_category(said)
            tracker.slots.update(found)
        if tracker.get_slot("book_type"):
            return found
        named, uid = booking.named_type(said), conversation_uid(tracker)
        if named and uid and booking.not_bookable_here(unit_of_work(), uid, named):
            dispatcher.utter_message(response="utter_cannot_book_here")  # e.g. a biopsy
            hand_off(dispatcher, tracker, f"booking: {named} is booked by staff")
            return {**found, **_TO_STAFF}
        listed = types(tracker)
        kind = booking.type_for_request(said, listed)
        if kind is None and (is_new(tracker) or booking.named_type(said)):
            # not seen yet (new, or on file without a visit, asking for a follow-up or a
            # physical they cannot book before it): the first visit
            kind = next((t for t in listed if t["code"] == booking.NEW_PATIENT_TYPE), None)
        if kind is None:
            return found  # asked
        tracker.slots["book_type"] = kind
        chosen = {"book_type_choice": str(kind["name"]), "book_type": kind}
        return {**found, **chosen, **self._said_before(tracker, dispatcher)}

    def validate_new_patient_phone(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        uid = conversation_uid(tracker)
        known = booking.caller_known(unit_of_work(), uid) if uid else False
        phone = booking.phone_from(str(value or ""), known, yes_or_no(value, tracker) == "yes")
        if phone is None:
            dispatcher.utter_message(response="utter_need_phone_number")
            return {"new_patient_phone": None}
        tracker.slots["new_patient_phone"] = phone
        return {"new_patient_phone": phone, **self._when_said_before(tracker, dispatcher)}

    def validate_visit_reason(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        return {"visit_reason": booking.reason_category(str(value or ""))}

    def validate_book_type_choice(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        listed = types(tracker)
        if not listed:
            dispatcher.utter_message(response="utter_cannot_book_here")
            hand_off(dispatcher, tracker, "booking: no type bookable by the assistant")
            return {"book_type_choice": str(value), **_TO_STAFF}
        text = booking.request_meant(str(value or ""))  # "a physical, no wait, a sick visit"
        chosen = booking.pick_type(text, listed)
        wish = self._wish_in(tracker, text)
        if wish:  # "next week, mornings", "no, better in the afternoon": kept, not lost
            tracker.slots["request_details"] = wish
        if chosen is None and wish and booking.named_type(text) is None:
            return {"book_type_choice": None, "request_details": wish}  # the type: asked again
        if chosen is None:
            named = booking.named_type(text)
            if named and named not in {t["code"] for t in listed}:  # e.g. a follow-up, unseen
                names = [str(t["name"]) for t in listed]
                dispatcher.utter_message(
                    response="utter_type_needs_first_visit",
                    types=numbered(names, language(tracker), channel(tracker)),
                )
                return {"book_type_choice": None}
            dispatcher.utter_message(response="utter_choice_unclear")
            return {"book_type_choice": None}
        tracker.slots["book_type"] = chosen
        said_before = self._said_before(tracker, dispatcher)
        wished = {"request_details": wish} if wish else {}
        return {"book_type_choice": str(value), "book_type": chosen, **wished, **said_before}

    @staticmethod
    def _wish_in(tracker: Tracker, text: str) -> str | None:
        """When said in an answer to another question ("a physical, next week mornings"; "no,
        better in the afternoon"): the wish, merged with the one said before."""
        before = tracker.get_slot("request_details")
        wish = corrected_wish(text, str(before) if before and said_when(tracker, before) else None)
        if wish and said_when(tracker, wish):
            return wish
        return None

    def _said_before(self, tracker: Tracker, dispatcher: CollectingDispatcher) -> dict[str, Any]:
        """The provider said with the request ("... with Dr. Chen") and the time ("... Thursday
        morning"): not asked again. No provider named: whoever fits the reason."""
        details = str(tracker.get_slot("request_details") or "")
        named = booking.named_provider(details, providers(tracker)) if details else None
        found: dict[str, Any] = {}
        if named is not None and not tracker.get_slot("provider_preference"):
            tracker.slots["book_provider"] = named
            found = {"provider_preference": details, "book_provider": named}
        return {**found, **self._when_said_before(tracker, dispatcher)}

    def _when_said_before(
        self, tracker: Tracker, dispatcher: CollectingDispatcher
    ) -> dict[str, Any]:
        """When was said with the request ("... tomorrow afternoon"): searched, not asked. When
        it was not, the soonest times are offered at once (another day can still be asked for),
        as a receptionist would: the patient picks one or says what suits them better."""
        details = tracker.get_slot("request_details")
        if tracker.get_slot("time_preference") or not tracker.get_slot("book_type"):
            return {}
        if details and said_when(tracker, details):
            result = self.search(tracker, str(details))
            return {"time_preference": details, **self.offer(result, dispatcher, tracker)}
        if self._phone_pending(tracker):
            return {}  # the callback number first, then the times
        # none said: the soonest times (another day can be asked for)
        wish = translate(language(tracker), "frontdesk.soonest_wish")
        result = self.search(tracker, wish)
        if result is not None and result.status == frontdesk.DONE and result.options:
            dispatcher.utter_message(text=translate(language(tracker), "frontdesk.soonest_times"))
        return {"time_preference": wish, **self.offer(result, dispatcher, tracker)}

    def _phone_pending(self, tracker: Tracker) -> bool:
        """A new patient without caller ID whose callback number is still to be asked."""
        if tracker.get_slot("verified") or tracker.get_slot("new_patient_phone"):
            return False
        return tracker.get_slot("book_patient_status") != "existing" and not self._caller_known(
            tracker
        )

    def validate_provider_preference(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        chosen = booking.pick_provider(str(value or ""), providers(tracker))
        if chosen is None:
            dispatcher.utter_message(response="utter_provider_unclear")
            return {"provider_preference": None}
        tracker.slots["book_provider"] = chosen
        found = {"provider_preference": str(value), "book_provider": chosen}
        return {**found, **self._when_said_before(tracker, dispatcher)}

    def validate_time_preference(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        named = booking.named_provider(str(value or ""), providers(tracker))
        who = {"book_provider": named} if named else {}  # "Tuesday with Dr. Chen"
        tracker.slots.update(who)
        result = self.search(tracker, str(value or ""))
        return {"time_preference": value, **who, **self.offer(result, dispatcher, tracker)}

    def search(
        self, tracker: Tracker, text: str, after: str | None = None
    ) -> frontdesk.ChangeResult | None:
        uid, kind = conversation_uid(tracker), tracker.get_slot("book_type") or {}
        if uid is None or not kind:
            return None
        provider = tracker.get_slot("book_provider")
        return booking.options_for(
            unit_of_work(),
            uid,
            int(kind["id"]),
            int(provider["id"]) if isinstance(provider, dict) else None,
            text,
            language(tracker),
            channel(tracker),
            new_patient=is_new(tracker),
            after=after,
            reason=reason(tracker),
        )

    def no_times(self, dispatcher: CollectingDispatcher, tracker: Tracker) -> dict[str, Any]:
        if tracker.get_slot("no_options"):  # the second search without a fit: staff
            dispatcher.utter_message(response="utter_no_options")
            dispatcher.utter_message(response="utter_staff_will_help")
            hand_off(dispatcher, tracker, "booking: no suitable time")
            return dict(_TO_STAFF)
        dispatcher.utter_message(response="utter_no_options_try_again")
        return {"no_options": True, "time_preference": None, "offered_options": []}

    def pick(self, text: str, options: list[OfferedTime]) -> int | None:
        """By its place, day or hour (the minutes are not compared here)."""
        return choose(text, [o.local_date for o in options], [o.hour for o in options])

    def validate_slot_choice(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        """Besides a choice, a new wish or "later ones": a provider named ("do you have anything
        with Dr. Okafor?": that one of the offers, else that provider's times); "any time is
        fine" (the soonest, read back); "as soon as possible" or any other way of saying when
        (searched again)."""
        text, options = str(value or ""), offered(tracker)
        named = booking.named_provider(text, providers(tracker)) if options else None
        if named is not None:
            theirs = [i for i, o in enumerate(options) if o.provider_id == named["id"]]
            index = self.pick(text, options)
            if len(theirs) == 1 and index in (None, theirs[0]):
                return {"slot_choice": value, "chosen_option": options[theirs[0]].to_slot()}
            if not theirs:
                return self._with_provider(named, text, dispatcher, tracker)
        before = tracker.get_slot("time_preference")
        plain = self.pick(text, options) is None and not wants_more(text)
        if plain and options and booking.any_time(text) and not self.new_wish(text, before):
            return {"slot_choice": value, "chosen_option": options[0].to_slot()}  # the soonest
        if plain and not self.new_wish(text, before) and said_when(tracker, text):
            result = self.search(tracker, text)  # "as soon as possible", "after 3", "whenever"
            return {"slot_choice": None, "time_preference": text,
                    **self.offer(result, dispatcher, tracker)}  # fmt: skip
        return super().validate_slot_choice(value, dispatcher, tracker, domain)

    def provider_asked(self, text: str, tracker: Tracker) -> tuple[bool, int | None]:
        """A provider of the visit's kind named last, or the one asked for first ("the first
        doctor I asked for": the request's; none named there: whoever fits)."""
        if not names_provider(text):
            return False, None
        fitting = providers(tracker)
        found = last_mention(text, {int(p["id"]): p["words"][-1:] for p in fitting})
        if found is None:
            return False, None
        if found != FIRST:
            return True, found
        first = booking.named_provider(str(tracker.get_slot("request_details") or ""), fitting)
        return True, int(first["id"]) if first else None

    def search_provider(
        self, provider: int | None, wish: str, dispatcher: CollectingDispatcher, tracker: Tracker
    ) -> dict[str, Any]:
        named = next((p for p in providers(tracker) if int(p["id"]) == provider), None)
        tracker.slots["book_provider"] = named
        result = self.search(tracker, wish)
        found = {"book_provider": named, "provider_preference": wish if named else "any"}
        return {**found, **self.offer(result, dispatcher, tracker)}

    def _with_provider(
        self, named: dict[str, Any], text: str, dispatcher: CollectingDispatcher, tracker: Tracker
    ) -> dict[str, Any]:
        """That provider's times, for the wish said now or before."""
        tracker.slots["book_provider"] = named
        before = tracker.get_slot("time_preference")
        wish = self.new_wish(text, before) or str(before or "")
        result = self.search(tracker, wish)
        found = {"slot_choice": None, "book_provider": named, "provider_preference": text}
        return {**found, "time_preference": wish, **self.offer(result, dispatcher, tracker)}

    def validate_book_confirm(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        return self.read_back(value, dispatcher, tracker)


def _new_patient(tracker: Tracker) -> booking.NewPatient | None:
    if not is_new(tracker):
        return None
    dob = tracker.get_slot("new_patient_dob")
    phone = tracker.get_slot("new_patient_phone") or booking.CALLER  # not asked: the caller's
    name = tracker.get_slot("new_patient_name")
    if not (dob and phone and name):
        return None
    return booking.NewPatient(
        str(name),
        date.fromisoformat(str(dob)),
        str(phone),
        str(tracker.get_slot("visit_reason") or "other"),
    )


def commit_booking(dispatcher: CollectingDispatcher, tracker: Tracker) -> dict[str, Any]:
    """Book the option read back and answered yes (the router calls this once the form has
    ended). Returns the slots to set: `book_confirm` BOOKED when done, TO_STAFF when staff will
    help, None when the time was just taken (the times again)."""
    uid, option = conversation_uid(tracker), chosen(tracker)
    result = (
        booking.book_for(
            unit_of_work(),
            uid,
            option,
            _new_patient(tracker),
            language(tracker),
            channel(tracker),
        )
        if uid and option
        else None
    )
    return conclude(
        dispatcher, tracker, result, decision="book_confirm",
        none_left={"time_preference": None, "offered_options": []},
        cannot=ValidateBookForm.cannot, why=ValidateBookForm.why, staff=_TO_STAFF,
        done=("utter_booked", {"book_confirm": BOOKED}),  # the router then forgets the details
    )  # fmt: skip
