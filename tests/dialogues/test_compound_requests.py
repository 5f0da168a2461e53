"""Several requests in one message (issue #16): every part is handled in order, none dropped.
An office question is answered and a department's request becomes its message before the
appointment task runs (verify first, then the task); a message classified as the other part
still gets its task. What is said and what the database holds."""

from __future__ import annotations

import pytest

from dialogues.actions.router import ActionRouteTask
from dialogues.actions.routing import ActionTakeMessage
from tests.factories.dialogues import (
    conversation,
    run,
    slots_of,
    staff_departments,
    tracker,
)


@pytest.mark.parametrize(
    ("said", "intent"),
    [
        ("can you move my appointment to friday afternoon, and where do I park?",
         "reschedule_appointment"),
        ("quiero cambiar mi cita para el lunes y ¿hay estacionamiento?", "reschedule_appointment"),
        ("when is my next appointment? also what's your address", "check_appointment"),
    ],
)  # fmt: skip
def test_an_office_question_with_a_task_is_answered_then_the_task_starts(
    demo, sqlite_url, said, intent
):
    uid = conversation(sqlite_url, demo.practice_id, demo.english_demo.phone)
    events, messages = run(ActionRouteTask(), tracker(uid, text=said, intent=intent))
    assert messages[0]["response"] == "utter_office_info"
    assert "Main Street" in messages[0]["info"] or "parking" in messages[0]["info"].lower()
    assert slots_of(events)["flow"] == "identify"  # then verify, then the task
    assert staff_departments(sqlite_url, uid) == []  # nothing for staff


@pytest.mark.parametrize(
    ("said", "department"),
    [
        ("I need to cancel my appointment and I also need a refill on my inhaler", "refills"),
        ("necesito cancelar mi cita y también tengo una duda de un cobro", "billing"),
    ],
)
def test_a_departments_request_with_a_task_becomes_its_message(demo, sqlite_url, said, department):
    uid = conversation(sqlite_url, demo.practice_id, demo.english_demo.phone)
    events, messages = run(ActionRouteTask(), tracker(uid, text=said, intent="cancel_appointment"))
    assert staff_departments(sqlite_url, uid) == [department]
    assert (
        messages
        and "message" in (messages[0].get("text") or "").lower()
        or "mensaje" in (messages[0].get("text") or "")
    )
    assert slots_of(events)["flow"] == "identify" and slots_of(events)["task"] == "cancel"


@pytest.mark.parametrize("channel", ["sms", "voice"])
def test_a_task_in_a_message_classified_as_a_refill_is_not_dropped(demo, sqlite_url, channel):
    uid = conversation(sqlite_url, demo.practice_id, demo.english_demo.phone, channel=channel)
    said = "hi I need to cancel my appointment and also refill my amlodipine"
    track = tracker(uid, text=said, intent="prescription_refill", slots={"channel": channel})
    events, messages = run(ActionTakeMessage(), track)
    assert staff_departments(sqlite_url, uid) == ["refills"]
    assert not any("handoff" in (m.get("custom") or {}) for m in messages)  # no transfer yet
    assert events == [{"event": "followup", "name": "action_route_task", "timestamp": None}]
    track = tracker(uid, text=said, intent="prescription_refill",
                    latest_action="action_take_message", slots={"channel": channel})  # fmt: skip
    events, _ = run(ActionRouteTask(), track)
    assert slots_of(events)["task"] == "cancel" and slots_of(events)["flow"] == "identify"
    assert staff_departments(sqlite_url, uid) == ["refills"]  # taken once


@pytest.mark.parametrize(
    ("said", "department"),
    [
        ("please send my records to my new doctor", "medical_records"),
        ("I want to file a complaint, I waited two hours", "manager"),
        ("quiero que me manden mi expediente a otra clinica", "medical_records"),
    ],
)
def test_the_department_follows_the_words_when_the_classifier_knew_none(
    demo, sqlite_url, said, department
):
    uid = conversation(sqlite_url, demo.practice_id, demo.english_demo.phone)
    events, _ = run(ActionTakeMessage(), tracker(uid, text=said, intent="out_of_scope"))
    assert events == [] and staff_departments(sqlite_url, uid) == [department]


def test_an_emergency_in_a_compound_request_comes_first_and_alone(demo, sqlite_url):
    uid = conversation(sqlite_url, demo.practice_id, demo.english_demo.phone)
    said = "cancel my appointment, my dad has chest pain and can't breathe"
    events, messages = run(ActionTakeMessage(), tracker(uid, text=said, intent="medical_emergency"))
    assert messages[0]["response"] == "utter_emergency" and events == []


@pytest.mark.parametrize("heard", ["care_question", "out_of_scope"])
def test_emergency_words_heard_as_a_message_get_the_emergency_answer_alone(demo, sqlite_url, heard):
    uid = conversation(sqlite_url, demo.practice_id, demo.english_demo.phone)
    said = "I cut my hand on a saw and it won't stop bleeding, what should I do"
    events, messages = run(ActionTakeMessage(), tracker(uid, text=said, intent=heard))
    assert [m["response"] for m in messages] == ["utter_emergency"] and events == []
    assert staff_departments(sqlite_url, uid) == []  # the caller should be calling 911


@pytest.mark.parametrize(
    "said",
    [
        "my knee has been sore since the weekend, do I need to come in or can the nurse advise",
        "mi hijo tiene fiebre desde anoche, que le puedo dar o tengo que ir",
    ],
)
def test_a_question_for_the_nurse_in_booking_words_goes_to_the_nurse_line(demo, sqlite_url, said):
    uid = conversation(sqlite_url, demo.practice_id, demo.english_demo.phone)
    events, messages = run(ActionRouteTask(), tracker(uid, text=said, intent="book_appointment"))
    assert slots_of(events)["flow"] == "done"  # no booking started
    assert staff_departments(sqlite_url, uid) == ["nurse_line"]
    assert messages and "911" in messages[0]["text"]  # when to expect an answer, and when not


def test_a_changed_dose_is_not_a_move(demo, sqlite_url):
    uid = conversation(sqlite_url, demo.practice_id, demo.spanish_demo.phone)
    said = "la doctora me cambió la dosis y no sé si tomarla en la mañana o en la noche"
    events, _ = run(ActionTakeMessage(), tracker(uid, text=said, intent="care_question"))
    assert events == [] and staff_departments(sqlite_url, uid) == ["nurse_line"]


@pytest.mark.parametrize(
    "said",
    [
        "me siento mal desde el lunes con gripa, me pueden dar cita con la doctora",
        "tengo mucha tos, ¿me podría dar una cita para mañana?",
    ],
)
def test_a_visit_asked_for_heard_as_a_care_question_is_a_booking(demo, sqlite_url, said):
    uid = conversation(sqlite_url, demo.practice_id, demo.spanish_demo.phone)
    heard = tracker(uid, text=said, intent="care_question", slots={"language": "es"})
    events, _ = run(ActionTakeMessage(), heard)
    assert events and events[0].get("name") == "action_route_task"  # the router books
    assert staff_departments(sqlite_url, uid) == []
