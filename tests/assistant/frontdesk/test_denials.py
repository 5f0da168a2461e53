"""Times wished and times turned down in one reply (issue #17, "conversations that recover"):
a denial with or without a "because" word, before or after what it denies, abbreviated days,
English and Spanish, typed and dictated; and what the search then looks for."""

from __future__ import annotations

from datetime import date, datetime, time, timezone

import pytest

from assistant.frontdesk.denials import PART, WEEKDAY, read_times
from assistant.frontdesk.short_answers import weekdays_in
from assistant.frontdesk.time_phrases import read_wish

NOW = datetime(2026, 3, 4, 15, 0, tzinfo=timezone.utc)  # Wednesday 10 AM in New York
ZONE = "America/New_York"
VISIT, VISIT_TIME = date(2026, 3, 12), time(10, 30)  # the visit being moved: Thursday 10:30


def _pref(text: str, language: str = "en", **visit):
    return read_wish(text, now=NOW, time_zone=ZONE, language=language, **visit).preference


@pytest.mark.parametrize(
    ("said", "language"),
    [
        ("¿por la tarde? es que en la mañana no me dan chance en el trabajo", "es"),
        ("mejor en la tarde, por la mañana trabajo", "es"),
        ("afternoons pls, i work mornings", "en"),
        ("afternoon pls mornings I'm at work", "en"),
        ("en la tarde porfa, las mañanas no puedo", "es"),
        ("por la mañana no me dejan salir, en la tarde", "es"),
        ("mornings are bad for me so afternoon", "en"),
        ("i cant do mornings, afternoon is better", "en"),
        ("no en la mañana sino en la tarde", "es"),
        ("not in the morning, the afternoon", "en"),
        ("la tarde, porque en la mañana tengo trabajo", "es"),
        ("afternoons. mornings r bad", "en"),
        ("afternoon, i'm at work in the morning", "en"),
        ("not a morning person, afternoon pls", "en"),
        ("en la mañana estoy en el trabajo, en la tarde", "es"),
    ],
)
def test_a_part_of_day_denied_in_another_clause_is_not_the_wish(said, language):
    assert _pref(said, language).part_of_day == "afternoon"


@pytest.mark.parametrize(
    ("said", "language", "part"),
    [
        ("la tarde o la mañana, lo que tenga", "es", "afternoon"),
        ("morning or afternoon", "en", "morning"),
        ("evenings, afternoons are hard", "en", "evening"),
        ("en la mañana, en la tarde trabajo", "es", "morning"),
        ("las tardes se me complican, mejor en la mañana", "es", "morning"),
    ],
)
def test_the_first_part_of_day_said_is_the_wish(said, language, part):
    assert _pref(said, language).part_of_day == part


@pytest.mark.parametrize(
    ("said", "language", "window"),
    [
        ("mornings are bad for me", "en", (time(12), None)),
        ("i work mornings", "en", (time(12), None)),
        ("en la mañana no puedo", "es", (time(12), None)),
        ("afternoons dont work", "en", (None, time(12))),
        ("en las tardes trabajo", "es", (None, time(12))),
    ],
)
def test_a_part_of_day_only_denied_leaves_the_others(said, language, window):
    assert _pref(said, language).start_window() == window


@pytest.mark.parametrize(
    ("said", "language", "days"),
    [
        ("fridays I work", "en", {0, 1, 2, 3, 5, 6}),
        ("any day but monday", "en", {1, 2, 3, 4, 5, 6}),
        ("cualquier día menos el lunes", "es", {1, 2, 3, 4, 5, 6}),
        ("el vie no puedo", "es", {0, 1, 2, 3, 5, 6}),
    ],
)
def test_a_weekday_only_denied_leaves_the_others(said, language, days):
    assert _pref(said, language).weekdays == days


@pytest.mark.parametrize(
    ("said", "wished", "denied"),
    [
        ("shoot sorry, tues doesnt work for me anymore. could we try thurs morning",
         {3}, {1}),
        ("sorry fri is bad for me, mon am?", {0}, {4}),
        ("hmm weds no good. thur pls", {3}, {2}),
        ("wed wont work anymore how about fri", {4}, {2}),
        ("oh no mon is out for me, tue?", {1}, {0}),
        ("perdón el mar no puedo, mejor el jue", {3}, {1}),
        ("el lun no me sirve, el mié?", {2}, {0}),
        ("vie no, mejor el sáb", {5}, {4}),
        ("I'm busy thursday, friday?", {4}, {3}),
        ("not tuesday, wednesday", {2}, {1}),
        ("tuesday not wednesday", {1}, {2}),
        ("ni el lunes ni el martes, el jueves", {3}, {0, 1}),
        ("sat doesn't work, sun?", {6}, {5}),
        ("actually can we do thursday instead? tuesday isn't good anymore", {3}, {1}),
        ("scratch tuesday, wednesday morning works better", {2}, {1}),
        ("I can no longer make tuesday, thursday?", {3}, {1}),
        ("tuesday won't happen sorry how about wed", {2}, {1}),
        ("tuesday is not convenient, friday?", {4}, {1}),
        ("el martes siempre no, mejor el jueves", {3}, {1}),
        ("el martes al final no puedo", set(), {1}),
        ("olvide el martes, mejor el jueves", {3}, {1}),
        # another clause says what replaces it
        ("oh shoot, forgot i have something tuesday. friday morning instead?", {4}, {1}),
        ("nvm fri, what about mon morning", {0}, {4}),
        ("sorry i meant thursday morning not friday", {3}, {4}),
        ("I can't make my appointment on Tuesday, can we do Thursday?", {3}, {1}),
        ("no puedo ir a mi cita el martes, el jueves?", {3}, {1}),
    ],
)  # fmt: skip
def test_abbreviated_weekdays_in_wishes_and_denials(said, wished, denied):
    names = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
    reading = read_times(said)
    assert weekdays_in(said) == wished
    assert {names.index(d) for d in reading.denied(WEEKDAY)} == denied


@pytest.mark.parametrize(
    "said",
    [
        "I sat down with my daughter and the sun was out",
        "el mar es muy bonito",
        "después del trabajo",
        "not before ten please",
        "no, thursday",
        "no no thursday",
        "oh no wait thursday afternoon",
        "thursday afternoon, no problem",
        "tuesday, if not wednesday",
        "el martes, si no el miércoles",
        "can i have something tuesday",
        "do you have something on tuesday?",
        "tuesday is better, or wednesday",
        "i cant wait for my appointment tuesday",
    ],
)
def test_words_that_only_look_like_a_denied_day_deny_nothing(said):
    reading = read_times(said)
    assert not reading.denied(WEEKDAY) and not reading.denied(PART)


@pytest.mark.parametrize(
    ("said", "language", "window"),
    [
        ("a bit earlier the same morning", "en", (time(0), time(10, 30))),
        ("anything earlier on the same morning?", "en", (time(0), time(10, 30))),
        ("could I come in a bit earlier that same day", "en", (None, time(10, 30))),
        ("same day but earlier", "en", (None, time(10, 30))),
        ("later on the same day", "en", (time(10, 31), None)),
        ("a little later that afternoon", "en", (time(12), time(17))),
        ("el mismo día pero un poquito antes", "es", (None, time(10, 30))),
        ("ese mismo día pero más temprano", "es", (None, time(10, 30))),
        ("más temprano esa misma mañana", "es", (None, time(10, 30))),
        ("más tarde ese mismo día", "es", (time(10, 31), None)),
        ("el mismo día un poco más tarde", "es", (time(10, 31), None)),
        ("el mismo día pero más tempranito", "es", (None, time(10, 30))),
    ],
)
def test_earlier_or_later_the_same_day_as_the_visit(said, language, window):
    pref = _pref(said, language, visit=VISIT, visit_time=VISIT_TIME)
    assert pref.on_date == VISIT
    assert pref.start_window() == window


def test_the_same_day_denied_is_no_wish_for_it():
    pref = _pref("I can't do that same day", visit=VISIT, visit_time=VISIT_TIME)
    assert pref.on_date != VISIT


@pytest.mark.parametrize(
    ("said", "language", "wished", "denied"),
    [
        # the day said after "dije" / "I said" is affirmed; the "no" denies the other one
        ("ay no perdón dije miércoles no martes", "es", "wednesday", "tuesday"),
        ("dije el viernes no el jueves", "es", "friday", "thursday"),
        ("I said friday no thursday", "en", "friday", "thursday"),
        # "no es / no era X, es Y": X denied
        ("no es martes es miercoles", "es", "wednesday", "tuesday"),
        ("no era el lunes era el jueves", "es", "thursday", "monday"),
        ("it's not tuesday it's wednesday", "en", "wednesday", "tuesday"),
        # without an affirming word the day before a "no" is still the one denied
        ("el jueves no el viernes", "es", "friday", "thursday"),
    ],
)
def test_a_day_affirmed_before_a_no_is_kept(said, language, wished, denied):
    reading = read_times(said, language)
    assert reading.wished(WEEKDAY) == [wished]
    assert reading.denied(WEEKDAY) == [denied]


@pytest.mark.parametrize(
    "said", ["este no el viernes mejor", "eh no el viernes", "mire no, el viernes"]
)
def test_a_spanish_filler_then_no_opens_the_reply_and_denies_nothing(said):
    reading = read_times(said, "es")
    assert reading.wished(WEEKDAY) == ["friday"]
    assert not reading.denies
