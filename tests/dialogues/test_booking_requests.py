"""Booking requests said whole (issues #16/#17): a named provider is honoured at the place they
work that day; video visits are booked as the practice's telehealth type; a family member's
name and date of birth said up front are the new patient's; a time or a correction said at the
type question is kept; a booking that mentions fasting is a booking, and a "sí" further on never
confirms (and discloses) a reminded visit to a caller nobody verified."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import select

from assistant.db.models import (
    Appointment,
    Conversation,
    ConversationTurn,
    Location,
    OutboundMessage,
    Patient,
    Provider,
)
from assistant.frontdesk.offers import OfferedTime
from assistant.unit_of_work import UnitOfWork
from dialogues.actions.appointments import ActionConfirmAppointment
from dialogues.actions.book import ActionAskBookConfirm, ValidateBookForm
from dialogues.actions.details import someone_said
from dialogues.actions.router import ActionRouteTask
from tests.factories.dialogues import (
    answer_form,
    conversation,
    run,
    slots_of,
    staff_departments,
    submit_booking,
    tracker,
    verify_identity,
)


def _route(uid: str, said: str, slots: dict[str, Any]) -> tuple[dict[str, Any], list]:
    events, messages = run(
        ActionRouteTask(), tracker(uid, text=said, intent="book_appointment", slots=slots)
    )
    return {**slots, **slots_of(events)}, messages


def _answers(uid: str, slots: dict[str, Any], *answers: tuple[str, str]):
    said: list = []
    for slot, text in answers:
        slots, messages = answer_form(ValidateBookForm(), uid, slot, text, slots)
        said.append(messages)
    return slots, said


# --- 2. A named provider ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("said", "language"),
    [
        ("a follow up with doctor Okafor on a Tuesday (he's at the Oak Park office on Tuesdays,"
         " right?)", "en"),
        ("can i see dr okafor tuesday morning at oak park for my follow up", "en"),
        ("quiero una cita de seguimiento con el doctor Okafor el martes, en Oak Park", "es"),
    ],
)  # fmt: skip
def test_a_provider_named_with_the_request_is_searched_where_he_works(
    demo, sqlite_url, said, language
):
    uid = conversation(sqlite_url, demo.practice_id, demo.english_demo.phone)
    verify_identity(uid)
    slots, _ = _route(uid, said, {"verified": True, "language": language})
    slots, _ = _answers(uid, slots, ("book_type_choice", str(slots["book_type_choice"])))
    assert slots["book_provider"]["name"] == "Dr. Okafor"
    options = slots["offered_options"]
    assert options and {o["provider_id"] for o in options} == {slots["book_provider"]["id"]}
    with UnitOfWork(sqlite_url) as uow:
        places = {uow.session.get(Location, int(o["location_id"])).name for o in options}
    assert places == {"Oak Park Dermatology Center"}  # his Tuesday office
    assert all("Tue" in o["label"] or "mar" in o["label"] for o in options)


# --- 4. Video visits ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("said", "language", "name", "dob"),
    [
        ("I'd like a video visit to follow up on my blood pressure", "en", "maria lopez",
         "march third nineteen eighty two"),
        ("una consulta por video el jueves en la tarde", "es", "jose hernandez",
         "quince de julio de mil novecientos setenta y cinco"),
        ("can we do a virtual appointment instead of coming in, thursday", "en", "Maria Lopez",
         "3/3/1982"),
    ],
)  # fmt: skip
def test_a_video_visit_is_booked_as_a_telehealth_visit_on_a_call(
    demo, sqlite_url, said, language, name, dob
):
    person = demo.spanish_demo if language == "es" else demo.english_demo
    uid = conversation(sqlite_url, demo.practice_id, person.phone, channel="voice")
    slots, messages = _route(uid, said, {"language": language, "channel": "voice"})
    assert slots["flow"] == "book" and messages == []  # not "let me get you to our staff"
    slots, _ = _answers(uid, slots, ("new_patient_name", name), ("new_patient_dob", dob))
    assert slots["verified"] is True and slots["book_type"]["code"] == "telehealth"
    if slots["requested_slot"] == "time_preference":
        slots, _ = _answers(uid, slots, ("time_preference", "thursday afternoon"))
    assert slots["offered_options"] and slots.get("appointment_id") is None
    assert staff_departments(sqlite_url, uid) == []


# --- 5. A family member, everything in one message ----------------------------------------------


@pytest.mark.parametrize(
    ("said", "language", "name", "born"),
    [
        ("can I also get my son in? he's never been seen. Lucas Lopez, dob 4/18/2015, ear"
         " infection, Thursday after school like 3:30?", "en", "Lucas Lopez", "2015-04-18"),
        ("book a sick visit for my daughter Emma Lopez born 11/22/2019, new patient, tomorrow or"
         " the next open day, morning", "en", "Emma Lopez", "2019-11-22"),
        ("quiero hacer una cita para mi hija valeria hernandez nacio el tres de mayo del dos mil"
         " doce es primera vez tiene tos y calentura el lunes en la tarde", "es",
         "valeria hernandez", "2012-05-03"),
    ],
)  # fmt: skip
def test_a_childs_name_and_birth_date_said_up_front_are_not_asked(
    demo, sqlite_url, said, language, name, born
):
    uid = conversation(sqlite_url, demo.practice_id, demo.english_demo.phone)
    slots, messages = _route(uid, said, {"language": language})
    assert messages == [] and slots["flow"] == "book"  # no 911 for a child's fever or cough
    assert slots["new_patient_name"].lower() == name.lower()
    # the form validates what was said (as Rasa does when it starts), then asks nothing else
    slots, said_back = _answers(
        uid, slots, ("new_patient_name", slots["new_patient_name"]),
        ("new_patient_dob", slots["new_patient_dob"]),
    )  # fmt: skip
    assert slots["new_patient_dob"] == born and slots["book_patient_status"] == "new"
    assert slots["book_type"]["code"] == "sick_visit"
    assert slots["requested_slot"] == "slot_choice"  # the time was said: the times offered
    slots, _ = _answers(uid, slots, ("slot_choice", "the first one"), ("book_confirm", "yes"))
    events, messages = submit_booking(uid, slots)
    assert messages[0]["response"] == "utter_booked"
    first, last = name.title().split()
    with UnitOfWork(sqlite_url) as uow:
        child = uow.session.execute(
            select(Patient).where(Patient.first_name == first, Patient.last_name == last)
        ).scalar_one()
        assert child.date_of_birth.isoformat() == born
        assert [p.number for p in child.phones] == [demo.english_demo.phone]  # the caller's
        [visit] = uow.session.execute(
            select(Appointment).where(Appointment.patient_id == child.id)
        ).scalars()
        assert visit.appointment_type.code == "sick_visit"


@pytest.mark.parametrize(
    "said",
    ["I need an appointment thursday morning", "my name is Ana Ruiz and I need a checkup",
     "I was born in 1980 and need a physical"],
)  # fmt: skip
def test_no_one_is_read_where_no_name_and_birth_date_were_said(said):
    assert someone_said(said, "en") is None


# --- 6. A type question answered with more ------------------------------------------------------


def _at_type_question(demo, sqlite_url, said: str) -> tuple[str, dict[str, Any]]:
    uid = conversation(sqlite_url, demo.practice_id, demo.english_demo.phone)
    verify_identity(uid)
    slots, _ = _route(uid, said, {"verified": True})
    return uid, slots


@pytest.mark.parametrize(
    ("first", "then"),
    [
        ("next week, mornings", "it's for my yearly physical"),
        ("la semana que viene por la mañana", "el examen físico anual"),
    ],
)
def test_a_time_said_at_the_type_question_is_kept(demo, sqlite_url, first, then):
    uid, slots = _at_type_question(demo, sqlite_url, "I need to make an appointment")
    slots, [messages] = _answers(uid, slots, ("book_type_choice", first))
    assert slots["book_type_choice"] is None and slots.get("book_type") is None
    assert messages == []  # not "which one did you mean?": the type is asked again
    slots, _ = _answers(uid, slots, ("book_type_choice", then))
    assert slots["book_type"]["code"] == "annual_physical"
    assert slots["requested_slot"] == "slot_choice"  # the time was not asked again
    assert all(int(o["hour"]) < 12 for o in slots["offered_options"])


def test_a_correction_at_the_type_question_is_a_new_wish(demo, sqlite_url):
    uid, slots = _at_type_question(demo, sqlite_url, "can I make an appointment thursday morning")
    slots, [messages] = _answers(uid, slots, ("book_type_choice", "no, better in the afternoon"))
    assert messages == [] and slots["book_type_choice"] is None
    slots, _ = _answers(uid, slots, ("book_type_choice", "a follow up"))
    options = slots["offered_options"]
    assert options and all(int(o["hour"]) >= 12 and "Thu" in o["label"] for o in options)


# --- 7. Fasting, and a "sí" that answers something else -----------------------------------------


def _said_before(url: str, uid: str, *texts: str) -> None:
    """The patient's earlier messages in this conversation, as the SMS edge stores them."""
    with UnitOfWork(url) as uow:
        conversation_ = uow.session.execute(
            select(Conversation).where(Conversation.uid == uid)
        ).scalar_one()
        reminder = uow.session.execute(select(OutboundMessage.created_at)).scalars().first()
        for n, text in enumerate(texts):
            uow.session.add(
                ConversationTurn(
                    conversation_id=conversation_.id, direction="in", text=text,
                    at=reminder + timedelta(minutes=n + 1),
                )
            )  # fmt: skip
        uow.commit()


FASTING = (
    "hola quiero hacer cita para mi examen fisico anual, el jueves en la mañana "
    "porque tengo que ir en ayunas"
)


def test_a_booking_that_mentions_fasting_is_a_booking_and_the_prep_comes_with_the_readback(
    demo, sqlite_url
):
    jose = demo.spanish_demo
    uid = conversation(sqlite_url, demo.practice_id, jose.phone)
    slots, messages = _route(uid, FASTING, {"language": "es"})
    assert messages == [] and slots["flow"] == "book"  # not the nurse line
    slots, _ = _answers(
        uid, slots, ("new_patient_name", "José Hernández"), ("new_patient_dob", "15/07/1975"),
        ("slot_choice", "la primera"),
    )  # fmt: skip
    assert slots["verified"] is True and slots["book_type"]["code"] == "annual_physical"
    _, messages = run(ActionAskBookConfirm(), tracker(uid, slots={**slots, "language": "es"}))
    assert "8 horas" in messages[0]["info"]  # the fasting answered, then the read-back
    assert messages[1]["response"] == "utter_confirm_booking"
    assert staff_departments(sqlite_url, uid) == []


def test_a_yes_later_in_a_conversation_confirms_and_discloses_nothing(demo, sqlite_url):
    jose = demo.spanish_demo  # a reminder went to his number
    uid = conversation(sqlite_url, demo.practice_id, jose.phone)
    _said_before(sqlite_url, uid, FASTING, "José Hernández", "15/07/1975", "la primera", "sí")
    _, messages = run(
        ActionConfirmAppointment(),
        tracker(uid, text="sí", intent="affirm", slots={"language": "es"}),
    )
    assert [m["response"] for m in messages] == ["utter_what_else"]
    with UnitOfWork(sqlite_url) as uow:
        assert uow.session.get(Appointment, jose.appointment_id).status == "booked"
        assert (
            uow.session.execute(
                select(Conversation.verified_patient_id).where(Conversation.uid == uid)
            ).scalar_one()
            is None
        )


def test_the_first_reply_to_a_reminder_still_confirms_it(demo, sqlite_url):
    jose = demo.spanish_demo
    uid = conversation(sqlite_url, demo.practice_id, jose.phone)
    _said_before(sqlite_url, uid, "sí")
    _, messages = run(
        ActionConfirmAppointment(),
        tracker(uid, text="sí", intent="affirm", slots={"language": "es"}),
    )
    assert [m["response"] for m in messages] == ["utter_appointment_confirmed"]
    with UnitOfWork(sqlite_url) as uow:
        assert uow.session.get(Appointment, jose.appointment_id).status == "confirmed"


@pytest.mark.parametrize(
    "said",
    ["can I also get my son in? Lucas Lopez, dob 4/18/2015, ear infection, thursday",
     "quiero una cita para mi hija, tiene tos"],
)  # fmt: skip
def test_a_verified_parent_booking_for_a_child_never_books_under_the_parents_record(
    demo, sqlite_url, said
):
    maria = demo.english_demo
    uid = conversation(sqlite_url, demo.practice_id, maria.phone)
    verify_identity(uid)
    slots, messages = _route(uid, said, {"verified": True})
    assert slots["flow"] == "done" and messages[0]["response"] == "utter_cannot_book_here"
    assert staff_departments(sqlite_url, uid) == ["front_desk"]
    with UnitOfWork(sqlite_url) as uow:
        mine = uow.session.execute(
            select(Appointment.id).where(Appointment.patient_id == maria.patient_id)
        ).all()
    assert len(mine) == 1  # only the follow-up she had


def test_a_second_yes_after_confirming_the_reminder_says_it_is_already_confirmed(demo, sqlite_url):
    jose = demo.spanish_demo
    uid = conversation(sqlite_url, demo.practice_id, jose.phone)
    _said_before(sqlite_url, uid, "sí")
    run(ActionConfirmAppointment(), tracker(uid, text="sí", intent="affirm",
                                            slots={"language": "es"}))  # fmt: skip
    _said_before(sqlite_url, uid, "sí, ahí estaré")
    _, messages = run(
        ActionConfirmAppointment(),
        tracker(uid, text="sí, ahí estaré", intent="affirm", slots={"language": "es"}),
    )
    assert [m["response"] for m in messages] == ["utter_appointment_already_confirmed"]


@pytest.mark.parametrize(
    ("said", "language", "code", "specialty"),
    [
        ("quiero una cita con el dermatólogo, tengo un lunar que me cambió de color", "es",
         "follow_up", "Dermatology"),
        ("I'd like to get in for this cough that won't go away", "en", "sick_visit",
         "Family Medicine"),
    ],
)  # fmt: skip
def test_an_established_patient_s_reason_picks_the_visit_and_who_sees_it(
    demo, sqlite_url, said, language, code, specialty
):
    jose = demo.spanish_demo  # on file with a follow-up: established
    uid = conversation(sqlite_url, demo.practice_id, jose.phone)
    slots, _ = _route(uid, said, {"language": language})
    slots, _ = _answers(
        uid, slots, ("new_patient_name", "José Hernández"), ("new_patient_dob", "15/07/1975")
    )
    assert slots["verified"] is True and slots["book_type"]["code"] == code  # not asked
    slots, _ = _answers(uid, slots, ("time_preference", "as soon as possible"))
    with UnitOfWork(sqlite_url) as uow:
        offered = [OfferedTime.from_slot(o) for o in slots.get("offered_options") or []]
        assert offered and {
            uow.session.get(Provider, o.provider_id).specialty for o in offered
        } == {specialty}
