"""When the classifier mishears, the words still decide: a complaint it took for an emergency
reaches the manager after the 911 line, and an office question it did not understand is
answered instead of sent to staff. What is said and what the database holds."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from assistant.db.models import Conversation
from assistant.unit_of_work import UnitOfWork
from dialogues.actions.routing import ActionAfterEmergency, ActionTakeMessage
from tests.factories.dialogues import conversation, run, staff_departments, tracker


def _outcome(url: str, uid: str) -> str | None:
    with UnitOfWork(url) as uow:
        found = uow.session.execute(select(Conversation).where(Conversation.uid == uid))
        return found.scalar_one().outcome


@pytest.mark.parametrize(
    ("said", "department"),
    [
        ("This is a complaint: I sat in the waiting room for ninety minutes, let me talk to the "
         "manager", "manager"),
        ("quiero poner una queja, nadie me atendió en dos horas", "manager"),
        ("I was charged twice on my statement, 2 hours on hold already", "billing"),
        ("my son has a fever of 38 since this morning, should I bring him in?", "nurse_line"),
    ],
)  # fmt: skip
def test_a_department_message_taken_for_an_emergency_still_reaches_its_department(
    demo, sqlite_url, said, department
):
    uid = conversation(sqlite_url, demo.practice_id, demo.english_demo.phone)
    _, messages = run(ActionAfterEmergency(), tracker(uid, text=said, intent="medical_emergency"))
    assert staff_departments(sqlite_url, uid) == [department]
    assert any(w in messages[0]["text"].lower() for w in ("message", "mensaje", "nurse"))


def test_on_a_call_the_department_takes_it_as_a_transfer(demo, sqlite_url):
    uid = conversation(sqlite_url, demo.practice_id, demo.english_demo.phone, channel="voice")
    said = "I want to complain about how I was treated at the front desk"
    track = tracker(uid, text=said, intent="medical_emergency", slots={"channel": "voice"})
    _, messages = run(ActionAfterEmergency(), track)
    assert messages == [{**messages[0], "custom": {"handoff": {"reason": "complaint"}}}]
    assert staff_departments(sqlite_url, uid) == ["manager"]


@pytest.mark.parametrize(
    "said",
    [
        "my husband has chest pain and I want to complain that nobody answers the phone",
        "my father can't move his arm and his face is drooping",
        "I think I'm having an allergic reaction, my throat is closing",
    ],
)
def test_a_real_emergency_gets_nothing_after_the_911_line(demo, sqlite_url, said):
    uid = conversation(sqlite_url, demo.practice_id, demo.english_demo.phone)
    events, messages = run(
        ActionAfterEmergency(), tracker(uid, text=said, intent="medical_emergency")
    )
    assert events == [] and messages == [] and staff_departments(sqlite_url, uid) == []


@pytest.mark.parametrize(
    ("said", "channel", "words"),
    [
        ("oiga una pregunta hay estacionamiento en la clinica", "voice", "Building B"),
        ("quick question is there parking at your building", "voice", "Building B"),
        ("wanted to know your address", "sms", "Main Street"),
    ],
)
def test_an_office_question_the_classifier_missed_is_answered(
    demo, sqlite_url, said, channel, words
):
    phone = demo.spanish_demo.phone if "estacionamiento" in said else demo.english_demo.phone
    uid = conversation(sqlite_url, demo.practice_id, phone, channel=channel)
    lang = "es" if "estacionamiento" in said else "en"
    track = tracker(uid, text=said, intent="nlu_fallback",
                    slots={"channel": channel, "language": lang})  # fmt: skip
    _, messages = run(ActionTakeMessage(), track)
    assert messages[0]["response"] == "utter_office_info"
    assert words.lower() in messages[0]["info"].lower()
    assert staff_departments(sqlite_url, uid) == [] and _outcome(sqlite_url, uid) == "office_info"


def test_a_request_the_classifier_missed_without_an_office_question_goes_to_staff(demo, sqlite_url):
    uid = conversation(sqlite_url, demo.practice_id, demo.english_demo.phone)
    said = "I need someone to look at the form my employer sent over"
    _, messages = run(ActionTakeMessage(), tracker(uid, text=said, intent="nlu_fallback"))
    assert staff_departments(sqlite_url, uid) == ["front_desk"]
    assert "message" in messages[0]["text"].lower()


@pytest.mark.parametrize(
    ("said", "intent", "phone"),
    [
        ("llamo para confirmar mi cita y saber si tienen estacionamiento", "confirm_appointment",
         "spanish_demo"),
        ("calling to confirm my visit and to find out where I can park", "confirm_appointment",
         "english_demo"),
    ],
)  # fmt: skip
def test_an_office_question_said_after_the_task_without_a_question_mark_is_answered_first(
    demo, sqlite_url, said, intent, phone
):
    from dialogues.actions.router import ActionRouteTask
    from tests.factories.dialogues import slots_of

    uid = conversation(sqlite_url, demo.practice_id, getattr(demo, phone).phone, channel="voice")
    track = tracker(uid, text=said, intent=intent, slots={"channel": "voice"})
    events, messages = run(ActionRouteTask(), track)
    assert messages[0]["response"] == "utter_office_info"
    assert "building b" in messages[0]["info"].lower()
    assert slots_of(events)["flow"] == "identify" and slots_of(events)["task"] == "confirm"


@pytest.mark.parametrize(
    "said",
    ["Maria Lopez", "mary kate o'shaughnessy", "03/03/1982", "3.3.1982",
     "quince de julio de mil novecientos setenta y cinco", "march third nineteen eighty two"],
)  # fmt: skip
def test_a_bare_name_or_date_of_birth_is_no_message_for_staff(demo, sqlite_url, said):
    uid = conversation(sqlite_url, demo.practice_id, demo.english_demo.phone)
    events, messages = run(ActionTakeMessage(), tracker(uid, text=said, intent="inform"))
    assert [m["response"] for m in messages] == ["utter_what_else"] and events == []
    assert staff_departments(sqlite_url, uid) == []


@pytest.mark.parametrize(
    "said",
    [
        "call me back please",
        "Maria Lopez needs a callback",
        "my son was born 4/18/2015 and has a rash",
    ],
)
def test_a_name_or_date_with_a_request_is_still_a_message(demo, sqlite_url, said):
    uid = conversation(sqlite_url, demo.practice_id, demo.english_demo.phone)
    run(ActionTakeMessage(), tracker(uid, text=said, intent="inform"))
    assert staff_departments(sqlite_url, uid) != []


@pytest.mark.parametrize(
    ("said", "intent"),
    [
        ("still on for my appt with dr chen, see you then!", "check_appointment"),
        ("Confirming my visit. Do I need to fast or do anything before it?",
         "reschedule_appointment"),
        ("sí, sigue en pie mi cita del martes, ahí estaré", "check_appointment"),
        ("hola buenas, solo hablaba para confirmar la cita de mi hijo", "cancel_appointment"),
        ("yeah hi im just calling to confirm my appointment thats all", "cancel_appointment"),
    ],
)  # fmt: skip
def test_words_that_confirm_and_ask_no_move_confirm(demo, sqlite_url, said, intent):
    from dialogues.actions.router import ActionRouteTask
    from tests.factories.dialogues import slots_of

    uid = conversation(sqlite_url, demo.practice_id, demo.english_demo.phone, channel="voice")
    track = tracker(uid, text=said, intent=intent, slots={"channel": "voice"})
    events, _ = run(ActionRouteTask(), track)
    assert slots_of(events)["task"] == "confirm" and slots_of(events)["flow"] == "identify"


@pytest.mark.parametrize(
    "said",
    ["please cancel my appointment, I can't confirm a ride", "ya no voy a poder, cancele la cita"],
)
def test_words_that_cancel_heard_as_a_confirmation_cancel(demo, sqlite_url, said):
    from dialogues.actions.router import ActionRouteTask
    from tests.factories.dialogues import slots_of

    uid = conversation(sqlite_url, demo.practice_id, demo.english_demo.phone, channel="sms")
    track = tracker(uid, text=said, intent="confirm_appointment", slots={"channel": "sms"})
    events, _ = run(ActionRouteTask(), track)
    assert slots_of(events)["task"] == "cancel"


def test_a_move_said_with_see_you_then_is_still_a_move(demo, sqlite_url):
    from dialogues.actions.router import ActionRouteTask
    from tests.factories.dialogues import slots_of

    uid = conversation(sqlite_url, demo.practice_id, demo.english_demo.phone, channel="voice")
    said = "can you move my appointment to friday, see you then"
    track = tracker(uid, text=said, intent="reschedule_appointment", slots={"channel": "voice"})
    events, _ = run(ActionRouteTask(), track)
    assert slots_of(events)["task"] == "reschedule"


@pytest.mark.parametrize(
    ("said", "intent", "department"),
    [
        ("could you fax my chart over to my new doctor, the number is 609-555-0100",
         "reschedule_appointment", "medical_records"),
        ("me llegó una factura que no entiendo por correo", "care_question", "billing"),
        ("necesito cancelar mi cita y también me cobraron doble en la factura", "care_question",
         "billing"),
        ("mi hija tiene fiebre de 38 desde anoche, le doy algo o la traigo", "nlu_fallback",
         "nurse_line"),
        # a referral to a specialist is arranged at the front desk, whatever was heard
        ("my insurance says I need a referral before I can see the cardiologist",
         "book_appointment", "front_desk"),
        ("has the referral for my knee to the orthopedic office been sent yet",
         "prescription_refill", "front_desk"),
        ("ocupo una referencia para el dermatólogo", "care_question", "front_desk"),
    ],
)  # fmt: skip
def test_the_department_its_words_name_wins_over_a_misheard_intent(
    demo, sqlite_url, said, intent, department
):
    from dialogues.actions.router import ActionRouteTask

    uid = conversation(sqlite_url, demo.practice_id, demo.spanish_demo.phone)
    if intent.endswith("_appointment"):  # the rules run the router for a task intent
        events, _ = run(ActionRouteTask(), tracker(uid, text=said, intent=intent))
        assert events == [{"event": "followup", "name": "action_take_message", "timestamp": None}]
    run(ActionTakeMessage(), tracker(uid, text=said, intent=intent))
    assert staff_departments(sqlite_url, uid) == [department]


@pytest.mark.parametrize(
    "said",
    ["how many times a day do I take the new pills the doctor gave me, I forgot",
     "¿puedo tomar paracetamol con las otras medicinas que tomo?"],
)  # fmt: skip
def test_a_medicine_asked_about_stays_a_question_for_the_nurse(demo, sqlite_url, said):
    uid = conversation(sqlite_url, demo.practice_id, demo.english_demo.phone)
    run(ActionTakeMessage(), tracker(uid, text=said, intent="care_question"))
    assert staff_departments(sqlite_url, uid) == ["nurse_line"]


@pytest.mark.parametrize(
    "said", ["perdón, me equivoqué, es 1982", "sorry I meant 03/03/1982", "oops typo, Maria Lopez"]
)
def test_a_slip_in_ones_own_details_corrected_is_no_message_for_staff(demo, sqlite_url, said):
    uid = conversation(sqlite_url, demo.practice_id, demo.english_demo.phone)
    _, messages = run(ActionTakeMessage(), tracker(uid, text=said, intent="inform"))
    assert [m["response"] for m in messages] == ["utter_what_else"]
    assert staff_departments(sqlite_url, uid) == []


@pytest.mark.parametrize(
    "said",
    ["can I make an appointment with Dr. Chen to talk about a referral",
     "quiero una cita para que me den la referencia al especialista"],
)  # fmt: skip
def test_a_visit_asked_for_to_get_a_referral_is_a_booking(demo, sqlite_url, said):
    from dialogues.actions.router import ActionRouteTask
    from tests.factories.dialogues import slots_of

    uid = conversation(sqlite_url, demo.practice_id, demo.english_demo.phone, channel="sms")
    events, _ = run(ActionRouteTask(), tracker(uid, text=said, intent="book_appointment"))
    assert slots_of(events)["task"] == "book"
    assert staff_departments(sqlite_url, uid) == []
