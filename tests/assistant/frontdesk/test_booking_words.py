"""Understanding the answers of the booking form: types, providers, phones, reasons, names."""

from __future__ import annotations

import pytest

from assistant.frontdesk.booking import (
    CALLER,
    named_provider,
    patient_status,
    phone_from,
    pick_provider,
    pick_type,
    reason_category,
    split_name,
)

TYPES = [
    {"id": 1, "code": "new_patient", "name": "New patient visit"},
    {"id": 4, "code": "sick_visit", "name": "Sick visit"},
    {"id": 6, "code": "telehealth", "name": "Telehealth visit"},
]
PROVIDERS = [
    {"id": 1, "name": "Dr. Chen", "words": ["sarah", "chen"]},
    {"id": 3, "name": "Emily Park, NP", "words": ["emily", "park"]},
]


@pytest.mark.parametrize(
    ("said", "code"),
    [
        ("the second one", "sick_visit"),
        ("3", "telehealth"),
        ("I think I have the flu", "sick_visit"),
        ("a video visit please", "telehealth"),
        ("consulta por enfermedad", "sick_visit"),
        ("I'm a new patient", "new_patient"),
        ("something", None),
    ],
)
def test_pick_type(said, code):
    found = pick_type(said, TYPES)
    assert (found or {}).get("code") == code


@pytest.mark.parametrize(
    ("said", "expected"),
    [
        ("Dr. Chen please", 1),
        ("emily", 3),
        ("the second one", 3),
        ("anyone is fine", "any"),
        ("no preference", "any"),
        ("me da igual", "any"),
        ("cualquiera", "any"),
        ("Dr. Smith", None),
    ],
)
def test_pick_provider(said, expected):
    found = pick_provider(said, PROVIDERS)
    assert (found["id"] if isinstance(found, dict) else found) == expected


def test_phone_from():
    """Keeping the caller's number gives a marker: the number itself never enters the dialogue."""
    assert phone_from("yes", True, True) == CALLER
    assert phone_from("this number is fine", True, None) == CALLER
    assert phone_from("yes", False, True) is None  # no caller ID: ask for the number
    assert phone_from("call me at 856-555-0199 instead", True, None) == "+18565550199"
    assert phone_from("1 (609) 555 0100", False, None) == "+16095550100"
    assert phone_from("maybe", True, None) is None


def test_reason_category_never_keeps_the_words():
    assert reason_category("I've had a bad cough for a week") == "illness"
    assert reason_category("a rash on my arm") == "illness"  # a sick visit, not dermatology
    assert reason_category("a mole on my arm") == "skin"
    assert reason_category("I need a new primary care doctor, just a check up") == "check-up"
    assert reason_category("tengo la presion alta") == "ongoing condition"
    assert reason_category("personal") == "other"


def test_split_name_keeps_the_spelling():
    assert split_name("my name is Priya Shah") == ("Priya", "Shah")
    assert split_name("soy José Hernández López") == ("José", "Hernández López")
    assert split_name("kevin oconnor") == ("Kevin", "Oconnor")


@pytest.mark.parametrize(
    ("said", "intent", "status"),
    [
        ("yes I've been there before", "inform", "existing"),
        ("yes", "affirm", "existing"),
        ("no", "deny", "new"),
        ("I'm a new patient", "inform", "new"),
        ("no I've never been there", "inform", "new"),
        ("ya soy paciente", "inform", "existing"),
        ("soy paciente nuevo", "inform", "new"),
        ("hmm", "inform", None),
    ],
)
def test_patient_status(said, intent, status):
    assert patient_status(said, intent) == status


WORKING = [
    {"id": 1, "name": "Dr. Chen", "words": ["sarah", "chen"], "places": ["main street office"]},
    {"id": 2, "name": "Dr. Okafor", "words": ["michael", "okafor"],
     "places": ["main street office", "oak park dermatology center"]},
    {"id": 3, "name": "Emily Park, NP", "words": ["emily", "park"],
     "places": ["main street office"]},
]  # fmt: skip


@pytest.mark.parametrize(
    ("said", "who"),
    [
        ("a follow up with doctor Okafor on a Tuesday (he's at the Oak Park office on Tuesdays,"
         " right?)", 2),
        ("with Dr. Okafor at Oak Park please", 2),
        ("quiero seguimiento con el doctor Okafor en Oak Park, el martes", 2),
        ("can I see Emily Park thursday", 3),
        ("NP Park, at oak park dermatology center", 3),
        ("anything at the Oak Park office", None),
        ("Chen or Okafor, either", None),
    ],
)  # fmt: skip
def test_named_provider_is_not_the_place_they_work(said, who):
    found = named_provider(said, WORKING)
    assert (found or {}).get("id") == who
