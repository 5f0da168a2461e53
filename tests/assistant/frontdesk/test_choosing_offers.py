"""Choosing among the offered times by what the patient says of them: their clock time, their
day, "the earliest one" (issue #17: answers to the assistant's question are read as answers);
and the words that decide a move: clock bounds are no direction, cancel-and-replace is a move."""

from __future__ import annotations

from datetime import date

import pytest

from assistant.frontdesk.short_answers import choose, direction, replaces_visit

# "first, Tuesday at 1 PM; second, Tuesday at 1:30 PM; third, Wednesday at 2:30 PM"
DATES = [date(2026, 3, 10), date(2026, 3, 10), date(2026, 3, 11)]
HOURS, MINUTES = [13, 13, 14], [0, 30, 30]


@pytest.mark.parametrize(
    ("said", "index"),
    [
        ("the one at one o'clock", 0),
        ("the 1 o clock one", 0),
        ("1 pm please", 0),
        ("the 1:30", 1),
        ("one thirty works", 1),
        ("la de la una y media", 1),
        ("la de la una", 0),
        ("the two thirty one", 2),
        ("2:30 works", 2),
        ("la de las dos y media", 2),
        ("the Wednesday one", 2),
        ("el del miércoles", 2),
        ("the earliest one", 0),
        ("whichever is first", 0),
        ("la más temprana", 0),
        ("the last one", 2),
        ("2", 1),
    ],
)
def test_an_offer_chosen_by_its_time_or_day(said, index):
    assert choose(said, DATES, HOURS, MINUTES) == index


@pytest.mark.parametrize(
    "said", ["la de las nueve", "the 3 pm", "at 4", "the Tuesday one", "the one at 10:30"]
)
def test_a_time_offered_by_none_or_by_several_is_not_a_choice(said):
    assert choose(said, DATES, HOURS, MINUTES) is None


def test_the_nine_oclock_one_when_nine_is_offered():
    dates, hours, minutes = [date(2026, 3, 10)] * 3, [9, 10, 11], [0, 0, 0]
    assert choose("la de las nueve", dates, hours, minutes) == 0
    assert choose("the ten o'clock", dates, hours, minutes) == 1


@pytest.mark.parametrize(
    "said",
    [
        "a weekday morning before 10",
        "any morning before ten",
        "una mañana antes de las 10",
        "a Monday after nine thirty",
        "something after work next week",
        "después de las tres",
    ],
)
def test_clock_bounds_say_no_direction(said):
    assert direction(said) is None


@pytest.mark.parametrize(
    ("said", "way"),
    [("can I come in earlier", "earlier"), ("push it back", "later"), ("más tarde", "later")],
)
def test_directions_still_read(said, way):
    assert direction(said) == way


@pytest.mark.parametrize(
    "said",
    [
        "cancel my appointment and give me another one on Wednesday afternoon",
        "cancel it and rebook me for friday",
        "cancele la cita y deme otra para el miércoles en la tarde",
        "cancela mi cita y dame otra el jueves",
    ],
)
def test_cancel_and_replace_is_a_move(said):
    assert replaces_visit(said)


@pytest.mark.parametrize(
    "said",
    [
        "cancel my appointment",
        "cancele mi cita por favor",
        "I need another refill",
        "you know what, just cancel it instead",  # instead of moving it: a cancellation
        "mejor cancélela en su lugar",
    ],
)
def test_a_plain_cancel_is_not_a_move(said):
    assert not replaces_visit(said)


def test_la_1_is_the_first_offer_and_a_la_1_is_one_o_clock():
    from datetime import date as _date

    from assistant.frontdesk.short_answers import choose as _choose

    days = [_date(2026, 6, 3)] * 3
    assert _choose("la 1", days, [15, 16, 16], [0, 0, 30]) == 0
    assert _choose("la 3", days, [15, 16, 16], [0, 0, 30]) == 2
    assert _choose("a la 1", days, [15, 13, 14], [0, 0, 0]) == 1
    assert _choose("la de la 1", days, [15, 13, 14], [0, 0, 0]) == 1
