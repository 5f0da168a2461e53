"""Offline evaluation of the NLU model (intent classification).

Run ``python -m nlu.evaluation --model var/models/<model>.tar.gz`` from the repository root.
It loads the trained Rasa model in-process and scores it on:

* the held-out split ``nlu/tests/heldout.yml`` (never trained on),
* SGD dev user turns mapped to our intents (``<shared>/sgd_medical_dev.jsonl``),
* CLINC150 out-of-scope rows (``<shared>/clinc150_relevant.jsonl``),

and measures parse latency (p50/p95 of ``Agent.parse_message``). ``<shared>`` is
``<repo>/../shared/data`` unless ``SHARED_DATA_DIR`` is set.

The data loading and the metrics need no model and no Rasa import at module level, so tests can
use them cheaply.
"""

from nlu.evaluation.datasets import (
    CONTRACT_INTENTS,
    FALLBACK_INTENT,
    Example,
    clinc_oos_examples,
    heldout_examples,
    load_yaml_examples,
    repo_root,
    sample_rows,
    sgd_examples,
    sgd_intent,
    shared_data_dir,
)
from nlu.evaluation.metrics import ClassificationReport, IntentScore, classify_report, percentile

__all__ = [
    "CONTRACT_INTENTS",
    "FALLBACK_INTENT",
    "ClassificationReport",
    "Example",
    "IntentScore",
    "classify_report",
    "clinc_oos_examples",
    "heldout_examples",
    "load_yaml_examples",
    "percentile",
    "repo_root",
    "sample_rows",
    "sgd_examples",
    "sgd_intent",
    "shared_data_dir",
]
