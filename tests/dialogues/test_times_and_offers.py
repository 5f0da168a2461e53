"""The reschedule path with the demo practice: closed days, the waitlist question, a colleague
when the patient's provider has nothing, times near the one asked for, choosing by clock
time, cancel-and-replace, and a date of birth corrected while verifying. What the patient is
told and what the database holds."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from rasa_sdk import Tracker
from sqlalchemy import delete, select

from assistant.db.models import Appointment, ProviderSchedule, WaitlistEntry
from assistant.demo.seed import TIME_ZONE
from assistant.unit_of_work import UnitOfWork
from dialogues.actions.identity import ValidateIdentityForm
from dialogues.actions.reschedule import ValidateRescheduleForm
from dialogues.actions.router import ActionRouteTask
from tests.factories.dialogues import conversation, run, slots_of, tracker, verify_identity


@pytest.fixture
def maria(demo, sqlite_url):
    who = demo.english_demo
    uid = conversation(sqlite_url, demo.practice_id, who.phone)
    verify_identity(uid)
    return uid, who


@pytest.fixture
def jose(demo, sqlite_url):
    who = demo.spanish_demo
    uid = conversation(sqlite_url, demo.practice_id, who.phone)
    verify_identity(uid, "José Hernández", "15/07/1975")
    return uid, who


def _ask(uid, appointment_id, slot, said, language="en", **slots):
    values = {"appointment_id": appointment_id, "task": "reschedule", "language": language,
              slot: said, "requested_slot": slot, **slots}  # fmt: skip
    events, messages = run(
        ValidateRescheduleForm(),
        tracker(uid, text=said, slots=values, active_loop="reschedule_form"),
    )
    return {**values, **slots_of(events)}, messages


def _said(messages) -> str:
    return " ".join(str(m.get("info") or m.get("text") or "") for m in messages)


def _local(option) -> datetime:
    return datetime.fromisoformat(option["local_date"]).replace(
        hour=int(option["hour"]), minute=int(option.get("minute", 0))
    )


@pytest.mark.parametrize(
    ("said", "language", "closed"),
    [
        ("can I move my appointment to Saturday morning", "en", "closed on Saturday"),
        ("sunday afternoon?", "en", "closed on Sunday"),
        ("¿puedo cambiarla para el domingo?", "es", "cerrados"),
        ("el sabado en la mañana", "es", "cerrados"),
    ],
)
def test_a_closed_day_is_said_and_another_day_asked(maria, said, language, closed):
    uid, who = maria
    slots, messages = _ask(uid, who.appointment_id, "time_preference", said, language)
    assert closed in _said(messages)
    assert "utter_no_options" not in [m.get("response") for m in messages]
    assert slots["time_preference"] is None and not slots.get("no_options")
    assert not slots["offered_options"]
    slots, _ = _ask(uid, who.appointment_id, "time_preference", "Monday morning then", language)
    assert slots["offered_options"]
    for option in slots["offered_options"]:
        assert _local(option).weekday() == 0 and _local(option).hour < 12


def test_a_new_wish_at_the_waitlist_question_is_searched_not_a_yes(maria, sqlite_url):
    uid, who = maria
    slots, messages = _ask(uid, who.appointment_id, "waitlist_answer",
                           "oh ok, monday morning then", no_options=True,
                           time_preference="friday evening")  # fmt: skip
    assert slots["waitlist_answer"] is None and not slots["no_options"]
    assert slots["offered_options"]
    assert all(_local(o).weekday() == 0 and _local(o).hour < 12 for o in slots["offered_options"])
    with UnitOfWork(sqlite_url) as uow:
        assert not uow.session.execute(select(WaitlistEntry)).first()


@pytest.mark.parametrize(("said", "answer"), [("yes please", "yes"), ("no thanks", "no")])
def test_the_waitlist_question_takes_a_plain_yes_or_no(maria, said, answer):
    uid, who = maria
    slots, _ = _ask(uid, who.appointment_id, "waitlist_answer", said, no_options=True,
                    time_preference="friday")  # fmt: skip
    assert slots["waitlist_answer"] == answer


def test_next_week_afternoon_in_spanish_finds_next_weeks_afternoons(jose):
    uid, who = jose
    slots, messages = _ask(uid, who.appointment_id, "time_preference",
                           "la semana que viene en la tarde", "es")  # fmt: skip
    assert slots["offered_options"], messages
    today = datetime.now(ZoneInfo(TIME_ZONE)).date()  # the demo is seeded for the practice's today
    monday = today + timedelta(days=7 - today.weekday())
    for option in slots["offered_options"]:
        at = _local(option)
        assert 12 <= at.hour < 17 and monday <= at.date() < monday + timedelta(days=7)


_ES_WEEKDAYS = ("lunes", "martes", "miércoles", "jueves", "viernes")


def test_around_ten_offers_times_near_ten(maria):
    # a weekday two or more days ahead: today's morning may already be inside the booking lead
    # time (at 8:30 nothing before 10:30 can be offered), whatever hour the suite runs at
    today = datetime.now(ZoneInfo(TIME_ZONE)).date()
    day = next(
        today + timedelta(days=n) for n in range(2, 9) if (today + timedelta(days=n)).weekday() < 5
    )
    said = f"el {_ES_WEEKDAYS[day.weekday()]} a eso de las diez"
    uid, who = maria
    slots, _ = _ask(uid, who.appointment_id, "time_preference", said, "es")
    starts = [_local(o) for o in slots["offered_options"]]
    assert starts and {s.date() for s in starts} == {day}
    distances = [abs(s.hour * 60 + s.minute - 600) for s in starts]
    assert all(d <= 60 for d in distances), starts
    assert distances == sorted(distances)  # "la primera" is the nearest to ten


def test_a_colleague_is_named_when_the_provider_has_nothing(maria, sqlite_url):
    uid, who = maria
    with UnitOfWork(sqlite_url) as uow:  # Dr. Chen away
        chen = uow.session.get(Appointment, who.appointment_id).provider_id
        uow.session.execute(delete(ProviderSchedule).where(ProviderSchedule.provider_id == chen))
        uow.commit()
    slots, messages = _ask(uid, who.appointment_id, "time_preference", "a weekday morning")
    offer = next(m for m in messages if m.get("response") == "utter_colleague_offer")
    assert offer["provider"] == who.provider_name and offer["colleague"] != who.provider_name
    assert slots["offered_options"] and not slots.get("no_options")
    assert all(offer["colleague"] in o["label"] for o in slots["offered_options"][:1])


def test_an_offer_chosen_by_its_clock_time(maria):
    uid, who = maria
    slots, _ = _ask(uid, who.appointment_id, "time_preference", "any afternoon")
    options = slots["offered_options"]
    second = _local(options[1])
    said = f"the {second.hour % 12 or 12}:{second.minute:02d} one"
    slots, messages = _ask(uid, who.appointment_id, "slot_choice", said, offered_options=options)
    assert slots["chosen_option"] == options[1], messages


def test_cancel_and_replace_is_a_move_with_its_wish(maria):
    uid, who = maria
    said = "cancel my appointment and give me another one on Wednesday afternoon"
    events, _ = run(ActionRouteTask(), tracker(uid, text=said, intent="cancel_appointment"))
    slots = slots_of(events)
    assert slots["task"] == "reschedule" and slots["flow"] == "reschedule"
    assert "wednesday afternoon" in slots["time_preference"].lower()


def test_cancelar_y_otra_es_un_cambio(jose):
    uid, who = jose
    said = "cancele la cita y deme otra para el miércoles en la tarde"
    events, _ = run(ActionRouteTask(), tracker(uid, text=said, intent="cancel_appointment",
                                               slots={"language": "es"}))  # fmt: skip
    slots = slots_of(events)
    assert slots["task"] == "reschedule" and "miércoles en la tarde" in slots["time_preference"]


@pytest.mark.parametrize(
    ("before", "said", "language"),
    [
        ("March 13th 1982", "sorry, March third, not thirteenth", "en"),
        ("13 de marzo de 1982", "el tres, no el trece", "es"),
    ],
)
def test_a_corrected_date_of_birth_verifies(demo, sqlite_url, before, said, language):
    uid = conversation(sqlite_url, demo.practice_id, demo.english_demo.phone)
    slots = {"patient_name": "Maria Lopez", "patient_dob": said, "requested_slot": "patient_dob",
             "language": language, "channel": "sms"}  # fmt: skip
    track = Tracker(
        sender_id=f"sms:{uid}", slots=slots,
        latest_message={"text": said, "intent": {"name": "inform", "confidence": 1.0},
                        "metadata": {"conversation_uid": uid}},
        events=[{"event": "user", "text": before}, {"event": "user", "text": said},
                {"event": "slot", "name": "patient_dob", "value": said}],
        paused=False, followup_action=None, active_loop={"name": "identity_form"},
        latest_action_name="identity_form",
    )  # fmt: skip
    events, messages = run(ValidateIdentityForm(), track)
    assert slots_of(events).get("verified") is True, messages
