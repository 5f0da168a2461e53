"""Moves and cancellations that recover (issue #17), below the real Rasa: a move with no time
said gets the soonest times at once; a change of provider or of the request said out of turn
is followed; at a cancellation's read-back the other visit, or a confirmation instead, is what
happens. Judged by what the patient is told and what the database holds."""

from __future__ import annotations

from datetime import timedelta

import pytest

from assistant.db.models import Appointment, Provider
from assistant.frontdesk.offers import from_slots
from assistant.messages import translate
from assistant.unit_of_work import UnitOfWork
from dialogues.actions.cancel import ValidateCancelForm
from dialogues.actions.identity import ValidateIdentityForm
from dialogues.actions.reschedule import ValidateRescheduleForm
from dialogues.actions.router import ActionRouteTask
from tests.factories.dialogues import (
    conversation,
    offer_times,
    routed_after_identity,
    run,
    slots_of,
    tracker,
    verify_identity,
)


def _status(url: str, appointment_id: int) -> str:
    with UnitOfWork(url) as uow:
        return uow.session.get(Appointment, appointment_id).status


def _provider_id(url: str, last_name: str) -> int:
    with UnitOfWork(url) as uow:
        return next(p.id for p in uow.session.query(Provider).all() if p.last_name == last_name)


@pytest.mark.parametrize(
    ("said", "language"),
    [("hey I gotta change my appointment", "en"), ("oiga, necesito cambiar la cita", "es")],
)
def test_a_move_with_no_time_said_gets_the_soonest_times_right_after_verification(
    demo, sqlite_url, said, language
):
    maria = demo.english_demo
    uid = conversation(sqlite_url, demo.practice_id, maria.phone)
    slots, _ = routed_after_identity(uid, said, "reschedule_appointment", language=language)
    assert slots["flow"] == "reschedule"
    wish = slots["time_preference"]
    assert wish == translate(language, "frontdesk.soonest_wish")  # not asked "when?"
    events, messages = run(
        ValidateRescheduleForm(),
        tracker(
            uid,
            text="03/03/1982",
            slots={**slots, "language": language, "requested_slot": "time_preference"},
            active_loop="reschedule_form",
        ),
    )
    found = slots_of(events)
    options = from_slots(found["offered_options"])
    assert len(options) == 3
    assert translate(language, "frontdesk.soonest_times") in [m.get("text") for m in messages]
    assert found.get("move_direction") is None  # the soonest, whichever way
    assert _status(sqlite_url, maria.appointment_id) == "booked"


def test_more_times_keep_the_part_of_the_day_now_asked(demo, sqlite_url):
    """ "None of those, anything in the afternoon?" after the soonest: afternoon ones."""
    maria = demo.english_demo
    uid = conversation(sqlite_url, demo.practice_id, maria.phone)
    verify_identity(uid)
    options = offer_times(uid, maria.appointment_id, "as soon as possible")
    said = "nah none of those suit me, got anything else in the afternoon?"
    events, _ = run(
        ValidateRescheduleForm(),
        tracker(
            uid,
            text=said,
            slots={"appointment_id": maria.appointment_id, "task": "reschedule",
                   "time_preference": "as soon as possible", "offered_options": options,
                   "slot_choice": said, "requested_slot": "slot_choice"},
            active_loop="reschedule_form",
        ),
    )  # fmt: skip
    again = from_slots(slots_of(events)["offered_options"])
    assert again
    last_before = max(o.starts_at for o in from_slots(options))
    for option in again:
        assert 12 <= option.hour < 17, option.label
        assert option.starts_at > last_before


def test_another_provider_asked_with_a_repeated_no_is_searched(demo, sqlite_url):
    """ "No no, con la enfermera Park mejor" after Dr. Okafor's times: Park's times."""
    jose = demo.spanish_demo
    uid = conversation(sqlite_url, demo.practice_id, jose.phone)
    verify_identity(uid, "José Hernández", "15/07/1975")
    request = "me pasa con el doctor okafor por favor"
    options = offer_times(uid, jose.appointment_id, request)
    okafor, park = _provider_id(sqlite_url, "Okafor"), _provider_id(sqlite_url, "Park")
    assert {o.provider_id for o in from_slots(options)} == {okafor}
    said = "no no, mejor con la enfermera Park"
    events, _ = run(
        ValidateRescheduleForm(),
        tracker(
            uid,
            text=said,
            slots={"appointment_id": jose.appointment_id, "task": "reschedule",
                   "language": "es", "time_preference": request, "offered_options": options,
                   "slot_choice": said, "requested_slot": "slot_choice"},
            active_loop="reschedule_form",
        ),
    )  # fmt: skip
    offered = from_slots(slots_of(events)["offered_options"])
    assert offered and {o.provider_id for o in offered} == {park}


def test_a_provider_change_said_where_the_name_is_asked_changes_the_request(demo, sqlite_url):
    maria = demo.english_demo
    uid = conversation(sqlite_url, demo.practice_id, maria.phone)
    said = "hang on no, I meant Dr. Chen, not Okafor, sorry"
    events, messages = run(
        ValidateIdentityForm(),
        tracker(
            uid,
            text=said,
            slots={"task": "reschedule", "request_details": "can you put me with dr okafor",
                   "patient_name": said, "requested_slot": "patient_name"},
            active_loop="identity_form",
        ),
    )  # fmt: skip
    slots = slots_of(events)
    assert slots["patient_name"] is None  # the name is asked again
    assert "Chen" in slots["request_details"]
    assert messages[0]["text"] == translate("en", "frontdesk.request_corrected")


def test_a_plain_name_is_still_the_name(demo, sqlite_url):
    maria = demo.english_demo
    uid = conversation(sqlite_url, demo.practice_id, maria.phone)
    events, _ = run(
        ValidateIdentityForm(),
        tracker(
            uid,
            text="Maria Lopez",
            slots={"task": "reschedule", "request_details": "can you put me with dr okafor",
                   "patient_name": "Maria Lopez", "requested_slot": "patient_name"},
            active_loop="identity_form",
        ),
    )  # fmt: skip
    assert slots_of(events)["patient_name"] == "Maria Lopez"


def _second_visit(url: str, like_id: int) -> int:
    """Another visit of the patient's a week after `like_id`'s (same provider and type)."""
    with UnitOfWork(url) as uow:
        like = uow.session.get(Appointment, like_id)
        later = Appointment(
            practice_id=like.practice_id, patient_id=like.patient_id,
            provider_id=like.provider_id, location_id=like.location_id,
            appointment_type_id=like.appointment_type_id,
            starts_at=like.starts_at + timedelta(days=7),
            ends_at=like.ends_at + timedelta(days=7),
            status="booked",
        )  # fmt: skip
        uow.session.add(later)
        uow.commit()
        return later.id


def _cancel_readback(uid: str, appointment_id: int, said: str):
    return run(
        ValidateCancelForm(),
        tracker(
            uid,
            text=said,
            slots={"appointment_id": appointment_id, "task": "cancel", "cancel_confirm": said,
                   "requested_slot": "cancel_confirm"},
            active_loop="cancel_form",
        ),
    )  # fmt: skip


@pytest.mark.parametrize(
    "said", ["hold on, not that one, the later one", "no espere, la otra, la más tarde"]
)
def test_the_other_visit_named_at_the_cancel_readback_is_read_back_instead(demo, sqlite_url, said):
    maria = demo.english_demo
    later = _second_visit(sqlite_url, maria.appointment_id)
    uid = conversation(sqlite_url, demo.practice_id, maria.phone)
    verify_identity(uid)
    events, _ = _cancel_readback(uid, maria.appointment_id, said)
    slots = slots_of(events)
    assert slots["appointment_id"] == later and slots["cancel_confirm"] is None
    assert slots["requested_slot"] == "cancel_confirm"  # read back again, for that one
    assert _status(sqlite_url, maria.appointment_id) == "booked"
    assert _status(sqlite_url, later) == "booked"  # nothing cancelled before a yes


@pytest.mark.parametrize(
    "said",
    ["wait no, don't cancel, I can make it, just confirm it", "no, mejor confírmela, sí voy a ir"],
)
def test_confirm_instead_of_cancel_at_the_readback_confirms(demo, sqlite_url, said):
    maria = demo.english_demo
    uid = conversation(sqlite_url, demo.practice_id, maria.phone)
    verify_identity(uid)
    events, _ = _cancel_readback(uid, maria.appointment_id, said)
    slots = slots_of(events)
    assert slots["task"] == "confirm" and slots["task_stopped"] == "switched"
    events, messages = run(
        ActionRouteTask(),
        tracker(uid, slots={"appointment_id": maria.appointment_id, **slots},
                latest_action="cancel_form"),
    )  # fmt: skip
    assert "utter_confirmed_appointment" in [m.get("response") for m in messages]
    assert _status(sqlite_url, maria.appointment_id) == "confirmed"  # not cancelled


@pytest.mark.parametrize("said", ["sí, confirmo", "yes I confirm"])
def test_a_yes_confirming_the_cancellation_is_no_switch_to_a_confirmation(demo, sqlite_url, said):
    maria = demo.english_demo
    uid = conversation(sqlite_url, demo.practice_id, maria.phone)
    verify_identity(uid)
    events, _ = _cancel_readback(uid, maria.appointment_id, said)
    slots = slots_of(events)
    assert slots.get("task_stopped") is None and slots.get("task") != "confirm"
    assert slots["cancel_confirm"] == "yes"


@pytest.mark.parametrize(
    "said", ["oops sorry it's Lopez with a z, born 3/3/1982", "perdón, es López con z, 03/03/1982"]
)
def test_a_last_name_spelled_again_with_the_date_of_birth_verifies(demo, sqlite_url, said):
    maria = demo.english_demo
    uid = conversation(sqlite_url, demo.practice_id, maria.phone)
    events, messages = run(
        ValidateIdentityForm(),
        tracker(
            uid,
            text=said,
            slots={"patient_name": "maria lopes", "patient_dob": said,
                   "requested_slot": "patient_dob"},
            active_loop="identity_form",
        ),
    )  # fmt: skip
    assert slots_of(events).get("verified") is True
    assert [m.get("response") for m in messages] == ["utter_identity_verified"]


def test_a_month_said_again_in_a_birth_date_correction_is_no_name(demo, sqlite_url):
    """ "Perdón, agosto, el quince de agosto de ...": the date corrected, the name kept."""
    jose = demo.spanish_demo
    uid = conversation(sqlite_url, demo.practice_id, jose.phone)
    said = "perdón julio quince de julio de mil novecientos setenta y cinco"
    events, messages = run(
        ValidateIdentityForm(),
        tracker(
            uid,
            text=said,
            slots={"language": "es", "patient_name": "José Hernández", "patient_dob": said,
                   "requested_slot": "patient_dob"},
            active_loop="identity_form",
        ),
    )  # fmt: skip
    assert slots_of(events).get("verified") is True
