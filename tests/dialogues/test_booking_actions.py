"""Booking and running late, action by action: what the patient reads, what the database holds."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from assistant.db.models import (
    Appointment,
    Conversation,
    Patient,
    PatientPhone,
    StaffTask,
)
from assistant.db.types import utcnow
from assistant.frontdesk.late import minutes_late
from assistant.unit_of_work import UnitOfWork
from dialogues.actions.book import ActionAskBookTypeChoice
from dialogues.actions.late import ValidateLateForm
from dialogues.actions.router import ActionRouteTask
from tests.factories import appointment_soon
from tests.factories.dialogues import (
    answer_form,
    book_through_form,
    conversation,
    run,
    slots_of,
    submit_booking,
    tracker,
    verify_identity,
)


def _conversation(url: str, uid: str) -> Conversation:
    with UnitOfWork(url) as uow:
        query = select(Conversation).where(Conversation.uid == uid)
        found = uow.session.execute(query).scalar_one()
        uow.session.expunge(found)
        return found


def test_a_new_patient_books_a_sick_visit(demo, sqlite_url):
    uid = conversation(sqlite_url, demo.practice_id, "+16095550142")
    said = "I'd like to make an appointment, I've had a bad cough for a week"
    events, messages = run(ActionRouteTask(), tracker(uid, text=said, intent="book_appointment"))
    assert slots_of(events)["flow"] == "book" and messages == []
    slots = {"task": "book", "verified": False, "request_details": said}
    # only name and date of birth: not on file, so new; the number they text from; the reason
    # and the type from the request; whoever fits; when was not said: the soonest times at once
    slots, said = book_through_form(
        uid, [("new_patient_name", "my name is Tom Baker"), ("new_patient_dob", "june 2 1990")],
        slots,
    )  # fmt: skip
    assert slots["book_patient_status"] == "new" and slots.get("new_patient_phone") is None
    assert slots["visit_reason"] == "illness"
    assert slots["book_type"]["code"] == "sick_visit"
    assert slots["requested_slot"] == "slot_choice" and len(slots["offered_options"]) == 3
    assert "soonest times" in said[-1][0]["text"]
    slots, said = book_through_form(uid, [("slot_choice", "the second one")], slots)
    assert slots.get("book_provider") is None  # anyone of the right specialty
    assert len(slots["offered_options"]) == 3
    assert slots["chosen_option"] == slots["offered_options"][1]
    slots, [messages] = book_through_form(uid, [("book_confirm", "yes")], slots)
    assert slots["book_confirm"] == "yes" and messages == []  # the form only decided
    events, messages = submit_booking(uid, slots)  # the router books
    assert messages[0]["response"] == "utter_booked"
    after = slots_of(events)
    assert after["book_confirm"] == "[booked]"
    assert after["flow"] == "done" and after["new_patient_name"] is None  # nothing kept
    assert after["new_patient_dob"] is None and after["new_patient_phone"] is None
    with UnitOfWork(sqlite_url) as uow:
        patient = uow.session.execute(
            select(Patient).where(Patient.last_name == "Baker", Patient.first_name == "Tom")
        ).scalar_one()
        assert str(patient.date_of_birth) == "1990-06-02"
        phone = uow.session.execute(
            select(PatientPhone).where(PatientPhone.patient_id == patient.id)
        ).scalar_one()
        assert phone.number == "+16095550142"
        [booked] = uow.session.execute(
            select(Appointment).where(Appointment.patient_id == patient.id)
        ).scalars()
        assert booked.status == "booked" and booked.appointment_type.code == "sick_visit"
        assert booked.starts_at.isoformat() == slots["chosen_option"]["starts_at"]
    row = _conversation(sqlite_url, uid)
    assert row.outcome == "booked"
    assert row.summary.startswith("New patient Tom Baker booked Sick visit")
    assert "(reason: illness)" in row.summary


def test_a_returning_patient_is_verified_before_booking(demo, sqlite_url):
    uid = conversation(sqlite_url, demo.practice_id, demo.english_demo.phone)
    said = "yes I've been seen there before, I need an appointment"
    events, _ = run(ActionRouteTask(), tracker(uid, text=said, intent="book_appointment"))
    slots = {"task": "book", **slots_of(events)}
    assert slots["book_patient_status"] == "existing"
    assert slots_of(events)["flow"] == "identify"
    verify_identity(uid)
    events, _ = run(
        ActionRouteTask(),
        tracker(uid, slots={**slots, "verified": True}, latest_action="identity_form"),
    )
    assert slots_of(events)["flow"] == "book"


def test_a_new_patient_who_is_on_file_is_verified(demo, sqlite_url):
    maria = demo.english_demo
    uid = conversation(sqlite_url, demo.practice_id, "+16095550177")
    slots, said = book_through_form(
        uid,
        [("book_patient_status", "I'm a new patient"), ("new_patient_name", "Maria Lopez"),
         ("new_patient_dob", "03/03/1982")],
        {"task": "book"},
    )  # fmt: skip
    assert said[-1][0]["response"] == "utter_already_registered"
    assert slots["verified"] is True and slots["book_patient_status"] == "existing"
    assert _conversation(sqlite_url, uid).verified_patient_id == maria.patient_id


def test_a_type_not_bookable_by_phone_is_not_offered(demo, sqlite_url):
    uid = conversation(sqlite_url, demo.practice_id, demo.english_demo.phone)
    verify_identity(uid)
    _, messages = run(ActionAskBookTypeChoice(), tracker(uid, slots={"verified": True}))
    assert "biopsy" not in messages[0]["types"].lower()
    # she holds a follow-up: established, every type but the first visit
    assert messages[0]["types"] == (
        "1) Follow-up visit 2) Annual physical 3) Sick visit 4) Telehealth visit"
    )


def test_a_patient_on_file_with_no_visit_held_is_offered_the_first_visit(demo, sqlite_url):
    uid = conversation(sqlite_url, demo.practice_id, demo.english_demo.phone)
    verify_identity(uid)
    with UnitOfWork(sqlite_url) as uow:  # her only visit cancelled: never seen, nothing held
        appointment = uow.session.get(Appointment, demo.english_demo.appointment_id)
        appointment.status = "cancelled"
        uow.commit()
    _, messages = run(ActionAskBookTypeChoice(), tracker(uid, slots={"verified": True}))
    assert messages[0]["types"] == "1) New patient visit 2) Sick visit"


def test_running_late_within_grace_is_noted_with_a_task(demo, sqlite_url):
    maria = demo.english_demo
    appointment_id = appointment_soon(sqlite_url, maria.patient_id, 20)
    uid = conversation(sqlite_url, demo.practice_id, maria.phone)
    verify_identity(uid)
    events, messages = run(
        ActionRouteTask(),
        tracker(uid, slots={"task": "late", "late_said": 10.0}, latest_action="identity_form"),
    )
    assert slots_of(events)["flow"] == "done"
    assert messages[0]["response"] == "utter_late_noted"
    with UnitOfWork(sqlite_url) as uow:
        appointment = uow.session.get(Appointment, appointment_id)
        assert appointment.running_late_note == "running about 10 min late"
        task = uow.session.execute(select(StaffTask)).scalars().all()[-1]
        assert task.kind == "follow_up" and task.priority == "normal"
        assert "running about 10 min late" in task.summary
    assert _conversation(sqlite_url, uid).outcome == "late_noted"


def test_running_late_past_grace_offers_to_reschedule(demo, sqlite_url):
    maria = demo.english_demo
    appointment_id = appointment_soon(sqlite_url, maria.patient_id, 10)
    uid = conversation(sqlite_url, demo.practice_id, maria.phone)
    verify_identity(uid)
    events, _ = run(
        ActionRouteTask(), tracker(uid, slots={"task": "late"}, latest_action="identity_form")
    )
    assert slots_of(events)["flow"] == "late"
    slots = {"task": "late", "verified": True, "appointment_id": appointment_id}
    slots, messages = answer_form(
        ValidateLateForm(), uid, "late_minutes", "maybe half an hour", slots
    )
    assert messages[0]["response"] == "utter_late_beyond_grace" and messages[0]["grace"] == "15"
    assert slots["late_beyond"] is True
    slots, _ = answer_form(ValidateLateForm(), uid, "late_reschedule", "yes please", slots)
    events, _ = run(
        ActionRouteTask(),
        tracker(uid, slots={**slots, "requested_slot": None}, latest_action="late_form"),
    )
    assert slots_of(events)["flow"] == "reschedule" and slots_of(events)["task"] == "reschedule"
    with UnitOfWork(sqlite_url) as uow:
        task = uow.session.execute(select(StaffTask)).scalars().all()[-1]
        assert task.priority == "urgent" and "past the grace period" in task.summary


def test_minutes_late_in_words():
    assert minutes_late("I'll be about twenty five minutes late") == 25
    assert minutes_late("stuck in traffic, 10 min") == 10
    assert minutes_late("como media hora") == 30
    assert minutes_late("unos quince minutos") == 15
    assert minutes_late("running late") is None


def test_a_time_taken_meanwhile_offers_alternatives(demo, sqlite_url):
    first = conversation(sqlite_url, demo.practice_id, "+16095550150")
    second = conversation(sqlite_url, demo.practice_id, "+16095550151")
    answers = [
        ("book_patient_status", "I'm new"), ("new_patient_name", "Ann Lee"),
        ("new_patient_dob", "1/2/1980"), ("new_patient_phone", "yes"),
        ("visit_reason", "fever"), ("book_type_choice", "sick visit"),
        ("provider_preference", "anyone"), ("time_preference", "as soon as possible"),
        ("slot_choice", "the first one"),
    ]  # fmt: skip
    slots_a, _ = book_through_form(first, answers, {"task": "book"})
    slots_b, _ = book_through_form(second, answers, {"task": "book"})
    assert slots_a["chosen_option"] == slots_b["chosen_option"]
    slots_a, _ = book_through_form(first, [("book_confirm", "yes")], slots_a)
    submit_booking(first, slots_a)
    slots_b, _ = book_through_form(second, [("book_confirm", "yes")], slots_b)
    events, messages = submit_booking(second, slots_b)
    assert [m["response"] for m in messages] == ["utter_slot_taken"]
    slots_b = {**slots_b, **slots_of(events)}
    assert slots_b["flow"] == "book"  # back to the form, with the times left
    assert slots_b["book_confirm"] is None and slots_b["chosen_option"] is None
    assert slots_b["offered_options"]  # alternatives to choose from
    taken = slots_a["chosen_option"]["starts_at"]
    assert all(o["starts_at"] != taken for o in slots_b["offered_options"])
    assert _conversation(sqlite_url, second).outcome != "booked"


def test_the_new_patient_path_cannot_be_used_to_guess_identities(demo, sqlite_url):
    uid = conversation(sqlite_url, demo.practice_id, "+16095550152")
    for guess in ("Mary Lopez", "Marie Lopes", "Maria Lopes", "Maria Lopez"):
        slots, said = book_through_form(
            uid,
            [("new_patient_name", guess), ("new_patient_dob", "03/03/1982")],
            {"task": "book", "book_patient_status": "new"},
        )
    # three misses against someone born that day lock verification, even the right name
    assert slots.get("verified") is not True
    assert _conversation(sqlite_url, uid).verified_patient_id is None


def test_nothing_fits_twice_goes_to_staff(demo, sqlite_url):
    uid = conversation(sqlite_url, demo.practice_id, demo.english_demo.phone)
    verify_identity(uid)
    slots = {"task": "book", "verified": True}
    slots, said = book_through_form(
        uid,
        [("book_type_choice", "sick visit"), ("provider_preference", "anyone"),
         ("time_preference", "sunday")],
        slots,
    )  # fmt: skip
    assert [m["response"] for m in said[-1]] == ["utter_no_options_try_again"]
    assert slots["time_preference"] is None and slots["no_options"] is True
    slots, [messages] = book_through_form(uid, [("time_preference", "saturday")], slots)
    assert [m["response"] for m in messages] == ["utter_no_options", "utter_staff_will_help"]
    assert slots["book_confirm"] == "[staff]"
    row = _conversation(sqlite_url, uid)
    assert "booking: no suitable time" in row.summary
    with UnitOfWork(sqlite_url) as uow:
        query = select(StaffTask).where(StaffTask.conversation_id == row.id)
        [task] = uow.session.execute(query).scalars().all()
        assert task.kind == "message" and task.department == "front_desk"


def test_running_late_without_an_appointment_today(demo, sqlite_url):
    uid = conversation(sqlite_url, demo.practice_id, demo.english_demo.phone)
    verify_identity(uid)
    with UnitOfWork(sqlite_url) as uow:  # the next business day's visit can be under 12 h away
        for visit in uow.session.execute(
            select(Appointment).where(Appointment.patient_id == demo.english_demo.patient_id)
        ).scalars():
            if visit.starts_at < utcnow() + timedelta(days=1):
                visit.starts_at += timedelta(days=2)
                visit.ends_at += timedelta(days=2)
        uow.commit()
    events, messages = run(
        ActionRouteTask(), tracker(uid, slots={"task": "late"}, latest_action="identity_form")
    )
    assert slots_of(events)["flow"] == "done"
    assert [m["response"] for m in messages] == ["utter_no_appointment_today"]
    row = _conversation(sqlite_url, uid)
    with UnitOfWork(sqlite_url) as uow:
        query = select(StaffTask).where(StaffTask.conversation_id == row.id)
        assert uow.session.execute(query).first() is None
