"""Requests as patients text them, written out before the rules read them: shorthand and typos
of request words; names, real words near the vocabulary and other languages' words kept."""

from __future__ import annotations

import pytest

from assistant.frontdesk.respelling import nearest, respelled


@pytest.mark.parametrize(
    ("said", "language", "written"),
    [
        ("cn u move my appt to latr", "en", "can you move my appointment to later"),
        ("wat r ur hrs", "en", "what are your hours"),
        ("is ther parkng", "en", "is there parking"),
        ("need to cancl my apointment", "en", "need to cancel my appointment"),
        ("pls push it to the wk after in the aftrnoon", "en",
         "please push it to the week after in the afternoon"),
        ("anything earleir?", "en", "anything earlier?"),
        ("kiero cambiar mi sita", "es", "quiero cambiar mi cita"),
        ("nesesito saber el horaro", "es", "necesito saber el horario"),
        ("cual es la direcion", "es", "cual es la direccion"),
        ("me la pasan pa la semana sigiente x la tarde", "es",
         "me la pasan para la semana siguiente por la tarde"),
    ],
)  # fmt: skip
def test_shorthand_and_typos_are_written_out(said, language, written):
    assert respelled(said, language) == written


@pytest.mark.parametrize(
    ("said", "language"),
    [
        ("I have cancer and need to talk to the doctor", "en"),  # not "cancel"
        ("packing for a trip, can I come earlier", "en"),  # not "parking"
        ("in mourning, please cancel", "en"),
        ("my name is Parkin Lopez", "en"),  # a name inside a sentence
        ("necesito ayudas con mi cita", "es"),  # not "ayunas"
        ("cual es la direccion", "en"),  # a Spanish word in an English conversation
        ("Maria N Lopez", "en"),  # an initial, not "and"
        ("I'd like the earliest one", "en"),
        ("necesito una cita para una x-ray", "es"),  # not "por-ray"
        ("mi e-mail es ana.d@example.com", "es"),
    ],
)
def test_real_words_names_and_other_languages_are_kept(said, language):
    assert respelled(said, language) == said


def test_only_one_nearest_word():
    assert nearest("confirmng") == "confirming"
    assert nearest("cancela") is None  # as near "cancel" as "cancelar": left alone
    assert nearest("door") is None  # short words: shorthand only
