"""Numbers need their units and roles: minutes late vs road, bus, room numbers and clock times
(issue #16, class 3)."""

from __future__ import annotations

import pytest

from assistant.frontdesk.late import minutes_late


@pytest.mark.parametrize(
    ("said", "minutes"),
    [
        ("stuck in traffic on I-95, like 10 min late", 10),
        ("stuck in traffic on i 95 like 10 min late", 10),
        ("traffic on route 9, be there in like 15", 15),
        ("on highway 101 running about 20 minutes behind", 20),
        ("bus 42 broke down, ill be there in 10", 10),
        ("accident on the 405 gonna be half an hour late", 30),
        ("room 12? I'll be 5 minutes late", 5),
        ("running 5 late for my 3:30", 5),
        ("estoy en la ruta 9, llego unos diez minutos tarde", 10),
        ("an hour late sorry", 60),
    ],
)
def test_minutes_late_with_other_numbers_around(said, minutes):
    assert minutes_late(said) == minutes


@pytest.mark.parametrize(
    "said",
    [
        "stuck on I-95",
        "traffic on route 9",
        "on the 405 running late",
        "bus 42 is late",
        "I'll be late for my 2:30",
        "be there at 2",
        "running late, 2 hours maybe",
    ],
)
def test_no_minutes_when_the_number_is_not_minutes(said):
    assert minutes_late(said) is None


@pytest.mark.parametrize(
    ("said", "minutes"),
    [
        # street ordinals, a road said with "on", an exit: the minutes they arrive in
        ("on route 9 by 5th street, be there in 15", 15),
        ("running late, at 5th and 73rd now, be there in 10", 10),
        ("on 95 near exit 4, there in 15", 15),
        ("we are on 130 near exit 3 like 10", 10),
        ("2nd floor of the garage, up in 5", 5),
        ("estoy en la calle 5 y la 8, llego en 10", 10),
        ("estoy en la 95 llego en unos quince", 15),
        ("voy de 5 a 10 minutos tarde", 10),
    ],
)
def test_the_minutes_they_arrive_in_beat_street_and_road_numbers(said, minutes):
    assert minutes_late(said) == minutes


def test_an_arrival_clock_time_is_not_minutes():
    assert minutes_late("on route 38, be there by 10:15") is None
