"""Answers as people type and speak them: a stretched yes or no, a question about the office
asked mid-task without a question mark, symptoms listed as absent, a child into the medicine
cabinet."""

from __future__ import annotations

import pytest

from assistant.frontdesk.emergency import is_emergency
from assistant.frontdesk.short_answers import question_topic, strict_no, strict_yes, yes_no
from assistant.frontdesk.subject import change_of_subject


@pytest.mark.parametrize("said", ["yesss", "Siii", "okk", "yeees please", "siii claro", "yup"])
def test_a_stretched_yes_is_a_yes(said):
    assert strict_yes(said) and yes_no(said) is True


@pytest.mark.parametrize("said", ["nooo", "Noo gracias", "nope"])
def test_a_stretched_no_is_a_no(said):
    assert strict_no(said) and yes_no(said) is False


@pytest.mark.parametrize("said", ["book", "noon", "too", "see", "soon"])
def test_other_doubled_letters_are_no_answer(said):
    assert yes_no(said) is None and not strict_yes(said)


@pytest.mark.parametrize(
    "said",
    [
        "sorry is it the tall building on Main Street what's the suite",
        "and at what time do you close on fridays",
        "oye y en qué piso quedan ustedes",
        "oiga una cosa dónde puedo parquear el carro",
        "before I pick, is there a parking garage",
        "de qué hora a qué hora abren",
    ],
)
def test_office_questions_mid_task(said):
    assert question_topic(said) == "office"


@pytest.mark.parametrize(
    "said",
    ["the second one", "Main Street office please", "the one at Main Street", "Oak Park is fine"],
)
def test_answers_naming_a_place_are_no_question(said):
    assert question_topic(said) is None


@pytest.mark.parametrize(
    "said",
    [
        "started the new antibiotic and got hives, no trouble breathing, should I keep taking it",
        "no chest pain or trouble breathing, just a cough that won't quit",
        "mi hijo tiene fiebre, sin dolor de pecho, le doy algo?",
        "no tengo dolor en el pecho pero me mareo con la pastilla nueva",
    ],
)
def test_symptoms_listed_as_absent_are_no_emergency(said):
    assert not is_emergency(said)


@pytest.mark.parametrize(
    "said",
    [
        "I have chest pain",
        "no, chest pain and my arm is numb",
        "oh no chest pain again",
        "no fever but trouble breathing since this morning",
        "no fever or trouble breathing, wait yes trouble breathing now",
        "no no puedo respirar bien",
        "he's not breathing",
        "no seizure today, he had a seizure an hour ago",
        "my son got into my blood thinner pills, not sure how many",
        "the baby ate some of the dishwasher pods",
        "sliced my thumb, the bleeding wont stop",
        "mi niña se tragó unas pastillas de la abuela",
        "the chest pain is gone now, I don't have it anymore, but should I still come in",
        "ya no tengo el dolor de pecho de anoche",
    ],
)
def test_emergencies_stay_emergencies(said):
    assert is_emergency(said)


@pytest.mark.parametrize(
    ("said", "kind"),
    [
        ("y oiga dónde se deja el carro, hay parqueo", None),  # an office question, answered
        ("is there a parking garage or street parking", None),
        ("where's the closest ER from you", "emergency"),
        ("is there parking, my dad just collapsed", "emergency"),
        ("help", "emergency"),
    ],
)
def test_an_office_question_heard_as_an_emergency_is_answered_in_place(said, kind):
    assert change_of_subject(said, "medical_emergency", "date") == kind
