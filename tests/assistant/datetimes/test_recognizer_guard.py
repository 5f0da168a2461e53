"""The recognizer's pre-filter may skip a message only when the recognizer would find nothing."""

from __future__ import annotations

import json
import random
import re
from datetime import datetime

import pytest
import yaml

from assistant.config import PROJECT_ROOT
from assistant.datetimes import recognizer

REFERENCE = datetime(2026, 3, 4, 10, 0)
SHARED = PROJECT_ROOT.parent / "shared" / "data"
_ANNOTATION = re.compile(r"\[([^\]]*)\](?:\([^)]*\)|\{[^}]*\})")


def _nlu_texts() -> list[str]:
    files = [*sorted((PROJECT_ROOT / "nlu" / "data").glob("*.yml"))]
    files.append(PROJECT_ROOT / "nlu" / "tests" / "heldout.yml")
    texts = []
    for path in files:
        for block in yaml.safe_load(path.read_text()).get("nlu", []):
            for line in (block.get("examples") or "").splitlines():
                if line.strip().startswith("- "):
                    texts.append(_ANNOTATION.sub(r"\1", line.strip()[2:]))
    return texts


def _shared_texts() -> list[str]:
    texts = []
    for name in ("sgd_medical_dev.jsonl", "star_doctor.jsonl", "clinc150_relevant.jsonl"):
        path = SHARED / name
        if path.exists():
            for line in path.read_text().splitlines():
                row = json.loads(line)
                texts.append(row.get("utterance") or row.get("text") or "")
    return [t for t in texts if t]


@pytest.mark.parametrize(
    "text",
    ["tomorrow", "next tue", "the 15th", "in two weeks", "first thing monday", "dos y media"],
)
def test_date_words_pass_the_filter(text: str) -> None:
    assert recognizer.may_hold_a_date(text)


@pytest.mark.parametrize("text", ["yes", "my name is laura king", "si claro", "agent please"])
def test_plain_messages_skip_the_recognizer(text: str) -> None:
    assert not recognizer.may_hold_a_date(text)


@pytest.mark.parametrize("language", ["en", "es"])
def test_skipped_messages_hold_nothing_the_recognizer_would_find(
    language: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """On a fixed sample of real messages the filter skips, the recognizer finds no date."""
    skipped = [t.lower() for t in _nlu_texts() + _shared_texts()]
    skipped = [t for t in skipped if not recognizer.may_hold_a_date(t)]
    sample = random.Random(7).sample(skipped, min(300, len(skipped)))
    assert len(sample) >= 100
    monkeypatch.setattr(recognizer, "may_hold_a_date", lambda text: True)
    found = {t: recognizer.recognize(t, language, REFERENCE) for t in sample}
    assert {t: hits for t, hits in found.items() if hits} == {}
