"""What a message's words ask for when the classifier heard something else (issues 16 and 17):
the department they name, a medicine question for the nurse, a move said as "shift", a family
member's name and date of birth said in one go."""

from __future__ import annotations

import pytest

from dialogues.actions.compound import a_message_not_a_task, asks_the_nurse, moves, task_in
from dialogues.actions.details import someone_said
from dialogues.actions.routing import by_words, says_only_who
from tests.factories.dialogues import tracker

RECORDS = "request_medical_records"


@pytest.mark.parametrize(
    ("heard", "said", "department"),
    [
        ("prescription_refill", "can you fax my chart to the physical therapist", RECORDS),
        ("billing_question", "please send my records to my new cardiologist", RECORDS),
        ("prescription_refill", "my pharmacy never got the refill", "prescription_refill"),
        ("lab_results", "are my results back yet", "lab_results"),
    ],
)  # fmt: skip
def test_the_department_the_words_name(heard: str, said: str, department: str) -> None:
    assert by_words(heard, said) == department


@pytest.mark.parametrize(
    "said",
    [
        "me hace falta un referido para el dermatologo",
        "ocupo que me refieran con un especialista del corazon",
    ],
)
def test_a_spanish_referral_is_a_message_not_a_booking(said: str) -> None:
    assert a_message_not_a_task(said)


@pytest.mark.parametrize(
    "said",
    [
        "i'm nursing, is it safe to take benadryl",
        "is it ok for him to take motrin with his antibiotic",
        "estoy embarazada, es seguro tomar paracetamol",
    ],
)
def test_whether_a_medicine_is_safe_asks_the_nurse(said: str) -> None:
    assert asks_the_nurse(said)


@pytest.mark.parametrize(
    "said", ["is it okay to take the 4 pm one", "fine to take my appointment friday then"]
)
def test_taking_a_time_is_no_medicine_question(said: str) -> None:
    assert not asks_the_nurse(said)


@pytest.mark.parametrize(
    "said",
    [
        "could you shift my appointment to the morning",
        "need to shift it to next week",
        "can we switch the appointment to friday",
    ],
)
def test_shifting_a_visit_is_a_move(said: str) -> None:
    assert moves(said)
    assert task_in(said) == "reschedule"


def test_i_work_the_night_shift_is_no_move() -> None:
    assert not moves("i work the night shift, can i book a visit")


@pytest.mark.parametrize(
    ("said", "name", "dob"),
    [
        ("need a visit for my wife, she's new here. Lena Park 11/30/1984, a checkup", "Lena Park",
         "11/30/1984"),
        ("cita para mi esposo Raul Soto 2/8/1979 por dolor de espalda", "Raul Soto", "2/8/1979"),
    ],
)  # fmt: skip
def test_a_name_followed_by_a_date_in_digits(said: str, name: str, dob: str) -> None:
    found = someone_said(said, "en")
    assert found is not None
    assert found[:2] == (name, dob)
    assert dob not in found[2]


def test_a_medicine_question_heard_for_the_nurse_stays_the_nurses() -> None:
    said = "una pregunta, me puedo tomar un naproxeno con la medicina del azucar?"
    assert by_words("care_question", said) == "care_question"


@pytest.mark.parametrize(
    "said",
    ["it's Ottilie Brandt born the second of May nineteen ninety", "Ottilie Brandt, 5/2/1990"],
)
def test_who_they_are_after_a_message_is_no_new_request(said: str) -> None:
    assert says_only_who(said, tracker("any"))


def test_a_request_with_a_date_is_more_than_who() -> None:
    assert not says_only_who("may I come in on May 2 1990", tracker("any"))
