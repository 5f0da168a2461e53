"""Corrections read slot by slot inside the forms (issue #17, "repair everywhere in forms"),
with the demo practice: a new day keeps the week asked before, a task changed at the offers or
at a read-back starts that task for the same visit. What is offered and what the dialogue does
next; nothing is changed without a read-back."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from assistant.demo.seed import TIME_ZONE
from dialogues.actions.book import ValidateBookForm
from dialogues.actions.cancel import ValidateCancelForm
from dialogues.actions.repair import SWITCHED
from dialogues.actions.reschedule import ValidateRescheduleForm
from tests.factories.dialogues import (
    conversation,
    offer_times,
    run,
    slots_of,
    tracker,
    verify_identity,
)


@pytest.fixture
def maria(demo, sqlite_url):
    who = demo.english_demo
    uid = conversation(sqlite_url, demo.practice_id, who.phone)
    verify_identity(uid)
    return uid, who


def _form(form, uid, who, task, slot, said, language="en", **slots):
    """One answer inside a form: (all slots after it, responses said)."""
    values = {"appointment_id": who.appointment_id, "task": task, "language": language,
              slot: said, "requested_slot": slot, **slots}  # fmt: skip
    events, messages = run(
        form,
        tracker(uid, text=said, intent="inform", slots=values, active_loop=form.form_name()),
    )
    return {**values, **slots_of(events)}, [m.get("response") for m in messages]


def _day(option) -> date:
    return date.fromisoformat(str(option["local_date"]))


@pytest.mark.parametrize(
    ("before", "said", "language", "weekday"),
    [
        ("tuesday next week", "hmm hold on not tuesday, thursday is better", "en", 3),
        ("monday next week", "scratch monday make it wednesday", "en", 2),
        ("el martes de la semana que viene", "perdón no el martes, el viernes", "es", 4),
    ],
)
def test_a_new_day_at_the_offers_keeps_the_week(maria, before, said, language, weekday):
    uid, who = maria
    options = offer_times(uid, who.appointment_id, before)
    week = _day(options[0]).isocalendar()[1]
    slots, said_back = _form(ValidateRescheduleForm(), uid, who, "reschedule", "slot_choice",
                             said, language, time_preference=before,
                             offered_options=options)  # fmt: skip
    fresh = slots["offered_options"]
    assert "utter_choice_unclear" not in said_back
    assert fresh and all(_day(o).weekday() == weekday for o in fresh)
    assert all(_day(o).isocalendar()[1] == week for o in fresh)
    assert slots.get("chosen_option") is None  # nothing read back yet, nothing moved


@pytest.mark.parametrize(
    "said",
    [
        "never mind, I'll keep it as it is, could you just confirm it",
        "olvídelo, ya no la cambie, mejor confírmela",
    ],
)
def test_a_move_turned_into_a_confirmation_at_the_offers(maria, said):
    uid, who = maria
    options = offer_times(uid, who.appointment_id, "next week")
    slots, _ = _form(ValidateRescheduleForm(), uid, who, "reschedule", "slot_choice", said,
                     time_preference="next week", offered_options=options)  # fmt: skip
    assert slots["task_stopped"] == SWITCHED and slots["task"] == "confirm"
    assert slots.get("chosen_option") is None


@pytest.mark.parametrize(
    ("said", "language"),
    [
        ("mejor no la cancele, pásemela para la otra semana", "es"),
        ("wait don't cancel it, could we push it to friday instead", "en"),
    ],
)
def test_a_cancellation_turned_into_a_move_at_its_read_back(maria, said, language):
    uid, who = maria
    slots, said_back = _form(ValidateCancelForm(), uid, who, "cancel", "cancel_confirm", said,
                             language)  # fmt: skip
    assert slots["task_stopped"] == SWITCHED and slots["task"] == "reschedule"
    assert slots.get("cancel_confirm") is None and "utter_nothing_changed" not in said_back


@pytest.mark.parametrize(
    ("before", "said", "weekday"),
    [
        ("wednesday", "go back, I meant the wednesday of next week", 2),
        ("monday", "back up, scratch that, I meant tuesday next week", 1),
    ],
)
def test_go_back_with_a_correction_searches_it(maria, before, said, weekday):
    uid, who = maria
    options = offer_times(uid, who.appointment_id, before)
    slots, said_back = _form(ValidateRescheduleForm(), uid, who, "reschedule", "slot_choice",
                             said, time_preference=before, offered_options=options)  # fmt: skip
    fresh = slots["offered_options"]
    assert "utter_choice_unclear" not in said_back
    assert fresh and all(_day(o).weekday() == weekday for o in fresh)
    # the calendar week after this one, whatever today's weekday ("wednesday" alone may
    # already be next week's)
    today = datetime.now(ZoneInfo(TIME_ZONE)).date()
    next_monday = today + timedelta(days=7 - today.weekday())
    assert next_monday <= _day(fresh[0]) < next_monday + timedelta(days=7)
    assert slots.get("chosen_option") is None


def test_a_correction_with_a_question_answers_it_and_searches_the_new_day(maria):
    uid, who = maria
    options = offer_times(uid, who.appointment_id, "wednesday morning")
    said = "hold on make it thursday not wednesday, and where do we park"
    slots, said_back = _form(ValidateRescheduleForm(), uid, who, "reschedule", "slot_choice",
                             said, time_preference="wednesday morning",
                             offered_options=options)  # fmt: skip
    assert "utter_office_info" in said_back  # the parking answered
    fresh = slots["offered_options"]
    assert fresh and all(_day(o).weekday() == 3 for o in fresh)
    assert slots.get("chosen_option") is None


def test_a_parking_question_at_the_read_back_commits_nothing(maria):
    uid, who = maria
    options = offer_times(uid, who.appointment_id, "thursday afternoon")
    slots, said_back = _form(ValidateRescheduleForm(), uid, who, "reschedule",
                             "reschedule_confirm", "y dónde me estaciono", "es",
                             time_preference="el jueves en la tarde", offered_options=options,
                             chosen_option=options[0])  # fmt: skip
    assert slots.get("reschedule_confirm") is None  # asked again, not a yes
    assert "utter_office_info" in said_back


@pytest.mark.parametrize(
    ("said", "language"),
    [
        ("hang on, do you charge anything if I cancel at the last minute", "en"),
        ("oiga, ¿me cobran algo por cancelar tan tarde?", "es"),
    ],
)
def test_a_fee_question_at_a_read_back_is_answered_from_the_policy(maria, said, language):
    uid, who = maria
    slots, said_back = _form(ValidateCancelForm(), uid, who, "cancel", "cancel_confirm", said,
                             language)  # fmt: skip
    assert "utter_office_info" in said_back  # the practice's notice, then asked again
    assert slots.get("cancel_confirm") is None and slots.get("task_stopped") is None


def test_a_book_turned_into_a_move_keeps_the_week_wished(maria):
    uid, who = maria
    slots, said_back = _form(ValidateBookForm(), uid, who, "book", "book_type_choice",
                             "oh sorry, I meant reschedule the one I have",
                             request_details="friday , next week", verified=True)  # fmt: skip
    assert slots["task_stopped"] == SWITCHED and slots["task"] == "reschedule"
    assert slots["request_details"] == "friday , next week"


def test_a_fee_question_at_the_offers_cancels_nothing(maria):
    uid, who = maria
    options = offer_times(uid, who.appointment_id, "friday")
    said = "before I pick, is there a penalty if I end up cancelling late?"
    slots, said_back = _form(ValidateRescheduleForm(), uid, who, "reschedule", "slot_choice",
                             said, time_preference="friday", offered_options=options)  # fmt: skip
    assert "utter_office_info" in said_back
    assert slots.get("task_stopped") is None and slots["task"] == "reschedule"
    assert slots.get("chosen_option") is None
