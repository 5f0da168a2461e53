"""The Rasa component `IntroductionMasker` (no trained model): the classifier reads the
request without "this is <name>, born <date>"; the message text is unchanged."""

from __future__ import annotations

import pytest
from rasa.nlu.constants import TOKENS_NAMES
from rasa.nlu.tokenizers.whitespace_tokenizer import WhitespaceTokenizer
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.message import Message

from nlu.components.introduction_masker import mask


def _read(text: str) -> list[str]:
    message = Message(data={TEXT: text})
    WhitespaceTokenizer(WhitespaceTokenizer.get_default_config()).process([message])
    mask(message)
    assert message.get(TEXT) == text
    return [t.text for t in message.get(TOKENS_NAMES[TEXT])]


@pytest.mark.parametrize(
    ("said", "read"),
    [
        ("hi this is Maria Lopez born 3/3/82, I need to cancel my appointment",
         "hi I need to cancel my appointment"),
        ("Hola, soy José Hernández, nací el 15/07/1975, quiero cancelar mi cita",
         "Hola quiero cancelar mi cita"),
        ("Maria Lopez 03-03-1982 just confirming my appointment", "just confirming my appointment"),
    ],
)  # fmt: skip
def test_the_introduction_is_left_out(said, read):
    assert " ".join(_read(said)) == read


@pytest.mark.parametrize(
    "said", ["my name is Maria Lopez", "Maria Lopez, 3/3/82", "I need to cancel my appointment"]
)
def test_an_answer_or_a_request_alone_keeps_every_token(said):
    assert len(_read(said)) == len(said.replace(",", "").split())
