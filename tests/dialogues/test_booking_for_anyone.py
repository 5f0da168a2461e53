"""Booking for patients nobody wrote for (issues #16/#17, the booking class): a request the
classifier heard as a question or a message is still a booking when its words ask to be seen;
when no time was said the soonest times are offered at once; at the times a provider named, "any
time" or a new wish is understood; a name and a date of birth may come in one answer; a Spanish
"sí" at the read-back books. Judged by what the patient reads and what the database holds."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import select

from assistant.conversations import sessions
from assistant.db.models import Appointment, Patient, Provider
from assistant.unit_of_work import UnitOfWork
from dialogues.actions.compound import asks_the_nurse
from dialogues.actions.details import someone_said
from dialogues.actions.router import ActionRouteTask
from dialogues.actions.routing import ActionTakeMessage
from tests.factories.dialogues import (
    book_through_form,
    conversation,
    run,
    slots_of,
    staff_departments,
    submit_booking,
    tracker,
)


@pytest.mark.parametrize(
    ("said", "heard", "channel"),
    [
        ("hi, ive never been to your office before but ive had a cough since last week, can i"
         " come in", "care_question", "sms"),
        ("I'd like to see someone about my acne, it's getting worse", "request_human", "sms"),
        ("can i do a video call with doctor okafor sometime next week", "care_question", "voice"),
        ("i'd like to talk to dr chen over video next week", "request_human", "voice"),
        ("i hurt my ankle playing basketball, can the doctor look at it today", "out_of_scope",
         "voice"),
        ("i have a spot on my arm i want a dermatologist to look at", "care_question", "sms"),
        ("me siento mal con gripa, quisiera ver al doctor", "nlu_fallback", "voice"),
        ("i'd like to have a mole on my arm looked at by daniel brooks if possible next week",
         "request_human", "voice"),
        ("time for my yearly physical. what do I need to do to prepare? morning works best",
         "office_info", "sms"),
        ("Can we do a telehealth follow up about my blood pressure meds sometime this week?",
         "prescription_refill", "sms"),
    ],
)  # fmt: skip
def test_words_asking_to_be_seen_are_a_booking_not_a_message(
    demo, sqlite_url, said, heard, channel
):
    uid = conversation(sqlite_url, demo.practice_id, "+16095550401", channel=channel)
    events, messages = run(
        ActionTakeMessage(), tracker(uid, text=said, intent=heard, slots={"channel": channel})
    )
    assert events == [{"event": "followup", "name": "action_route_task", "timestamp": None}]
    assert messages == [] and staff_departments(sqlite_url, uid) == []


def test_a_question_whether_to_come_in_still_reaches_the_nurse(demo, sqlite_url):
    uid = conversation(sqlite_url, demo.practice_id, "+16095550402")
    said = "should I come in for this rash or can the nurse tell me what to put on it?"
    events, messages = run(ActionRouteTask(), tracker(uid, text=said, intent="book_appointment"))
    assert slots_of(events)["flow"] == "done" and "nurse" in messages[0]["text"].lower()


def _new_patient_at_the_times(uid: str, said: str, language: str = "en") -> dict[str, Any]:
    """A new patient's request, name and date of birth: the slots when the times are offered."""
    events, _ = run(
        ActionRouteTask(),
        tracker(uid, text=said, intent="book_appointment", slots={"language": language}),
    )
    slots = {"language": language, **slots_of(events)}
    slots, _ = book_through_form(
        uid, [("new_patient_name", "Rosa Villanueva"), ("new_patient_dob", "12/05/1988")], slots
    )
    assert slots["requested_slot"] == "slot_choice" and len(slots["offered_options"]) == 3
    return slots


def test_a_provider_named_at_the_times_gets_that_providers_times(demo, sqlite_url):
    uid = conversation(sqlite_url, demo.practice_id, "+16095550403")
    slots = _new_patient_at_the_times(uid, "I need an appointment, I have a bad cough")
    okafors = [o for o in slots["offered_options"] if "Dr. Okafor" in o["label"]]
    slots, [said] = book_through_form(
        uid, [("slot_choice", "do you have anything with Dr. Okafor?")], slots
    )
    if len(okafors) == 1:  # at some hours one of the soonest is his: that one, read back
        assert slots["requested_slot"] == "book_confirm" and slots["chosen_option"] == okafors[0]
        return
    assert slots["requested_slot"] == "slot_choice" and slots["offered_options"]
    assert all("Dr. Okafor" in o["label"] for o in slots["offered_options"])
    assert not any(m.get("response") == "utter_choice_unclear" for m in said)


@pytest.mark.parametrize("said", ["whenever, any time is fine", "me da igual, cualquiera"])
def test_any_time_at_the_times_reads_back_the_soonest(demo, sqlite_url, said):
    uid = conversation(sqlite_url, demo.practice_id, "+16095550404")
    slots = _new_patient_at_the_times(uid, "I need an appointment, I have a bad cough")
    soonest = slots["offered_options"][0]
    slots, _ = book_through_form(uid, [("slot_choice", said)], slots)
    assert slots["chosen_option"] == soonest  # read back next


@pytest.mark.parametrize(
    ("said", "language"),
    [("as soon as possible", "en"), ("lo más pronto posible", "es"), ("after 3 pm", "en")],
)
def test_when_said_at_the_times_searches_again(demo, sqlite_url, said, language):
    uid = conversation(sqlite_url, demo.practice_id, "+16095550405")
    slots = _new_patient_at_the_times(uid, "tengo tos, quiero una cita", language)
    slots, [messages] = book_through_form(uid, [("slot_choice", said)], slots)
    assert slots["time_preference"] == said and len(slots["offered_options"]) == 3
    assert not any(m.get("response") == "utter_choice_unclear" for m in messages)


@pytest.mark.parametrize(
    ("answer", "language"),
    [
        ("Tessa Lindqvist, 04/29/1989", "en"),
        ("tessa lindqvist april twenty ninth nineteen eighty nine", "en"),
        ("Tessa Lindqvist, nací el 29 de abril de 1989", "es"),
    ],
)
def test_a_name_with_the_date_of_birth_is_not_asked_the_date_again(
    demo, sqlite_url, answer, language
):
    uid = conversation(sqlite_url, demo.practice_id, "+16095550406")
    said = "hello, new patient, I have a rash on my legs that won't go away"
    events, _ = run(
        ActionRouteTask(),
        tracker(uid, text=said, intent="book_appointment", slots={"language": language}),
    )
    slots = {"language": language, **slots_of(events)}
    slots, _ = book_through_form(uid, [("new_patient_name", answer)], slots)
    assert slots["new_patient_name"].lower() == "tessa lindqvist"
    assert slots["new_patient_dob"] == "1989-04-29"
    assert slots["book_type"]["code"] == "sick_visit"  # a rash: a sick visit, new or not
    assert slots["requested_slot"] == "slot_choice"


def test_a_spanish_yes_at_the_read_back_books(demo, sqlite_url):
    uid = conversation(sqlite_url, demo.practice_id, "+16095550407")
    said = "buenas tardes, no soy paciente de ustedes y tengo mucha tos, me pueden dar una cita?"
    slots = _new_patient_at_the_times(uid, said, "es")
    assert slots["time_preference"] == "lo antes posible"  # "buenas tardes" is no afternoon
    slots, _ = book_through_form(
        uid, [("slot_choice", "la primera"), ("book_confirm", "sí")], slots
    )
    assert slots["book_confirm"] == "yes"
    events, messages = submit_booking(uid, slots)
    assert messages[0]["response"] == "utter_booked"
    with UnitOfWork(sqlite_url) as uow:
        patient = uow.session.execute(
            select(Patient).where(Patient.first_name == "Rosa", Patient.last_name == "Villanueva")
        ).scalar_one()
        [visit] = uow.session.execute(
            select(Appointment).where(Appointment.patient_id == patient.id)
        ).scalars()
        assert visit.appointment_type.code == "sick_visit"


def test_without_caller_id_the_number_is_asked_before_the_times(demo, sqlite_url):
    with UnitOfWork(sqlite_url) as uow:
        call = sessions.voice_conversation(
            uow.session, practice_id=demo.practice_id, call_sid="CA" + "b" * 32, phone=None
        )
        uow.commit()
        uid = call.uid
    said = "i need to see a doctor i have a fever"
    events, _ = run(
        ActionRouteTask(),
        tracker(uid, text=said, intent="book_appointment", slots={"channel": "voice"}),
    )
    slots = {"channel": "voice", **slots_of(events)}
    slots, _ = book_through_form(
        uid, [("new_patient_name", "marcus webb"), ("new_patient_dob", "april 9 1985")], slots
    )
    assert slots["requested_slot"] == "new_patient_phone" and not slots.get("offered_options")
    slots, _ = book_through_form(uid, [("new_patient_phone", "609 555 0188")], slots)
    assert slots["new_patient_phone"] == "+16095550188"
    assert slots["requested_slot"] == "slot_choice" and len(slots["offered_options"]) == 3


def test_the_nurse_practitioner_asked_for_is_the_one_offered(demo, sqlite_url):
    maria = demo.english_demo
    uid = conversation(sqlite_url, demo.practice_id, maria.phone)
    said = "can I see the nurse practitioner for a follow up on wednesday"
    events, _ = run(ActionRouteTask(), tracker(uid, text=said, intent="book_appointment"))
    slots = slots_of(events)
    slots, _ = book_through_form(
        uid, [("new_patient_name", "Maria Lopez"), ("new_patient_dob", "03/03/1982")], slots
    )
    with UnitOfWork(sqlite_url) as uow:
        park = uow.session.execute(select(Provider.id).where(Provider.last_name == "Park"))
        park_id = park.scalar_one()
    assert slots["book_type"]["code"] == "follow_up"
    assert {o["provider_id"] for o in slots["offered_options"]} == {park_id}


@pytest.mark.parametrize(
    ("said", "rest"),
    [
        ("can I book a sick visit for my daughter Olivia Lopez, DOB 5/30/2014? she has a fever."
         " tomorrow afternoon if possible", "tomorrow afternoon if possible"),
        ("my son Lucas Lopez born 3.3.2015. ear infection, thursday after school",
         "thursday after school"),
    ],
)  # fmt: skip
def test_what_follows_a_family_members_date_of_birth_is_kept(said, rest):
    name, _, left = someone_said(said, "en")
    assert name.endswith("Lopez") and left.endswith(rest)


@pytest.mark.parametrize(
    ("said", "nurse"),
    [
        ("me gustaria una consulta por video con la enfermera park el miercoles", False),
        ("Can we do a telehealth follow up about my blood pressure this week?", False),
        ("can I talk to the nurse about my meds", True),
        ("should I come in for this rash or can the nurse tell me?", True),
    ],
)
def test_a_visit_with_a_nurse_is_a_booking_a_question_for_her_is_not(said, nurse):
    assert asks_the_nurse(said) is nurse
