"""Book or move, decided by the words (a safety rule): asking to book a visit never moves the
one the patient has; a move needs move words; a booking whose reason names results is a booking
with that reason, not a message for the results desk."""

from __future__ import annotations

import pytest

from dialogues.actions.compound import book_or_move, other_parts, reason_of_a_booking, task_in
from dialogues.actions.router import ActionRouteTask
from tests.factories.dialogues import conversation, run, slots_of, tracker, verify_identity

BOOKINGS = [
    "can I book a telehealth visit Wednesday afternoon to go over my bloodwork",
    "could I get a video visit thursday to talk about my lab results",
    "I need another appointment, a physical, sometime next week",
    "quiero sacar una cita por video el jueves para ver mis resultados",
    "necesito una consulta de seguimiento el lunes en la tarde",
]
MOVES = [
    "not booking anything new, just moving the one I have to friday",
    "I don't want another appointment, I want to change the one I have",
    "no quiero sacar otra cita, nada más cambiar la que tengo",
    "i dont need a new visit just push back the one i got",
]


@pytest.mark.parametrize(
    "said",
    [
        "running late, at 5th and 73rd now, be there in 10",
        "stuck in traffic on 295, 5 min",
        "on rt 30 near the 4th avenue light, there in like 10",
    ],
)
def test_running_late_heard_as_a_booking_is_running_late(said):
    assert book_or_move(said, "book") == "late"


@pytest.mark.parametrize("said", BOOKINGS)
@pytest.mark.parametrize("heard", ["book", "reschedule"])
def test_asking_to_book_is_a_booking_whatever_the_classifier_heard(said, heard):
    assert book_or_move(said, heard) == "book"


@pytest.mark.parametrize("said", MOVES)
@pytest.mark.parametrize("heard", ["book", "reschedule"])
def test_a_negated_booking_with_move_words_is_a_move(said, heard):
    assert book_or_move(said, heard) == "reschedule"


@pytest.mark.parametrize(
    "said", ["can you move my appointment to friday", "mejor cámbiela para el lunes"]
)
def test_a_move_stays_a_move(said):
    assert book_or_move(said, "reschedule") == "reschedule"


def test_results_as_a_bookings_reason_are_no_message():
    said = "can I book a telehealth visit Wednesday afternoon to go over my bloodwork"
    assert reason_of_a_booking(said) and other_parts(said) == []
    both = "book me a physical next week. also are my lab results back?"
    assert not reason_of_a_booking(both)
    assert [kind for kind, _ in other_parts(both)] == ["lab_results"]


def _route(uid: str, said: str, intent: str, verified: bool) -> tuple[dict, list]:
    slots = {"verified": True} if verified else {}
    events, messages = run(ActionRouteTask(), tracker(uid, text=said, intent=intent, slots=slots))
    return slots_of(events), messages


@pytest.mark.parametrize("intent", ["book_appointment", "reschedule_appointment"])
@pytest.mark.parametrize("said", BOOKINGS[:2])
def test_a_booking_by_a_patient_with_a_visit_never_starts_a_move(demo, sqlite_url, intent, said):
    uid = conversation(sqlite_url, demo.practice_id, demo.english_demo.phone)
    verify_identity(uid)
    slots, messages = _route(uid, said, intent, verified=True)
    assert slots["task"] == "book" and slots["flow"] == "book"
    assert slots.get("appointment_id") is None  # no visit of hers is touched
    assert slots["book_type_choice"] == "Telehealth visit"
    assert messages == []  # not "we got your message"


def test_not_booking_just_moving_verifies_then_moves(demo, sqlite_url):
    uid = conversation(sqlite_url, demo.practice_id, demo.english_demo.phone)
    said = MOVES[0]
    slots, _ = _route(uid, said, "book_appointment", verified=False)
    assert slots["task"] == "reschedule" and slots["flow"] == "identify"
    verify_identity(uid)
    slots, _ = _route(uid, said, "book_appointment", verified=True)
    assert slots["flow"] == "reschedule"
    assert slots["appointment_id"] == demo.english_demo.appointment_id


@pytest.mark.parametrize(
    ("said", "task"),
    [
        ("buenas, ¿me confirma qué día quedó mi cita?", "check"),  # it asks the day
        ("me puede confirmar a que hora es mi cita", "check"),
        ("just confirming my appointment", "confirm"),
        ("took the 9 bus, should be there in about 10 min", "late"),
        ("stuck on the turnpike, running behind", "late"),
        ("stuck with a bill I don't understand", None),
    ],
)
def test_the_task_the_words_ask_for(said, task):
    assert task_in(said) == task
