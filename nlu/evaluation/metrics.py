"""Classification metrics without numpy or scikit-learn (easy to test, same numbers)."""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field


@dataclass(frozen=True)
class IntentScore:
    intent: str
    precision: float
    recall: float
    f1: float
    support: int
    predicted: int


@dataclass
class ClassificationReport:
    scores: list[IntentScore]
    accuracy: float
    macro_f1: float
    n: int
    confusions: list[tuple[str, str, int]] = field(default_factory=list)

    def score(self, intent: str) -> IntentScore | None:
        return next((s for s in self.scores if s.intent == intent), None)

    def to_dict(self) -> dict:
        return {
            "n": self.n,
            "accuracy": round(self.accuracy, 4),
            "macro_f1": round(self.macro_f1, 4),
            "per_intent": {
                s.intent: {
                    "precision": round(s.precision, 4),
                    "recall": round(s.recall, 4),
                    "f1": round(s.f1, 4),
                    "support": s.support,
                    "predicted": s.predicted,
                }
                for s in self.scores
            },
            "confusions": [
                {"gold": gold, "predicted": pred, "count": count}
                for gold, pred, count in self.confusions
            ],
        }


def classify_report(
    gold: Sequence[str],
    predicted: Sequence[str],
    labels: Sequence[str] | None = None,
    top_confusions: int = 10,
) -> ClassificationReport:
    """Per-intent precision/recall/F1 and macro-F1 over ``labels``.

    ``labels`` defaults to the gold labels; a label without gold examples is left out of the
    macro average (its precision still counts against the intents it steals from). Precision is 0
    when a label is never predicted.
    """
    if len(gold) != len(predicted):
        raise ValueError("gold and predicted differ in length")
    labels = list(labels) if labels is not None else sorted(set(gold))
    support = Counter(gold)
    pred_count = Counter(predicted)
    true_pos = Counter(g for g, p in zip(gold, predicted, strict=True) if g == p)
    scores = []
    for label in labels:
        if support[label] == 0:
            continue
        tp = true_pos[label]
        precision = tp / pred_count[label] if pred_count[label] else 0.0
        recall = tp / support[label]
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        scores.append(IntentScore(label, precision, recall, f1, support[label], pred_count[label]))
    macro = sum(s.f1 for s in scores) / len(scores) if scores else 0.0
    accuracy = sum(true_pos.values()) / len(gold) if gold else 0.0
    confusions = Counter((g, p) for g, p in zip(gold, predicted, strict=True) if g != p)
    top = [(g, p, c) for (g, p), c in confusions.most_common(top_confusions)]
    return ClassificationReport(scores, accuracy, macro, len(gold), top)


def percentile(values: Sequence[float], q: float) -> float:
    """Nearest-rank percentile (q in 0..100) of a non-empty sequence."""
    if not values:
        raise ValueError("no values")
    ordered = sorted(values)
    rank = max(1, math.ceil(q / 100 * len(ordered)))
    return ordered[min(rank, len(ordered)) - 1]
