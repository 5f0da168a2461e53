"""The words decide, whatever the classifier heard: a question about one's own visit is a check
(verified first), word that one is coming is a confirmation, a question for the nurse that
names a visit only as a time is the nurse's, a date said where the name was asked is kept, and
a reply to the reminder that asks for other times is about the reminded visit."""

from __future__ import annotations

from dialogues.actions.identity import ValidateIdentityForm
from dialogues.actions.office import ActionOfficeInfo
from dialogues.actions.router import ActionRouteTask
from dialogues.actions.routing import ActionAfterEmergency, ActionTakeMessage
from tests.factories.dialogues import conversation, run, slots_of, staff_departments, tracker


def _followups(events):
    return [e.get("name") for e in events if e.get("event") == "followup"]


def test_a_question_about_the_next_visit_heard_as_care_is_a_check(demo, sqlite_url):
    uid = conversation(sqlite_url, demo.practice_id, demo.english_demo.phone, channel="voice")
    said = "hey real quick which doctor do I have next time I come in"
    base = {"channel": "voice"}
    events, messages = run(
        ActionTakeMessage(), tracker(uid, text=said, intent="care_question", slots=base)
    )
    assert _followups(events) == ["action_route_task"]
    assert not any("handoff" in (m.get("custom") or {}) for m in messages)
    assert staff_departments(sqlite_url, uid) == []
    events, messages = run(
        ActionRouteTask(),
        tracker(
            uid,
            text=said,
            intent="care_question",
            slots=base,
            latest_action="action_take_message",
        ),
    )
    slots = slots_of(events)
    assert slots["task"] == "check" and slots["flow"] == "identify"
    assert all("Chen" not in str(m) for m in messages)  # nothing told before verification


def test_saying_one_is_coming_heard_as_a_booking_is_a_confirmation(demo, sqlite_url):
    uid = conversation(sqlite_url, demo.practice_id, demo.spanish_demo.phone, channel="voice")
    said = "nomás para avisarles que sí vamos a ir a la cita de mañana"
    events, _ = run(
        ActionRouteTask(),
        tracker(
            uid, text=said, intent="book_appointment", slots={"language": "es", "channel": "voice"}
        ),
    )
    slots = slots_of(events)
    assert slots["task"] == "confirm" and slots["flow"] == "identify"


def test_a_nurse_question_naming_a_later_visit_is_not_a_booking(demo, sqlite_url):
    uid = conversation(sqlite_url, demo.practice_id, demo.english_demo.phone)
    said = "my sugar is 280 tonight, should I take more insulin or hold off until I see the doc?"
    events, _ = run(ActionTakeMessage(), tracker(uid, text=said, intent="care_question"))
    assert _followups(events) == []
    assert staff_departments(sqlite_url, uid) == ["nurse_line"]


def test_a_question_after_the_911_line_with_symptoms_denied_reaches_the_nurse(demo, sqlite_url):
    uid = conversation(sqlite_url, demo.practice_id, demo.english_demo.phone)
    said = "new water pill makes me pee all night. no chest pain or trouble breathing. keep it up?"
    run(ActionAfterEmergency(), tracker(uid, text=said, intent="medical_emergency"))
    assert staff_departments(sqlite_url, uid) == ["nurse_line"]


def test_a_date_where_the_name_was_asked_is_kept_for_the_name(demo, sqlite_url):
    uid = conversation(sqlite_url, demo.practice_id, demo.english_demo.phone)
    form = ValidateIdentityForm()
    slots = {"patient_name": "3-3-1982", "requested_slot": "patient_name"}
    events, _ = run(
        form,
        tracker(
            uid,
            text="3-3-1982",
            intent="inform",
            slots=slots,
            latest_action="identity_form",
            active_loop="identity_form",
        ),
    )
    found = slots_of(events)
    assert found["patient_name"] is None and found["patient_dob"] == "3-3-1982"
    slots = {"patient_name": "Maria Lopez", "patient_dob": "3-3-1982"}
    events, _ = run(
        form,
        tracker(
            uid,
            text="Maria Lopez",
            intent="inform",
            slots={**slots, "requested_slot": "patient_name"},
            latest_action="identity_form",
            active_loop="identity_form",
        ),
    )
    assert slots_of(events).get("verified") is True


def test_a_reminder_reply_asking_for_other_times_moves_that_visit(demo, sqlite_url):
    uid = conversation(sqlite_url, demo.practice_id, demo.english_demo.phone)
    said = "hmm that date is bad for me, do you have something the week after?"
    events, messages = run(ActionRouteTask(), tracker(uid, text=said, intent="book_appointment"))
    slots = slots_of(events)
    assert slots["task"] == "reschedule" and slots["flow"] == "identify"
    assert all("Chen" not in str(m) for m in messages)


def test_a_records_request_heard_as_an_office_question_is_a_records_message(demo, sqlite_url):
    uid = conversation(sqlite_url, demo.practice_id, demo.english_demo.phone)
    said = "please get my chart over to the new cardiologist's office before next month"
    events, messages = run(ActionOfficeInfo(), tracker(uid, text=said, intent="office_info"))
    assert _followups(events) == ["action_take_message"] and messages == []
    run(ActionTakeMessage(), tracker(uid, text=said, intent="office_info"))
    assert staff_departments(sqlite_url, uid) == ["medical_records"]


def test_an_office_question_naming_a_department_is_answered(demo, sqlite_url):
    uid = conversation(sqlite_url, demo.practice_id, demo.english_demo.phone)
    said = "is the billing office open saturdays"
    events, messages = run(ActionOfficeInfo(), tracker(uid, text=said, intent="office_info"))
    assert _followups(events) == [] and [m.get("response") for m in messages] == [
        "utter_office_info"
    ]


def test_red_flags_after_the_911_line_add_no_nurse_message(demo, sqlite_url):
    uid = conversation(sqlite_url, demo.practice_id, demo.english_demo.phone)
    said = "my chest feels heavy and my jaw is numb, could I come in sooner than my visit?"
    _, messages = run(ActionAfterEmergency(), tracker(uid, text=said, intent="medical_emergency"))
    assert messages == [] and staff_departments(sqlite_url, uid) == []


def test_an_emergency_asking_what_to_do_gets_the_911_line_alone(demo, sqlite_url):
    uid = conversation(sqlite_url, demo.practice_id, demo.english_demo.phone)
    said = "ate peanuts by mistake and my tongue is getting thick, what should I do"
    _, messages = run(ActionAfterEmergency(), tracker(uid, text=said, intent="medical_emergency"))
    assert messages == [] and staff_departments(sqlite_url, uid) == []
