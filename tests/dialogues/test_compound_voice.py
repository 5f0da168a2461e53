"""Whole requests said in one breath (issue #16, "understand whole requests the first time"), as
the action server runs them against the demo practice: a move to the visit's own day, earlier or
later, offers only times that day on the side asked; a move to the week after the visit offers
that week; a check or a confirmation with "do I need to fast?" answers it once the patient is
verified; shorthand and typos ("wen is my apt n do i hav to fast") are read as meant. Days and
hours come from the seeded visits, so nothing depends on today's date."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from rasa_sdk.events import FollowupAction
from sqlalchemy import select

from assistant.db.models import Appointment, AppointmentType, Reminder
from assistant.unit_of_work import UnitOfWork
from dialogues.actions.router import ActionRouteTask
from dialogues.actions.routing import ActionTakeMessage
from tests.factories.dialogues import (
    conversation,
    offer_times,
    routed_after_identity,
    run,
    slots_of,
    staff_departments,
    tracker,
    verify_identity,
)


def _local(url: str, appointment_id: int) -> datetime:
    with UnitOfWork(url) as uow:
        found = uow.session.get(Appointment, appointment_id)
        return found.starts_at.astimezone(ZoneInfo(found.location.time_zone))


def _starts(option: dict) -> datetime:
    return datetime.fromisoformat(option["starts_at"])


@pytest.mark.parametrize(
    ("said", "intent"),
    [
        ("hi um could i come in later that same day instead", "reschedule_appointment"),
        ("Can I come in later on the same day as my appointment?", "reschedule_appointment"),
        ("so uh i'd rather keep the same day but later like after lunch", "book_appointment"),
        ("cn u move my appt to latr that same day", "reschedule_appointment"),
    ],
)
def test_later_the_same_day_is_a_move_with_its_time(demo, sqlite_url, said, intent):
    maria = demo.english_demo
    uid = conversation(sqlite_url, demo.practice_id, maria.phone)
    slots, _ = routed_after_identity(uid, said, intent)
    assert slots["task"] == "reschedule" and slots["flow"] == "reschedule"
    wish = slots["time_preference"]
    assert wish  # not asked again
    visit = _local(sqlite_url, maria.appointment_id)
    options = offer_times(uid, maria.appointment_id, wish)
    assert options
    for option in options:  # that day, and later than the visit (never earlier)
        assert date.fromisoformat(option["local_date"]) == visit.date()
        assert _starts(option) > visit


@pytest.mark.parametrize(
    "said",
    ["el mismo dia pero mas temprano", "same day but earlier if you have it", "earlier that day"],
)
def test_earlier_the_same_day_offers_earlier_times_that_day(demo, sqlite_url, said):
    jose = demo.spanish_demo  # 2 PM: the morning of that day is before it
    uid = conversation(sqlite_url, demo.practice_id, jose.phone)
    verify_identity(uid, "José Hernández", "15/07/1975")
    visit = _local(sqlite_url, jose.appointment_id)
    options = offer_times(uid, jose.appointment_id, said)
    assert options
    for option in options:
        assert date.fromisoformat(option["local_date"]) == visit.date()
        assert _starts(option) < visit


@pytest.mark.parametrize(
    "said",
    [
        "push it to the following week in the morning",
        "la semana que sigue en la tarde",
        "me la pasan a la semana siguiente por la tarde",
        "the week after, afternoon",
    ],
)
def test_the_week_after_is_the_week_after_the_visit(demo, sqlite_url, said):
    jose = demo.spanish_demo
    uid = conversation(sqlite_url, demo.practice_id, jose.phone)
    verify_identity(uid, "José Hernández", "15/07/1975")
    visit = _local(sqlite_url, jose.appointment_id)
    monday_after = visit.date() - timedelta(days=visit.weekday()) + timedelta(days=7)
    options = offer_times(uid, jose.appointment_id, said)
    assert options
    for option in options:
        day = date.fromisoformat(option["local_date"])
        assert monday_after <= day < monday_after + timedelta(days=7)
        assert (option["hour"] < 12) == ("morning" in said)


def _physical(url: str, appointment_id: int) -> None:
    with UnitOfWork(url) as uow:
        visit = uow.session.get(Appointment, appointment_id)
        visit.appointment_type_id = uow.session.execute(
            select(AppointmentType.id).where(
                AppointmentType.practice_id == visit.practice_id,
                AppointmentType.code == "annual_physical",
            )
        ).scalar_one()
        uow.commit()


@pytest.mark.parametrize(
    ("said", "intent", "physical", "answer"),
    [
        ("uh when is my appointment and do i need to like fast before it", "check_appointment",
         False, "utter_no_special_prep"),
        ("wen is my apt n do i hav to fast", "check_appointment", False, "utter_no_special_prep"),
        ("when's my physical and do I have to fast for the blood work", "check_appointment", True,
         "utter_prep_instructions"),
        ("is there anything I need to do to prepare? when is my appointment", "check_appointment",
         False, "utter_no_special_prep"),
    ],
)  # fmt: skip
def test_a_check_with_a_preparation_question_answers_both(
    demo, sqlite_url, said, intent, physical, answer
):
    maria = demo.english_demo
    if physical:
        _physical(sqlite_url, maria.appointment_id)
    uid = conversation(sqlite_url, demo.practice_id, maria.phone)
    slots, messages = routed_after_identity(uid, said, intent)
    said_back = [m.get("response") for m in messages]
    assert said_back[0] == "utter_upcoming_appointment" and answer in said_back
    assert slots["flow"] == "done"


def _forget_reminders(url: str) -> None:
    with UnitOfWork(url) as uow:
        for reminder in uow.session.execute(select(Reminder)).scalars():
            uow.session.delete(reminder)
        uow.commit()


@pytest.mark.parametrize(
    ("said", "physical", "answer"),
    [
        ("hey i'm confirming my physical and do i need to fast for that", True,
         "utter_prep_instructions"),
        ("confirming my appointment, do I need to fast?", False, "utter_no_special_prep"),
    ],
)  # fmt: skip
def test_a_confirmation_with_a_preparation_question_answers_both(
    demo, sqlite_url, said, physical, answer
):
    maria = demo.english_demo
    _forget_reminders(sqlite_url)  # a confirmation that answers no reminder: verified first
    if physical:
        _physical(sqlite_url, maria.appointment_id)
    uid = conversation(sqlite_url, demo.practice_id, maria.phone, channel="voice")
    slots, messages = routed_after_identity(uid, said, "confirm_appointment", channel="voice")
    said_back = [m.get("response") for m in messages]
    assert "utter_confirmed_appointment" in said_back and answer in said_back
    assert said_back.index("utter_confirmed_appointment") < said_back.index(answer)


@pytest.mark.parametrize(
    ("said", "intent"),
    [
        ("wen is my apt n do i hav to fast", "nlu_fallback"),
        ("hey so when's my physical and uh do i have to fast for it", "care_question"),
        ("i wanted to check what time my physical is and if i should not eat before",
         "care_question"),
        ("se podra ese mismo dia pero por la mañana?", "nlu_fallback"),
        ("fijese que ese dia si puedo pero mas tarde como a las cuatro", "out_of_scope"),
    ],
)  # fmt: skip
def test_a_check_heard_as_a_message_is_still_the_check(demo, sqlite_url, said, intent):
    uid = conversation(sqlite_url, demo.practice_id, demo.english_demo.phone, channel="voice")
    track = tracker(uid, text=said, intent=intent, slots={"channel": "voice"})
    events, messages = run(ActionTakeMessage(), track)
    assert events == [FollowupAction("action_route_task")]
    assert not any("handoff" in (m.get("custom") or {}) for m in messages)
    assert staff_departments(sqlite_url, uid) == []


@pytest.mark.parametrize(
    ("said", "language", "answered"),
    [
        ("eh necesito cancelar mi cita y a que hora abren", "es", "a que hora abren"),
        ("need to cancl my apointment, wat r ur hrs", "en", "hours"),
        ("nesesito cancelar mi cita y cual es el horaro", "es", "horario"),
    ],
)
def test_cancel_and_the_hours_answers_both(demo, sqlite_url, said, language, answered):
    uid = conversation(sqlite_url, demo.practice_id, demo.english_demo.phone)
    events, messages = run(
        ActionRouteTask(),
        tracker(uid, text=said, intent="cancel_appointment", slots={"language": language}),
    )
    slots = slots_of(events)
    assert slots["task"] == "cancel" and slots["flow"] == "identify"
    assert messages[0]["response"] == "utter_office_info"
    assert "8" in messages[0]["info"]
