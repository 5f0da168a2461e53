"""How late, said the first time: a number with its unit, or "a few minutes" / "un poquito"
(noted at once, nothing asked); the late words with how late between ("voy a llegar un poquito
tarde"); a question about the office as a place heard as one for the nurse is the desk's."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from assistant.db.models import Appointment, StaffTask
from assistant.frontdesk.late import A_SHORT_WHILE, minutes_said
from assistant.frontdesk.move_or_book import says_late
from assistant.unit_of_work import UnitOfWork
from dialogues.actions.compound import task_in
from dialogues.actions.router import ActionRouteTask
from dialogues.actions.routing import ActionTakeMessage
from tests.factories import appointment_soon
from tests.factories.dialogues import (
    conversation,
    run,
    slots_of,
    staff_departments,
    tracker,
    verify_identity,
)


@pytest.mark.parametrize(
    ("said", "minutes"),
    [
        ("gonna be a couple of minutes late, pulling in now", A_SHORT_WHILE),
        ("sorry running a little late, on my way", A_SHORT_WHILE),
        ("llego un poco tarde, ya casi llego", A_SHORT_WHILE),
        ("voy a llegar unos minutitos tarde", A_SHORT_WHILE),
        ("running 7 min behind, took the 38 bus", 7),
        ("ando en la autopista 10, llego como veinte minutos tarde", 20),
        ("I'm going to be late", None),
        ("stuck in traffic", None),
    ],
)
def test_how_late_said_with_the_request(said, minutes):
    assert minutes_said(said) == minutes


@pytest.mark.parametrize(
    "said",
    [
        "voy a llegar un poquito tarde",
        "creo que voy a llegar como unos diez minutos tarde",
        "hey, running 5 min behind",
        "i'm running a few minutes behind",
    ],
)
def test_late_words_with_how_late_between(said):
    assert says_late(said) and task_in(said) == "late"


@pytest.mark.parametrize(
    "said", ["voy en la tarde", "quiero una cita en la tarde", "puedo ir mas tarde"]
)
def test_an_afternoon_is_not_running_late(said):
    assert not says_late(said)


def test_a_few_minutes_late_is_noted_at_once_without_asking(demo, sqlite_url):
    maria = demo.english_demo
    appointment_id = appointment_soon(sqlite_url, maria.patient_id, 15)
    uid = conversation(sqlite_url, demo.practice_id, maria.phone)
    verify_identity(uid)
    events, messages = run(
        ActionRouteTask(),
        tracker(
            uid,
            slots={"task": "late", "late_said": float(A_SHORT_WHILE)},
            latest_action="identity_form",
        ),
    )
    assert slots_of(events)["flow"] == "done"
    assert messages[0]["response"] == "utter_late_noted"  # no "how many minutes?"
    with UnitOfWork(sqlite_url) as uow:
        assert uow.session.get(Appointment, appointment_id).running_late_note == "running late"
        task = uow.session.execute(select(StaffTask)).scalars().all()[-1]
        assert task.priority == "normal"


@pytest.mark.parametrize(
    "said",
    ["which floor are you on? there are two towers", "¿en qué piso está el consultorio?"],
)
def test_a_question_about_the_office_as_a_place_is_answered_not_sent_to_the_nurse(
    demo, sqlite_url, said
):
    uid = conversation(sqlite_url, demo.practice_id, demo.english_demo.phone)
    _, messages = run(ActionTakeMessage(), tracker(uid, text=said, intent="care_question"))
    assert "Suite 200" in " ".join(str(m.get("text") or m) for m in messages)
    assert staff_departments(sqlite_url, uid) == []


@pytest.mark.parametrize(
    "said",
    [
        "is my appointment on thursday still on?",
        "i wanted to know if my visit is still on after the snow",
        "quería saber si mi cita sigue en pie",
    ],
)
def test_asking_whether_the_visit_is_still_on_is_a_check(said):
    assert task_in(said) == "check"
