"""What patients say about a new time, read as the availability search's `TimePreference`."""

from __future__ import annotations

from datetime import date, datetime, time, timezone

import pytest

from assistant.frontdesk.time_phrases import carries_details, read_wish

NOW = datetime(2026, 3, 4, 15, 0, tzinfo=timezone.utc)  # Wednesday morning in New York
ZONE = "America/New_York"
VISIT, VISIT_TIME = date(2026, 3, 10), time(10, 0)  # the visit being moved: Tuesday 10 AM


def _window(text: str, language: str) -> tuple[time | None, time | None]:
    pref = read_wish(text, now=NOW, time_zone=ZONE, language=language).preference
    return pref.start_window()


@pytest.mark.parametrize(
    ("text", "language", "window"),
    [
        ("first thing in the morning please", "en", (time(0), time(9))),
        ("a primera hora de la mañana", "es", (time(0), time(9))),
        ("early in the morning", "en", (time(0), time(9))),
        ("late morning works best", "en", (time(10), time(12))),
        ("a media mañana", "es", (time(10), time(12))),
        ("early afternoon if you have it", "en", (time(12), time(15))),
        ("temprano en la tarde", "es", (time(12), time(15))),
        ("late afternoon", "en", (time(15), time(17))),
        ("al final de la tarde", "es", (time(15), time(17))),
        ("something after work", "en", (time(15), None)),
        ("después del trabajo", "es", (time(15), None)),
        ("after school for my son", "en", (time(15), None)),
        ("saliendo de la escuela", "es", (time(15), None)),
        ("around two", "en", (time(13), time(16))),
        ("around 2", "en", (time(13), time(16))),
        ("at one", "en", (time(12), time(15))),
        ("a la una", "es", (time(12), time(15))),
        ("como a las dos", "es", (time(13), time(16))),
        ("before ten", "en", (None, time(10))),
        ("not before ten please", "en", (time(10), None)),
        ("no antes de las 10", "es", (time(10), None)),
        ("nothing after 3", "en", (None, time(15))),
        ("antes de las diez", "es", (None, time(10))),
        ("after 2", "en", (time(14), None)),
        ("after two", "en", (time(14), None)),
        ("después de las 3", "es", (time(15), None)),
        ("at 9:30 am", "en", (time(8, 30), time(11, 30))),
        ("monday at two thirty", "en", (time(13, 30), time(16, 30))),
        ("a las dos y media", "es", (time(13, 30), time(16, 30))),
        ("anything at 3 or later", "en", (time(15), None)),
        ("a las tres o más tarde", "es", (time(15), None)),
        ("after 2:30", "en", (time(14, 30), None)),
        ("before 10:30 a.m.", "en", (None, time(10, 30))),
        ("at 7 in the evening", "en", (time(18), time(21))),
        ("a las 6 de la mañana", "es", (time(5), time(8))),
        ("at one in the afternoon", "en", (time(12), time(15))),
        ("I can't do before 11", "en", (time(11), None)),
        ("those are too early, can't make it before 11", "en", (time(11), None)),
        ("I can't come in after 3", "en", (None, time(15))),
        ("no puedo antes de las 11", "es", (time(11), None)),
    ],
)
def test_clock_parts_of_the_day(text, language, window):
    assert _window(text, language) == window


def test_mas_tarde_is_later_not_afternoon():
    pref = read_wish("más tarde el martes", now=NOW, time_zone=ZONE, language="es").preference
    assert pref.weekdays == frozenset({1}) and pref.part_of_day is None


def test_clock_part_keeps_the_day_said_with_it():
    pref = read_wish("tuesday late afternoon", now=NOW, time_zone=ZONE, language="en").preference
    assert pref.weekdays == frozenset({1})
    assert pref.start_window() == (time(15), time(17))


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("around two weeks from now", "en"),
        ("at one of your other offices", "en"),
        ("dentro de dos semanas", "es"),
    ],
)
def test_numbers_that_are_not_clock_times(text, language):
    pref = read_wish(text, now=NOW, time_zone=ZONE, language=language).preference
    assert pref.earliest is None and pref.latest is None


def _moved(text: str, language: str):
    return read_wish(
        text, now=NOW, time_zone=ZONE, language=language, visit=VISIT, visit_time=VISIT_TIME
    )


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("same time a week later", "en"),
        ("same time the following week?", "en"),
        ("a la misma hora la semana que viene", "es"),
        ("misma hora pero la semana siguiente", "es"),
    ],
)
def test_same_time_a_week_after_the_visit(text, language):
    wish = _moved(text, language)
    pref = wish.preference
    assert pref.on_date == date(2026, 3, 17) and not pref.asap
    lo, hi = pref.start_window()
    assert lo is not None and hi is not None and lo <= VISIT_TIME < hi


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("two hours later", "en"),
        ("can you push it back two hours", "en"),
        ("dos horas más tarde", "es"),
        ("atrásela 2 horas", "es"),
        ("push it back like 2 hrs", "en"),
        ("a couple hours later", "en"),
        ("un par de horas más tarde", "es"),
    ],
)
def test_hours_later_the_same_day(text, language):
    pref = _moved(text, language).preference
    assert pref.on_date == VISIT and not pref.asap
    assert pref.accepts(datetime.combine(VISIT, time(12, 0)))
    assert not pref.accepts(datetime.combine(VISIT, time(11, 0)))
    assert not pref.accepts(datetime.combine(date(2026, 3, 11), time(12, 0)))


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("an hour earlier", "en"),
        ("can you move it up an hour", "en"),
        ("una hora más temprano", "es"),
        ("adelántela una hora", "es"),
    ],
)
def test_hours_earlier_the_same_day(text, language):
    pref = _moved(text, language).preference
    assert pref.on_date == VISIT and not pref.asap
    assert pref.accepts(datetime.combine(VISIT, time(9, 0)))
    assert not pref.accepts(datetime.combine(VISIT, time(10, 0)))


@pytest.mark.parametrize(
    ("text", "language", "direction"),
    [
        ("earlier the same day", "en", "earlier"),
        ("más temprano el mismo día", "es", "earlier"),
        ("later that same day", "en", "later"),
        ("ese mismo día pero más tarde", "es", "later"),
    ],
)
def test_same_day_as_the_visit(text, language, direction):
    pref = _moved(text, language).preference
    assert pref.on_date == VISIT and not pref.asap
    lo, hi = pref.start_window()
    if direction == "earlier":
        assert hi == VISIT_TIME and pref.accepts(datetime.combine(VISIT, time(8, 30)))
    else:
        assert lo is not None and lo > VISIT_TIME and hi is None


def test_a_week_later_without_same_time_keeps_the_week_reading():
    wish = _moved("push it back a week", "en")
    assert wish.date_from == date(2026, 3, 16)
    assert wish.preference.earliest is None and wish.preference.on_date is None


def test_a_few_hours_later():
    pref = _moved("a few hours later if possible", "en").preference
    assert pref.on_date == VISIT and pref.start_window()[0] == time(13)


@pytest.mark.parametrize(
    ("text", "language"),
    [("same day but in the afternoon", "en"), ("el mismo día pero en la tarde", "es")],
)
def test_same_day_keeps_the_part_of_the_day(text, language):
    pref = _moved(text, language).preference
    assert pref.on_date == VISIT and pref.part_of_day == "afternoon"


@pytest.mark.parametrize(
    ("text", "language"),
    [("I can't do that day, the same day is bad", "en"), ("no puedo ese mismo día", "es")],
)
def test_refusing_the_visit_day_does_not_ask_for_it(text, language):
    assert _moved(text, language).preference.on_date != VISIT


@pytest.mark.parametrize(
    ("text", "language", "part"),
    [
        ("next week, afternoons only, because my husband drives me and he works mornings",
         "en", "afternoon"),
        ("en la tarde porque en las mañanas trabajo", "es", "afternoon"),
        ("mornings please, since I work afternoons", "en", "morning"),
        ("because of work, afternoons", "en", "afternoon"),
    ],
)  # fmt: skip
def test_the_part_of_day_is_the_wish_not_the_reason_given_for_it(text, language, part):
    pref = read_wish(text, now=NOW, time_zone=ZONE, language=language).preference
    assert pref.part_of_day == part


def test_la_otra_semana_for_a_new_visit_is_the_coming_week():
    wish = read_wish("la otra semana en la mañana", now=NOW, time_zone=ZONE, language="es")
    assert (wish.date_from, wish.date_to) == (date(2026, 3, 9), date(2026, 3, 15))
    assert wish.preference.part_of_day == "morning"


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("tomorrow or the next open day, morning", "en"),
        ("mañana en la mañana o el siguiente día que tengan", "es"),
    ],
)
def test_tomorrow_or_the_next_open_day_searches_from_tomorrow_on(text, language):
    wish = read_wish(text, now=NOW, time_zone=ZONE, language=language)
    assert wish.preference.on_date is None and wish.date_from == date(2026, 3, 5)
    assert wish.preference.part_of_day == "morning"


@pytest.mark.parametrize(
    ("text", "language", "part"),
    [
        ("buenas tardes, tengo tos y quiero una cita", "es", None),
        ("Buenos días, necesito una cita", "es", None),
        ("good morning, I need an appointment for my cough", "en", None),
        ("good afternoon, thursday afternoon if you can", "en", "afternoon"),
        ("buenas tardes, el martes en la mañana", "es", "morning"),
    ],
)
def test_a_greeting_is_no_part_of_the_day(text, language, part):
    pref = read_wish(text, now=NOW, time_zone=ZONE, language=language).preference
    assert pref.part_of_day == part


@pytest.mark.parametrize(
    ("text", "language", "weekdays", "part"),
    [
        ("fever since saturday, can I come in?", "en", set(), None),
        ("sick since this morning", "en", set(), None),
        ("vomito y diarrea desde anoche", "es", set(), None),
        ("me duele la espalda desde el viernes", "es", set(), None),
        ("tengo tos desde hace una semana", "es", set(), None),
        ("fever since saturday, can I come in wednesday?", "en", {2}, None),
        ("tengo fiebre desde ayer, me pueden ver el martes en la tarde", "es", {1}, "afternoon"),
    ],
)
def test_when_a_symptom_began_is_no_time_wished(text, language, weekdays, part):
    pref = read_wish(text, now=NOW, time_zone=ZONE, language=language).preference
    assert set(pref.weekdays) == weekdays and pref.part_of_day == part


@pytest.mark.parametrize(
    "said",
    [
        "I hurt myself at the gym yesterday, can I get an appointment to have it looked at?",
        "hurt my back 3 days ago, can someone see me",
        "me lastimé hace dos días, quiero una cita",
        "me caí la semana pasada y me duele la rodilla",
        "twisted it last weekend, need an appointment",
    ],
)
def test_when_something_happened_is_no_time_wished(said):
    """Class 6 of "conversations that recover": "yesterday" is when the injury happened."""
    now = datetime(2026, 12, 7, 14, 0, tzinfo=timezone.utc)
    assert not carries_details(said, now=now, time_zone="America/New_York", language="en")


def _moved(text: str, language: str = "en"):
    return read_wish(
        text, now=NOW, time_zone=ZONE, language=language, visit=VISIT, visit_time=VISIT_TIME
    )


@pytest.mark.parametrize(
    ("text", "language", "days"),
    [
        ("same day of the week but next week", "en", 7),
        ("the same day next week", "en", 7),
        ("next week, same day", "en", 7),
        ("el mismo dia pero de la semana que viene", "es", 7),
        ("un día después", "es", 1),
        ("a day later", "en", 1),
        ("two days later in the afternoon", "en", 2),
        ("the next day", "en", 1),
        ("al día siguiente", "es", 1),
    ],
)
def test_days_counted_from_the_visit_being_moved(text, language, days):
    """Tuesday 10 AM moved "a day later" is Wednesday, "the same day next week" a Tuesday a week
    on: counted from the visit, not from today (a Wednesday)."""
    pref = _moved(text, language).preference
    assert pref.on_date == date.fromordinal(VISIT.toordinal() + days)
    assert not pref.asap and not pref.weekdays


@pytest.mark.parametrize(
    ("text", "language", "days"),
    [("a day later same time", "en", 1), ("two days later, around the same time", "en", 2),
     ("la próxima semana a la misma hora", "es", 7)],
)  # fmt: skip
def test_days_later_at_the_same_time(text, language, days):
    pref = _moved(text, language).preference
    assert pref.on_date == date.fromordinal(VISIT.toordinal() + days)
    assert pref.near == VISIT_TIME and pref.accepts(datetime.combine(pref.on_date, VISIT_TIME))


@pytest.mark.parametrize("text", ["the day after tomorrow", "day after tomorrow, any time"])
def test_the_day_after_tomorrow_is_counted_from_today(text):
    assert _moved(text).preference.on_date == date(2026, 3, 6)  # today is Wednesday the 4th


@pytest.mark.parametrize(
    ("text", "weekdays"),
    [("next monday or tuesday, doesn't matter what time", {0, 1}), ("next tuesday", {1}),
     ("next thursday afternoon", {3})],
)  # fmt: skip
def test_next_weekday_is_in_next_week(text, weekdays):
    wish = read_wish(text, now=NOW, time_zone=ZONE, language="en")
    assert wish.preference.weekdays == frozenset(weekdays)
    assert (wish.date_from, wish.date_to) == (date(2026, 3, 9), date(2026, 3, 15))


def test_el_proximo_lunes_is_never_today():
    monday = datetime(2026, 3, 9, 14, 0, tzinfo=timezone.utc)
    wish = read_wish("el próximo lunes", now=monday, time_zone=ZONE, language="es")
    assert wish.preference.weekdays == frozenset({0}) and wish.date_from == date(2026, 3, 10)


@pytest.mark.parametrize("text", ["quisiera una hora más temprano", "¿tiene una hora más tarde?"])
def test_una_hora_asked_for_is_a_time_not_an_hour(text):
    pref = _moved(text, "es").preference
    assert pref.on_date is None and (pref.earliest, pref.latest) == (None, None)


def test_an_hour_earlier_is_still_an_hour():
    pref = _moved("¿me la puede pasar una hora más temprano?", "es").preference
    assert pref.on_date == VISIT and pref.latest is not None and pref.latest <= VISIT_TIME
