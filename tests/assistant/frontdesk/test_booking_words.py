"""Understanding the answers of the booking form: types, providers, phones, reasons, names."""

from __future__ import annotations

import pytest

from assistant.frontdesk.booking import (
    CALLER,
    any_time,
    clean_name,
    name_and_birth,
    named_provider,
    patient_status,
    phone_from,
    pick_provider,
    pick_type,
    reason_category,
    split_name,
    type_for_request,
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


ESTABLISHED = [
    {"id": 2, "code": "follow_up", "name": "Follow-up visit"},
    {"id": 3, "code": "annual_physical", "name": "Annual physical"},
    {"id": 4, "code": "sick_visit", "name": "Sick visit"},
    {"id": 6, "code": "telehealth", "name": "Telehealth visit"},
]
NEW = [
    {"id": 1, "code": "new_patient", "name": "New patient visit"},
    {"id": 4, "code": "sick_visit", "name": "Sick visit"},
]


@pytest.mark.parametrize(
    ("said", "established", "new"),
    [
        # symptoms, an injury, a rash: a sick visit, whoever asks
        ("I've had a fever since Saturday", "sick_visit", "sick_visit"),
        ("bad cough, can I come in", "sick_visit", "sick_visit"),
        ("i think i have the flu", "sick_visit", "sick_visit"),
        ("really sore throat, hurts to swallow", "sick_visit", "sick_visit"),
        ("an itchy rash on my neck", "sick_visit", "sick_visit"),
        ("I sprained my wrist this morning", "sick_visit", "sick_visit"),
        ("rolled my ankle playing soccer", "sick_visit", "sick_visit"),
        ("my lower back has been killing me", "sick_visit", "sick_visit"),
        ("threw out my back lifting boxes", "sick_visit", "sick_visit"),
        ("i think i broke my toe", "sick_visit", "sick_visit"),
        ("tengo gripa y me duele la garganta", "sick_visit", "sick_visit"),
        ("estoy muy resfriada y con dolor de cabeza", "sick_visit", "sick_visit"),
        ("me torcí el tobillo", "sick_visit", "sick_visit"),
        ("me lastimé la rodilla en el trabajo", "sick_visit", "sick_visit"),
        ("new patient here, I have a rash on my legs", "sick_visit", "sick_visit"),
        # a yearly physical: the first visit for a new patient
        ("my yearly physical", "annual_physical", "new_patient"),
        ("I'll take an annual checkup", "annual_physical", "new_patient"),
        ("quiero mi chequeo anual", "annual_physical", "new_patient"),
        # video: a telehealth visit (not offered to a new patient: the reason decides then)
        ("a video visit, I have the flu", "telehealth", "sick_visit"),
        ("a virtual appointment with Dr. Chen", "telehealth", None),
        ("una consulta en linea", "telehealth", None),
        # a follow-up is a follow-up, whatever it is about
        ("a follow up for my cough", "follow_up", "sick_visit"),
        ("necesito una cita de seguimiento", "follow_up", None),
    ],
)  # fmt: skip
def test_the_reason_said_picks_the_visit(said, established, new):
    assert (type_for_request(said, ESTABLISHED) or {}).get("code") == established
    assert (type_for_request(said, NEW) or {}).get("code") == new


@pytest.mark.parametrize(
    ("said", "category"),
    [
        ("a mole on my back that changed color", "skin"),
        ("I'd like to see someone about my acne", "skin"),
        ("tengo un lunar que me preocupa", "skin"),
        ("a skin rash", "illness"),
        ("I twisted my knee", "injury"),
        ("i'll be there", "other"),  # "i'll" is no "ill"
    ],
)
def test_reason_categories(said, category):
    assert reason_category(said) == category


@pytest.mark.parametrize(
    ("said", "who"),
    [
        ("can I see the nurse practitioner for a follow up", 3),
        ("with the NP on tuesday", 3),
        ("con la enfermera practicante", 3),
        ("the physician assistant in dermatology please", 5),
        ("quiero ver al asistente medico", 5),
        ("np thanks", None),  # texting shorthand, not a provider
        ("the doctor please", None),
    ],
)
def test_a_provider_asked_for_by_title(said, who):
    providers = [
        {"id": 1, "words": ["sarah", "chen"], "title": "Dr."},
        {"id": 3, "words": ["emily", "park"], "title": "NP"},
        {"id": 5, "words": ["daniel", "brooks"], "title": "PA-C"},
    ]
    assert (named_provider(said, providers) or {}).get("id") == who


@pytest.mark.parametrize(
    ("said", "name"),
    [
        ("his name is Mateo Lopez", "Mateo Lopez"),
        ("it's for my son Caleb Novak", "Caleb Novak"),
        ("se llama Camila Hernández", "Camila Hernández"),
        ("mi hija es Valeria Ruiz", "Valeria Ruiz"),
        ("Maria De La Cruz", "Maria De La Cruz"),
    ],
)
def test_clean_name(said, name):
    assert clean_name(said) == name


@pytest.mark.parametrize(
    ("said", "language", "found"),
    [
        ("Tessa Lindqvist, 04/29/1989", "en", ("Tessa Lindqvist", "04/29/1989")),
        ("maria lopez march third nineteen eighty two", "en",
         ("maria lopez", "march third nineteen eighty two")),
        ("Maria De La Cruz 3/3/82", "en", ("Maria De La Cruz", "3/3/82")),
        ("Ana Ruiz, DOB 03/03/1982", "en", ("Ana Ruiz", "03/03/1982")),
        ("Sunday Adeyemi, born the 3rd of May 1980", "en", ("Sunday Adeyemi", "3rd of May 1980")),
        ("mateo rivas cuatro de mayo de dos mil dieciseis", "es",
         ("mateo rivas", "cuatro de mayo de dos mil dieciseis")),
        ("April May", "en", None),
        ("Maria Lopez", "en", None),
    ],
)  # fmt: skip
def test_a_name_and_a_date_of_birth_in_one_answer(said, language, found):
    assert name_and_birth(said, language) == found


@pytest.mark.parametrize(
    ("said", "anything"),
    [
        ("whenever, any time is fine", True),
        ("doesn't matter", True),
        ("cualquier dia me queda bien", True),
        ("me da igual", True),
        ("the second one", False),
        ("next week", False),
    ],
)
def test_any_of_the_times_will_do(said, anything):
    assert any_time(said) is anything
