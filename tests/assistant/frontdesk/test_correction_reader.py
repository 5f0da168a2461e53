"""The one correction reader (issue #17, "repair everywhere in forms"), without Rasa: a reply
read slot by slot against what was filled before. A slot the reply names replaces the old one,
a slot it does not name is kept, what it denies is dropped: for the day, the week, the hour
(part of the day or clock), the week count, the task, the provider and the date of birth.
Typed and run-on voice wordings, English and Spanish, with and without commas."""

from __future__ import annotations

from datetime import date, datetime, time, timezone

import pytest

from assistant.datetimes.dob import corrected_date_of_birth
from assistant.frontdesk import booking
from assistant.frontdesk.booking import named_provider
from assistant.frontdesk.corrections import (
    DAY,
    HOUR,
    asks_and_corrects,
    carries_correction,
    corrected_wish,
    denied_tasks,
    read_correction,
    self_corrected,
    task_meant,
    without_kept,
    without_questions,
)
from assistant.frontdesk.denials import WEEKDAY, read_times
from assistant.frontdesk.short_answers import choose, question_topic, strict_yes
from assistant.frontdesk.time_phrases import read_wish

NOW = datetime(2027, 4, 5, 15, 0, tzinfo=timezone.utc)  # a Monday, 11 AM in New York
ZONE = "America/New_York"
VISIT = date(2027, 4, 6)  # Tuesday
NEXT_MONDAY = date(2027, 4, 12)
MON, TUE, WED, THU, FRI = range(5)


def _wish(said: str | None, before: str, language: str = "en"):
    text = corrected_wish(said, before) if said else before
    assert text is not None
    return read_wish(text, now=NOW, time_zone=ZONE, language=language, visit=VISIT,
                     visit_time=time(10))  # fmt: skip


# --- the week is kept when only the day is corrected ------------------------------------------

DAY_ONLY = [
    ("en", "friday next week", "hold on not friday, thursday works better", THU),
    ("en", "next week on a wednesday", "hmm scratch wednesday lets do monday", MON),
    ("en", "monday of next week", "monday no tuesday", TUE),
    ("en", "thursday the following week", "uh actually thursday is bad make it friday", FRI),
    ("en", "tuesday next week", "i said wednesday not tuesday", WED),
    ("es", "el viernes de la semana que viene", "no el viernes, mejor el jueves", THU),
    ("es", "para el lunes de la proxima semana", "ay no, el lunes no, el miércoles", WED),
    ("es", "el martes de la semana entrante", "disculpe no el martes sino el viernes", FRI),
    ("es", "next week el jueves", "sorry no el jueves, el lunes", MON),
    ("es", "la próxima semana el miércoles", "este el miércoles no puedo que sea el martes", TUE),
]


@pytest.mark.parametrize(("language", "before", "said", "weekday"), DAY_ONLY)
def test_a_new_day_keeps_the_week_asked_before(language, before, said, weekday):
    wish = _wish(said, before, language)
    assert wish.preference.weekdays == frozenset({weekday})
    assert wish.date_from == NEXT_MONDAY


@pytest.mark.parametrize(
    ("before", "said", "part"),
    [
        ("thursday next week in the morning", "not thursday, friday", "morning"),
        ("el jueves de la otra semana por la tarde", "no el jueves, el viernes", "afternoon"),
    ],
)
def test_a_new_day_keeps_the_part_of_day(before, said, part):
    wish = _wish(said, before, "es" if "el" in said else "en")
    assert wish.preference.part_of_day == part
    assert wish.date_from == NEXT_MONDAY


# --- a denial and its replacement in the request itself ---------------------------------------

SAME_SENTENCE = [
    ("move me to wednesday afternoon next week, no not wednesday, thursday afternoon", THU),
    ("next week monday morning no wait not monday tuesday morning", TUE),
    ("quiero el martes de la semana que viene, no, no el martes, el jueves", THU),
]


@pytest.mark.parametrize(("said", "weekday"), SAME_SENTENCE)
def test_a_day_taken_back_in_the_same_sentence_is_no_wish(said, weekday):
    assert read_times(said).wished(WEEKDAY) == [
        ["monday", "tuesday", "wednesday", "thursday", "friday"][weekday]
    ]


@pytest.mark.parametrize(
    "said", ["no, thursday", "no thursday", "no no, el martes", "no, el viernes mejor"]
)
def test_a_no_before_a_single_day_is_a_no_then_a_wish(said):
    assert not read_times(said).denies


# --- the hour: a clock said as the reason is not the new wish -----------------------------------


@pytest.mark.parametrize(
    ("before", "said", "latest"),
    [
        ("after 2 pm on the same day",
         "wait no I have a meeting at two make it before noon instead", time(10)),
        ("anytime after three that same day", "ugh i work at three, rather before eleven",
         time(10)),
    ],
)  # fmt: skip
def test_a_window_replaces_the_window_and_keeps_the_day(before, said, latest):
    wish = _wish(said, before)
    assert wish.preference.on_date == VISIT
    assert wish.preference.earliest is None
    assert wish.preference.latest is not None and wish.preference.latest <= latest


@pytest.mark.parametrize("said", ["before noon instead", "actually after two", "antes de las once"])
def test_a_window_on_the_clock_is_no_choice(said):
    assert choose(said, [VISIT] * 3, [9, 11, 14]) is None


# --- the week count ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("before", "said", "language"),
    [
        ("push it three weeks later", "no just one week", "en"),
        ("quiero moverla dos semanas mas adelante", "mejor nada más una semana", "es"),
    ],
)
def test_a_new_count_of_weeks_keeps_the_anchor(before, said, language):
    wish = _wish(said, before, language)
    assert wish.date_from == NEXT_MONDAY


def test_the_reader_says_which_slot_changes():
    changes = {c.slot: c for c in read_correction("not tuesday, wednesday", "tuesday morning")}
    assert changes[DAY].denied == "tuesday" and changes[DAY].value == "wednesday"
    assert HOUR not in changes  # the morning is kept


# --- the task -----------------------------------------------------------------------------------

TASKS = [
    ("reschedule", "oh never mind I'll keep it as it is, please confirm it", "confirm"),
    ("reschedule", "forget it, i can make it after all, just confirm me", "confirm"),
    ("reschedule", "olvídelo, la dejo como está, confírmela por favor", "confirm"),
    ("book", "no no start over i need to change my current visit not book a new one",
     "reschedule"),
    ("book", "forget the new one, just move the one I already have to friday", "reschedule"),
    ("cancel", "wait don't cancel it, could you move it to next week instead", "reschedule"),
    ("cancel", "mejor no la cancele, pásemela para el viernes", "reschedule"),
    ("cancel", "no espere, en vez de cancelarla muévala a la otra semana", "reschedule"),
    ("reschedule", "actually scratch that, just cancel it", "cancel"),
]  # fmt: skip


@pytest.mark.parametrize(("task", "said", "meant"), TASKS)
def test_a_correction_that_changes_the_task(task, said, meant):
    assert task_meant(said, task) == meant


@pytest.mark.parametrize(
    ("task", "said"),
    [
        ("reschedule", "no wait, confirm that time please"),  # the read-back's yes, not a switch
        ("reschedule", "actually keep it with Dr Chen, just on Friday"),
        ("reschedule", "no, the first one"),
        ("reschedule", "actually can we do thursday instead"),
        ("cancel", "no, cancel it"),
        ("book", "actually can I book it for the afternoon"),
        ("reschedule", "never mind, leave it as it is"),  # kept, not confirmed: a stop
        ("reschedule", "olvídelo, mejor la dejo así"),
    ],
)
def test_a_correction_inside_the_same_task(task, said):
    assert task_meant(said, task) is None


def test_a_task_turned_down():
    assert denied_tasks("I want to MOVE my existing appointment, not make a new one") == {"book"}
    assert denied_tasks("instead of cancelling can we push it") == {"cancel"}


def test_the_visit_kept_is_not_the_one_meant():
    assert "chen" not in without_kept("sorry I meant my okafor appointment, keep chen")


# --- the provider in the request ---------------------------------------------------------------

PROVIDERS = [
    {"id": 1, "words": ["priya", "chen"], "places": ["main street office"]},
    {"id": 2, "words": ["james", "okafor"], "places": ["oak park dermatology center"]},
    {"id": 3, "words": ["emily", "park"], "places": ["main street office"]},
]


@pytest.mark.parametrize(
    ("said", "who"),
    [
        ("a checkup with dr chen oh sorry I mean with emily park", 3),
        ("con la doctora Chen, perdón, mejor con el doctor Okafor", 2),
        ("a video visit with okafor wait no with chen", 1),
    ],
)
def test_the_provider_said_after_a_correction(said, who):
    found = named_provider(said, PROVIDERS)
    assert found is not None and found["id"] == who


# --- the date of birth ---------------------------------------------------------------------------

TODAY = date(2027, 4, 5)


@pytest.mark.parametrize(
    ("said", "language", "before", "born"),
    [
        ("sorry no seventy one nineteen seventy one", "en", "June 2 1961", date(1971, 6, 2)),
        ("oops the year is 1990", "en", "5/17/1980", date(1990, 5, 17)),
        ("perdón es 1988 no 1998", "es", "3/4/1998", date(1988, 4, 3)),
        ("me equivoqué, mil novecientos ochenta y ocho", "es", "3/4/1998", date(1988, 4, 3)),
        ("sorry, the 12th not the 21st", "en", "May 21 1980", date(1980, 5, 12)),
    ],
)
def test_a_date_of_birth_corrected(said, language, before, born):
    assert corrected_date_of_birth(said, language, previous=before, today=TODAY) == born


@pytest.mark.parametrize(
    ("said", "language", "born"),
    [
        ("5/17/79 whoops 78", "en", date(1978, 5, 17)),
        ("april ninth nineteen ninety no sorry april tenth", "en", date(1990, 4, 10)),
        ("el dos de mayo del ochenta no perdón de junio", "es", date(1980, 6, 2)),
    ],
)
def test_a_date_of_birth_taken_back_in_the_same_answer(said, language, born):
    assert corrected_date_of_birth(said, language, today=TODAY) == born


# --- a correction that opens with steering words or comes with a question -----------------------


@pytest.mark.parametrize(
    ("said", "before", "weekday", "week_later"),
    [
        ("go back, I meant the friday of next week", "friday", FRI, True),
        ("back up, scratch that, tuesday", "monday next week", TUE, True),
        ("oh I meant the monday after that one", "next monday", MON, True),
    ],
)
def test_steering_words_carry_the_correction(said, before, weekday, week_later):
    wish = _wish(said, before)
    assert wish.preference.weekdays == frozenset({weekday})
    assert wish.preference.on_date is None or wish.preference.on_date.weekday() == weekday
    assert carries_correction(said)


def test_the_week_after_that_is_one_week_after_the_week_said():
    assert "the week after next" in (corrected_wish("the thursday after that", "next thursday")
                                     or "")  # fmt: skip
    assert "next week" in (corrected_wish("the thursday after that", "thursday") or "")


@pytest.mark.parametrize(
    ("said", "before", "part"),
    [
        ("oops I put mornings but I meant afternoons, I'm at the job until 12", "friday morning",
         "afternoon"),
        ("wait no after 4, my shift ends at 3:30", "thursday after 1pm", "after 4"),
    ],
)  # fmt: skip
def test_a_clock_said_as_the_reason_is_not_the_wish(said, before, part):
    wish = corrected_wish(said, before) or ""
    assert part in wish
    assert "12" not in wish and "3 30" not in wish and "until" not in wish


@pytest.mark.parametrize(
    ("said", "kept"),
    [
        ("hold on, make it monday not tuesday, and where do we park?", "monday"),
        ("mejor el jueves y donde me estaciono", "jueves"),
    ],
)
def test_a_question_asked_with_a_correction_leaves_the_correction(said, kept):
    rest = asks_and_corrects(said)
    assert rest is not None and kept in rest.lower() and "park" not in rest


def test_a_question_alone_is_no_correction():
    assert asks_and_corrects("is there parking there? last time it was full") is None
    assert without_questions("friday works") == "friday works"


# --- a request that corrects itself ------------------------------------------------------------


@pytest.mark.parametrize(
    ("said", "gone", "kept"),
    [
        ("move me to two weeks out.. no wait, just next week", "two weeks", "next week"),
        ("cambiar la cita para el lunes, no, perdón, para el martes", "lunes", "martes"),
        ("anytime before 10 scratch that before 9 works better", "before 10", "before 9"),
        ("cancel the one with dr okafor, no sorry, the chen one", "okafor", "chen"),
    ],
)
def test_a_request_without_what_it_took_back(said, gone, kept):
    fixed = self_corrected(said)
    assert gone not in fixed and kept in fixed


@pytest.mark.parametrize(
    "said",
    ["no rush, anything next week works", "friday no later than 3", "no el lunes sino el martes"],
)
def test_a_request_that_takes_nothing_back_is_unchanged(said):
    assert self_corrected(said) == said


# --- a read-back answered with a question ------------------------------------------------------


@pytest.mark.parametrize(
    "said", ["y donde me estaciono", "ok and where can I park", "yes but do you take aetna"]
)
def test_a_question_at_the_read_back_is_no_yes(said):
    assert not strict_yes(said, "affirm")
    assert question_topic(said) is not None


@pytest.mark.parametrize("said", ["y", "yes", "sí", "y si"])
def test_a_bare_yes_is_still_a_yes(said):
    assert strict_yes(said)


@pytest.mark.parametrize(
    "said",
    [
        "quiero pasar mi cita con otro doctor que no sea el doctor Okafor el martes",
        "cambiarla a cualquiera que no sea la enfermera Park por la tarde",
        "el viernes no puedo, quiero el lunes",
    ],
)
def test_a_no_that_negates_a_verb_takes_nothing_back(said: str) -> None:
    assert self_corrected(said) == said


@pytest.mark.parametrize(
    ("said", "code"),
    [
        ("a checkup... wait no, sorry, my son has an earache, friday?", "sick_visit"),
        ("I'd like a follow-up, um no actually a video visit", "telehealth"),
        ("quiero un chequeo, no perdón, una cita porque tengo fiebre", "sick_visit"),
        ("a sick visit scratch that, just my annual physical", "annual_physical"),
    ],
)
def test_a_visit_type_taken_back_in_the_request(said, code):
    assert booking.named_type(booking.request_meant(said)) == code


def test_a_reason_denied_is_no_type_taken_back():
    """ "No cough" denies a symptom; the physical asked for stays."""
    assert booking.named_type(booking.request_meant("a physical please, no cough")) == (
        "annual_physical"
    )


def test_better_than_turns_the_other_down():
    wish = corrected_wish("the morning would be better than the afternoon", "friday afternoon")
    assert wish is not None and "morning" in wish and "friday" in wish
    assert "afternoon" not in wish.replace("not the afternoon", "")
