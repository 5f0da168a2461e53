"""Whole requests understood the first time, against the real Rasa server (issue #16).

Names that the classifier hears as something else still answer the name question; a request
that carries its details is searched at once; road numbers are not minutes late; care questions
go to the nurse line; a Spanish caller is answered in Spanish. SMS and voice, English and
Spanish; what was said and what the database holds."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from assistant.db.models import (
    Appointment,
    Conversation,
    Practice,
    StaffTask,
)
from assistant.unit_of_work import UnitOfWork
from tests import factories
from tests.factories import appointment_soon
from tests.factories.webhooks import latest_sms_conversation, sign_and_post, sms_texter

pytestmark = pytest.mark.rasa


@pytest.fixture
def say(dialogue_settings):
    return sms_texter(dialogue_settings, sid_prefix="SMU")


def _tasks(url: str, conversation_id: int) -> list[StaffTask]:
    with UnitOfWork(url) as uow:
        found = uow.session.execute(
            select(StaffTask).where(StaffTask.conversation_id == conversation_id)
        ).scalars()
        tasks = list(found)
        for task in tasks:
            uow.session.expunge(task)
        return tasks


def _patient(url: str, practice_id: int, first: str, last: str, phone: str) -> None:
    with UnitOfWork(url) as uow:
        practice = uow.session.get(Practice, practice_id)
        factories.patient(
            uow.session, practice, first=first, last=last, dob=date(1990, 5, 17), phone=phone
        )
        uow.commit()


@pytest.mark.parametrize(
    ("first", "last", "phone"),
    [
        ("Mark", "Person", "+15555550771"),
        ("Faith", "Staff", "+15555550772"),
        ("Hope", "Church", "+15555550773"),
        ("Jordan", "Help", "+15555550774"),
    ],
)
def test_a_name_is_an_answer_whatever_the_classifier_says(demo, say, live_db, first, last, phone):
    _patient(live_db, demo.practice_id, first, last, phone)
    assert "first and last name" in say(phone, "when is my appointment?")
    assert "date of birth" in say(phone, f"{first} {last}")
    assert "you're verified" in say(phone, "05/17/1990")
    conversation = latest_sms_conversation(live_db, phone)
    assert conversation.verified_patient_id is not None
    assert _tasks(live_db, conversation.id) == []  # nobody was sent to staff


def test_asking_for_a_person_during_identity_still_reaches_staff(demo, say, live_db):
    maria = demo.english_demo
    say(maria.phone, "I need to cancel my appointment")
    reply = say(maria.phone, "can I just talk to a real person please")
    assert "staff member will follow up" in reply
    conversation = latest_sms_conversation(live_db, maria.phone)
    [task] = _tasks(live_db, conversation.id)
    assert task.department == "front_desk"


@pytest.mark.parametrize(
    "request_text",
    [
        "can we move my appointment to any afternoon next week",
        "Could you push my appointment to an afternoon next week?",
        "uh yeah can i switch my visit to some afternoon next week",
    ],
)
def test_a_reschedule_with_its_details_is_not_asked_again(demo, say, live_db, request_text):
    maria = demo.english_demo
    assert "first and last name" in say(maria.phone, request_text)
    say(maria.phone, "Maria Lopez")
    offer = say(maria.phone, "03/03/1982")
    assert "you're verified" in offer
    assert "When would work better" not in offer
    assert "I can offer" in offer and "1) " in offer and "PM" in offer
    confirm = say(maria.phone, "the first one")
    assert "To confirm" in confirm
    assert "You're all set" in say(maria.phone, "yes")
    with UnitOfWork(live_db) as uow:
        old = uow.session.get(Appointment, maria.appointment_id)
        new = uow.session.get(Appointment, old.rescheduled_to_id)
        local = new.starts_at.astimezone(ZoneInfo(new.location.time_zone))
        assert local.hour >= 12
        today = datetime.now(ZoneInfo(new.location.time_zone)).date()  # the practice's today
        assert local.date() >= today + timedelta(days=7 - today.weekday())  # next week


@pytest.mark.parametrize("request_text", ["anything sooner?", "is there an earlier opening"])
def test_sooner_is_a_reschedule(demo, say, live_db, request_text):
    maria = demo.english_demo
    assert "first and last name" in say(maria.phone, request_text)
    say(maria.phone, "Maria Lopez")
    offer = say(maria.phone, "03/03/1982")
    assert "I can offer" in offer or "couldn't find an open time" in offer
    assert "When would work better" not in offer


def test_a_spanish_text_moving_a_visit_to_an_afternoon(demo, say, live_db):
    jose = demo.spanish_demo
    ask = say(jose.phone, "quiero cambiar mi cita para una tarde de la proxima semana")
    assert "nombre y apellido" in ask
    say(jose.phone, "José Hernández")
    offer = say(jose.phone, "15/07/1975")
    assert "¿Cuando le queda mejor?" not in offer
    assert "Tengo:" in offer or "no encontre" in offer


@pytest.mark.parametrize(
    ("said", "minutes"),
    [
        ("stuck in traffic on I-95, like 10 min late", 10),
        ("traffic on route 9 ill be 5 minutes late", 5),
    ],
)
def test_a_road_number_is_not_minutes_late(demo, say, live_db, said, minutes):
    maria = demo.english_demo
    appointment_id = appointment_soon(live_db, maria.patient_id, 30)
    say(maria.phone, said)
    say(maria.phone, "Maria Lopez")
    reply = say(maria.phone, "03/03/1982")
    assert "late" in reply.lower()
    with UnitOfWork(live_db) as uow:
        appointment = uow.session.get(Appointment, appointment_id)
        assert appointment.running_late_note == f"running about {minutes} min late"
        task = uow.session.execute(
            select(StaffTask).where(StaffTask.kind == "follow_up")
        ).scalar_one()
        assert task.priority == "normal"


@pytest.mark.parametrize(
    ("phone_of", "said", "expected"),
    [
        ("english_demo", "I saw the doctor yesterday and forgot how often to take the antibiotic",
         "nurses"),
        ("english_demo", "question for the nurse: can I shower after my procedure?", "nurses"),
        ("spanish_demo", "el doctor me dio unas pastillas y no se cada cuanto tomarlas",
         "enfermeras"),
    ],
)  # fmt: skip
def test_a_care_question_goes_to_the_nurse_line(demo, say, live_db, phone_of, said, expected):
    phone = getattr(demo, phone_of).phone
    reply = say(phone, said)
    assert expected in reply and ("business day" in reply or "dia habil" in reply)
    conversation = latest_sms_conversation(live_db, phone)
    [task] = _tasks(live_db, conversation.id)
    assert task.department == "nurse_line" and said in task.summary


@pytest.mark.parametrize(
    "said",
    [
        "I'm coughing all over the place, can I get an appointment",
        "sore throat and sneezing for 3 days can I come in",
    ],
)
def test_ordinary_symptoms_with_a_booking_are_not_an_emergency(demo, say, live_db, said):
    reply = say(demo.english_demo.phone, said)
    assert "911" not in reply


def test_a_spanish_caller_is_answered_in_spanish(demo, dialogue_settings, live_db):
    from webhooks.app import create_app

    client = create_app(dialogue_settings).test_client()
    call = {"CallSid": "CA" + "9" * 32, "From": demo.spanish_demo.phone, "To": "+15555550100"}
    sign_and_post(client, "/twilio/voice", call)
    speech = {**call, "SpeechResult": "quiero cambiar mi cita para el martes", "Confidence": "0.9"}
    response = sign_and_post(client, "/twilio/voice/gather?lang=en&step=1", speech)
    body = response.get_data(as_text=True)
    assert "le atiendo en español" in body and "nombre y apellido" in body
    assert 'language="es-US"' in body
    with UnitOfWork(live_db) as uow:
        conversation = uow.session.execute(
            select(Conversation).where(
                Conversation.channel == "voice", Conversation.phone == demo.spanish_demo.phone
            )
        ).scalar_one()
        assert conversation.language == "es"
