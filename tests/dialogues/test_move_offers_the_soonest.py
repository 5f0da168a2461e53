"""A move asked for with no day or time (issue "conversations that recover"): once verified,
the patient hears the soonest times at once, as for a booking, and may still name another day;
asked as later ("push it back"), the soonest times after the visit (never an earlier time)."""

from __future__ import annotations

from assistant.db.models import Appointment
from assistant.frontdesk.offers import from_slots
from assistant.unit_of_work import UnitOfWork
from dialogues.actions.reschedule import ValidateRescheduleForm
from dialogues.actions.router import ActionRouteTask
from tests.factories.dialogues import conversation, run, slots_of, tracker, verify_identity


def _after_identity(sqlite_url, demo, extra):
    maria = demo.english_demo
    uid = conversation(sqlite_url, demo.practice_id, maria.phone)
    verify_identity(uid)
    events, _ = run(
        ActionRouteTask(),
        tracker(uid, slots={"task": "reschedule", **extra}, latest_action="identity_form"),
    )
    return uid, maria, slots_of(events)


def test_no_wish_said_offers_the_soonest_times(demo, sqlite_url):
    uid, maria, slots = _after_identity(sqlite_url, demo, {})
    assert slots["flow"] == "reschedule"
    wish = slots["time_preference"]
    assert wish  # not asked: searched when the form starts
    events, messages = run(
        ValidateRescheduleForm(),
        tracker(
            uid,
            text="",
            slots={"task": "reschedule", "appointment_id": maria.appointment_id,
                   "time_preference": wish, "requested_slot": "time_preference"},
            active_loop="reschedule_form",
        ),
    )  # fmt: skip
    offered = slots_of(events)["offered_options"]
    assert 1 <= len(offered) <= 3
    assert any("soonest" in (m.get("text") or "") for m in messages)


def test_asked_as_later_offers_the_soonest_later_times(demo, sqlite_url):
    uid, maria, slots = _after_identity(sqlite_url, demo, {"move_direction": "later"})
    assert slots["flow"] == "reschedule"
    events, _ = run(
        ValidateRescheduleForm(),
        tracker(
            uid,
            text="",
            slots={"task": "reschedule", "appointment_id": maria.appointment_id,
                   "move_direction": "later", "time_preference": slots["time_preference"],
                   "requested_slot": "time_preference"},
            active_loop="reschedule_form",
        ),
    )  # fmt: skip
    offered = from_slots(slots_of(events)["offered_options"])
    assert offered
    with UnitOfWork(sqlite_url) as uow:
        visit = uow.session.get(Appointment, maria.appointment_id)
        assert visit is not None
        assert all(option.starts_at > visit.starts_at for option in offered)


def test_the_soonest_said_for_them_sets_no_direction(demo, sqlite_url):
    """ "Lo antes posible" searched for them is no "earlier than my visit": a later week named
    next at the offers still finds times."""
    jose = demo.spanish_demo
    uid = conversation(sqlite_url, demo.practice_id, jose.phone)
    verify_identity(uid, name="Jose Hernandez", dob="15/07/1975")
    events, _ = run(
        ActionRouteTask(),
        tracker(uid, slots={"task": "reschedule", "language": "es"}, latest_action="identity_form"),
    )
    wish = slots_of(events)["time_preference"]
    events, _ = run(
        ValidateRescheduleForm(),
        tracker(
            uid,
            slots={"task": "reschedule", "language": "es", "appointment_id": jose.appointment_id,
                   "time_preference": wish, "requested_slot": "time_preference"},
            active_loop="reschedule_form",
        ),
    )  # fmt: skip
    slots = slots_of(events)
    assert slots["offered_options"]
    assert slots.get("move_direction") is None
