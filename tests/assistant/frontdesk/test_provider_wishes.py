"""Provider wishes said in a move request (issues 16/17): a provider to move to, a provider
turned down, someone other than the visit's own, and the visit picked by its provider. Own
wordings, EN and ES; nothing here depends on today."""

from __future__ import annotations

from datetime import date, datetime, time, timezone

import pytest

from assistant.frontdesk.provider_words import (
    asks_another,
    last_mention,
    others_named,
    turned_down,
)
from assistant.frontdesk.time_phrases import read_wish
from assistant.frontdesk.which_visit import pick, reference
from tests.assistant.frontdesk.test_which_visit import TODAY, TWO

NAMES = {1: ["chen"], 2: ["okafor"], 3: ["park"]}


@pytest.mark.parametrize(
    ("said", "down"),
    [
        ("any doc but dr chen, fridays work", {1}),
        ("anybody except Chen is fine by me", {1}),
        ("somebody other than doctor Okafor please", {2}),
        ("I'd rather see Dr. Park instead of Dr. Chen", {1}),
        ("quien sea menos la doctora chen", {1}),
        ("cualquier médico que no sea el doctor Okafor", {2}),
        ("con la enfermera Park en vez del doctor Chen", {1}),
        ("no, es con el doctor chen", set()),
        ("keep me with dr chen", set()),
    ],
)
def test_providers_turned_down(said, down):
    assert turned_down(said, NAMES) == down
    assert last_mention(said, NAMES) not in down


@pytest.mark.parametrize(
    ("said", "another"),
    [
        ("can I see a different doctor this time", True),
        ("is there someone else who could see me thursday", True),
        ("prefiero otra doctora, la que sea", True),
        ("con un médico distinto por favor", True),
        ("the other doctor is fine", False),  # back to the first one
        ("I don't want another doctor", False),
        ("no quiero otro doctor, solo otro día", False),
    ],
)
def test_someone_other_than_the_visits_own(said, another):
    assert asks_another(said) is another


@pytest.mark.parametrize(
    ("words", "own", "wish"),
    [
        ("my checkup with dr okafor", ["chen"], "dr okafor"),
        ("mi cita con la enfermera practicante Park", ["chen"], "enfermera practicante park"),
        ("my checkup with dr chen", ["chen"], ""),
        ("la del doctor Okafor", ["okafor"], ""),
    ],
)
def test_a_provider_in_the_visit_words_that_is_not_its_own_is_a_wish(words, own, wish):
    assert others_named(words, own) == wish


@pytest.mark.parametrize(
    "said",
    [
        "I've got two visits, please push only the Okafor one to a morning",
        "move just the one with dr. okafor, mornings are better",
        "tengo dos consultas, cambie nada más la del doctor okafor a una mañana",
        "quiero pasar la cita que tengo con el doctor Okafor para otro día",
    ],
)
def test_the_visit_to_move_picked_by_its_provider(said):
    named = reference(said, moving=True)
    assert pick(named.words, TWO, today=TODAY) == 1  # Dr. Okafor's
    assert "okafor" not in named.rest.lower()


@pytest.mark.parametrize(
    "said",
    [
        "change my appointment to another doctor on a tuesday",
        "cambiar mi consulta con otra doctora cualquier martes",
    ],
)
def test_someone_else_asked_for_names_no_visit(said):
    named = reference(said, moving=True)
    assert named.words == ""
    assert asks_another(named.rest)


NOW = datetime(2027, 2, 1, 15, tzinfo=timezone.utc)  # a Monday


def _wish(text: str):
    return read_wish(text, now=NOW, time_zone="America/New_York", language="es",
                     visit=date(2027, 2, 3), visit_time=time(15))  # fmt: skip


@pytest.mark.parametrize("said", ["para una mañana", "cualquier mañana", "las mañanas mejor"])
def test_a_morning_is_no_tomorrow(said):
    pref = _wish(said).preference
    assert pref.part_of_day == "morning"
    assert pref.on_date is None


def test_the_week_after_the_coming_one():
    assert _wish("la semana después de la que viene").date_from == date(2027, 2, 15)
    assert _wish("the week after the next one").date_from == date(2027, 2, 15)


def test_a_count_of_visits_is_no_clock_time():
    pref = _wish("tengo dos citas, muévame la segunda a una mañana").preference
    assert pref.near is None and pref.earliest is None and pref.on_date is None
