"""Evaluation data: the held-out split, mapped SGD dev turns and CLINC150 out-of-scope rows."""

from __future__ import annotations

import json
import os
import random
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

# The intent names are a contract with the dialogue layer: keep them exactly.
CONTRACT_INTENTS: tuple[str, ...] = (
    "greet",
    "goodbye",
    "thank",
    "affirm",
    "deny",
    "confirm_appointment",
    "cancel_appointment",
    "reschedule_appointment",
    "book_appointment",
    "check_appointment",
    "request_human",
    "billing_question",
    "prescription_refill",
    "lab_results",
    "office_info",
    "medical_emergency",
    "opt_out",
    "running_late",
    "inform",
    "out_of_scope",
    "care_question",
)

# What Rasa's FallbackClassifier predicts below its threshold; scored as out_of_scope.
FALLBACK_INTENT = "nlu_fallback"

# SGD dialogue acts that map to one of our intents. INFORM_INTENT maps only with these values.
SGD_ACT_INTENTS = {
    "AFFIRM": "affirm",
    "NEGATE": "deny",
    "THANK_YOU": "thank",
    "GOODBYE": "goodbye",
}
SGD_INFORM_INTENT_VALUES = {"BookAppointment": "book_appointment"}

# CLINC150 splits of the out-of-scope class kept for evaluation. Its "oos_train" rows are
# source material for nlu/data/out_of_scope.yml, so they are not scored.
CLINC_OOS_EVAL_SPLITS = ("oos_val", "oos_test")


@dataclass(frozen=True)
class Example:
    text: str
    intent: str


def repo_root() -> Path:
    return Path(__file__).resolve().parents[2]


def shared_data_dir() -> Path:
    env = os.environ.get("SHARED_DATA_DIR")
    if env:
        return Path(env)
    return repo_root().parent / "shared" / "data"


def default_heldout_path() -> Path:
    return repo_root() / "nlu" / "tests" / "heldout.yml"


def minor_injuries_path() -> Path:
    """Held-out accidents that are no emergency (the false-alarm set)."""
    return repo_root() / "nlu" / "tests" / "minor_injuries.yml"


def load_yaml_examples(path: str | Path) -> list[Example]:
    """Intent examples of a Rasa NLU YAML file or folder, in file order."""
    from rasa.shared.nlu.training_data.loading import load_data

    data = load_data(str(path))
    return [Example(m.get("text"), m.get("intent")) for m in data.intent_examples]


def heldout_examples(path: str | Path | None = None) -> list[Example]:
    return load_yaml_examples(path or default_heldout_path())


def _read_jsonl(path: Path) -> Iterable[dict]:
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            if line.strip():
                yield json.loads(line)


def sgd_intent(row: dict, any_other_acts: bool = False) -> str | None:
    """Our intent for an SGD user turn, or None when the turn does not map to exactly one.

    Each act is mapped on its own (AFFIRM, NEGATE, THANK_YOU, GOODBYE, INFORM_INTENT with value
    BookAppointment); a turn is kept when exactly one mappable act type occurs. By default every
    act of the turn must be of that type: "No, make it the 10th instead" (NEGATE + INFORM) or
    "Yes, what's their address?" (AFFIRM + REQUEST) carry a second request that our intents
    name differently. ``any_other_acts=True`` also keeps turns whose other acts are unmappable.
    """
    acts = row.get("user_acts")
    if not acts:
        return None
    labels: set[str] = set()
    unmapped = False
    for act in acts:
        name = act.get("act")
        if name in SGD_ACT_INTENTS:
            labels.add(SGD_ACT_INTENTS[name])
        elif name == "INFORM_INTENT":
            values = act.get("values") or []
            mapped = {SGD_INFORM_INTENT_VALUES.get(v) for v in values}
            if len(mapped) == 1 and None not in mapped:
                labels.add(mapped.pop())
            else:
                unmapped = True
        else:
            unmapped = True
    if len(labels) != 1 or (unmapped and not any_other_acts):
        return None
    return labels.pop()


def sgd_examples(path: Path | None = None, any_other_acts: bool = False) -> list[Example]:
    path = path or shared_data_dir() / "sgd_medical_dev.jsonl"
    examples = []
    for row in _read_jsonl(path):
        intent = sgd_intent(row, any_other_acts=any_other_acts)
        if intent:
            examples.append(Example(row["utterance"], intent))
    return examples


def clinc_oos_examples(
    path: Path | None = None, splits: Sequence[str] = CLINC_OOS_EVAL_SPLITS
) -> list[Example]:
    path = path or shared_data_dir() / "clinc150_relevant.jsonl"
    return [
        Example(row["text"], "out_of_scope")
        for row in _read_jsonl(path)
        if row.get("clinc_intent") == "oos" and row.get("split") in splits
    ]


T = TypeVar("T")


def sample_rows(rows: Sequence[T], n: int | None, name: str, seed: int = 13) -> list[T]:
    """A deterministic sample of ``n`` rows (all rows when ``n`` is None or not smaller).

    The seed is a string (hashed with SHA-512 by ``random``), so the sample does not depend on
    ``PYTHONHASHSEED``; the sample keeps the rows' original order.
    """
    if n is None or n >= len(rows):
        return list(rows)
    rng = random.Random(f"{seed}:{name}")
    picked = sorted(rng.sample(range(len(rows)), n))
    return [rows[i] for i in picked]
