"""Identity form: name, then date of birth, checked by `assistant.identity` (3 tries).

After a miss the date of birth is asked again (the usual slip); a name given instead corrects
the name. Both said with the request ("... my name is Ana Ruiz, born 3/3/82") are validated as
the answers when the form starts; one said alone is kept and only the other is asked (a date of
birth said before the name is checked once the name is said)."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from assistant.datetimes import parse_date_of_birth
from assistant.datetimes.dob import MONTHS, corrected_date_of_birth
from assistant.datetimes.numbers import ORDINALS_EN, TENS_EN, TENS_ES, UNITS_EN, UNITS_ES
from assistant.frontdesk.booking import name_and_birth
from assistant.frontdesk.corrections import request_corrected
from assistant.frontdesk.denials import read_times
from assistant.frontdesk.provider_words import names_provider
from assistant.identity import service
from assistant.identity.names import (
    corrected_name,
    fold,
    has_full_name,
    is_one_name,
    name_opening,
    names_instead,
    renamed,
)
from assistant.messages import translate
from dialogues.actions.common import language
from dialogues.actions.context import conversation_uid, unit_of_work
from dialogues.actions.repair import RepairingForm

_CLEARED = {"patient_name": None, "patient_dob": None}


class ValidateIdentityForm(RepairingForm):
    restart_slots = ("patient_name", "patient_dob")
    back_slots = {"patient_dob": ("patient_name",)}

    def name(self) -> str:
        return "validate_identity_form"

    def slots_to_ask(self, tracker: Tracker, domain_slots: list[str]) -> list[str]:
        if tracker.get_slot("verified") or tracker.get_slot("identity_failed"):
            return []
        return domain_slots

    def validate_patient_name(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        said = str(value or "")
        changed = _request_changed(said, dispatcher, tracker)
        if changed is not None:
            return changed
        both = name_and_birth(said, language(tracker))
        fixed = corrected_name(said)  # "Mario Lopez, I mean Maria": Maria Lopez
        if fixed is not None and both is None and has_full_name(fixed):
            said = value = fixed
        if both is not None:  # "Grace Hope, 3/17/99": the date of birth is the next answer
            name, born = both
            name = fixed if fixed is not None and has_full_name(fixed) else name
            tracker.slots["patient_name"] = name
            checked = self.validate_patient_dob(born, dispatcher, tracker, domain)
            return {"patient_name": name, **checked}
        if not has_full_name(said) and parse_date_of_birth(said, language(tracker)):
            # the date of birth said first ("12/12/1968" where the name was asked): kept, and
            # checked with the name when it is said (the name asked again)
            return {"patient_name": None, "patient_dob": said}
        if not has_full_name(said):
            first = _first_name_before(tracker)
            if first and len(said.split()) <= 2 and has_full_name(f"{first} {said}"):
                return {"patient_name": f"{first} {said}"}  # "Grace" ... "Hope": Grace Hope
            dispatcher.utter_message(response="utter_need_full_name")
            return {"patient_name": None}
        held = tracker.get_slot("patient_dob")
        if held and "patient_dob" not in tracker.slots_to_validate():
            # the date of birth was said first ("my birthday is 3/3/82, when is my visit?"):
            # checked now, with the name
            tracker.slots["patient_name"] = value
            return {
                "patient_name": value,
                **self.validate_patient_dob(held, dispatcher, tracker, domain),
            }
        return {"patient_name": value}

    def validate_patient_dob(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        uid = conversation_uid(tracker)
        if uid is None:
            return {**_CLEARED, "identity_failed": True}
        said = str(value or "")
        if not tracker.get_slot("patient_name"):  # said before the name: kept until it is said
            if parse_date_of_birth(said, language(tracker)) is None:
                dispatcher.utter_message(response="utter_bad_date_of_birth")
                return {"patient_dob": None}
            return {"patient_dob": said}
        respelled = _name_respelled(said, tracker)
        if respelled is not None:  # "oops it's O'Shaughnessy with a g, dob 5/17/86"
            name, born = respelled
            tracker.slots["patient_name"] = name
            return {"patient_name": name,
                    **self.validate_patient_dob(born, dispatcher, tracker, domain)}  # fmt: skip
        fixed = corrected_date_of_birth(said, language(tracker), previous=_said_before(tracker))
        if fixed is not None:  # "sorry, March third, not thirteenth": the date affirmed
            said = value = fixed.isoformat()
        if parse_date_of_birth(said, language(tracker)) is None and names_instead(said):
            # a name where the date was asked (after "let's try again"): the name, corrected
            return {"patient_name": said, "patient_dob": None}
        result = service.verify_for(
            unit_of_work(),
            uid,
            str(tracker.get_slot("patient_name") or ""),
            str(value or ""),
            language(tracker),
        )
        if result.status == service.BAD_DATE:
            dispatcher.utter_message(response="utter_bad_date_of_birth")
            return {"patient_dob": None}
        if result.status == service.NEED_FULL_NAME:
            dispatcher.utter_message(response="utter_need_full_name")
            return dict(_CLEARED)
        if result.verified:
            dispatcher.utter_message(
                response="utter_identity_verified", first_name=result.first_name
            )
            return {**_CLEARED, "verified": True}
        if result.status == service.NO_MATCH:  # the date asked again (or a corrected name)
            dispatcher.utter_message(response="utter_identity_no_match")
            return {"patient_dob": None}
        return {**_CLEARED, "identity_failed": True}


def _request_changed(
    said: str, dispatcher: CollectingDispatcher, tracker: Tracker
) -> dict[str, Any] | None:
    """ "Oh wait, I meant Dr. Park" where the name is asked: the move or booking asked for
    changes (noted, then the name asked again); None: an answer to the question."""
    if tracker.get_slot("task") not in _WITH_DETAILS:
        return None
    request = tracker.get_slot("request_details") or tracker.get_slot("time_preference")
    changed = request_corrected(said, str(request) if request else None)
    if changed is None:
        return None
    dispatcher.utter_message(text=translate(language(tracker), "frontdesk.request_corrected"))
    name = name_opening(said)  # "it's Maria Lopez, and scratch that, Friday morning"
    if name is not None and (read_times(name).words or names_provider(name)):
        name = None  # "Friday afternoon instead": no name
    return {"patient_name": name, "request_details": changed}


_WITH_DETAILS = ("reschedule", "book", "either")


_DATE_WORDS = frozenset([*MONTHS, *UNITS_EN, *TENS_EN, *ORDINALS_EN, *UNITS_ES, *TENS_ES])


def _name_respelled(said: str, tracker: Tracker) -> tuple[str, str] | None:
    """(the name corrected, the date of birth) when the date's answer also spells the name
    again; None: a date alone (or no name word with it)."""
    both = name_and_birth(said, language(tracker))
    before = str(tracker.get_slot("patient_name") or "")
    if both is None or not before:
        return None
    # "perdón julio, quince de julio de ...": a month or a number is no name
    words = [w for w in both[0].split() if fold(w).strip() not in _DATE_WORDS]
    name = renamed(before, " ".join(words))
    if name is None or fold(name) == fold(before):
        return None
    return name, both[1]


def _first_name_before(tracker: Tracker) -> str | None:
    """The one word the patient answered the name question with just before ("Grace", then
    "Hope" when both names were asked for): the first name."""
    asked, answers = None, []
    for event in tracker.events:
        if event.get("event") == "slot" and event.get("name") == "requested_slot":
            asked = event.get("value")
        elif event.get("event") == "user":
            answers.append((asked, str(event.get("text") or "")))
    if len(answers) < 2:
        return None
    asked_then, said = answers[-2]
    word = said.strip(" .,!")
    if asked_then != "patient_name" or not is_one_name(word):
        return None
    return word


def _said_before(tracker: Tracker) -> str | None:
    """The patient's message before this one (the answer a correction corrects)."""
    said = [e.get("text") for e in tracker.events if e.get("event") == "user"]
    return str(said[-2]) if len(said) >= 2 and said[-2] else None
