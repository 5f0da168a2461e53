"""Rasa NLU component: the classifier reads the request, not the caller's introduction.

"hi this is Maria Lopez born 3/3/82, I need to cancel my appointment" was heard as a booking:
the name and the date of birth outweighed "cancel". Placed after the tokenizer, this drops the
tokens of the introduction (`assistant.identity.introduction`) so that the featurizers and the
intent classifier see "hi, I need to cancel my appointment". The message text is unchanged (the
dialogue still reads and verifies the name and date of birth). A message that is only an
introduction ("my name is Maria Lopez") keeps its tokens: answering "what is your name?" is
what it does. Training examples go through the same step.
"""

from __future__ import annotations

from typing import Any

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.constants import TOKENS_NAMES
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from assistant.identity.introduction import introduction
from nlu.components.datetime_extractor import guess_language

# The request must keep at least this many tokens for the introduction to be left out.
MIN_REQUEST_TOKENS = 2


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.MESSAGE_FEATURIZER], is_trainable=False)
class IntroductionMasker(GraphComponent):
    """Drops the tokens of "this is <name>, born <date>" from what the classifier reads."""

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        return {}

    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> IntroductionMasker:
        return cls()

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        self.process(training_data.training_examples)
        return training_data

    def process(self, messages: list[Message]) -> list[Message]:
        for message in messages:
            mask(message)
        return messages


def mask(message: Message) -> None:
    """Leave the introduction's tokens out of the message's text tokens (in place)."""
    text = message.get(TEXT)
    tokens = message.get(TOKENS_NAMES[TEXT])
    if not text or not tokens:
        return
    found = introduction(text, guess_language(text))
    if found is None:
        return
    kept = [t for t in tokens if not any(s <= t.start < e for s, e in found.spans)]
    if len(kept) >= MIN_REQUEST_TOKENS and len(kept) < len(tokens):
        message.set(TOKENS_NAMES[TEXT], kept)
