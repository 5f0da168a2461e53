"""Choosing among the offered times by what the patient says of them: their clock time, their
day, "the earliest one" (issue #17: answers to the assistant's question are read as answers);
and the words that decide a move: clock bounds are no direction, cancel-and-replace is a move."""

from __future__ import annotations

from datetime import date

import pytest

from assistant.frontdesk.short_answers import (
    asks_to_reschedule,
    choose,
    direction,
    names_another_time,
    replaces_visit,
    stops,
)

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
    [("can I come in earlier", "earlier"), ("push it back", "later"), ("más tarde", "later"),
     ("nothing before Thursday please", "later"), ("no antes del jueves", "later"),
     ("not after friday", "earlier")],
)  # fmt: skip
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


# --- corrections while choosing (issue #17): what names none of the offers is no choice -------

# "first, Thursday at 9 AM; second, Thursday at 2 PM; third, Friday at 10:30 AM"
OFFERS = ([date(2026, 3, 12), date(2026, 3, 12), date(2026, 3, 13)], [9, 14, 10], [0, 0, 30])


@pytest.mark.parametrize(
    ("said", "index"),
    [
        ("the thursday afternoon one", 1),
        ("el jueves en la tarde", 1),
        ("fri works", 2),
        ("thursday doesnt work, the friday one", 2),
        ("not the first one, the second", 1),
        ("no, not the 1st, the 3rd", 2),
        ("no la primera, la tercera", 2),
        ("no wait the third one", 2),
        ("prefiero la de las 10:30", 2),
        ("2pm please", 1),
        ("oops i meant #3", 2),
        ("3 not 1", 2),
        ("option 2 instead", 1),
    ],
)
def test_a_choice_with_a_correction_in_it(said, index):
    assert choose(said, *OFFERS) == index


@pytest.mark.parametrize(
    "said",
    [
        "can we do friday afternoon instead",  # a Friday offer, but in the morning
        "not that one",
        "ni la primera ni la segunda",
        "3pm doesnt work",
        "fri doesnt work",
    ],
)
def test_no_choice_of_an_offer(said):
    assert choose(said, *OFFERS) is None


@pytest.mark.parametrize(
    "said",
    [
        "shoot sorry, thurs doesnt work for me anymore. could we try tues morning",
        "oh wait actually mornings are bad for me",
        "anything on wednesday?",
        "how about 4 pm",
        "something later in the evening",
        "anything else next week?",
        "el mié en la tarde",
        "las mañanas no me sirven",
        "those are too early, I can't do before 11",
        "no puedo antes de las 11",
    ],
)
def test_a_reply_naming_another_time_is_a_new_wish(said):
    assert names_another_time(said, *OFFERS)


@pytest.mark.parametrize(
    "said", ["anything later?", "something later on thursday", "other times in the morning?"]
)
def test_more_of_the_same_wish_names_no_other_time(said):
    assert not names_another_time(said, *OFFERS)


@pytest.mark.parametrize(
    ("said", "stopped"),
    [
        ("never mind", True),
        ("ya no, gracias", True),
        ("never mind, keep my appointment", True),
        ("never mind, thursday afternoon then", False),
        ("el viernes ya no me queda", False),
        ("mejor no, el martes", False),
    ],
)
def test_never_mind_with_a_time_in_it_changes_the_wish(said, stopped):
    assert stops(said) is stopped


@pytest.mark.parametrize(
    ("said", "moving"),
    [
        ("my appointment time doesn't work anymore, anything next week?", True),
        ("la hora de mi cita ya no me queda", True),
        ("¿me pasa la cita a la misma hora la otra semana?", True),
        ("¿qué pasa con mi cita?", False),
        ("something came up and i cant make my appointment can i come in another day", True),
        ("no voy a poder ir a mi cita, ¿me da otro día?", True),
        ("I can't make it, please cancel", False),
        ("the new inhaler doesn't work", False),
    ],
)
def test_a_visit_time_that_no_longer_works_is_a_move(said, moving):
    assert asks_to_reschedule(said) is moving
