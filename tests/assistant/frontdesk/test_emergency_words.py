"""Emergency words read in their sentence (issue "conversations that recover", class 6): an
accident ("I hurt myself at the gym") is an injury to book a visit for, never the 911 line;
hurting oneself said with an intent, or alone, stays an emergency (recall first)."""

from __future__ import annotations

import pytest

from assistant.frontdesk.emergency import is_emergency


@pytest.mark.parametrize(
    "said",
    [
        "I hurt myself at the gym yesterday, can I get an appointment to have it looked at?",
        "hurt myself working out, my knee is still sore",
        "yeah hi i kinda hurt myself playing basketball last weekend can i come in",
        "I fell and hurt myself on the stairs, wrist is swollen. Can I book a visit?",
        "I cut myself cooking, can the nurse look at it",
        "hurt myself lifting boxes at work, need to see someone this week",
        "me lastimé en el gimnasio y me duele el hombro",
        "me hice daño en la espalda en el trabajo",
        "i twisted my ankle",
        "hurt myself on the monkey bars with my son, can someone see me",
        "uh i sort of hurt myself at bowling can i get an appointment",
        "i hurt myself doing lunges, can i take tylenol",
        "I cut myself on a broken glass at work",
    ],
)
def test_an_accident_is_not_an_emergency(said):
    assert not is_emergency(said)


@pytest.mark.parametrize(
    "said",
    [
        "I want to hurt myself",
        "i keep thinking i want to hurt myself",
        "I keep hurting myself",
        "i think i might hurt myself",
        "I'm going to hurt myself",
        "I'll hurt myself",
        "I've been hurting myself",
        "I hurt myself on purpose",
        "i hurt myself again",
        "i hurt myself",
        "I cut myself",
        "I cut myself on my arm",
        "i cut myself on the wrist",
        "i hurt myself at home last night",
        "i hurt myself with a knife",
        "i am thinking about hurting myself at the gym",
        "I cut myself shaving and it won't stop bleeding",
        "I want to harm myself",
        "tengo ganas de hacerme daño",
        "quiero lastimarme",
        "me quiero hacer daño",
        "me voy a lastimar",
        "I was at the gym and now I have chest pain",
        "my mom fell and now she's unconscious",
    ],
)
def test_hurting_oneself_with_an_intent_or_alone_stays_an_emergency(said):
    assert is_emergency(said)


@pytest.mark.parametrize(
    "said",
    [
        "i have the worst headache of my life and it came on all of a sudden",
        "tengo el peor dolor de cabeza de mi vida, quiero una cita",
        "my husband's face is drooping and he's slurring his words",
        "mi mamá tiene la cara caída y no puede mover el brazo",
        "my throat is closing after I ate shrimp",
        "he's coughing up blood",
    ],
)
def test_stroke_airway_and_bleeding_red_flags_are_emergencies(said):
    """Said in any turn (mid-booking too), whatever the classifier heard: 911 at once."""
    assert is_emergency(said)


@pytest.mark.parametrize(
    "said",
    ["I have a headache, can I get seen this week", "me duele la cabeza desde ayer",
     "can't talk right now, text me", "my arm is sore after the shot"],
)  # fmt: skip
def test_ordinary_aches_are_not_red_flags(said):
    assert not is_emergency(said)
