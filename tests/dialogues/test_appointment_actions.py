"""The appointment actions: what the patient reads and what the database holds."""

from __future__ import annotations

from sqlalchemy import select

from assistant.db.models import Appointment, AuditEvent, Conversation, StaffTask
from assistant.unit_of_work import UnitOfWork
from dialogues.actions.cancel import ValidateCancelForm
from dialogues.actions.reschedule import ActionAskSlotChoice, ValidateRescheduleForm
from dialogues.actions.router import ActionRouteTask
from tests.factories.dialogues import conversation, run, slots_of, tracker, verify_identity


def _responses(messages):
    return [m.get("response") for m in messages]


def test_a_check_starts_with_identity(demo, sqlite_url):
    uid = conversation(sqlite_url, demo.practice_id, demo.english_demo.phone)
    events, messages = run(ActionRouteTask(), tracker(uid, intent="check_appointment"))
    assert slots_of(events)["flow"] == "identify"
    assert slots_of(events)["task"] == "check"
    assert messages == []  # nothing disclosed before verification


def test_verified_check_says_the_appointment(demo, sqlite_url):
    maria = demo.english_demo
    uid = conversation(sqlite_url, demo.practice_id, maria.phone)
    slots, messages = verify_identity(uid)
    assert slots["verified"] is True
    assert slots["patient_name"] is None and slots["patient_dob"] is None  # nothing kept
    assert slots["requested_slot"] is None
    assert messages[0]["response"] == "utter_identity_verified"
    events, messages = run(
        ActionRouteTask(), tracker(uid, slots={"task": "check"}, latest_action="identity_form")
    )
    assert slots_of(events)["flow"] == "done"
    [said] = messages
    assert said["response"] == "utter_upcoming_appointment"
    assert maria.provider_name in said["appointments"]
    assert maria.location_name in said["appointments"]
    assert "10:00 AM" in said["appointments"]


def test_three_failed_verifications_go_to_staff(demo, sqlite_url):
    uid = conversation(sqlite_url, demo.practice_id, demo.english_demo.phone)
    for _ in range(3):
        slots, messages = verify_identity(uid, dob="01/01/1990")
    assert slots["identity_failed"] is True and slots["requested_slot"] is None
    events, messages = run(
        ActionRouteTask(),
        tracker(
            uid, slots={"task": "check", "identity_failed": True}, latest_action="identity_form"
        ),
    )
    assert _responses(messages) == ["utter_identity_handoff"]
    with UnitOfWork(sqlite_url) as uow:
        task = uow.session.execute(select(StaffTask)).scalars().all()[-1]
        assert task.department == "front_desk"
        row = uow.session.execute(select(Conversation).where(Conversation.uid == uid)).scalar_one()
        assert row.outcome == "message_taken" and row.verified_patient_id is None


def test_voice_handoff_after_failures(demo, sqlite_url):
    uid = conversation(sqlite_url, demo.practice_id, demo.english_demo.phone, channel="voice")
    for _ in range(3):
        verify_identity(uid, dob="01/01/1990")
    events, messages = run(
        ActionRouteTask(),
        tracker(uid, slots={"task": "check", "channel": "voice"}, latest_action="identity_form"),
    )
    assert {"custom": {"handoff": {"reason": "identity not verified"}}}.items() <= {
        "custom": messages[-1].get("custom")
    }.items()
    with UnitOfWork(sqlite_url) as uow:
        row = uow.session.execute(select(Conversation).where(Conversation.uid == uid)).scalar_one()
        assert row.outcome == "handed_off"


def test_cancel_at_the_yes_then_reason_and_offer(demo, sqlite_url):
    maria = demo.english_demo
    uid = conversation(sqlite_url, demo.practice_id, maria.phone)
    verify_identity(uid)
    events, _ = run(
        ActionRouteTask(), tracker(uid, intent="cancel_appointment", latest_action="action_listen")
    )
    assert slots_of(events)["flow"] == "cancel"
    assert slots_of(events)["appointment_id"] == maria.appointment_id
    form = ValidateCancelForm()
    base = {"appointment_id": maria.appointment_id, "task": "cancel"}
    events, messages = run(
        form,
        tracker(
            uid,
            text="yes",
            intent="affirm",
            slots={**base, "cancel_confirm": "yes", "requested_slot": "cancel_confirm"},
            active_loop="cancel_form",
        ),
    )
    # the yes ends the form: no "why?" before the visit is cancelled
    assert slots_of(events) == {"cancel_confirm": "yes", "requested_slot": None}
    assert messages == [] and _status_of(sqlite_url, maria.appointment_id) == "booked"
    events, messages = run(  # the router cancels at once
        ActionRouteTask(),
        tracker(uid, slots={**base, "cancel_confirm": "yes"}, latest_action="cancel_form"),
    )
    assert slots_of(events) == {"cancel_done": True, "flow": "cancel"}
    [said] = messages
    assert said["response"] == "utter_appointment_cancelled"
    assert maria.provider_name in said["appointment"]
    assert _status_of(sqlite_url, maria.appointment_id) == "cancelled"  # a patient who stops here
    done = {**base, "cancel_confirm": "yes", "cancel_done": True}
    events, _ = run(  # then, optionally, why
        form,
        tracker(
            uid,
            text="I'm feeling better",
            intent="inform",
            slots={
                **done,
                "cancel_reason": "I'm feeling better",
                "requested_slot": "cancel_reason",
            },  # fmt: skip
            active_loop="cancel_form",
        ),
    )
    assert slots_of(events)["requested_slot"] is None  # the form ends: the reason, noted at once
    events, _ = run(
        ActionRouteTask(),
        tracker(
            uid, slots={**done, "cancel_reason": "I'm feeling better"}, latest_action="cancel_form"
        ),  # fmt: skip
    )
    assert slots_of(events) == {"cancel_reason": "[noted]", "flow": "cancel"}  # then: a new time?
    with UnitOfWork(sqlite_url) as uow:  # a patient who stops here has the reason kept
        assert uow.session.get(Appointment, maria.appointment_id).cancel_reason == (
            "I'm feeling better"
        )
        updates = uow.session.execute(
            select(AuditEvent).where(
                AuditEvent.action == "update", AuditEvent.entity_id == maria.appointment_id
            )
        ).scalars()  # the write is audited, filed under the patient
        noted = [e for e in updates if (e.detail or {}).get("field") == "cancel_reason"]
        assert len(noted) == 1 and noted[0].patient_id is not None
    events, _ = run(
        form,
        tracker(
            uid,
            text="no thanks",
            intent="deny",
            slots={
                **done,
                "cancel_reason": "[noted]",
                "rebook_answer": "no thanks",
                "requested_slot": "rebook_answer",
            },  # fmt: skip
            active_loop="cancel_form",
        ),
    )
    assert slots_of(events) == {"rebook_answer": "no", "requested_slot": None}
    events, messages = run(
        ActionRouteTask(),
        tracker(
            uid,
            slots={**done, "cancel_reason": "[noted]", "rebook_answer": "no"},
            latest_action="cancel_form",
        ),
    )
    assert slots_of(events) == {"flow": "done"}
    assert _responses(messages) == ["utter_anything_else"]
    with UnitOfWork(sqlite_url) as uow:
        appointment = uow.session.get(Appointment, maria.appointment_id)
        assert appointment.status == "cancelled"
        assert appointment.cancel_reason == "I'm feeling better"
        assert [h.action for h in appointment.history].count("cancelled") == 1


def test_never_mind_after_the_cancellation_is_no_reason_and_no_undo(demo, sqlite_url):
    maria = demo.english_demo
    uid = conversation(sqlite_url, demo.practice_id, maria.phone)
    verify_identity(uid)
    base = {"appointment_id": maria.appointment_id, "task": "cancel", "cancel_confirm": "yes"}
    run(ActionRouteTask(), tracker(uid, slots=base, latest_action="cancel_form"))
    for said in ("never mind", "start over"):
        events, messages = run(
            ValidateCancelForm(),
            tracker(
                uid,
                text=said,
                slots={
                    **base,
                    "cancel_done": True,
                    "cancel_reason": said,
                    "requested_slot": "cancel_reason",
                },  # fmt: skip
                active_loop="cancel_form",
            ),
        )
        assert "utter_nothing_changed" not in _responses(messages)
        assert "utter_start_over" not in _responses(messages)
        assert slots_of(events).get("task_stopped") is None
        assert slots_of(events).get("cancel_confirm", "yes") == "yes"
    assert _status_of(sqlite_url, maria.appointment_id) == "cancelled"


def _status_of(url: str, appointment_id: int) -> str:
    with UnitOfWork(url) as uow:
        return uow.session.get(Appointment, appointment_id).status


def test_reschedule_choosing_the_second_option(demo, sqlite_url):
    maria = demo.english_demo
    uid = conversation(sqlite_url, demo.practice_id, maria.phone)
    verify_identity(uid)
    form = ValidateRescheduleForm()
    base = {"appointment_id": maria.appointment_id, "task": "reschedule"}
    events, _ = run(
        form,
        tracker(
            uid,
            text="as soon as possible",
            slots={
                **base,
                "time_preference": "as soon as possible",
                "requested_slot": "time_preference",
            },
            active_loop="reschedule_form",
        ),
    )
    slots = slots_of(events)
    options = slots["offered_options"]
    assert 2 <= len(options) <= 3 and slots["requested_slot"] == "slot_choice"
    _, messages = run(
        ActionAskSlotChoice(), tracker(uid, slots={**base, "offered_options": options})
    )
    assert "2) " + options[1]["label"] in messages[0]["options"]
    base["offered_options"] = options
    events, _ = run(
        form,
        tracker(
            uid,
            text="the second one",
            slots={
                **base,
                "time_preference": "asap",
                "slot_choice": "the second one",
                "requested_slot": "slot_choice",
            },
            active_loop="reschedule_form",
        ),
    )
    slots = slots_of(events)
    assert slots["chosen_option"] == options[1] and slots["requested_slot"] == "reschedule_confirm"
    events, messages = run(
        form,
        tracker(
            uid,
            text="yes",
            intent="affirm",
            slots={
                **base,
                "time_preference": "asap",
                "slot_choice": "the second one",
                "chosen_option": options[1],
                "reschedule_confirm": "yes",
                "requested_slot": "reschedule_confirm",
            },
            active_loop="reschedule_form",
        ),
    )
    assert slots_of(events)["requested_slot"] is None
    assert messages == []  # the form ends: the router moves the visit (the form's submit)
    events, messages = run(
        ActionRouteTask(),
        tracker(
            uid,
            slots={**base, "chosen_option": options[1], "reschedule_confirm": "yes"},
            latest_action="reschedule_form",
        ),
    )
    assert slots_of(events)["flow"] == "done"
    assert messages[0]["response"] == "utter_rescheduled"
    with UnitOfWork(sqlite_url) as uow:
        old = uow.session.get(Appointment, maria.appointment_id)
        assert old.status == "rescheduled"
        new = uow.session.get(Appointment, old.rescheduled_to_id)
        assert new.starts_at.isoformat() == options[1]["starts_at"]
        row = uow.session.execute(select(Conversation).where(Conversation.uid == uid)).scalar_one()
        assert row.outcome == "rescheduled"
        assert row.summary.startswith("Maria Lopez (verified) rescheduled ")
