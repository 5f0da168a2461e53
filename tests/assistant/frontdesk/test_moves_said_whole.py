"""A move said whole in the first message: by a count of weeks from the visit ("out two
weeks", "dos semanas más adelante"), pushed back or pulled up with the visit named in between,
and a cancellation whose new visit the patient will book later (no move)."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta, timezone

import pytest

from assistant.frontdesk.short_answers import direction, replaces_visit
from assistant.frontdesk.time_phrases import carries_details, read_wish

NOW = datetime(2026, 3, 2, 15, 0, tzinfo=timezone.utc)  # Monday, 10 AM in New York
ZONE = "America/New_York"
VISIT, VISIT_TIME = date(2026, 3, 4), time(10, 0)  # Wednesday 10 AM


def _wish(text: str, language: str = "en"):
    return read_wish(
        text, now=NOW, time_zone=ZONE, language=language, visit=VISIT, visit_time=VISIT_TIME
    )


def _monday_weeks_after_visit(weeks: int) -> date:
    return VISIT - timedelta(days=VISIT.weekday()) + timedelta(days=7 * weeks)


@pytest.mark.parametrize(
    ("said", "language", "weeks"),
    [
        ("can you bump it out 3 weeks", "en", 3),
        ("need to shift my visit two weeks, I'm traveling", "en", 2),
        ("me la puede correr tres semanas", "es", 3),
        ("pásemela dos semanas más adelante", "es", 2),
        ("move it back one week", "en", 1),
    ],
)
def test_a_move_by_weeks_counts_from_the_visit(said, language, weeks):
    assert _wish(said, language).date_from == _monday_weeks_after_visit(weeks)
    assert carries_details(said, now=NOW, time_zone=ZONE, language=language)


@pytest.mark.parametrize(
    ("said", "language", "weeks"),
    [
        ("same time slot but 2 weeks out please", "en", 2),
        ("a la misma hora pero tres semanas después", "es", 3),
        ("push it two weeks, same time if you can", "en", 2),
    ],
)
def test_the_same_time_weeks_later_is_that_day_at_that_time(said, language, weeks):
    pref = _wish(said, language).preference
    assert pref.on_date == VISIT + timedelta(days=7 * weeks)
    assert pref.near == VISIT_TIME


@pytest.mark.parametrize(
    "said",
    [
        "move my 6 week follow up to friday",  # the visit's name, not a shift
        "can you move it up two weeks",  # earlier: never a later bound
    ],
)
def test_weeks_that_shift_nothing_later_from_the_visit(said):
    wish = _wish(said)
    assert wish.date_from not in (_monday_weeks_after_visit(2), _monday_weeks_after_visit(6))


@pytest.mark.parametrize(
    ("said", "way"),
    [
        ("could you push my physical back a bit", "later"),
        ("bump the appointment out, nothing before the 20th", "later"),
        ("can you move my visit up", "earlier"),
        ("bring it forward if something opens", "earlier"),
    ],
)
def test_a_visit_pushed_back_or_pulled_up_says_which_way(said, way):
    assert direction(said) == way


@pytest.mark.parametrize(
    ("said", "moves"),
    [
        ("please cancel my visit, I'll book again once I'm back in town", False),
        ("cancel it for now, I will call back to set up a new appointment", False),
        ("cancela mi cita, despues llamo para sacar otra cita", False),
        ("cancele la cita, no quiero otra por ahora", False),
        ("cancel my appointment and get me a new one next Tuesday", True),
        ("cancel this one and I'll need another time on Monday", True),
        ("cancele mi cita y deme otra para el viernes", True),
    ],
)
def test_a_new_visit_left_for_later_is_no_move(said, moves):
    assert replaces_visit(said) is moves


@pytest.mark.parametrize(
    ("said", "language", "earliest", "latest"),
    [
        ("Friday of next week no earlier than ten", "en", time(10), None),
        ("next week but not before 9:30", "en", time(9, 30), None),
        ("the Tuesday after, 2 at the latest", "en", None, time(14)),
        ("el viernes de la próxima semana no antes de las 10", "es", time(10), None),
        ("el lunes no más tarde de las 11", "es", None, time(11)),
        ("después de las 4 y media", "es", time(16, 30), None),
        ("en la mañana, antes del mediodía", "es", None, time(12)),
    ],
)
def test_clock_bounds_said_the_other_way_round(said, language, earliest, latest):
    pref = _wish(said, language).preference
    assert (pref.earliest, pref.latest) == (earliest, latest)


def test_a_clock_bound_with_a_negation_keeps_the_day():
    wish = _wish("Friday of next week no earlier than ten")
    assert wish.preference.weekdays == frozenset({4})
    assert wish.date_from == date(2026, 3, 9)


@pytest.mark.parametrize(
    "said",
    [
        "it's hurt ever since I slipped on the ice Sunday, can I come in?",
        "desde que me caí el sábado me duele la rodilla, me pueden ver?",
    ],
)
def test_when_it_began_is_no_day_wished(said):
    pref = _wish(said, "es" if "desde" in said else "en").preference
    assert not pref.weekdays and pref.on_date is None


@pytest.mark.parametrize(
    "said",
    ["move my follow up to thursday afternoon", "could you move my check up to the 20th"],
)
def test_a_follow_up_named_is_no_move_up(said):
    assert direction(said) is None
