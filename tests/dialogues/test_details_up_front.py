"""A request that carries its details fills the form's slots: nothing is asked twice; "later"
wishes count from the visit being moved (issue #16, classes 1 and 5)."""

from __future__ import annotations

from datetime import date, datetime, timezone

import pytest

from assistant.frontdesk.time_phrases import carries_details, later_than_visit, read_wish
from dialogues.actions.reschedule import ValidateRescheduleForm
from dialogues.actions.router import ActionRouteTask
from tests.factories.dialogues import conversation, run, slots_of, tracker, verify_identity

NOW = datetime(2026, 3, 2, 15, 0, tzinfo=timezone.utc)  # a Monday, 10 AM in New York
VISIT = date(2026, 3, 12)  # the Thursday of the following week
ZONE = "America/New_York"


@pytest.mark.parametrize(
    "said",
    [
        "can I move my appointment to thursday afternoon",
        "anything sooner?",
        "an earlier opening would be great",
        "push it back a few days",
        "the week after would be better",
        "quiero cambiar mi cita al martes por la tarde",
        "move it to next week with any doctor",
        "¿me la puede pasar a la misma hora pero una semana después?",
        "could we do the same time, just a week later",
    ],
)
def test_requests_with_details(said):
    assert carries_details(said, now=NOW, time_zone=ZONE, language="en")


@pytest.mark.parametrize("said", ["I need to reschedule", "reschedule my appointment please"])
def test_requests_without_details(said):
    assert not carries_details(said, now=NOW, time_zone=ZONE, language="en")


@pytest.mark.parametrize(
    ("said", "first_day"),
    [
        ("push it back a few days", date(2026, 3, 15)),
        ("push it back a couple of days", date(2026, 3, 14)),
        ("can you push my appointment back a week", date(2026, 3, 16)),
        ("the week after would be better", date(2026, 3, 16)),
        ("push it out two weeks", date(2026, 3, 23)),
        ("quiero posponer mi cita una semana", date(2026, 3, 16)),
    ],
)
def test_later_counts_from_the_visit_not_today(said, first_day):
    assert later_than_visit(said, VISIT) == first_day
    wish = read_wish(said, now=NOW, time_zone=ZONE, language="en", visit=VISIT)
    assert wish.date_from == first_day and wish.date_from > VISIT


def test_sooner_is_as_soon_as_possible():
    for said in ("anything sooner?", "an earlier opening", "hay algo mas pronto"):
        assert read_wish(said, now=NOW, time_zone=ZONE, language="en", visit=VISIT).preference.asap


def _reschedule_request(uid: str, text: str, entities=None):
    track = tracker(uid, text=text, intent="reschedule_appointment")
    track.latest_message["entities"] = entities or []
    return run(ActionRouteTask(), track)


def test_the_day_said_with_the_request_is_the_time_preference(demo, sqlite_url):
    maria = demo.english_demo
    uid = conversation(sqlite_url, demo.practice_id, maria.phone)
    said = "can we move my appointment to thursday afternoon"
    events, _ = _reschedule_request(uid, said)
    slots = slots_of(events)
    assert slots["flow"] == "identify" and slots["request_details"] == said
    verify_identity(uid)
    events, _ = run(
        ActionRouteTask(),
        tracker(
            uid,
            slots={"task": "reschedule", "request_details": said},
            latest_action="identity_form",
        ),
    )
    slots = slots_of(events)
    assert slots["flow"] == "reschedule" and slots["time_preference"] == said
    # the form starts with it filled (Rasa validates prefilled slots when the form starts):
    # options on Thursday afternoons, no "when?" question
    starting = tracker(
        uid,
        slots={
            "task": "reschedule",
            "appointment_id": maria.appointment_id,
            "time_preference": said,
            "verified": True,
        },
        latest_action="action_route_task",
        active_loop="reschedule_form",
    )
    starting.events.append({"event": "slot", "name": "time_preference", "value": said})
    form_events, messages = run(ValidateRescheduleForm(), starting)
    options = slots_of(form_events)["offered_options"]
    assert options, messages
    for option in options:
        assert date.fromisoformat(option["local_date"]).weekday() == 3
        assert int(option["hour"]) >= 12


def test_a_bare_request_asks_when(demo, sqlite_url):
    uid = conversation(sqlite_url, demo.practice_id, demo.english_demo.phone)
    events, _ = _reschedule_request(uid, "I need to reschedule my appointment")
    assert slots_of(events)["request_details"] is None


@pytest.mark.parametrize(
    ("said", "details"),
    [
        ("I need to reschedule my 3pm appointment", None),
        ("move my thursday appointment to friday morning", "move to friday morning"),
        ("can i come in tomorrow morning instead of thursday", "can i come in tomorrow morning"),
        # the visit named as what the new time counts from: kept
        ("any openings earlier on the day of my appointment?",
         "any openings earlier on the day of my appointment?"),
        ("can you move me to the week after my appointment in the morning",
         "can you move me to the week after my appointment in the morning"),
        # the visit's own day, then the new time without "to"
        (
            "I need to reschedule my appointment tomorrow, can we do Thursday instead?",
            "I need to reschedule , can we do Thursday instead?",
        ),
        # a time wished, not the visit
        (
            "move me to the last appointment of the day on friday",
            "move me to the last appointment of the day on friday",
        ),
    ],
)  # fmt: skip
def test_words_about_the_visit_being_moved_are_not_the_new_time(demo, sqlite_url, said, details):
    uid = conversation(sqlite_url, demo.practice_id, demo.english_demo.phone)
    events, _ = _reschedule_request(uid, said)
    assert slots_of(events)["request_details"] == details


def test_a_booking_uses_the_provider_and_time_said_up_front(demo, sqlite_url):
    from tests.factories.dialogues import book_through_form

    uid = conversation(sqlite_url, demo.practice_id, "+16095550177")
    said = "I'd like a sick visit with Dr. Chen any afternoon next week"
    slots = {"task": "book", "verified": False, "request_details": said}
    slots, _ = book_through_form(
        uid,
        [
            ("book_patient_status", "I'm new"),
            ("new_patient_name", "Ann Lee"),
            ("new_patient_dob", "1/2/1980"),
            ("new_patient_phone", "yes"),
            ("visit_reason", "fever"),
            ("book_type_choice", "sick visit"),
        ],
        slots,
    )
    # the provider and the time were not asked: Dr. Chen, afternoons, offered at once
    assert slots["book_provider"]["name"].endswith("Chen")
    assert slots["provider_preference"] == said
    assert slots["time_preference"] == said and slots["offered_options"]
    for option in slots["offered_options"]:
        assert "Chen" in option["label"] and int(option["hour"]) >= 12
