"""The words of a correction (issue #17), read without Rasa: the week after next in other
wordings, "the same day" after offers on another day, a repeated no before a provider, fillers
around a choice, a date of birth restarted inside its correction, a provider kept by "the same
one", a change to the request said where the name was asked, another provider "instead"."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

import pytest

from assistant.datetimes.dob import corrected_date_of_birth
from assistant.frontdesk.corrections import corrected_wish, provider_kept, request_corrected
from assistant.frontdesk.provider_words import last_mention
from assistant.frontdesk.short_answers import choose
from assistant.frontdesk.time_phrases import read_wish, same_day_as_visit
from assistant.identity.names import renamed
from dialogues.actions.compound import moves

NOW = datetime(2027, 4, 7, 16, 0, tzinfo=timezone.utc)  # a Wednesday, noon in New York
ZONE = "America/New_York"
VISIT = date(2027, 4, 8)  # Thursday


@pytest.mark.parametrize(
    ("said", "language"),
    [
        ("la semana después de la que viene, si se puede", "es"),
        ("mejor la semana despues de la proxima", "es"),
        ("en la semana subsiguiente", "es"),
        ("could we look at two weeks from now", "en"),
        ("the week after the next one please", "en"),
    ],
)
def test_the_week_after_next_in_other_words(said, language):
    wish = read_wish(said, now=NOW, time_zone=ZONE, language=language, visit=VISIT)
    today = NOW.date()
    assert wish.date_from == today - timedelta(days=today.weekday()) + timedelta(days=14)


@pytest.mark.parametrize(
    ("said", "visits"),
    [
        ("mejor el mismo día pero más tarde", True),
        ("same day as I had, just later", True),
        ("anything later on the day of my appointment", True),
        ("anything later that day?", False),  # after offers on one day: that day's
        ("the same time next week", False),
    ],
)
def test_the_same_day_is_the_visits(said, visits):
    assert same_day_as_visit(said) is visits


NAMES = {1: ["okafor"], 2: ["park"], 3: ["chen"]}


@pytest.mark.parametrize(
    ("said", "who"),
    [
        ("no no, mejor con la enfermera Park", 2),
        ("can I see dr okafor? no no, the NP Park instead", 2),
        ("no no no, Dr. Chen is fine", 3),
        ("Dr. Chen, no Dr. Okafor", 3),  # a single no inside the reply still turns one down
    ],
)
def test_a_repeated_no_turns_no_provider_down(said, who):
    assert last_mention(said, NAMES) == who


DAYS, HOURS, MINUTES = [date(2027, 4, 12)] * 3, [9, 9, 10], [0, 40, 20]


@pytest.mark.parametrize(
    ("said", "index"),
    [
        ("no espera, mejor la 2", 1),
        ("ay perdón, la 3 por favor", 2),
        ("oh hold on, 1 instead", 0),
        ("no wait, I'd rather take 3", None),  # words besides fillers: not a bare number
    ],
)
def test_a_number_between_a_corrections_fillers_is_a_choice(said, index):
    assert choose(said, DAYS, HOURS, MINUTES) == index


@pytest.mark.parametrize(
    ("said", "language", "previous", "born"),
    [
        ("perdón, agosto, veinte de agosto de mil novecientos ochenta", "es",
         "veinte de julio de mil novecientos ochenta", date(1980, 8, 20)),
        ("sorry, june, june 9th 1971", "en", "july 9 1971", date(1971, 6, 9)),
    ],
)  # fmt: skip
def test_a_date_of_birth_restarted_inside_its_correction(said, language, previous, born):
    assert corrected_date_of_birth(said, language, previous=previous) == born


def test_the_same_provider_said_again_keeps_the_one_asked_for():
    before = "quiero que me vea la doctora Chen el jueves"
    wish = provider_kept(corrected_wish("no, el jueves no, mejor el martes con la misma", before),
                         before)  # fmt: skip
    assert wish is not None and "martes" in wish and "Chen" in wish and "jueves" not in wish


@pytest.mark.parametrize(
    ("said", "changed"),
    [
        ("oh sorry no, I meant Dr. Chen", "Chen"),
        ("perdón, mejor con el doctor Okafor", "Okafor"),
        ("wait actually friday would be better", "friday"),
        ("Maria Lopez", None),
        ("it's Ana Ruiz", None),
    ],
)
def test_a_change_to_the_request_said_where_the_name_is_asked(said, changed):
    found = request_corrected(said, "move me to thursday with np park")
    if changed is None:
        assert found is None
    else:
        assert found is not None and changed in found


@pytest.mark.parametrize(
    ("said", "move"),
    [
        ("could I see doctor chen instead", True),
        ("mejor con la doctora Chen", True),
        ("I'd like an appointment with dr chen", False),
    ],
)
def test_another_provider_instead_is_a_move(said, move):
    assert moves(said) is move


@pytest.mark.parametrize(
    ("before", "said", "name"),
    [
        ("siobhan oconel", "sorry it's O'Connell with two Ls", "siobhan O'Connell"),
        ("ana ruis", "oops, Ana Ruiz", "Ana Ruiz"),
        ("lucia fernandes", "perdón, es Fernández con z", "lucia Fernández"),
        ("maria lopez", "sorry typo", None),
    ],
)
def test_a_name_spelled_again_next_to_the_date_of_birth(before, said, name):
    assert renamed(before, said) == name
