"""Changes of mind (issue #17 class 3): a correction is read against what was asked before and
searched again; another task asked for inside a form ("actually just cancel it") is done
instead, after its own read-back. English and Spanish; what is offered and what the database
holds."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from assistant.db.models import Appointment
from assistant.frontdesk.corrections import corrected_wish, provider_kept
from assistant.unit_of_work import UnitOfWork
from dialogues.actions.cancel import ValidateCancelForm
from dialogues.actions.reschedule import ValidateRescheduleForm
from dialogues.actions.router import ActionRouteTask
from tests.factories.dialogues import (
    conversation,
    offer_times,
    run,
    slots_of,
    tracker,
    verify_identity,
)


@pytest.mark.parametrize(
    ("said", "before", "has", "lacks"),
    [
        ("actually make it the afternoon", "move it to thursday morning", ["thursday",
         "afternoon"], ["morning"]),
        ("hmm, mornings would be better", "friday afternoon", ["friday", "morning"],
         ["afternoon"]),
        ("wait, not Tuesday, Thursday", "move my visit to tuesday", ["thursday"], ["tuesday"]),
        ("sorry I meant Wednesday", "monday morning", ["wednesday", "morning"], ["monday"]),
        ("no, not next week, the week after", "some time next week", ["week after next"], []),
        ("what about the following week instead", "next week", ["week after next"], []),
        ("el lunes no, mejor el miércoles", "el lunes en la tarde", ["miercoles", "tarde"],
         ["lunes"]),
        ("mejor en la mañana", "el jueves en la tarde", ["jueves", "manana"], ["tarde"]),
    ],
)  # fmt: skip
def test_a_correction_keeps_what_it_does_not_change(said, before, has, lacks):
    wish = corrected_wish(said, before) or ""
    assert all(w in wish for w in has) and not any(w in wish for w in lacks)


@pytest.mark.parametrize("said", ["the first one", "2", "yes", "no", "la segunda"])
def test_a_choice_is_not_a_correction(said):
    assert corrected_wish(said, "thursday morning") is None


def _choose(uid, appointment_id, options, before, said):
    events, _ = run(
        ValidateRescheduleForm(),
        tracker(
            uid,
            text=said,
            slots={"appointment_id": appointment_id, "task": "reschedule",
                   "time_preference": before, "offered_options": options,
                   "slot_choice": said, "requested_slot": "slot_choice"},
            active_loop="reschedule_form",
        ),
    )  # fmt: skip
    return slots_of(events)


@pytest.fixture
def choosing(demo, sqlite_url):
    maria = demo.english_demo
    uid = conversation(sqlite_url, demo.practice_id, maria.phone)
    verify_identity(uid)
    return uid, maria


def _weekday(option) -> int:
    return date.fromisoformat(str(option["local_date"])).weekday()


def test_the_afternoon_of_the_day_asked_before(choosing):
    uid, maria = choosing
    options = offer_times(uid, maria.appointment_id, "thursday morning")
    assert options and all(_weekday(o) == 3 for o in options)
    slots = _choose(uid, maria.appointment_id, options, "thursday morning",
                    "actually make it the afternoon")  # fmt: skip
    fresh = slots["offered_options"]
    assert fresh and all(_weekday(o) == 3 and int(o["hour"]) >= 12 for o in fresh)
    assert slots["slot_choice"] is None  # offered again, nothing chosen


def test_not_tuesday_thursday_offers_thursday(choosing):
    uid, maria = choosing
    options = offer_times(uid, maria.appointment_id, "tuesday")
    slots = _choose(uid, maria.appointment_id, options, "tuesday", "wait, not Tuesday, Thursday")
    assert slots["offered_options"] and all(_weekday(o) == 3 for o in slots["offered_options"])


def test_spanish_correction_of_the_day(choosing):
    uid, maria = choosing
    options = offer_times(uid, maria.appointment_id, "el lunes")
    slots = _choose(uid, maria.appointment_id, options, "el lunes", "no, el lunes no, el martes")
    assert slots["offered_options"] and all(_weekday(o) == 1 for o in slots["offered_options"])


def _status(url: str, appointment_id: int) -> str:
    with UnitOfWork(url) as uow:
        return uow.session.get(Appointment, appointment_id).status


@pytest.mark.parametrize("said", ["actually just cancel it, I'll call back later",
                                  "mejor cancélela por favor"])  # fmt: skip
def test_cancel_instead_of_moving_is_read_back_then_cancelled(choosing, sqlite_url, said):
    uid, maria = choosing
    options = offer_times(uid, maria.appointment_id)
    slots = _choose(uid, maria.appointment_id, options, "asap", said)
    assert slots["task_stopped"] == "switched" and slots["task"] == "cancel"
    assert _status(sqlite_url, maria.appointment_id) == "booked"  # not before its read-back
    events, _ = run(
        ActionRouteTask(),
        tracker(uid, slots={"appointment_id": maria.appointment_id, "verified": True, **slots,
                            "requested_slot": None}, latest_action="reschedule_form"),
    )  # fmt: skip
    routed = slots_of(events)
    assert routed["flow"] == "cancel" and routed["task"] == "cancel"
    assert routed["appointment_id"] == maria.appointment_id and routed["task_stopped"] is None
    base = {"appointment_id": maria.appointment_id, "task": "cancel", "verified": True}
    events, _ = run(
        ValidateCancelForm(),
        tracker(uid, text="yes", intent="affirm", slots={**base, "cancel_confirm": "yes",
                "requested_slot": "cancel_confirm"}, active_loop="cancel_form"),
    )  # fmt: skip
    run(ActionRouteTask(), tracker(uid, slots={**base, "cancel_confirm": "yes"},
                                   latest_action="cancel_form"))  # fmt: skip
    assert _status(sqlite_url, maria.appointment_id) == "cancelled"


def test_moving_instead_of_cancelling_searches_the_time_said(choosing, sqlite_url):
    uid, maria = choosing
    base = {"appointment_id": maria.appointment_id, "task": "cancel", "verified": True}
    said = "actually I'd rather reschedule it to thursday afternoon"
    events, _ = run(
        ValidateCancelForm(),
        tracker(uid, text=said, slots={**base, "cancel_confirm": said,
                "requested_slot": "cancel_confirm"}, active_loop="cancel_form"),
    )  # fmt: skip
    slots = slots_of(events)
    assert slots["task_stopped"] == "switched" and slots["task"] == "reschedule"
    events, _ = run(
        ActionRouteTask(),
        tracker(uid, slots={**base, **slots, "requested_slot": None}, latest_action="cancel_form"),
    )
    routed = slots_of(events)
    assert routed["flow"] == "reschedule" and routed["time_preference"] == said
    assert _status(sqlite_url, maria.appointment_id) == "booked"


def test_dont_cancel_it_is_not_a_cancellation(choosing):
    uid, maria = choosing
    options = offer_times(uid, maria.appointment_id)
    slots = _choose(uid, maria.appointment_id, options, "asap", "don't cancel it, the second one")
    assert slots.get("task_stopped") is None and slots["chosen_option"] == options[1]


def test_another_doctor_of_the_same_kind_named_while_choosing(choosing, sqlite_url):
    uid, maria = choosing
    options = offer_times(uid, maria.appointment_id, "friday morning")
    slots = _choose(uid, maria.appointment_id, options, "friday morning",
                    "actually can it be with dr okafor instead")  # fmt: skip
    fresh = slots["offered_options"]
    assert fresh and all("Okafor" in o["label"] and _weekday(o) == 4 for o in fresh)
    assert _status(sqlite_url, maria.appointment_id) == "booked"  # only offered


@pytest.mark.parametrize(
    ("said", "before", "has", "lacks"),
    [
        # voice transcripts: no comma before the new wish
        ("no mejor por la tarde", "cambiar mi cita al jueves por la mañana", ["tarde", "jueves"],
         ["manana"]),
        ("ay no perdon el jueves no puedo mejor el viernes", "para el jueves", ["viernes"],
         ["jueves"]),
        ("thursday doesnt work how about friday", "move it to thursday", ["friday"],
         ["thursday"]),
    ],
)  # fmt: skip
def test_a_spoken_correction_without_commas_is_read(said, before, has, lacks):
    wish = corrected_wish(said, before) or ""
    assert all(w in wish for w in has) and not any(w in wish for w in lacks)


@pytest.mark.parametrize(
    ("said", "before", "has", "lacks"),
    [
        # the day asked for taken back, another day and part of day named (abbreviated, filler)
        ("shoot sorry, tues doesnt work for me anymore. could we try thurs morning",
         "tuesday afternoon", ["thursday", "morning"], ["tuesday", "afternoon"]),
        ("hmm actually mornings are really bad for me can we try wed afternoon",
         "friday morning", ["wednesday", "afternoon"], ["friday", "morning"]),
        ("sorry fri is bad for me, mon am?", "friday", ["monday", "morning"], ["friday"]),
        ("hmm weds wont work anymore. thur pls", "wednesday morning",
         ["thursday", "morning"], ["wednesday"]),
        ("perdón el mar no puedo, mejor el jue en la mañana", "el martes en la tarde",
         ["jueves", "manana"], ["martes", "tarde"]),
        ("uy las mañanas no me sirven podemos ver el mié en la tarde", "el lunes por la mañana",
         ["miercoles", "tarde"], ["lunes", "manana"]),
        ("el vie ya no me queda, qué tal el martes", "el viernes en la mañana",
         ["martes", "manana"], ["viernes"]),
        # a clock time none of the offers has: a wish on the day asked before
        ("how about 3pm", "monday afternoon", ["monday", "3pm"], ["afternoon"]),
        ("mejor a las 11", "el jueves", ["jueves", "11"], []),
        # earlier / later the same day as the visit: no day kept from before
        ("actually, earlier on the same morning?", "next week", ["same morning"], ["next week"]),
        # "that day" alone: the day asked before
        ("actually afternoons are tough, any mornings that day?", "tuesday afternoon",
         ["tuesday", "morning"], ["afternoon"]),
    ],
)  # fmt: skip
def test_a_correction_in_any_wording_replaces_what_it_denies(said, before, has, lacks):
    wish = corrected_wish(said, before) or ""
    kept = " ".join(w for w in wish.split(" , ") if not w.startswith("not "))
    assert all(w in kept for w in has) and not any(w in kept for w in lacks), wish


@pytest.mark.parametrize(
    ("said", "before", "kept", "denied"),
    [
        ("tues doesnt work after all", "tuesday afternoon", "afternoon", "tuesday"),
        ("actually mornings are bad for me", "thursday morning", "thursday", "morning"),
        ("ay no, en la mañana no me dejan salir", "el jueves en la mañana", "jueves", "morning"),
        ("not monday", "monday morning", "morning", "monday"),
    ],
)
def test_a_denial_with_nothing_in_its_place_stays_a_denial(said, before, kept, denied):
    wish = corrected_wish(said, before) or ""
    assert kept in wish and wish.endswith(f"not {denied}"), wish
    assert denied not in wish.replace(f"not {denied}", "")


@pytest.mark.parametrize(
    "said", ["hold on, the third one please", "mejor la segunda", "no, la siguiente"]
)
def test_another_offer_named_is_not_a_new_wish(said):
    assert corrected_wish(said, "thursday") is None


def test_a_new_time_after_a_provider_named_stays_with_that_provider(choosing):
    """ "Can I see Dr. Okafor instead?" then "any day next week": next week, still Dr. Okafor."""
    uid, maria = choosing
    before = "can I move my appointment and see Dr. Okafor instead?"
    options = offer_times(uid, maria.appointment_id, before)
    assert options and all("Okafor" in o["label"] for o in options)
    slots = _choose(uid, maria.appointment_id, options, before, "any day next week")
    fresh = slots["offered_options"]
    assert fresh and all("Okafor" in o["label"] for o in fresh)
    today = datetime.now(ZoneInfo("America/New_York")).date()  # the demo's practice today
    monday = today + timedelta(days=7 - today.weekday())
    assert all(0 <= (date.fromisoformat(str(o["local_date"])) - monday).days < 7 for o in fresh)


@pytest.mark.parametrize(
    ("said", "before", "kept"),
    [
        ("any day next week", "quiero que sea con el doctor Okafor", "doctor Okafor"),
        ("thursday then", "with Dr. Okafor please", "Dr. Okafor"),
        ("actually with Dr. Park on monday", "see Dr. Okafor", None),  # another one named
        ("monday", "thursday morning", None),
    ],
)
def test_the_provider_named_before_is_kept(said, before, kept):
    wish = provider_kept(corrected_wish(said, before), before) or ""
    assert (kept in wish) if kept else ("Okafor" not in wish)
