"""A booking request that carries its details (new or seen before, the reason, the kind of
provider, when) is understood whole: the form starts with those answers and asks only what is
missing; the visit type and specialty are the ones asked for (issue #16 class 1, #17 class 6)."""

from __future__ import annotations

from typing import Any

import pytest
from rasa_sdk import Tracker

from assistant.db.models import Provider
from assistant.unit_of_work import UnitOfWork
from dialogues.actions.book import ValidateBookForm
from dialogues.actions.tasks import ActionRouteTask
from tests.dialogues.conftest import conversation, run, slots_of, tracker
from tests.dialogues.test_appointment_actions import _verify

# The book form's required slots in the domain's order (the order Rasa validates prefilled ones).
ORDER = ("book_patient_status", "visit_reason", "book_type_choice", "provider_preference",
         "time_preference")  # fmt: skip


def _form_starts(uid: str, slots: dict[str, Any], text: str) -> dict[str, Any]:
    """The book form's activation: Rasa validates the slots filled before it started."""
    prefilled = [k for k in ORDER if slots.get(k) is not None]
    track = Tracker(
        sender_id=f"sms:{uid}",
        slots={"language": "en", "channel": "sms", **slots, "requested_slot": None},
        latest_message={
            "text": text,
            "intent": {"name": "book_appointment"},
            "metadata": {"conversation_uid": uid},
        },  # fmt: skip
        events=[{"event": "user", "text": text}]
        + [{"event": "slot", "name": k, "value": slots[k]} for k in prefilled],
        paused=False,
        followup_action=None,
        active_loop={"name": "book_form"},
        latest_action_name="action_route_task",
    )
    events, _ = run(ValidateBookForm(), track)
    return {**slots, **slots_of(events)}


def _specialties(url: str, options: list[dict[str, Any]]) -> set[str]:
    with UnitOfWork(url) as uow:
        return {uow.session.get(Provider, int(o["provider_id"])).specialty for o in options}


def _route(uid: str, text: str, slots: dict[str, Any] | None = None) -> dict[str, Any]:
    events, messages = run(
        ActionRouteTask(), tracker(uid, text=text, intent="book_appointment", slots=slots)
    )
    assert messages == []
    return {**(slots or {}), **slots_of(events)}


@pytest.mark.parametrize(
    ("said", "kind", "specialty"),
    [
        ("hi im a new patient, sore throat and fever since sunday, could i come in thursday"
         " morning", "sick_visit", "Family Medicine"),
        ("I've never been to your office. I'm looking for a family doctor for a general checkup,"
         " any afternoon next week", "new_patient", "Family Medicine"),
        ("first time patient here, I'd like to see a dermatologist about a mole, mornings are"
         " best", "new_patient", "Dermatology"),
        ("soy paciente nueva y tengo tos y fiebre, me pueden ver el martes en la tarde",
         "sick_visit", "Family Medicine"),
    ],
)  # fmt: skip
def test_a_new_patients_request_fills_the_form(demo, sqlite_url, said, kind, specialty):
    uid = conversation(sqlite_url, demo.practice_id, "+16095550177")
    language = "es" if "paciente" in said else "en"
    slots = _route(uid, said, {"language": language})
    assert slots["flow"] == "book" and slots["book_patient_status"] == "new"
    slots = _form_starts(uid, slots, said)
    assert slots["book_patient_status"] == "new"  # not asked "have you been here before?"
    assert slots["visit_reason"] != "other" and slots["book_type"]["code"] == kind
    assert slots["book_provider"] == "any"  # the kind was said, not who: not asked
    options = slots["offered_options"]
    assert options and _specialties(sqlite_url, options) == {specialty}
    assert slots.get("book_confirm") is None  # nothing booked before a read-back and a yes


def test_someone_seen_before_is_verified_without_being_asked(demo, sqlite_url):
    uid = conversation(sqlite_url, demo.practice_id, demo.english_demo.phone)
    slots = _route(uid, "I'm an existing patient and need a physical sometime next week")
    assert slots["flow"] == "identify" and slots["book_patient_status"] == "existing"
    _verify(uid)
    slots = _route(uid, "", {**slots, "verified": True})  # after the identity form
    assert slots["flow"] == "book"


def test_a_bare_booking_request_asks_everything(demo, sqlite_url):
    uid = conversation(sqlite_url, demo.practice_id, "+16095550178")
    slots = _route(uid, "I'd like to make an appointment")
    assert slots["flow"] == "book"
    assert slots.get("book_patient_status") is None and slots.get("book_type_choice") is None
