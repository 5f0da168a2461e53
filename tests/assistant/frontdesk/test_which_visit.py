"""Which visit a request names among several, what a check asks, and a time asked for without
saying move or book (issues 16/17). Fixed dates: nothing here depends on today."""

from __future__ import annotations

from datetime import date

import pytest

from assistant.frontdesk.move_or_book import asks_openings, move_or_new, says_late
from assistant.frontdesk.views import AppointmentView
from assistant.frontdesk.which_visit import (
    KIND,
    WHEN,
    WHERE,
    WHO,
    asked,
    pick,
    reference,
    without_places,
)

TODAY = date(2026, 3, 9)  # a Monday
CHEN = AppointmentView(
    11, "Tue, Mar 10 at 10:00 AM", "Dr. Chen", "Main Street Office", None, date(2026, 3, 10),
    10, 0, ("sarah", "chen"), "follow_up", "Follow-up visit", "1420 Main Street, Riverside",
)  # fmt: skip
OKAFOR = AppointmentView(
    12, "Thu, Mar 12 at 3:20 PM", "Dr. Okafor", "Oak Park Dermatology Center", None,
    date(2026, 3, 12), 15, 20, ("michael", "okafor"), "annual_physical", "Physical",
    "310 Oak Park Boulevard, Cinnaminson",
)  # fmt: skip
PARK = AppointmentView(
    13, "Mon, Mar 16 at 9:00 AM", "Emily Park, NP", "Main Street Office", None,
    date(2026, 3, 16), 9, 0, ("emily", "park"), "follow_up", "Follow-up visit", "1420 Main",
)  # fmt: skip
TWO = [CHEN, OKAFOR]


def _named(text: str, views=TWO, *, moving: bool = False) -> int | None:
    return pick(reference(text, moving=moving).words, views, today=TODAY)


@pytest.mark.parametrize(
    "said",
    [
        "I need to cancel the later one",
        "cancel my second appointment",
        "cancela la última",
        "cancela la de la tarde",
        "cancela la del jueves",
        "can you cancel the one on thursday",
        "please cancel my thursday appt",
        "cancel the one with dr okafor",
        "cancele la cita con el doctor Okafor por favor",
        "cancel my 3:20 appointment",
        "need to cancel my 3pm",
        "cancel the oak park one",
        "cancel the one on the 12th",
        "cancela la del 12",
        "cancele la segunda cita",
        "cancel my physical",
        "CANCEL THE LATER ONE PLS",
        "cancelar la mas tarde",
        "cancel whichever one is on thursday",
        "cancel the later of my two appointments",
        "ya no puedo ir a la del jueves, cancélela",
    ],
)
def test_the_later_visit_named_in_a_cancel(said):
    assert _named(said) == 1


@pytest.mark.parametrize(
    "said",
    [
        "i gotta cancel the earlier one, the other one is fine",
        "cancel my next appointment",
        "cancel the first one",
        "cancela la primera",
        "cancela la de la mañana",
        "cancela la de mañana",  # tomorrow's (the practice's today is Monday)
        "cancel tomorrow's appointment",
        "cancel the one with Dr. Chen",
        "cancelar mi cita del martes",
        "cancel the follow up",
        "cancel my 10 am",
        "cancel the 10:00 one",
        "cancela la de las diez",
    ],
)
def test_the_earlier_visit_named_in_a_cancel(said):
    assert _named(said) == 0


@pytest.mark.parametrize(
    "said",
    [
        "cancel my appointment",
        "cancela mi cita",
        "cancel the one on friday",  # neither is on a Friday
        "cancel the one with Dr. Ruiz",  # neither is with her
        "cancel the other one",
        "cancel my appointment next week",  # neither is next week
    ],
)
def test_words_that_name_none_or_both_ask_which(said):
    assert _named(said) is None


@pytest.mark.parametrize(
    ("said", "visit", "wish"),
    [
        ("move the later one to next tuesday afternoon", 1, "next tuesday afternoon"),
        ("can I move the one with dr okafor to next week", 1, "next week"),
        ("reschedule my thursday appointment to friday", 1, "friday"),
        ("quiero cambiar la cita del jueves para el viernes", 1, "viernes"),
        ("pasa la de la tarde al lunes", 1, "lunes"),
        ("cambie la última para la próxima semana", 1, "próxima semana"),
        ("move it from tuesday to friday morning", 0, "friday morning"),
        ("can you push the morning one back a week", 0, "back a week"),
        ("mueve mi cita con el doctor chen al miercoles en la mañana", 0, "miercoles"),
        ("move my appointment on thursday to friday", 1, "friday"),
        # the new time said after the visit's own day, without "to"
        ("I need to reschedule my appointment on Thursday, can we do Friday instead?", 1, "Friday"),
        ("my tuesday appointment, could we do wednesday afternoon", 0, "wednesday afternoon"),
        # how to move it follows the provider's name
        ("need to move my appointment with Dr Chen back a day", 0, "back a day"),
    ],
)
def test_in_a_move_the_visit_and_the_new_time_are_told_apart(said, visit, wish):
    named = reference(said, moving=True)
    assert pick(named.words, TWO, today=TODAY) == visit
    assert wish in named.rest  # the new time stays the wish
    assert "later one" not in named.rest and "la última" not in named.rest


@pytest.mark.parametrize(
    "said",
    ["move my appointment on thursday", "can I move my appt to thursday", "cambiar mi cita"],
)
def test_a_move_naming_only_the_new_time_names_no_visit(said):
    named = reference(said, moving=True)
    assert pick(named.words, TWO, today=TODAY) is None
    assert "thursday" in named.rest.lower() or "cambiar" in named.rest


@pytest.mark.parametrize(
    "said", ["¿qué tienen la próxima semana?", "cambiar mi cita para el próximo lunes"]
)
def test_next_week_or_next_monday_names_no_visit(said):
    assert reference(said, moving=True).words == ""


def test_a_place_is_no_provider_and_three_visits_are_told_apart():
    three = [CHEN, OKAFOR, PARK]
    assert _named("cancel the one with Emily Park", three) == 2
    assert _named("cancel the oak park one", three) == 1  # the place, not NP Park
    assert _named("cancel my third appointment", three) == 2
    assert _named("cancel the last one", three) == 2
    assert _named("cancel the main street one", three) is None  # two are there
    assert _named("cancel the follow up on monday", three) == 2


def test_an_answer_to_which_one_is_read_the_same_way():
    assert pick("the one with Okafor", TWO, today=TODAY) == 1
    assert pick("la de la tarde", TWO, today=TODAY) == 1
    assert pick("the morning one please", TWO, today=TODAY) == 0
    assert pick("whichever", TWO, today=TODAY) is None


def test_places_in_the_list_are_not_a_direction():
    assert without_places("i gotta cancel the earlier one") == "i gotta cancel the one"
    assert "later" not in without_places("move the later one to monday", moving=True)
    assert without_places("can you move my appointment later", moving=True).endswith("later")


@pytest.mark.parametrize(
    ("said", "aspects"),
    [
        ("¿me puede decir qué día tengo la cita y con quién?", {WHEN, WHO}),
        ("with whom is my appointment and when", {WHEN, WHO}),
        ("who is my appointment with", {WHO}),
        ("where is my appointment", {WHERE}),
        ("¿dónde es mi cita?", {WHERE}),
        ("what kind of appointment do I have", {KIND}),
        ("¿a qué hora es mi cita y qué tipo de cita es?", {WHEN, KIND}),
        ("whats the address for my appt tmrw and what time", {WHEN, WHERE}),
        ("could you tell me the date and doctor for my appointment", {WHEN, WHO}),
        ("i forgot what my appointment is for", {KIND}),
    ],
)
def test_what_a_check_asks(said, aspects):
    assert asked(said) == aspects


@pytest.mark.parametrize(
    "said",
    [
        "something late afternoon next week",
        "do you have anything thursday morning?",
        "¿tienen algo el jueves en la tarde?",
        "any openings friday afternoon",
        "got anything early next week",
        "¿hay algo disponible el lunes temprano?",
        "can I come in tomorrow morning",
        "oye tienen espacio el viernes",
        "what do you have monday morning",
        "what's available on friday",
        "any appointments open monday afternoon",
        "¿qué tienen disponible la próxima semana?",
    ],
)
def test_a_time_asked_for_without_move_or_book(said):
    assert asks_openings(said)


@pytest.mark.parametrize(
    "said",
    [
        "mi hija tiene fiebre de 38 desde anoche, le doy algo o la traigo",
        "is parking free on thursday",
        "what time do you open monday",
        "I need to move my appointment to friday",
        "do you have anything",  # no time said
        "do I have anything on monday?",  # their own schedule
        "¿tengo algo el lunes?",
    ],
)
def test_not_a_time_asked_for(said):
    assert not asks_openings(said)


@pytest.mark.parametrize(
    ("said", "late"),
    [
        ("running about 10 min late, anything later today?", True),
        ("voy a llegar tarde, ¿tienen algo más tarde?", True),
        ("stuck in traffic", True),
        ("¿tienen algo el jueves en la tarde?", False),
        ("something late afternoon next week", False),
    ],
)
def test_running_late_in_words(said, late):
    assert says_late(said) is late


@pytest.mark.parametrize(
    ("said", "choice"),
    [
        ("move it", "move"),
        ("the one I have", "move"),
        ("reschedule the existing one", "move"),
        ("cámbiela", "move"),
        ("la que ya tengo", "move"),
        ("move mine, I don't need another one", "move"),
        ("a new one", "new"),
        ("no, a new one please", "new"),
        ("book another one", "new"),
        ("otra cita aparte", "new"),
        ("una nueva", "new"),
        ("yes", None),
        ("hmm", None),
    ],
)
def test_move_or_new(said, choice):
    assert move_or_new(said) == choice
