"""Alarming words that are no one's health (a car, traffic, an idiom) do not make a 911 call;
a red flag or a sign of acute illness said with them keeps it, and something swallowed that
should not be is an emergency in any wording (recall first)."""

from __future__ import annotations

import pytest

from assistant.frontdesk.emergency import is_emergency
from assistant.frontdesk.subject import false_alarm


@pytest.mark.parametrize(
    "said",
    [
        "ok so the engine died on the bridge and I'll have to cancel today",
        "my van got towed, need to move my visit to another day",
        "the traffic is killing me, I'll be about ten minutes behind",
        "your statement almost gave me a heart attack, who can explain the charges?",
        "i'm dying to hear if my blood work came back",
        "se nos descompuso la camioneta, tengo que cancelar la cita de hoy",
        "casi me da un infarto cuando vi el cobro, quién me explica la factura?",
        "me muero por saber si ya están mis resultados",
    ],
)
def test_a_non_medical_alarm_with_a_request_is_a_false_alarm(said):
    assert false_alarm(said) and not is_emergency(said)


@pytest.mark.parametrize(
    "said",
    [
        "the car broke down and my husband is not responding",
        "we crashed on the highway, my daughter's head is bleeding, cancel my appointment",
        "my truck stalled, I'm fine but my wife fainted, what do I do",
        "the car died and my son is wheezing and his lips are swelling",
        "my chest is killing me, can I come in today",
        "se descompuso el carro y mi papá no responde",
        "hubo un choque en la carretera y mi hijo está sangrando",
        "my dad is acting strange today",  # nothing explains the classifier's alarm
        "my car died on the way and my mom is acting strange, I need to move her visit",
        "se descompuso el carro y mi esposo está actuando raro, quiero cambiar la cita",
        "my car got hit this morning and my shoulder hurts, I need to move my visit",
        "el carro se estrelló y me duele la espalda, tengo que cancelar",
    ],
)
def test_a_red_flag_said_with_a_non_medical_alarm_stays_an_emergency(said):
    assert not false_alarm(said)


@pytest.mark.parametrize(
    "said",
    [
        "my toddler swallowed a button battery",
        "help my son ate some of my blood pressure pills",
        "she got into grandma's heart medicine, I don't know how many she took",
        "my little girl drank some bleach",
        "mi niña se tragó una pila",
        "mi nieto se comió unas pastillas de la presión",
        "el bebé se tomó unas pastillas de su abuela",
    ],
)
def test_a_child_who_swallowed_something_is_an_emergency(said):
    assert is_emergency(said)


@pytest.mark.parametrize(
    "said",
    [
        "can I swallow the pills whole or should I crush them",
        "I ate and then took my pills, is that ok",
        "mi mamá se tomó sus pastillas dos veces hoy, qué hago",  # a care question (the nurse)
        "I almost died laughing at the hold music, anyway I need to confirm",
        "by a stroke of luck I'm free earlier, can I move my visit up",
    ],
)
def test_taking_ones_medicine_or_an_idiom_is_no_emergency_word(said):
    assert not is_emergency(said)


@pytest.mark.parametrize(
    "said",
    [
        "I think I'm having a heart attack",
        "my mom had a heart attack, I need to cancel her visit",
    ],
)
def test_a_heart_attack_said_plainly_stays_an_emergency(said):
    assert is_emergency(said)
