"""A question about one's own visit is a check, and word that one is coming is a confirmation,
whatever the classifier heard; care questions, departments, office questions, late arrivals and
refusals are neither."""

from __future__ import annotations

import pytest

from assistant.frontdesk.own_visit import (
    CHECK,
    CONFIRM,
    about_the_reminded_visit,
    checks_rather_than_books,
    own_visit_task,
    without_visit_times,
)


@pytest.mark.parametrize(
    "said",
    [
        "quick one, who's my doctor at the next visit",  # voice, no question mark
        "Can you read me back every appointment I've got coming up?",
        "am i even on the schedule for december? nobody called me back",
        "did someone actually book me in last week? I never heard anything",
        "do I still have a visit with you guys this month",
        "how many appointments do I have left before the surgery",
        "where is my appointment on thursday, I forgot",
        "¿tengo alguna cita pendiente con ustedes?",
        "quería saber con quién es mi próxima consulta",
        "oiga me agendaron o no para el control, no me llamaron",
        "estoy anotado para la semana que entra?",
        "i keep forgetting when i'm supposed to come back in",
        "is the appt with Dr Okafor still happening? didn't get a text",
        "¿la consulta de mi hijo todavía está programada?",
        "do i have 2 or 3 physio visits left on the books",
    ],
)
def test_questions_about_ones_own_visit_are_checks(said):
    assert own_visit_task(said) == CHECK


@pytest.mark.parametrize(
    "said",
    [
        "just a heads up, we will be there for my daughter's visit",
        "I'm definitely coming to my appointment",
        "hey there, I will make it to the appointment, thanks",
        "yes I'll be there",
        "sí vamos a ir a la consulta sin falta",
        "nada más para avisar que sí voy a ir a mi cita",
        "ahí estaré, gracias",
    ],
)
def test_saying_one_is_coming_is_a_confirmation(said):
    assert own_visit_task(said) == CONFIRM


@pytest.mark.parametrize(
    "said",
    [
        "I won't make it to my appointment tomorrow",
        "no voy a poder ir a la cita",
        "I'm going to be late to my appointment, traffic",
        "voy a llegar tarde a la consulta",
        "what do I need to bring to my appointment?",
        "does my insurance cover the visit?",
        "where do I park for my appointment?",
        "since my appointment I have a rash, is that normal?",
        "can I get my inhaler refilled before my next visit",
        "maybe I'll make it, not sure yet",
        "I'm going to the pharmacy after work",
    ],
)
def test_what_is_neither(said):
    assert own_visit_task(said) is None


@pytest.mark.parametrize(
    ("said", "kept"),
    [
        (
            "should I double the dose or wait until I see the doctor?",
            "should I double the dose or wait",
        ),
        ("¿la sigo tomando o espero hasta que me vea la doctora?", "¿la sigo tomando o espero"),
        ("which doctor do I have next time I come in", "which doctor do I have"),
        ("can I come in to see the doctor on Friday", "can I come in to see the doctor on Friday"),
    ],
)
def test_a_visit_named_as_a_time_is_no_request(said, kept):
    assert " ".join(without_visit_times(said).split()).rstrip(" ?") == kept


@pytest.mark.parametrize(
    ("said", "checks"),
    [
        ("trying to remember what day I'm due to come in", True),
        ("when can I come in?", False),
        ("I'd like to book another visit, when is my physical due anyway", False),
    ],
)
def test_a_check_heard_as_a_booking(said, checks):
    assert checks_rather_than_books(said) is checks


@pytest.mark.parametrize(
    ("said", "about_it"),
    [
        ("that time won't work for me, anything the Monday after?", True),
        ("can't make it then, do you have a later week", True),
        ("esa fecha no me sirve, ¿hay algo la otra semana?", True),
        ("any openings thursday morning", False),
        ("¿tienen algo el viernes en la tarde?", False),
    ],
)
def test_a_reply_about_the_reminded_visit(said, about_it):
    assert about_the_reminded_visit(said) is about_it
