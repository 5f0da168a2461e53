"""bench/conversations_unseen, _fresh, _third, _fourth, _fifth and _sixth are evaluation sets: they
must never become training data.

No patient turn of it may appear as an NLU training example (case-insensitive, whitespace
collapsed, entity annotations removed from the examples), and it keeps its size and its mix of
channels and languages. Fast: YAML only, no Rasa.

The one exception: short answers to the assistant's questions (a later turn of at most
SHORT_ANSWER_WORDS words: "yes", "sí", "the first one", "Maria Lopez", "3/3/82") are what every
conversation says, so they may also be training examples; a keypad press ("1") likewise. Every
request (the first turn) and every longer answer must be unseen.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
UNSEEN = ROOT / "bench" / "conversations_unseen"
FRESH = ROOT / "bench" / "conversations_fresh"  # a second held-out set, written 2026-12-07
THIRD = ROOT / "bench" / "conversations_third"  # a third, written in the fourth session
FOURTH = ROOT / "bench" / "conversations_fourth"  # a fourth, written in the fifth session
FIFTH = ROOT / "bench" / "conversations_fifth"  # a fifth, written in the sixth session
SIXTH = ROOT / "bench" / "conversations_sixth"  # a sixth, written blind in the seventh session
NLU_DATA = ROOT / "nlu" / "data"
SHORT_ANSWER_WORDS = 5

# [Maria Lopez](person) or [Maria Lopez]{"entity": "person"} -> Maria Lopez
_ANNOTATION = re.compile(r"\[([^\]]*)\](?:\([^)]*\)|\{[^}]*\})")


def _normal(text: Any) -> str:
    return " ".join(_ANNOTATION.sub(r"\1", str(text)).split()).casefold()


def _conversations(folder: Path = UNSEEN) -> list[dict[str, Any]]:
    found = []
    for path in sorted(folder.glob("*.yml")):
        found.extend(yaml.safe_load(path.read_text(encoding="utf-8")) or [])
    return found


def _examples(node: Any) -> Iterator[str]:
    """Every training example in a parsed Rasa YAML file: `examples` blocks ("- text" lines or
    a list of texts / {text: ...}) and `user` turns of end-to-end stories."""
    if isinstance(node, list):
        for item in node:
            yield from _examples(item)
    elif isinstance(node, dict):
        for key, value in node.items():
            if key == "examples" and isinstance(value, str):
                for line in value.splitlines():
                    line = line.strip()
                    if line.startswith("- "):
                        yield line[2:]
            elif key == "examples" and isinstance(value, list):
                for item in value:
                    yield item.get("text", "") if isinstance(item, dict) else str(item)
            elif key == "user" and isinstance(value, str):
                yield value
            else:
                yield from _examples(value)


def _training_examples() -> set[str]:
    examples: set[str] = set()
    for path in sorted([*NLU_DATA.rglob("*.yml"), *NLU_DATA.rglob("*.yaml")]):
        for document in yaml.safe_load_all(path.read_text(encoding="utf-8")):
            examples.update(_normal(text) for text in _examples(document))
    examples.discard("")
    return examples


CONVERSATIONS = _conversations()
HELD_OUT = [  # every held-out one
    *CONVERSATIONS,
    *_conversations(FRESH),
    *_conversations(THIRD),
    *_conversations(FOURTH),
    *_conversations(FIFTH),
    *_conversations(SIXTH),
]


# Replies whose meaning the reminder and opt-out contract fixes (tests/nlu/test_training_data.py
# keeps them as training examples): "cancel my appointment" is a cancellation, "cancel" an opt-out.
CONTRACT_REPLIES = frozenset({"cancel my appointment"})


def _must_be_unseen(index: int, turn: str, spec: dict[str, Any] | None = None) -> bool:
    if turn.strip().isdigit():  # a keypad press
        return False
    if _normal(turn).strip(" .!?") in CONTRACT_REPLIES:
        return False
    # a reply to a reminder ("Yes I'll be there") answers the reminder's question
    answers = index > 0 or (spec is not None and spec["id"].startswith("reminder-"))
    return not answers or len(turn.split()) > SHORT_ANSWER_WORDS


def test_no_unseen_turn_is_a_training_example():
    training = _training_examples()
    assert training, f"no NLU training examples found under {NLU_DATA}"
    leaked = sorted(
        {
            f"{spec['id']}: {turn}"
            for spec in HELD_OUT
            for index, turn in enumerate(spec["turns"])
            if _must_be_unseen(index, turn, spec) and _normal(turn) in training
        }
    )
    assert not leaked, "turns of the unseen set found in nlu/data (keep them out):\n" + "\n".join(
        leaked
    )


def test_the_unseen_set_keeps_its_size_and_mix():
    n = len(CONVERSATIONS)
    assert n >= 200
    voice = sum(spec.get("channel", "sms") == "voice" for spec in CONVERSATIONS)
    spanish = sum(spec.get("language", "en") == "es" for spec in CONVERSATIONS)
    assert voice / n >= 0.30, f"voice {voice}/{n}"
    assert spanish / n >= 0.25, f"Spanish {spanish}/{n}"
    assert sum(spec["id"].startswith("compound-") for spec in CONVERSATIONS) >= 60


@pytest.mark.parametrize("spec", CONVERSATIONS, ids=lambda spec: spec["id"])
def test_each_conversation_is_well_formed(spec):
    kind, language, channel = spec["id"].split("-")[:3]
    assert (language, channel) == (spec.get("language", "en"), spec.get("channel", "sms"))
    assert kind and spec["turns"] and spec["expect"]
    assert all(isinstance(turn, str) and turn.strip() for turn in spec["turns"]), (
        'quote turns like "yes" (YAML reads a bool) and numbers'
    )
    if spec.get("patient") == "new":
        assert {"first", "last", "dob", "phone"} <= set(spec["setup"]["new_patient"])


def test_ids_are_unique():
    ids = [spec["id"] for spec in HELD_OUT]
    assert len(ids) == len(set(ids))
