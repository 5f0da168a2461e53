"""A booking request that carries its details (new or seen before, the reason, the kind of
provider, when) is understood whole: the form starts with those answers and asks only what is
missing; the visit type and specialty are the ones asked for (issue #16 class 1, #17 class 6)."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import select

from assistant.db.models import (
    Appointment,
    AppointmentType,
    Conversation,
    Provider,
    StaffTask,
)
from assistant.unit_of_work import UnitOfWork
from dialogues.actions.book import ValidateBookForm
from dialogues.actions.router import ActionRouteTask
from tests.factories.dialogues import (
    conversation,
    run,
    slots_of,
    tracker,
    verify_identity,
)


def _answer(uid: str, slots: dict[str, Any], slot: str, text: str) -> dict[str, Any]:
    values = {"language": "en", "channel": "sms", **slots, slot: text, "requested_slot": slot}
    events, _ = run(
        ValidateBookForm(),
        tracker(
            uid,
            text=text,
            intent="inform",
            slots=values,
            latest_action="book_form",
            active_loop="book_form",
        ),  # fmt: skip
    )
    return {**values, **slots_of(events)}


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
    slots = _answer(uid, slots, "new_patient_name", "Rosa Delgado Pinto")
    slots = _answer(uid, slots, "new_patient_dob", "04/11/1991")
    assert slots["book_patient_status"] == "new"  # not on file; not asked "been here before?"
    assert slots["visit_reason"] != "other" and slots["book_type"]["code"] == kind
    assert slots.get("book_provider") is None  # who was not said: not asked, whoever fits
    assert slots["requested_slot"] == "slot_choice"  # the time was said: the times offered
    options = slots["offered_options"]
    assert options and _specialties(sqlite_url, options) == {specialty}
    assert slots.get("book_confirm") is None  # nothing booked before a read-back and a yes


def test_someone_seen_before_is_verified_without_being_asked(demo, sqlite_url):
    uid = conversation(sqlite_url, demo.practice_id, demo.english_demo.phone)
    slots = _route(uid, "I'm an existing patient and need a physical sometime next week")
    assert slots["flow"] == "identify" and slots["book_patient_status"] == "existing"
    verify_identity(uid)
    slots = _route(uid, "", {**slots, "verified": True})  # after the identity form
    assert slots["flow"] == "book"


def test_a_bare_booking_request_asks_everything(demo, sqlite_url):
    uid = conversation(sqlite_url, demo.practice_id, "+16095550178")
    slots = _route(uid, "I'd like to make an appointment")
    assert slots["flow"] == "book"
    assert slots.get("book_patient_status") is None and slots.get("book_type_choice") is None


def _seen_before(url: str, appointment_id: int) -> None:
    with UnitOfWork(url) as uow:  # once seen, every type but the first visit
        uow.session.get(Appointment, appointment_id).status = "completed"
        uow.commit()


def test_a_patient_on_file_is_verified_by_name_and_birth_date_and_books_what_they_asked(
    demo, sqlite_url
):
    maria = demo.english_demo
    _seen_before(sqlite_url, maria.appointment_id)
    uid = conversation(sqlite_url, demo.practice_id, maria.phone)
    said = "could I get my yearly physical on the books"
    slots = _route(uid, said)
    assert slots["flow"] == "book"  # not "have you been here before?": name and birth date
    slots = _answer(uid, slots, "new_patient_name", "Maria Lopez")
    slots = _answer(uid, slots, "new_patient_dob", "03/03/1982")
    assert slots["verified"] is True and slots["book_patient_status"] == "existing"
    assert slots["book_type"]["code"] == "annual_physical"
    # when was not said: the soonest physicals offered at once, not a question first
    assert slots["requested_slot"] == "slot_choice" and len(slots["offered_options"]) == 3
    soonest = slots["offered_options"]
    # a day said instead of a choice: that day's times
    slots = _answer(uid, slots, "slot_choice", "do you have anything the week after next")
    assert slots["requested_slot"] == "slot_choice" and len(slots["offered_options"]) == 3
    assert min(o["starts_at"] for o in slots["offered_options"]) > max(
        o["starts_at"] for o in soonest
    )


def test_a_type_staff_book_goes_to_the_front_desk(demo, sqlite_url):
    maria = demo.english_demo
    _seen_before(sqlite_url, maria.appointment_id)
    uid = conversation(sqlite_url, demo.practice_id, maria.phone)
    said = "I have to book the biopsy the dermatologist talked about"
    slots = _route(uid, said)
    slots = _answer(uid, slots, "new_patient_name", "Maria Lopez")
    slots = _answer(uid, slots, "new_patient_dob", "03/03/1982")
    assert slots["book_confirm"] == "[staff]" and slots["requested_slot"] is None
    with UnitOfWork(sqlite_url) as uow:
        departments = (
            uow.session.execute(
                select(StaffTask.department)
                .join(Conversation, Conversation.id == StaffTask.conversation_id)
                .where(Conversation.uid == uid)
            )
            .scalars()
            .all()
        )
    assert departments == ["front_desk"]


@pytest.mark.parametrize(
    ("said", "language", "kind"),
    [
        ("el doctor me pidió volver para seguimiento, quiero sacar la cita", "es", "follow_up"),
        ("la doctora me dijo que regresara en un mes para seguimiento", "es", "follow_up"),
        ("quiero mi examen físico anual", "es", "annual_physical"),
        ("I'd like to schedule a physical", "en", "annual_physical"),
        ("need to book a follow up please", "en", "follow_up"),
    ],
)
def test_a_patient_holding_a_follow_up_books_the_type_asked_for(
    demo, sqlite_url, said, language, kind
):
    jose = demo.spanish_demo  # an upcoming follow-up, no past visit: established all the same
    uid = conversation(sqlite_url, demo.practice_id, jose.phone)
    slots = _route(uid, said, {"language": language})
    slots = _answer(uid, slots, "new_patient_name", "José Hernández")
    slots = _answer(uid, slots, "new_patient_dob", "15/07/1975")
    assert slots["verified"] is True and slots["book_type"]["code"] == kind
    assert slots["requested_slot"] in ("time_preference", "slot_choice")  # the type: not asked
    if slots["requested_slot"] == "time_preference":
        slots = _answer(uid, slots, "time_preference", "un martes en la mañana")
    assert slots["offered_options"]
    assert _specialties(sqlite_url, slots["offered_options"]) == {"Family Medicine"}
    assert {o["appointment_type_id"] for o in slots["offered_options"]} == {
        slots["book_type"]["id"]
    }


def test_on_file_with_only_a_first_visit_asking_for_a_follow_up_gets_the_first_visit(
    demo, sqlite_url
):
    jose = demo.spanish_demo
    with UnitOfWork(sqlite_url) as uow:  # his one visit is a first visit: still a new patient
        visit = uow.session.get(Appointment, jose.appointment_id)
        visit.appointment_type_id = uow.session.execute(
            select(AppointmentType.id).where(AppointmentType.code == "new_patient")
        ).scalar_one()
        uow.commit()
    uid = conversation(sqlite_url, demo.practice_id, jose.phone)
    said = "el doctor me pidió volver para seguimiento, quiero sacar la cita"
    slots = _route(uid, said, {"language": "es"})
    slots = _answer(uid, slots, "new_patient_name", "José Hernández")
    slots = _answer(uid, slots, "new_patient_dob", "15/07/1975")
    assert slots["verified"] is True and slots["book_type"]["code"] == "new_patient"
    assert slots["requested_slot"] == "slot_choice"  # the type is not asked: the times are


def test_a_hyphenated_name_is_kept_whole():
    from assistant.frontdesk.booking import split_name

    assert split_name("Nadia Okonkwo-Reyes") == ("Nadia", "Okonkwo-Reyes")
    assert split_name("anne-sophie laurent") == ("Anne-Sophie", "Laurent")
