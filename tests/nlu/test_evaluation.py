"""The evaluation package's data mapping and metrics; no trained model needed."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from nlu.evaluation import (
    classify_report,
    clinc_oos_examples,
    percentile,
    sample_rows,
    sgd_examples,
    sgd_intent,
    shared_data_dir,
)
from nlu.evaluation.run import build_arg_parser, resolve_model, scored_intent


def act(name: str, *values: str) -> dict:
    return {"act": name, "slot": "intent" if values else "", "values": list(values)}


@pytest.mark.parametrize(
    ("acts", "strict", "lenient"),
    [
        ([act("AFFIRM")], "affirm", "affirm"),
        ([act("NEGATE")], "deny", "deny"),
        ([act("THANK_YOU")], "thank", "thank"),
        ([act("GOODBYE")], "goodbye", "goodbye"),
        ([act("INFORM_INTENT", "BookAppointment")], "book_appointment", "book_appointment"),
        ([act("INFORM_INTENT", "FindProvider")], None, None),
        ([act("GOODBYE"), act("THANK_YOU")], None, None),
        ([act("AFFIRM"), act("REQUEST")], None, "affirm"),
        ([act("INFORM"), act("INFORM_INTENT", "BookAppointment")], None, "book_appointment"),
        ([act("AFFIRM"), act("AFFIRM")], "affirm", "affirm"),
        ([act("REQUEST_ALTS")], None, None),
        (None, None, None),
    ],
)
def test_sgd_mapping(acts: list[dict] | None, strict: str | None, lenient: str | None) -> None:
    row = {"utterance": "x", "user_acts": acts}
    assert sgd_intent(row) == strict
    assert sgd_intent(row, any_other_acts=True) == lenient


def test_sgd_and_clinc_loaders(tmp_path: Path) -> None:
    sgd = tmp_path / "sgd.jsonl"
    rows = [
        {"utterance": "Yes please.", "user_acts": [act("AFFIRM")]},
        {"utterance": "Find a dentist.", "user_acts": [act("INFORM_INTENT", "FindProvider")]},
        {"utterance": "Old turn", "user_acts": None},
    ]
    sgd.write_text("\n".join(json.dumps(r) for r in rows) + "\n")
    assert [(e.text, e.intent) for e in sgd_examples(sgd)] == [("Yes please.", "affirm")]

    clinc = tmp_path / "clinc.jsonl"
    rows = [
        {"split": "oos_test", "text": "how tall is everest", "clinc_intent": "oos"},
        {"split": "oos_train", "text": "trained on", "clinc_intent": "oos"},
        {"split": "test", "text": "yes", "clinc_intent": "yes"},
    ]
    clinc.write_text("\n".join(json.dumps(r) for r in rows) + "\n")
    assert [(e.text, e.intent) for e in clinc_oos_examples(clinc)] == [
        ("how tall is everest", "out_of_scope")
    ]


def test_shared_data_dir_is_overridable(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("SHARED_DATA_DIR", str(tmp_path))
    assert shared_data_dir() == tmp_path
    monkeypatch.delenv("SHARED_DATA_DIR")
    assert shared_data_dir().parts[-2:] == ("shared", "data")


def test_classify_report_numbers() -> None:
    gold = ["a", "a", "a", "b", "b", "c"]
    pred = ["a", "a", "b", "b", "c", "c"]
    report = classify_report(gold, pred)
    a, b, c = (report.score(x) for x in "abc")
    assert (a.precision, a.recall) == (1.0, pytest.approx(2 / 3))
    assert (b.precision, b.recall) == (0.5, 0.5)
    assert (c.precision, c.recall, c.f1) == (0.5, 1.0, pytest.approx(2 / 3))
    assert report.macro_f1 == pytest.approx((0.8 + 0.5 + 2 / 3) / 3)
    assert report.accuracy == pytest.approx(4 / 6)
    assert report.confusions[0][2] == 1 and len(report.confusions) == 2


def test_classify_report_never_predicted_label_scores_zero() -> None:
    report = classify_report(["a", "b"], ["a", "a"])
    assert report.score("b").f1 == 0.0
    assert report.score("a").precision == 0.5


def test_fallback_counts_as_out_of_scope() -> None:
    assert scored_intent("nlu_fallback") == "out_of_scope"
    assert scored_intent("greet") == "greet"


def test_percentile_nearest_rank() -> None:
    values = list(range(1, 101))
    assert percentile(values, 50) == 50
    assert percentile(values, 95) == 95
    assert percentile([7.0], 95) == 7.0


def test_sample_is_deterministic_and_ordered() -> None:
    rows = list(range(1000))
    first = sample_rows(rows, 25, "heldout")
    assert first == sample_rows(rows, 25, "heldout")
    assert first == sorted(first) and len(set(first)) == 25
    assert first != sample_rows(rows, 25, "sgd")
    assert sample_rows(rows[:10], 25, "x") == rows[:10]
    assert sample_rows(rows, None, "x") == rows


def test_resolve_model_picks_newest_archive(tmp_path: Path) -> None:
    old, new = tmp_path / "old.tar.gz", tmp_path / "new.tar.gz"
    old.write_bytes(b"")
    new.write_bytes(b"")
    import os

    os.utime(old, (1, 1))
    assert resolve_model(str(tmp_path)) == new
    assert resolve_model(str(old)) == old
    with pytest.raises(FileNotFoundError):
        resolve_model(str(tmp_path / "missing"))


def test_cli_options() -> None:
    args = build_arg_parser().parse_args(
        ["--model", "m.tar.gz", "--sample", "50", "--json", "o.json", "--min-macro-f1", "0.9"]
    )
    assert (args.model, args.sample, args.json_out, args.min_macro_f1) == (
        "m.tar.gz",
        50,
        "o.json",
        0.9,
    )
