"""Requests about existing visits understood whole (issues 16/17), as the action server runs them
against the demo practice:

1. the visit named in the request ("cancel the later one", "la de la tarde", "move the one with
   Dr. Okafor") is the one acted on after verification, read back, without "which one?";
2. a check answers what it asks (day, time, provider; where; what kind);
3. a compound request keeps both parts (a move and the address, a confirmation and parking, a
   cancellation and a bill for the billing team);
4. a time asked for without move or book words asks "move your visit on <day>, or a new one?"
   (no visit named before verification), then goes on with the time already said.

What the patient is told and what the database holds. Weekdays and hours come from the seeded
visits, so nothing depends on today's date."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from assistant.actor import Actor
from assistant.db.models import Appointment, OutboundMessage, Provider, ProviderSchedule
from assistant.routing import department_for
from assistant.scheduling import operations
from assistant.scheduling.errors import SchedulingError
from assistant.scheduling.securing import SlotRequest
from assistant.unit_of_work import UnitOfWork
from dialogues.actions.cancel import (
    ActionAskAppointmentChoice,
    ActionAskCancelConfirm,
    ValidateCancelForm,
)
from dialogues.actions.move_or_book import ActionAskMoveOrBookAnswer, ValidateMoveOrBookForm
from dialogues.actions.router import ActionRouteTask
from dialogues.actions.routing import ActionTakeMessage
from tests.factories.dialogues import (
    conversation,
    run,
    slots_of,
    staff_departments,
    tracker,
    verify_identity,
)
from tests.factories.dialogues import routed_after_identity as _routed

WEEKDAYS_EN = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
WEEKDAYS_ES = ("lunes", "martes", "miércoles", "jueves", "viernes", "sábado", "domingo")


def _local(url: str, appointment_id: int) -> datetime:
    with UnitOfWork(url) as uow:
        found = uow.session.get(Appointment, appointment_id)
        return found.starts_at.astimezone(ZoneInfo(found.location.time_zone))


def _status(url: str, appointment_id: int) -> str:
    with UnitOfWork(url) as uow:
        return uow.session.get(Appointment, appointment_id).status


def _visit_with(url: str, like_id: int, last_name: str, hour: int = 15) -> int:
    """Another upcoming visit of the same patient with `last_name`, in the afternoon, on another
    weekday than `like_id`'s, inside that provider's schedule."""
    with UnitOfWork(url) as uow:
        like = uow.session.get(Appointment, like_id)
        provider = uow.session.execute(
            select(Provider).where(Provider.last_name == last_name)
        ).scalar_one()
        zone = ZoneInfo(like.location.time_zone)
        first = like.starts_at.astimezone(zone).date()
        length = like.ends_at - like.starts_at
        for days in range(1, 21):
            day = first + timedelta(days=days)
            if day.weekday() in (5, 6, first.weekday()):
                continue
            blocks = uow.session.execute(
                select(ProviderSchedule).where(
                    ProviderSchedule.provider_id == provider.id,
                    ProviderSchedule.weekday == day.weekday(),
                )
            ).scalars()
            for block in blocks:
                for minutes in range(0, 120, 20):
                    start = datetime.combine(day, time(hour), tzinfo=zone) + timedelta(
                        minutes=minutes
                    )
                    end_of_block = datetime.combine(day, block.end_time, tzinfo=zone)
                    if start.time() < block.start_time or start + length > end_of_block:
                        continue
                    try:
                        with uow.session.begin_nested():
                            made = operations.book(
                                uow.session,
                                SlotRequest(like.patient_id, provider.id, block.location_id,
                                            like.appointment_type_id, start),
                                actor=Actor("staff:1", "console"), enforce_rules=False,
                            )  # fmt: skip
                    except SchedulingError:
                        continue
                    uow.commit()
                    return made.id
    raise AssertionError("no free afternoon time for a second visit")


def _forget_reminders(url: str) -> None:
    with UnitOfWork(url) as uow:
        for message in uow.session.execute(select(OutboundMessage)).scalars():
            uow.session.delete(message)
        uow.commit()


@pytest.fixture
def two_visits(demo, sqlite_url):
    """Maria: her morning visit with Dr. Chen, and an afternoon one with Dr. Okafor on another
    weekday (the later of the two)."""
    _forget_reminders(sqlite_url)
    maria = demo.english_demo
    later = _visit_with(sqlite_url, maria.appointment_id, "Okafor")
    return maria.appointment_id, later


def _weekday(url: str, appointment_id: int, names=WEEKDAYS_EN) -> str:
    return names[_local(url, appointment_id).weekday()]


# --- 1. the visit named in the request --------------------------------------------------------


LATER_CANCELS = [
    ("I need to cancel the later one", "en"),
    ("cancel my second appointment pls", "en"),
    ("hey can u cancel the one with dr okafor", "en"),
    ("I can't make the afternoon one, please cancel it", "en"),
    ("cancela la de la tarde", "es"),
    ("cancela la última por favor", "es"),
    ("quiero cancelar la cita con el doctor Okafor", "es"),
]


@pytest.mark.parametrize(("said", "language"), LATER_CANCELS)
def test_the_visit_named_in_a_cancel_is_read_back_and_cancelled_at_the_yes(
    two_visits, demo, sqlite_url, said, language
):
    first, later = two_visits
    uid = conversation(sqlite_url, demo.practice_id, demo.english_demo.phone)
    slots, messages = _routed(uid, said, "cancel_appointment", language)
    assert slots["flow"] == "cancel" and slots["appointment_id"] == later  # not "which one?"
    assert messages == []
    _, said_back = run(ActionAskCancelConfirm(), tracker(uid, slots=slots))
    line = said_back[0]["appointment"]
    assert said_back[0]["response"] == "utter_confirm_cancel"
    clock = "%H:%M" if language == "es" else "%-I:%M"  # "16:00" / "4:00 PM"
    assert "Dr. Okafor" in line and _local(sqlite_url, later).strftime(clock) in line
    done = {**slots, "cancel_confirm": "yes"}
    _, told = run(ActionRouteTask(), tracker(uid, slots=done, latest_action="cancel_form"))
    assert told[0]["response"] == "utter_appointment_cancelled"
    assert _status(sqlite_url, later) == "cancelled"
    assert _status(sqlite_url, first) == "booked"  # the other one is untouched


@pytest.mark.parametrize("language", ["en", "es"])
def test_the_weekday_named_picks_that_visit(two_visits, demo, sqlite_url, language):
    first, later = two_visits
    uid = conversation(sqlite_url, demo.practice_id, demo.english_demo.phone)
    if language == "en":
        said = f"please cancel my {_weekday(sqlite_url, first)} appt"
    else:
        said = f"cancela la del {_weekday(sqlite_url, first, WEEKDAYS_ES)}"
    slots, _ = _routed(uid, said, "cancel_appointment", language)
    assert slots["appointment_id"] == first


@pytest.mark.parametrize(
    ("said", "language"),
    [
        ("move the one with Dr. Okafor", "en"),
        ("can I push the afternoon appointment back a bit", "en"),
        ("cambie la última por favor", "es"),
    ],
)
def test_the_visit_named_in_a_move_is_moved_without_which_one(
    two_visits, demo, sqlite_url, said, language
):
    _, later = two_visits
    uid = conversation(sqlite_url, demo.practice_id, demo.english_demo.phone)
    slots, messages = _routed(uid, said, "reschedule_appointment", language)
    assert slots["flow"] == "reschedule" and slots["appointment_id"] == later
    [told] = messages  # which one it is, before the new time is asked
    assert told["response"] == "utter_moving_visit" and "Dr. Okafor" in told["appointment"]


def test_a_move_naming_the_visit_and_the_new_time_searches_that_time(two_visits, demo, sqlite_url):
    first, _ = two_visits
    uid = conversation(sqlite_url, demo.practice_id, demo.english_demo.phone)
    said = "move the earlier one to later that week in the afternoon"
    slots, _ = _routed(uid, said, "reschedule_appointment")
    assert slots["appointment_id"] == first
    assert "afternoon" in slots["time_preference"] and "earlier one" not in slots["time_preference"]
    assert slots.get("move_direction") != "earlier"  # "the earlier one" is no direction


def test_a_cancel_classified_as_a_move_because_of_earlier_is_a_cancel(two_visits, demo, sqlite_url):
    first, _ = two_visits
    uid = conversation(sqlite_url, demo.practice_id, demo.english_demo.phone)
    said = "i gotta cancel the earlier one, the other one is fine"
    slots, _ = _routed(uid, said, "reschedule_appointment")
    assert slots["task"] == "cancel" and slots["appointment_id"] == first


@pytest.mark.parametrize(
    ("said", "language"),
    [("cancel my appointment", "en"), ("cancele mi cita", "es"), ("cancel the saturday one", "en")],
)
def test_words_that_pick_no_visit_ask_which_listing_them_after_verification(
    two_visits, demo, sqlite_url, said, language
):
    first, later = two_visits  # (neither is on a Saturday)
    uid = conversation(sqlite_url, demo.practice_id, demo.english_demo.phone)
    slots, _ = _routed(uid, said, "cancel_appointment", language)
    assert slots["flow"] == "cancel" and slots.get("appointment_id") is None
    _, asked = run(ActionAskAppointmentChoice(), tracker(uid, slots=slots))
    assert asked[0]["response"] == "utter_which_appointment"
    assert "Dr. Chen" in asked[0]["appointments"] and "Dr. Okafor" in asked[0]["appointments"]
    form = {**slots, "appointment_choice": "the one with Okafor",
            "requested_slot": "appointment_choice"}  # fmt: skip
    events, _ = run(
        ValidateCancelForm(),
        tracker(uid, text="the one with Okafor", slots=form, active_loop="cancel_form"),
    )
    assert slots_of(events)["appointment_id"] == later  # answered by the provider's name


def test_confirming_the_visit_named(two_visits, demo, sqlite_url):
    first, later = two_visits
    uid = conversation(sqlite_url, demo.practice_id, demo.english_demo.phone, channel="voice")
    slots, messages = _routed(
        uid, "I want to confirm the one with doctor okafor", "confirm_appointment", channel="voice"
    )
    assert messages[0]["response"] == "utter_confirmed_appointment"
    assert "Dr. Okafor" in messages[0]["appointment"]
    assert _status(sqlite_url, later) == "confirmed" and _status(sqlite_url, first) == "booked"


# --- 2. a check answers what it asks ----------------------------------------------------------


@pytest.mark.parametrize(
    ("said", "language"),
    [
        ("¿me puede decir qué día tengo la cita y con quién?", "es"),
        ("with whom is my appointment and when", "en"),
        ("who am I seeing and what time", "en"),
    ],
)
def test_a_check_tells_the_day_time_and_provider(demo, sqlite_url, said, language):
    jose = demo.spanish_demo if language == "es" else demo.english_demo
    uid = conversation(sqlite_url, demo.practice_id, jose.phone)
    base = {"language": language}
    events, _ = run(
        ActionRouteTask(), tracker(uid, text=said, intent="check_appointment", slots=base)
    )
    first = slots_of(events)
    if language == "es":
        verify_identity(uid, "José Hernández", "15/07/1975")
    else:
        verify_identity(uid)
    _, messages = run(
        ActionRouteTask(),
        tracker(uid, slots={**base, **first}, latest_action="identity_form"),
    )
    told = messages[0]
    assert told["response"] == "utter_upcoming_appointment"
    local = _local(sqlite_url, jose.appointment_id)
    assert jose.provider_name in told["appointments"]  # with whom
    clock = local.strftime("%H:%M" if language == "es" else "%-I:%M")
    assert clock in told["appointments"]  # what time
    assert str(local.day) in told["appointments"]  # which day


def test_a_check_asking_where_gives_the_address_and_what_kind_the_type(demo, sqlite_url):
    maria = demo.english_demo
    uid = conversation(sqlite_url, demo.practice_id, maria.phone)
    said = "where is my appointment and what kind of visit is it"
    events, _ = run(ActionRouteTask(), tracker(uid, text=said, intent="check_appointment"))
    verify_identity(uid)
    _, messages = run(
        ActionRouteTask(), tracker(uid, slots=slots_of(events), latest_action="identity_form")
    )
    responses = [m["response"] for m in messages]
    assert responses[:3] == [
        "utter_upcoming_appointment",
        "utter_visit_address",
        "utter_visit_kind",
    ]
    assert "1420 Main Street" in messages[1]["address"]
    assert "follow" in messages[2]["kind"].lower()


def test_where_for_two_visits_gives_each_place_once(two_visits, demo, sqlite_url):
    uid = conversation(sqlite_url, demo.practice_id, demo.english_demo.phone)
    _, messages = _routed(uid, "where are my appointments", "check_appointment")
    assert messages[0]["response"] == "utter_upcoming_appointments"
    with UnitOfWork(sqlite_url) as uow:
        places = {uow.session.get(Appointment, v).location.name for v in two_visits}
    told = [m["location"] for m in messages if m["response"] == "utter_visit_address"]
    assert sorted(told) == sorted(places)


def test_a_check_naming_one_of_two_visits_tells_that_one(two_visits, demo, sqlite_url):
    _, later = two_visits
    uid = conversation(sqlite_url, demo.practice_id, demo.english_demo.phone)
    slots, messages = _routed(
        uid, "what time is my appointment with dr okafor", "check_appointment"
    )
    assert messages[0]["response"] == "utter_named_appointment"  # not "your next appointment"
    assert "Dr. Okafor" in messages[0]["appointments"]
    assert "Dr. Chen" not in messages[0]["appointments"]


# --- 3. compound requests ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("said", "intent", "task"),
    [
        ("can I move my appt to next tuesday afternoon and also what's your address",
         "reschedule_appointment", "reschedule"),
        ("confirming my appointment tomorrow is there parking", "confirm_appointment", "confirm"),
        ("necesito cambiar mi cita al jueves en la tarde cual es la direccion",
         "reschedule_appointment", "reschedule"),
        ("cancel my visit do you take blue cross", "cancel_appointment", "cancel"),
    ],
)  # fmt: skip
def test_a_question_said_with_a_task_is_answered_and_the_task_goes_on(
    demo, sqlite_url, said, intent, task
):
    _forget_reminders(sqlite_url)  # a confirmation verifies first
    uid = conversation(sqlite_url, demo.practice_id, demo.english_demo.phone)
    events, messages = run(ActionRouteTask(), tracker(uid, text=said, intent=intent))
    slots = slots_of(events)
    assert slots["task"] == task and slots["flow"] == "identify"
    if "blue cross" in said:  # on the practice's list of plans: answered, nothing for staff
        assert "we accept Blue Cross Blue Shield" in messages[0]["text"]
        assert staff_departments(sqlite_url, uid) == []
    else:
        assert messages[0]["response"] == "utter_office_info"
        assert "1420 Main Street" in messages[0]["info"] or "lot" in messages[0]["info"]
    if task == "reschedule":  # the new time is the move's, not the question's
        assert (
            "address" not in slots["request_details"]
            and "direccion" not in slots["request_details"]
        )


@pytest.mark.parametrize(
    ("said", "intent"),
    [
        ("cambiar mi cita para el martes y cuál es su dirección", "reschedule_appointment"),
        ("yes I'll be there, do you validate parking", "confirm_appointment"),
        (
            "confirming my appointment for tuesday and wanted to ask about parking",
            "confirm_appointment",
        ),
        (
            "yeah can i move my appointment to friday afternoon and whats the address again",
            "reschedule_appointment",
        ),
    ],
)
def test_the_question_is_found_with_accents_or_after_a_comma(demo, sqlite_url, said, intent):
    _forget_reminders(sqlite_url)
    uid = conversation(sqlite_url, demo.practice_id, demo.english_demo.phone)
    events, messages = run(ActionRouteTask(), tracker(uid, text=said, intent=intent))
    assert messages[0]["response"] == "utter_office_info"
    assert slots_of(events)["flow"] == "identify"


def test_a_task_the_classifier_took_for_a_care_question_is_no_message_for_the_nurse(
    two_visits, demo, sqlite_url
):
    _, later = two_visits
    uid = conversation(sqlite_url, demo.practice_id, demo.english_demo.phone)
    said = "por favor cancele la que tengo con el doctor okafor"
    events, messages = run(ActionTakeMessage(), tracker(uid, text=said, intent="care_question"))
    assert [e.get("name") for e in events] == ["action_route_task"] and messages == []
    assert staff_departments(sqlite_url, uid) == []
    events, _ = run(
        ActionRouteTask(),
        tracker(uid, text=said, intent="care_question", latest_action="action_take_message",
                slots={"language": "es"}),
    )  # fmt: skip
    slots = slots_of(events)
    assert slots["task"] == "cancel" and slots["visit_said"]


def test_results_asked_about_are_not_a_time_asked_for(demo, sqlite_url):
    uid = conversation(sqlite_url, demo.practice_id, demo.english_demo.phone)
    said = "are my lab results available tomorrow?"
    events, messages = run(ActionTakeMessage(), tracker(uid, text=said, intent="lab_results"))
    assert events == []  # a message for the results desk, no booking question
    assert staff_departments(sqlite_url, uid) == [department_for("lab_results")]


@pytest.mark.parametrize("intent", ["out_of_scope", "office_info"])
def test_what_kind_or_where_my_visit_is_a_check_not_a_message(demo, sqlite_url, intent):
    uid = conversation(sqlite_url, demo.practice_id, demo.english_demo.phone)
    said = "what type of appointment is it and what's the address for my appointment"
    action = ActionTakeMessage() if intent == "out_of_scope" else None
    if action is not None:
        events, _ = run(action, tracker(uid, text=said, intent=intent))
        assert [e.get("name") for e in events] == ["action_route_task"]
        assert staff_departments(sqlite_url, uid) == []
    events, _ = run(
        ActionRouteTask(),
        tracker(uid, text=said, intent=intent, latest_action="action_take_message"),
    )
    assert slots_of(events)["task"] == "check"


def test_scratch_the_later_one_heard_as_a_move_cancels_it(two_visits, demo, sqlite_url):
    _, later = two_visits
    uid = conversation(sqlite_url, demo.practice_id, demo.english_demo.phone)
    slots, _ = _routed(uid, "scratch the later appointment please", "reschedule_appointment")
    assert slots["task"] == "cancel" and slots["appointment_id"] == later


def test_a_cancel_with_a_billing_question_cancels_and_leaves_billing_a_task(demo, sqlite_url):
    maria = demo.english_demo
    uid = conversation(sqlite_url, demo.practice_id, maria.phone)
    said = "cancela mi cita y tengo una pregunta sobre mi factura"
    slots, _ = _routed(uid, said, "cancel_appointment", "es")
    assert staff_departments(sqlite_url, uid) == ["billing"]
    assert slots["flow"] == "cancel" and slots["appointment_id"] == maria.appointment_id
    done = {**slots, "cancel_confirm": "yes"}
    run(ActionRouteTask(), tracker(uid, slots=done, latest_action="cancel_form"))
    assert _status(sqlite_url, maria.appointment_id) == "cancelled"


# --- 4. a time asked for without move or book words -------------------------------------------


OPEN_ASKS = [
    ("something late afternoon next week", "reschedule_appointment", "en"),
    ("¿tienen algo el jueves en la tarde?", "running_late", "es"),
    ("any openings friday afternoon", "book_appointment", "en"),
    ("do you have anything thursday morning?", "nlu_fallback", "en"),
    ("¿tienen algo el jueves en la tarde?", "inform", "es"),
    ("¿hay algo disponible el lunes temprano?", "book_appointment", "es"),
]


def _open_ask(uid: str, said: str, intent: str, slots: dict) -> tuple[dict, list]:
    """The request as the rules run it: a misheard one goes through the message action first."""
    if intent in ("nlu_fallback", "inform"):
        events, messages = run(ActionTakeMessage(), tracker(uid, text=said, intent=intent))
        assert [e.get("name") for e in events] == ["action_route_task"]  # no message for staff
        assert messages == []
        latest = "action_take_message"
    else:
        latest = "action_listen"
    events, messages = run(
        ActionRouteTask(),
        tracker(uid, text=said, intent=intent, slots=slots, latest_action=latest),
    )
    return {**slots, **slots_of(events)}, messages


@pytest.mark.parametrize(("said", "intent", "language"), OPEN_ASKS)
def test_unverified_is_asked_move_or_new_without_naming_a_visit(
    demo, sqlite_url, said, intent, language
):
    uid = conversation(sqlite_url, demo.practice_id, demo.english_demo.phone)
    slots, messages = _open_ask(uid, said, intent, {"language": language})
    assert slots["task"] == "either" and slots["flow"] == "move_or_book"
    assert messages == []
    _, asked = run(ActionAskMoveOrBookAnswer(), tracker(uid, slots=slots))
    assert [m["response"] for m in asked] == ["utter_move_or_book_unverified"]
    assert staff_departments(sqlite_url, uid) == []
    # "move it": verify, then the move with the time already said (not asked again)
    answer = {**slots, "move_or_book_answer": "the one I have",
              "requested_slot": "move_or_book_answer"}  # fmt: skip
    events, _ = run(
        ValidateMoveOrBookForm(),
        tracker(uid, text="the one I have", slots=answer, active_loop="move_or_book_form"),
    )
    slots = {**slots, **slots_of(events)}
    assert slots["move_or_book_answer"] == "move"
    events, _ = run(ActionRouteTask(), tracker(uid, slots=slots, latest_action="move_or_book_form"))
    slots = {**slots, **slots_of(events)}
    assert slots["task"] == "reschedule" and slots["flow"] == "identify"
    verify_identity(uid)
    events, _ = run(
        ActionRouteTask(), tracker(uid, slots={**slots, "verified": True},
                                   latest_action="identity_form"),
    )  # fmt: skip
    slots = {**slots, **slots_of(events)}
    assert slots["flow"] == "reschedule"
    assert slots["appointment_id"] == demo.english_demo.appointment_id
    assert slots["time_preference"] == slots["request_details"]  # searched, not asked again


@pytest.mark.parametrize(("said", "intent", "language"), OPEN_ASKS[:3])
def test_verified_with_a_visit_is_asked_naming_it_then_a_new_one_is_booked_not_moved(
    demo, sqlite_url, said, intent, language
):
    maria = demo.english_demo
    uid = conversation(sqlite_url, demo.practice_id, maria.phone)
    verify_identity(uid)
    slots, _ = _open_ask(uid, said, intent, {"language": language, "verified": True})
    assert slots["flow"] == "move_or_book"
    _, asked = run(ActionAskMoveOrBookAnswer(), tracker(uid, slots=slots))
    assert asked[0]["response"] == "utter_move_or_book_visit"
    assert maria.provider_name in asked[0]["appointment"]  # verified: the visit is named
    answer = {**slots, "move_or_book_answer": "a new one",
              "requested_slot": "move_or_book_answer"}  # fmt: skip
    events, _ = run(
        ValidateMoveOrBookForm(),
        tracker(uid, text="a new one", slots=answer, active_loop="move_or_book_form"),
    )
    slots = {**slots, **slots_of(events)}
    events, _ = run(ActionRouteTask(), tracker(uid, slots=slots, latest_action="move_or_book_form"))
    slots = {**slots, **slots_of(events)}
    assert slots["task"] == "book" and slots["flow"] == "book"
    assert slots.get("appointment_id") is None  # her visit is not touched
    assert slots["request_details"]  # the time said is the booking's
    assert _status(sqlite_url, maria.appointment_id) == "booked"


def test_the_question_starting_says_nothing_but_the_question(demo, sqlite_url):
    """The router clears the answer when the task starts: no "sorry?" before the question."""
    uid = conversation(sqlite_url, demo.practice_id, demo.english_demo.phone)
    starting = tracker(uid, text="anything thursday morning?", slots={"task": "either"})
    starting.events.append({"event": "slot", "name": "move_or_book_answer", "value": None})
    _, messages = run(ValidateMoveOrBookForm(), starting)
    assert messages == []


@pytest.mark.parametrize(
    ("said", "intent", "wish"),
    [
        ("what do you have monday morning", "check_appointment", "monday morning"),
        ("¿qué tienen disponible la próxima semana?", "book_appointment", "próxima semana"),
    ],
)
def test_what_is_free_is_asked_move_or_new_with_the_time_kept(demo, sqlite_url, said, intent, wish):
    uid = conversation(sqlite_url, demo.practice_id, demo.english_demo.phone)
    slots, _ = _open_ask(uid, said, intent, {})
    assert slots["task"] == "either" and slots["flow"] == "move_or_book"
    assert wish in slots["request_details"]


def test_a_time_said_with_the_answer_is_the_new_wish(demo, sqlite_url):
    uid = conversation(sqlite_url, demo.practice_id, demo.english_demo.phone)
    said = "move it, but make it friday afternoon"
    answer = {"task": "either", "request_details": "anything thursday morning",
              "move_or_book_answer": said, "requested_slot": "move_or_book_answer"}  # fmt: skip
    events, _ = run(
        ValidateMoveOrBookForm(),
        tracker(uid, text=said, slots=answer, active_loop="move_or_book_form"),
    )
    slots = slots_of(events)
    assert slots["move_or_book_answer"] == "move"
    assert "friday afternoon" in slots["request_details"]


def test_an_unclear_answer_asks_again(demo, sqlite_url):
    uid = conversation(sqlite_url, demo.practice_id, demo.english_demo.phone)
    answer = {"task": "either", "move_or_book_answer": "yes",
              "requested_slot": "move_or_book_answer"}  # fmt: skip
    events, messages = run(
        ValidateMoveOrBookForm(),
        tracker(uid, text="yes", slots=answer, active_loop="move_or_book_form"),
    )
    assert slots_of(events)["move_or_book_answer"] is None
    assert messages[0]["response"] == "utter_move_or_book_unclear"


def test_verified_without_a_visit_books_without_asking(demo, sqlite_url):
    maria = demo.english_demo
    with UnitOfWork(sqlite_url) as uow:
        uow.session.get(Appointment, maria.appointment_id).status = "cancelled"
        uow.commit()
    uid = conversation(sqlite_url, demo.practice_id, maria.phone)
    verify_identity(uid)
    slots, _ = _open_ask(uid, OPEN_ASKS[1][0], "book_appointment", {"verified": True})
    assert slots["task"] == "book" and slots["flow"] == "book"


def test_with_two_visits_the_answer_can_name_the_one_to_move(two_visits, demo, sqlite_url):
    _, later = two_visits
    uid = conversation(sqlite_url, demo.practice_id, demo.english_demo.phone)
    verify_identity(uid)
    slots, _ = _open_ask(uid, "anything next week in the morning", "book_appointment",
                         {"verified": True})  # fmt: skip
    _, asked = run(ActionAskMoveOrBookAnswer(), tracker(uid, slots=slots))
    assert asked[0]["response"] == "utter_move_or_book_visits"
    said = "move the one with Okafor"
    answer = {**slots, "move_or_book_answer": said, "requested_slot": "move_or_book_answer"}
    events, _ = run(
        ValidateMoveOrBookForm(),
        tracker(uid, text=said, slots=answer, active_loop="move_or_book_form"),
    )
    slots = {**slots, **slots_of(events)}
    events, _ = run(ActionRouteTask(), tracker(uid, slots=slots, latest_action="move_or_book_form"))
    slots = {**slots, **slots_of(events)}
    assert slots["flow"] == "reschedule" and slots["appointment_id"] == later
    assert "morning" in slots["time_preference"]
