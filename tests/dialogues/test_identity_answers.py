"""Identity answers as callers give them (issue #16 classes 2-3, #17 repair): dates of birth
keyed in or said digit by digit, a second try of the date after a miss (the name kept), a
corrected name where the date was asked, and name and date said with the request."""

from __future__ import annotations

from datetime import date

import pytest

from assistant.datetimes import parse_date_of_birth
from dialogues.actions.identity import ValidateIdentityForm
from dialogues.actions.router import ActionRouteTask
from tests.factories.dialogues import (
    conversation,
    run,
    slots_of,
    tracker,
)


@pytest.mark.parametrize(
    ("said", "language", "born"),
    [
        ("03031982", "en", date(1982, 3, 3)),
        ("oh three oh three eighty two", "en", date(1982, 3, 3)),
        ("three three eighty two", "en", date(1982, 3, 3)),
        ("zero seven one five nineteen seventy five", "en", date(1975, 7, 15)),
        ("quince siete setenta y cinco", "es", date(1975, 7, 15)),
        ("15071975", "es", date(1975, 7, 15)),
    ],
)
def test_dates_of_birth_keyed_in_or_said_as_numbers(said, language, born):
    assert parse_date_of_birth(said, language, today=date(2026, 12, 7)) == born


@pytest.mark.parametrize("said", ["yes", "the first one", "Maria Lopez", "two"])
def test_what_is_not_a_date_of_birth(said):
    assert parse_date_of_birth(said, "en", today=date(2026, 12, 7)) is None


def _dob(uid: str, name: str, said: str) -> tuple[dict, list]:
    events, messages = run(
        ValidateIdentityForm(),
        tracker(
            uid,
            text=said,
            intent="inform",
            slots={"patient_name": name, "patient_dob": said, "requested_slot": "patient_dob"},
            latest_action="identity_form",
            active_loop="identity_form",
        ),  # fmt: skip
    )
    return slots_of(events), [m.get("response") for m in messages]


def test_a_missed_date_is_asked_again_with_the_name_kept(demo, sqlite_url):
    uid = conversation(sqlite_url, demo.practice_id, demo.english_demo.phone, channel="voice")
    slots, said = _dob(uid, "maria lopez", "march thirteenth nineteen eighty two")
    assert said == ["utter_identity_no_match"]
    assert slots["patient_dob"] is None and "patient_name" not in slots  # the name kept
    slots, said = _dob(uid, "maria lopez", "03031982")
    assert slots["verified"] is True and said == ["utter_identity_verified"]


def test_a_name_where_the_date_was_asked_corrects_the_name(demo, sqlite_url):
    uid = conversation(sqlite_url, demo.practice_id, demo.english_demo.phone)
    slots, said = _dob(uid, "maria lopes", "March 13, 1982")
    assert said == ["utter_identity_no_match"]
    slots, said = _dob(uid, "maria lopes", "Maria Lopez")
    assert slots["patient_name"] == "Maria Lopez" and slots["patient_dob"] is None
    assert said == []  # no "didn't catch that date": the date is asked next
    slots, said = _dob(uid, "Maria Lopez", "3/3/82")
    assert slots["verified"] is True


@pytest.mark.parametrize(
    ("said", "language"),
    [
        ("hi I need to cancel my appointment, my name is Maria Lopez, date of birth march "
         "third nineteen eighty two", "en"),
        ("quiero cancelar mi cita, me llamo Maria Lopez, naci el 3 de marzo de 1982", "es"),
    ],
)  # fmt: skip
def test_name_and_date_said_with_the_request_are_the_answers(demo, sqlite_url, said, language):
    uid = conversation(sqlite_url, demo.practice_id, demo.english_demo.phone, channel="voice")
    events, messages = run(
        ActionRouteTask(),
        tracker(uid, text=said, intent="cancel_appointment", slots={"language": language}),
    )
    slots = slots_of(events)
    assert slots["flow"] == "identify" and messages == []  # nothing disclosed yet
    assert (
        slots["patient_name"] == "Maria Lopez"
        and "1982" in slots["patient_dob"]
        or ("nineteen eighty two" in slots["patient_dob"])
    )


@pytest.mark.parametrize(
    ("said", "intent", "language", "name", "dob"),
    [
        ("hi this is Maria Lopez born 3/3/82, I need to cancel my appointment",
         "cancel_appointment", "en", "Maria Lopez", "3/3/82"),
        ("Maria Lopez 03-03-1982 just checking when my appointment is", "check_appointment",
         "en", "Maria Lopez", "03-03-1982"),
        ("hi this is Maria Lopez, I need to cancel my appointment", "cancel_appointment", "en",
         "Maria Lopez", None),
        ("mi fecha de nacimiento es 15/07/1975, ¿cuándo es mi cita?", "check_appointment", "es",
         None, "15/07/1975"),
    ],
)  # fmt: skip
def test_what_is_said_of_who_is_speaking_is_kept_and_only_the_rest_asked(
    demo, sqlite_url, said, intent, language, name, dob
):
    uid = conversation(sqlite_url, demo.practice_id, demo.english_demo.phone)
    events, messages = run(
        ActionRouteTask(), tracker(uid, text=said, intent=intent, slots={"language": language})
    )
    slots = slots_of(events)
    assert slots["flow"] == "identify" and messages == []  # nothing disclosed yet
    assert slots.get("patient_name") == name and slots.get("patient_dob") == dob


def _form(uid: str, slots: dict, text: str, requested: str) -> tuple[dict, list]:
    events, messages = run(
        ValidateIdentityForm(),
        tracker(
            uid, text=text, intent="inform",
            slots={**slots, requested: text, "requested_slot": requested},
            latest_action="identity_form", active_loop="identity_form",
        ),
    )  # fmt: skip
    return slots_of(events), [m.get("response") for m in messages]


def test_a_date_of_birth_said_first_is_checked_once_the_name_is_said(demo, sqlite_url):
    uid = conversation(sqlite_url, demo.practice_id, demo.english_demo.phone)
    slots, said = _form(uid, {"patient_dob": "3/3/82"}, "3/3/82", "patient_dob")
    assert slots == {"patient_dob": "3/3/82"} and said == []  # kept: the name is asked next
    slots, said = _form(uid, {"patient_dob": "3/3/82"}, "Maria Lopez", "patient_name")
    assert slots["verified"] is True and said == ["utter_identity_verified"]


def test_a_wrong_date_said_first_is_no_match_once_the_name_is_said(demo, sqlite_url):
    uid = conversation(sqlite_url, demo.practice_id, demo.english_demo.phone)
    slots, said = _form(uid, {"patient_dob": "1/1/1990"}, "Maria Lopez", "patient_name")
    assert not slots.get("verified") and said == ["utter_identity_no_match"]


def _name(uid: str, said: str, before: list[str] = ()) -> tuple[dict, list]:
    """The name answer `said`, after the name answers `before` (each to the name question)."""
    track = tracker(
        uid, text=said, intent="inform", latest_action="identity_form",
        active_loop="identity_form",
        slots={"patient_name": said, "requested_slot": "patient_name"},
    )  # fmt: skip
    earlier: list[dict] = []
    for answer in before:
        earlier += [{"event": "slot", "name": "requested_slot", "value": "patient_name"},
                    {"event": "user", "text": answer}]  # fmt: skip
    track.events[0:0] = [*earlier, {"event": "slot", "name": "requested_slot",
                                    "value": "patient_name"}]  # fmt: skip
    events, messages = run(ValidateIdentityForm(), track)
    return slots_of(events), [m.get("response") for m in messages]


@pytest.mark.parametrize(
    "said", ["Maria Lopez, 3/3/1982", "maria lopez march third nineteen eighty two",
             "Lopez, Maria - born 03/03/82"],
)  # fmt: skip
def test_the_date_of_birth_said_with_the_name_is_not_asked_again(demo, sqlite_url, said):
    uid = conversation(sqlite_url, demo.practice_id, demo.english_demo.phone)
    slots, messages = _name(uid, said)
    assert slots["verified"] is True and messages == ["utter_identity_verified"]


def test_the_first_name_then_the_last_name_asked_for(demo, sqlite_url):
    uid = conversation(sqlite_url, demo.practice_id, demo.english_demo.phone)
    slots, messages = _name(uid, "Maria")
    assert slots["patient_name"] is None and messages == ["utter_need_full_name"]
    slots, messages = _name(uid, "Lopez", before=["Maria"])
    assert slots["patient_name"] == "Maria Lopez" and messages == []


def test_a_request_before_is_no_first_name(demo, sqlite_url):
    uid = conversation(sqlite_url, demo.practice_id, demo.english_demo.phone)
    slots, messages = _name(uid, "Lopez", before=["cancel"])
    assert slots["patient_name"] is None and messages == ["utter_need_full_name"]
