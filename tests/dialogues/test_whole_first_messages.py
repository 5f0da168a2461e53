"""A first message that carries the whole request (issue #16): who the visit is for with their
birth date, two requests at once, a move said by what it keeps or where it goes, an item of the
offers by its number, and numbers that are no time wished."""

from __future__ import annotations

from datetime import date, datetime, timezone

import pytest

from assistant.datetimes.resolve import resolve
from assistant.frontdesk.late import minutes_late
from assistant.frontdesk.move_or_book import says_late
from assistant.frontdesk.short_answers import choose
from assistant.identity.introduction import introduction
from dialogues.actions.compound import asks_the_nurse, other_parts, task_in, task_words
from dialogues.actions.details import someone_said

# --- who the visit is for, named with their birth date -----------------------------------------


@pytest.mark.parametrize(
    ("said", "language", "name", "born"),
    [
        ("hello, my girl Ada Brennan (born 4/2/2016) keeps coughing, any time thursday?", "en",
         "Ada Brennan", "4/2/2016"),
        ("my husband needs a physical, his name is Tomas Varga T O M A S date of birth "
         "May ninth nineteen seventy and he prefers afternoons", "en", "Tomas Varga",
         "May ninth nineteen seventy"),
        ("quiero una consulta para mi papá que nunca ha venido, se llama Anselmo Ruiz nació el "
         "dos de enero de mil novecientos cincuenta por la tarde", "es", "Anselmo Ruiz",
         "dos de enero de mil novecientos cincuenta"),
        ("no he ido nunca con ustedes, quiero ver a un doctor. Me llamo Inés Quiroga Paz, nací "
         "el 09/11/1990, mejor temprano", "es", "Inés Quiroga Paz", "09/11/1990"),
    ],
)  # fmt: skip
def test_the_person_and_birth_date_said_with_a_booking_are_read(said, language, name, born):
    found = someone_said(said, language)
    assert found is not None
    assert found[:2] == (name, born)
    assert name.split()[0] not in found[2]  # the rest is the request, without them


# --- two requests in one message ------------------------------------------------------------


@pytest.mark.parametrize(
    ("said", "kind", "task"),
    [
        ("please cancel my checkup, moving out of state. also there's a charge on my statement I"
         " don't recognize", "billing_question", "cancel"),
        ("can you cancel my appointment and while I have you I ran out of my inhaler",
         "prescription_refill", "cancel"),
        ("whats the time of my visit and whats the street address, my map app is confused",
         "office", "check"),
        ("move my visit to friday and text me the suite number", "office", "reschedule"),
    ],
)  # fmt: skip
def test_the_second_request_is_its_own_part(said, kind, task):
    assert task_in(said) == task
    assert [k for k, _ in other_parts(said)] == [kind]
    assert kind == "office" or not asks_the_nurse(said)  # a bill or a refill is no nurse question


def test_the_task_is_read_without_the_other_part():
    said = "move my visit to friday and text me the suite number"
    assert task_words(said) == "move my visit to friday"


def test_a_follow_up_to_cancel_is_no_question_for_the_nurse():
    assert not asks_the_nurse("cancel my follow up please, I'm feeling fine now")
    assert asks_the_nurse("what were my follow up instructions again?")


# --- a move said by what it keeps or where it goes -------------------------------------------


@pytest.mark.parametrize(
    "said",
    [
        "keep the same time but a different day the week after, work trip",
        "another day but same time please",
        "could you switch me over to doctor park for that one",
        "is there anything earlier than my current appointment",
        "¿tienen algo más pronto que mi cita?",
        "a la misma hora pero otro día por favor",
    ],
)
def test_a_move_in_other_words_is_a_move(said):
    assert task_in(said) == "reschedule"


def test_a_new_visit_is_no_move():
    assert task_in("can I book a new visit with doctor park") == "book"


# --- numbers in their roles -------------------------------------------------------------------

DATES = [date(2026, 3, 10)] * 3


@pytest.mark.parametrize(
    ("said", "hours", "index"),
    [
        ("la uno", [8, 8, 9], 0),
        ("el dos", [13, 13, 14], 1),
        ("number three please", [9, 10, 11], 2),
        ("la una", [13, 14, 15], 0),  # one o'clock: the 1 PM item
        ("las dos", [13, 14, 15], 1),
    ],
)
def test_an_item_by_its_number_is_no_clock_time(said, hours, index):
    assert choose(said, DATES, hours, [0, 0, 0]) == index


def test_one_oclock_matching_no_item_chooses_none():
    assert choose("la una", DATES, [8, 8, 9], [0, 30, 0]) is None


@pytest.mark.parametrize(
    ("said", "minutes"),
    [("hey it's me, I'm about 7 minutes out, parking now", 7), ("estoy a unos cinco minutos", 5)],
)
def test_minutes_away_is_running_late(said, minutes):
    assert says_late(said) and minutes_late(said) == minutes


def test_a_distance_asked_is_not_running_late():
    assert not says_late("is the clinic 10 minutes away from the train station?")


NOW = datetime(2026, 3, 9, 15, 0, tzinfo=timezone.utc)


@pytest.mark.parametrize(
    "said",
    ["my knee has hurt for two weeks now, could someone see me wednesday",
     "had this rash a few days now"],
)  # fmt: skip
def test_how_long_something_has_lasted_is_no_time_wished(said):
    found = resolve(said, now=NOW, time_zone="America/New_York", language="en")
    assert all(r.text != "now" for r in found)


def test_now_alone_is_still_a_time():
    found = resolve("can I come in now", now=NOW, time_zone="America/New_York", language="en")
    assert [r.text for r in found] == ["now"]


# --- a caller's name opening a call's transcript ----------------------------------------------


def test_a_capitalised_name_opening_a_call_is_the_callers():
    found = introduction("hey it's Dana Whitfield I'm stuck on exit 9 running late", "en")
    assert found is not None and found.name == "Dana Whitfield" and found.date_of_birth is None


@pytest.mark.parametrize("said", ["im running late", "I'm Stuck On the bridge", "its me again"])
def test_no_name_is_read_from_other_openings(said):
    assert introduction(said, "en") is None


def test_the_parents_own_introduction_is_no_part_of_the_request():
    said = (
        "hi this is Carla Mendes 6/14/85. my daughter Lia Mendes (dob 2/1/2019) has a rash,"
        " any afternoon"
    )
    name, born, rest = someone_said(said, "en")
    assert (name, born) == ("Lia Mendes", "2/1/2019")
    assert "6/14/85" not in rest and "afternoon" in rest


@pytest.mark.parametrize(
    ("said", "born"),
    [("it's four nine seventy one", date(1971, 4, 9)), ("uh that's 4/9/71", date(1971, 4, 9)),
     ("pues, nueve cuatro setenta y uno", date(1971, 4, 9))],
)  # fmt: skip
def test_a_spoken_birth_date_with_a_lead_in_is_read(said, born):
    from assistant.datetimes import parse_date_of_birth

    language = "es" if said.startswith("pues") else "en"
    assert parse_date_of_birth(said, language) == born


def test_a_name_after_a_question_and_a_relation_word_is_read():
    said = (
        "dana ortiz here 5/5/80. could my kid Remy Ortiz (dob 1/9/2018) come in, earache. mornings"
    )
    name, born, rest = someone_said(said, "en")
    assert (name, born) == ("Remy Ortiz", "1/9/2018")
    assert "5/5/80" not in rest and "mornings" in rest
