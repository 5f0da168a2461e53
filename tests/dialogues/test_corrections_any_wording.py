"""Corrections in wordings nobody wrote for (issue #17, "conversations that recover"), through
the reschedule form with the demo practice: a day taken back at the offers or at the read-back
with abbreviations and filler, a part of the day denied in a second clause, earlier / later
the same day as the visit, and another offer named at the read-back. What is offered, what is
read back and what the database holds: only an unambiguous yes moves the visit."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from assistant.db.models import Appointment, Patient
from assistant.unit_of_work import UnitOfWork
from dialogues.actions.reschedule import ValidateRescheduleForm
from dialogues.actions.router import ActionRouteTask
from tests.factories.dialogues import (
    book_through_form,
    conversation,
    offer_times,
    run,
    slots_of,
    submit_booking,
    tracker,
    verify_identity,
)

TUESDAY, WEDNESDAY, THURSDAY, FRIDAY = 1, 2, 3, 4


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


def _form(uid, who, slot, said, language, intent="inform", **slots):
    """One answer inside the reschedule form: (all slots after it, responses said)."""
    values = {"appointment_id": who.appointment_id, "task": "reschedule", "language": language,
              slot: said, "requested_slot": slot, **slots}  # fmt: skip
    events, messages = run(
        ValidateRescheduleForm(),
        tracker(uid, text=said, intent=intent, slots=values, active_loop="reschedule_form"),
    )
    return {**values, **slots_of(events)}, [m.get("response") for m in messages]


def _choose(uid, who, options, before, said, language="en"):
    return _form(uid, who, "slot_choice", said, language, time_preference=before,
                 offered_options=options)  # fmt: skip


def _answer_readback(uid, who, options, read_back, before, said, language="en", intent="inform"):
    return _form(uid, who, "reschedule_confirm", said, language, intent, time_preference=before,
                 offered_options=options, slot_choice="x", chosen_option=read_back)  # fmt: skip


def _commit(uid, who, chosen):
    """The form ended on a yes: the router moves the visit."""
    _, messages = run(
        ActionRouteTask(),
        tracker(uid, slots={"appointment_id": who.appointment_id, "task": "reschedule",
                            "chosen_option": chosen, "reschedule_confirm": "yes"},
                latest_action="reschedule_form"),
    )  # fmt: skip
    return [m.get("response") for m in messages]


def _moved_to(url: str, appointment_id: int) -> str | None:
    """The new visit's start (ISO), None while the visit is where it was."""
    with UnitOfWork(url) as uow:
        old = uow.session.get(Appointment, appointment_id)
        if old.status != "rescheduled":
            return None
        return uow.session.get(Appointment, old.rescheduled_to_id).starts_at.isoformat()


def _weekday(option) -> int:
    return date.fromisoformat(str(option["local_date"])).weekday()


def _part(option) -> str:
    hour = int(option["hour"])
    return "morning" if hour < 12 else "afternoon" if hour < 17 else "evening"


# --- 1. the day asked for taken back at the offers, another day and part of day named ---------

TAKEN_BACK = [
    ("en", "tuesday afternoon",
     "shoot sorry, tues doesnt work for me anymore. could we try thurs morning",
     THURSDAY, "morning"),
    ("en", "friday morning",
     "hmm actually mornings are really bad for me can we try wed afternoon",
     WEDNESDAY, "afternoon"),
    ("en", "monday", "sorry mon is bad for me, weds am?", WEDNESDAY, "morning"),
    ("en", "thursday morning", "hmm thur wont work anymore how about fri morning",
     FRIDAY, "morning"),
    ("en", "wednesday", "friday doesn't work for me. tues afternoon?", TUESDAY, "afternoon"),
    ("es", "el martes en la tarde",
     "ay perdón el mar al final no puedo, mejor el jue en la mañana", THURSDAY, "morning"),
    ("es", "el lunes por la mañana",
     "uy las mañanas no me sirven podemos ver el mié en la tarde", WEDNESDAY, "afternoon"),
    ("es", "el viernes", "el vie ya no me queda, qué tal el martes temprano", TUESDAY, "morning"),
]  # fmt: skip


@pytest.mark.parametrize(("language", "before", "said", "weekday", "part"), TAKEN_BACK)
def test_a_day_taken_back_at_the_offers_is_searched_anew_then_moved_there(
    maria, sqlite_url, language, before, said, weekday, part
):
    uid, who = maria
    options = offer_times(uid, who.appointment_id, before)
    slots, said_back = _choose(uid, who, options, before, said, language)
    fresh = slots["offered_options"]
    assert "utter_choice_unclear" not in said_back
    assert fresh and fresh != options
    assert all(_weekday(o) == weekday and _part(o) == part for o in fresh)
    assert slots["slot_choice"] is None and slots.get("chosen_option") is None
    wish = slots["time_preference"]
    second = "the 2nd one" if language == "en" else "la segunda"
    if len(fresh) < 2:
        second = "the first one" if language == "en" else "la primera"
    slots, _ = _choose(uid, who, fresh, wish, second, language)
    picked = slots["chosen_option"]
    assert picked in fresh and _moved_to(sqlite_url, who.appointment_id) is None
    yes = "yes" if language == "en" else "sí"
    slots, _ = _answer_readback(uid, who, fresh, picked, wish, yes, language, "affirm")
    assert slots["reschedule_confirm"] == "yes"
    assert _commit(uid, who, picked)[0] == "utter_rescheduled"
    assert _moved_to(sqlite_url, who.appointment_id) == picked["starts_at"]


@pytest.mark.parametrize(
    ("before", "said", "weekday"),
    [
        ("tuesday afternoon", "tues doesnt work after all", None),
        ("thursday afternoon", "actually thursday is no good for me anymore", None),
    ],
)
def test_only_the_day_denied_keeps_the_part_of_day(maria, before, said, weekday):
    uid, who = maria
    options = offer_times(uid, who.appointment_id, before)
    denied = _weekday(options[0])
    slots, _ = _choose(uid, who, options, before, said)
    fresh = slots["offered_options"]
    assert fresh and all(_weekday(o) != denied and _part(o) == "afternoon" for o in fresh)


@pytest.mark.parametrize(
    ("said", "language"),
    [
        ("actually mornings are bad for me", "en"),
        ("hmm the morning doesnt work for me after all", "en"),
        ("ay no, en la mañana no me dejan salir", "es"),
    ],
)
def test_only_the_part_denied_keeps_the_day(maria, said, language):
    uid, who = maria
    options = offer_times(uid, who.appointment_id, "thursday morning")
    slots, _ = _choose(uid, who, options, "thursday morning", said, language)
    fresh = slots["offered_options"]
    assert fresh and all(_weekday(o) == THURSDAY and int(o["hour"]) >= 12 for o in fresh)


def test_a_part_of_day_none_of_the_offers_has_is_no_choice_of_the_day(maria):
    """ "Thursday morning instead" when one offer is on a Thursday afternoon: a new search."""
    uid, who = maria
    options = offer_times(uid, who.appointment_id, "thursday afternoon")
    slots, _ = _choose(uid, who, options, "thursday afternoon", "can we do thursday morning")
    assert slots.get("chosen_option") is None
    fresh = slots["offered_options"]
    assert fresh and all(_weekday(o) == THURSDAY and _part(o) == "morning" for o in fresh)


def test_anything_later_of_the_same_wish_still_pages_on(maria):
    uid, who = maria
    options = offer_times(uid, who.appointment_id, "thursday afternoon")
    slots, _ = _choose(uid, who, options, "thursday afternoon",
                       "anything later in the afternoon?")  # fmt: skip
    fresh = slots["offered_options"]
    last = datetime.fromisoformat(options[-1]["starts_at"])
    assert fresh and all(datetime.fromisoformat(o["starts_at"]) > last for o in fresh)


# --- ... and at the read-back --------------------------------------------------------------


@pytest.mark.parametrize(
    ("said", "language", "weekday", "part"),
    [
        ("wait thursday doesnt work, fri afternoon instead?", "en", FRIDAY, "afternoon"),
        ("hmm no actually tuesday morning would be better", "en", TUESDAY, "morning"),
        ("perdón, el jueves no puedo, mejor el vie en la tarde", "es", FRIDAY, "afternoon"),
    ],
)
def test_a_new_wish_at_the_readback_searches_and_moves_nothing(
    maria, sqlite_url, said, language, weekday, part
):
    uid, who = maria
    options = offer_times(uid, who.appointment_id, "thursday morning")
    slots, _ = _answer_readback(uid, who, options, options[0], "thursday morning", said, language)
    fresh = slots["offered_options"]
    assert slots["reschedule_confirm"] is None and slots["chosen_option"] is None
    assert fresh and all(_weekday(o) == weekday and _part(o) == part for o in fresh)
    assert _moved_to(sqlite_url, who.appointment_id) is None


# --- 2. a part of the day denied in a second clause --------------------------------------------


@pytest.mark.parametrize(
    ("said", "language"),
    [
        ("¿por la tarde? es que en la mañana no me dan chance en el trabajo", "es"),
        ("mejor en la tarde, por la mañana trabajo", "es"),
        ("afternoons pls, i work mornings", "en"),
        ("afternoons please mornings im at work", "en"),
    ],
)
def test_the_part_of_day_not_denied_is_searched(jose, said, language):
    uid, who = jose
    slots, _ = _form(uid, who, "time_preference", said, language)
    assert slots["offered_options"]
    assert all(_part(o) == "afternoon" for o in slots["offered_options"])


# --- 3. earlier / later the same day as the visit -----------------------------------------------


def _visit(url: str, appointment_id: int) -> datetime:
    with UnitOfWork(url) as uow:
        visit = uow.session.get(Appointment, appointment_id)
        return visit.starts_at.astimezone(ZoneInfo(visit.location.time_zone))


@pytest.mark.parametrize(
    ("who_", "said", "language", "way"),
    [
        ("jose", "el mismo día pero un poquito antes", "es", "earlier"),
        ("jose", "could I come in earlier that same day", "en", "earlier"),
        ("jose", "ese mismo día pero más temprano porfa", "es", "earlier"),
        ("maria", "later on the same day", "en", "later"),
        ("maria", "anything a bit later that same morning?", "en", "later"),
        ("maria", "más tarde ese mismo día", "es", "later"),
    ],
)
def test_earlier_or_later_the_same_day_as_the_visit(request, sqlite_url, who_, said, language, way):
    uid, who = request.getfixturevalue(who_)
    visit = _visit(sqlite_url, who.appointment_id)
    slots, _ = _form(uid, who, "time_preference", said, language)
    fresh = slots["offered_options"]
    assert fresh
    for option in fresh:
        at = datetime.fromisoformat(option["starts_at"]).astimezone(visit.tzinfo)
        assert at.date() == visit.date()
        assert at < visit if way == "earlier" else at > visit
    if "morning" in said:
        assert all(_part(o) == "morning" for o in fresh)


# --- 4. another offer named at the read-back ------------------------------------------------------


@pytest.fixture
def at_readback(maria):
    uid, who = maria
    options = offer_times(uid, who.appointment_id, "thursday")
    assert len(options) == 3
    return uid, who, options


@pytest.mark.parametrize(
    ("said", "index"),
    [
        ("hold on, the third one please", 2),
        ("not that one, the one after it", 1),
        ("no, not the first one, the second", 1),
        ("hmm actually the last one", 2),
        ("mejor la segunda", 1),
        ("no la primera, la tercera", 2),
        ("la siguiente mejor", 1),
    ],
)
def test_another_offer_at_the_readback_is_read_back_then_a_yes_moves_it(
    at_readback, sqlite_url, said, index
):
    uid, who, options = at_readback
    slots, _ = _answer_readback(uid, who, options, options[0], "thursday", said)
    assert slots["chosen_option"] == options[index] and slots["reschedule_confirm"] is None
    assert slots.get("offered_options", options) == options  # no new search
    assert _moved_to(sqlite_url, who.appointment_id) is None
    slots, responses = _answer_readback(uid, who, options, options[index], "thursday", "yes")
    assert slots["reschedule_confirm"] == "yes" and responses == []
    _commit(uid, who, options[index])
    assert _moved_to(sqlite_url, who.appointment_id) == options[index]["starts_at"]


def test_the_offer_named_by_its_clock_at_the_readback(at_readback, sqlite_url):
    uid, who, options = at_readback
    clocks = [(int(o["hour"]), int(o.get("minute") or 0)) for o in options]
    # another offer than the one read back, whose clock time no other offer shares
    other = next(i for i in range(1, len(options)) if clocks.count(clocks[i]) == 1)
    hour, minute = clocks[other]
    said = f"prefiero la de las {hour % 12 or 12}:{minute:02d}"
    slots, _ = _answer_readback(uid, who, options, options[0], "jueves", said, "es")
    assert slots["chosen_option"] == options[other] and slots["reschedule_confirm"] is None
    assert _moved_to(sqlite_url, who.appointment_id) is None


@pytest.mark.parametrize(
    "said",
    ["yes but the 3rd one", "ok the third one", "hmm maybe", "sure, tuesday instead?"],
)
def test_only_an_unambiguous_yes_moves_the_visit(at_readback, sqlite_url, said):
    uid, who, options = at_readback
    slots, _ = _answer_readback(uid, who, options, options[0], "thursday", said, intent="affirm")
    assert slots["reschedule_confirm"] is None
    assert _moved_to(sqlite_url, who.appointment_id) is None


# --- the same at a booking's offers ---------------------------------------------------------


@pytest.mark.parametrize(
    ("wish", "said", "weekday", "part"),
    [
        ("tuesday afternoon",
         "shoot sorry, tues doesnt work for me anymore. could we try thurs morning",
         THURSDAY, "morning"),
        ("el jueves por la mañana",
         "uy perdón, en las mañanas no me dejan salir, el vie en la tarde?", FRIDAY, "afternoon"),
    ],
)  # fmt: skip
def test_a_day_taken_back_at_a_bookings_offers(demo, sqlite_url, wish, said, weekday, part):
    uid = conversation(sqlite_url, demo.practice_id, "+16095550177")
    request = "I'd like to make an appointment, I've had a bad cough for a week"
    run(ActionRouteTask(), tracker(uid, text=request, intent="book_appointment"))
    slots = {"task": "book", "verified": False, "request_details": request}
    answers = [("new_patient_name", "my name is Ines Valcourt"), ("new_patient_dob", "june 2 1990"),
               ("time_preference", wish)]  # fmt: skip
    slots, _ = book_through_form(uid, answers, slots)
    assert slots["offered_options"]
    slots, [responses] = book_through_form(uid, [("slot_choice", said)], slots)
    fresh = slots["offered_options"]
    assert "utter_choice_unclear" not in [m.get("response") for m in responses]
    assert fresh and all(_weekday(o) == weekday and _part(o) == part for o in fresh)
    slots, _ = book_through_form(uid, [("slot_choice", "the first one"), ("book_confirm", "yes")],
                                 slots)  # fmt: skip
    assert slots["chosen_option"] == fresh[0] and slots["book_confirm"] == "yes"
    submit_booking(uid, slots)
    with UnitOfWork(sqlite_url) as uow:
        [booked] = uow.session.execute(
            select(Appointment).join(Patient).where(Patient.last_name == "Valcourt")
        ).scalars()
        assert booked.status == "booked"
        assert booked.starts_at == datetime.fromisoformat(fresh[0]["starts_at"])
