"""Command line: load a trained Rasa model in-process, score it, print a report."""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import os
import sys
import time
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

from nlu.evaluation.datasets import (
    CONTRACT_INTENTS,
    FALLBACK_INTENT,
    Example,
    clinc_oos_examples,
    heldout_examples,
    load_yaml_examples,
    minor_injuries_path,
    repo_root,
    sample_rows,
    sgd_examples,
    shared_data_dir,
)
from nlu.evaluation.metrics import ClassificationReport, classify_report, percentile

EMERGENCY_INTENT = "medical_emergency"
OUT_OF_SCOPE_INTENT = "out_of_scope"
DATASETS = ("heldout", "injuries", "sgd", "clinc_oos")


def resolve_model(path: str | None) -> Path:
    """A model archive; a folder (default ``var/models``, then ``models``) gives its newest."""
    candidates = [Path(path)] if path else [repo_root() / "var" / "models", repo_root() / "models"]
    for candidate in candidates:
        if candidate.is_file():
            return candidate
        if candidate.is_dir():
            archives = sorted(candidate.glob("*.tar.gz"), key=lambda p: p.stat().st_mtime)
            if archives:
                return archives[-1]
    raise FileNotFoundError(f"no model archive found at {', '.join(map(str, candidates))}")


class Parser:
    """Rasa's Agent, loaded once, parsing on its own event loop."""

    def __init__(self, model: Path) -> None:
        from rasa.core.agent import Agent

        self.loop = asyncio.new_event_loop()
        started = time.perf_counter()
        self.agent = Agent.load(str(model))
        self.load_seconds = time.perf_counter() - started

    def parse(self, text: str) -> dict:
        return self.loop.run_until_complete(self.agent.parse_message(text))

    def intent(self, text: str) -> tuple[str, float]:
        intent = self.parse(text).get("intent") or {}
        return intent.get("name") or FALLBACK_INTENT, float(intent.get("confidence") or 0.0)

    def close(self) -> None:
        self.loop.close()


def scored_intent(predicted: str) -> str:
    """Below the fallback threshold the assistant treats the message as out of scope."""
    return OUT_OF_SCOPE_INTENT if predicted == FALLBACK_INTENT else predicted


def predict(parser: Parser, examples: Sequence[Example]) -> list[str]:
    return [parser.intent(e.text)[0] for e in examples]


def evaluate_labelled(
    examples: Sequence[Example], raw: Sequence[str], labels: Sequence[str] | None
) -> tuple[ClassificationReport, dict]:
    gold = [e.intent for e in examples]
    report = classify_report(gold, [scored_intent(p) for p in raw], labels=labels)
    result = report.to_dict()
    result["fallback_predictions"] = sum(p == FALLBACK_INTENT for p in raw)
    result["errors"] = [
        {"text": e.text, "gold": e.intent, "predicted": p}
        for e, p in zip(examples, raw, strict=True)
        if scored_intent(p) != e.intent
    ]
    return report, result


def evaluate_oos(examples: Sequence[Example], raw: Sequence[str]) -> dict:
    scored = [scored_intent(p) for p in raw]
    hits = sum(p == OUT_OF_SCOPE_INTENT for p in scored)
    wrong = Counter(p for p in scored if p != OUT_OF_SCOPE_INTENT)
    return {
        "n": len(examples),
        "recall": round(hits / len(examples), 4) if examples else 0.0,
        "predicted_out_of_scope": sum(p == OUT_OF_SCOPE_INTENT for p in raw),
        "fallback_predictions": sum(p == FALLBACK_INTENT for p in raw),
        "misclassified_as": dict(wrong.most_common()),
        "errors": [
            {"text": e.text, "predicted": p}
            for e, p in zip(examples, raw, strict=True)
            if scored_intent(p) != OUT_OF_SCOPE_INTENT
        ],
    }


def measure_latency(parser: Parser, texts: Sequence[str], n: int) -> dict:
    if not texts or n <= 0:
        return {}
    for text in texts[:5]:  # warm-up: first calls build TensorFlow graphs
        parser.parse(text)
    timings = []
    for i in range(n):
        started = time.perf_counter()
        parser.parse(texts[i % len(texts)])
        timings.append((time.perf_counter() - started) * 1000)
    return {
        "n": n,
        "p50_ms": round(percentile(timings, 50), 2),
        "p95_ms": round(percentile(timings, 95), 2),
        "max_ms": round(max(timings), 2),
    }


def print_report(title: str, report: ClassificationReport, result: dict) -> None:
    print(f"\n== {title}: n={report.n} accuracy={report.accuracy:.3f} ", end="")
    print(f"macro-F1={report.macro_f1:.3f} (nlu_fallback: {result['fallback_predictions']})")
    print(f"{'intent':24} {'prec':>6} {'rec':>6} {'f1':>6} {'support':>8} {'predicted':>9}")
    for s in report.scores:
        print(
            f"{s.intent:24} {s.precision:6.3f} {s.recall:6.3f} {s.f1:6.3f} "
            f"{s.support:8d} {s.predicted:9d}"
        )
    if report.confusions:
        print("top confusions (gold -> predicted: count):")
        for gold, pred, count in report.confusions:
            print(f"  {gold} -> {pred}: {count}")


def build_arg_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="python -m nlu.evaluation", description="Evaluate a trained Rasa NLU model."
    )
    p.add_argument("--model", help="model .tar.gz or a folder (newest archive); default var/models")
    p.add_argument("--sample", type=int, help="deterministic sample of N rows per data set")
    p.add_argument("--json", dest="json_out", help="write the full results (with errors) here")
    p.add_argument("--heldout", help="held-out YAML (default nlu/tests/heldout.yml)")
    p.add_argument(
        "--datasets",
        default=",".join(DATASETS),
        help=f"comma-separated subset of {','.join(DATASETS)}",
    )
    p.add_argument(
        "--sgd-any-acts",
        action="store_true",
        help="also keep SGD turns whose other acts (INFORM, REQUEST, ...) are unmappable",
    )
    p.add_argument("--latency-n", type=int, default=200, help="parses timed (0: skip)")
    p.add_argument("--min-macro-f1", type=float, help="fail below this held-out macro-F1")
    p.add_argument(
        "--min-emergency-recall", type=float, help="fail below this held-out emergency recall"
    )
    p.add_argument("--min-sgd-macro-f1", type=float, help="fail below this SGD macro-F1")
    p.add_argument("--min-oos-recall", type=float, help="fail below this CLINC OOS recall")
    p.add_argument("-v", "--verbose", action="store_true", help="show Rasa/TensorFlow logs")
    return p


def _quiet() -> None:
    """Keep the report readable: no per-message debug lines, no library warnings."""
    import warnings

    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    warnings.filterwarnings("ignore")
    logging.basicConfig(level=logging.WARNING)
    for name in ("rasa", "tensorflow", "absl", "sanic", "matplotlib"):
        logging.getLogger(name).setLevel(logging.ERROR)
    from rasa.utils.log_utils import configure_structlog

    configure_structlog(logging.WARNING)
    warnings.filterwarnings("ignore")


def _evaluate_heldout(
    parser: Parser, args: argparse.Namespace, results: dict, metrics: dict[str, float]
) -> list[str]:
    """The held-out set (macro F1, emergency recall); returns its texts for the latency run."""
    examples = sample_rows(heldout_examples(args.heldout), args.sample, "heldout")
    report, result = evaluate_labelled(examples, predict(parser, examples), None)
    emergency = report.score(EMERGENCY_INTENT)
    result["emergency_recall"] = round(emergency.recall, 4) if emergency else None
    results["datasets"]["heldout"] = result
    metrics["macro_f1"] = report.macro_f1
    if emergency:
        metrics["emergency_recall"] = emergency.recall
    missing = sorted(set(CONTRACT_INTENTS) - {s.intent for s in report.scores})
    print_report("held-out (nlu/tests/heldout.yml)", report, result)
    if emergency:
        print(f"medical_emergency recall: {emergency.recall:.3f} ({emergency.support})")
    if missing and args.sample is None:
        print(f"WARNING: held-out lacks intents: {', '.join(missing)}")
    return [e.text for e in examples]


def _evaluate_injuries(parser: Parser, args: argparse.Namespace, results: dict) -> None:
    """Minor injuries (never trained on): the share taken for a medical emergency by the
    classifier, by the dialogue's emergency words, and by either (what the caller would hear)."""
    from assistant.frontdesk.emergency import is_emergency

    examples = sample_rows(load_yaml_examples(minor_injuries_path()), args.sample, "injuries")
    predicted = predict(parser, examples)
    by_classifier = [e.text for e, p in zip(examples, predicted, strict=True)
                     if p == EMERGENCY_INTENT]  # fmt: skip
    by_words = [e.text for e in examples if is_emergency(e.text)]
    either = sorted(set(by_classifier) | set(by_words))
    n = len(examples)
    results["datasets"]["injuries"] = {
        "n": n,
        "classifier_false_alarms": round(len(by_classifier) / n, 4) if n else 0.0,
        "words_false_alarms": round(len(by_words) / n, 4) if n else 0.0,
        "false_alarms": round(len(either) / n, 4) if n else 0.0,
        "errors": either,
    }
    print(f"\n== minor injuries (nlu/tests/minor_injuries.yml): n={n}")
    print(
        f"emergency false alarms: classifier {len(by_classifier)}, emergency words "
        f"{len(by_words)}, either {len(either)} ({len(either) / n if n else 0:.3f})"
    )
    for text in either:
        print(f"  {text}")


def _evaluate_sgd(
    parser: Parser, args: argparse.Namespace, path: Path, results: dict, metrics: dict[str, float]
) -> None:
    """SGD's therapist dialogues, user turns mapped to our intents (skipped without the file)."""
    if not path.exists():
        print(f"\nSGD dev skipped: {path} not found")
        return
    rows = sgd_examples(path, any_other_acts=args.sgd_any_acts)
    examples = sample_rows(rows, args.sample, "sgd")
    report, result = evaluate_labelled(examples, predict(parser, examples), None)
    result["mapping"] = "any_other_acts" if args.sgd_any_acts else "single_act_type"
    results["datasets"]["sgd"] = result
    metrics["sgd_macro_f1"] = report.macro_f1
    print_report("SGD dev (Therapist) mapped user turns", report, result)


def _evaluate_clinc_oos(
    parser: Parser, args: argparse.Namespace, path: Path, results: dict, metrics: dict[str, float]
) -> None:
    """CLINC150's out-of-scope utterances: how many we do not take for one of our intents."""
    if not path.exists():
        print(f"\nCLINC150 skipped: {path} not found")
        return
    examples = sample_rows(clinc_oos_examples(path), args.sample, "clinc_oos")
    result = evaluate_oos(examples, predict(parser, examples))
    results["datasets"]["clinc_oos"] = result
    metrics["oos_recall"] = result["recall"]
    print(f"\n== CLINC150 out-of-scope (oos_val + oos_test): n={result['n']}")
    print(
        f"out-of-scope recall {result['recall']:.3f} (out_of_scope "
        f"{result['predicted_out_of_scope']}, nlu_fallback "
        f"{result['fallback_predictions']})"
    )
    top = list(result["misclassified_as"].items())[:8]
    print("misclassified as: " + ", ".join(f"{k} {v}" for k, v in top))


def _threshold_failures(
    thresholds: dict[str, float | None], metrics: dict[str, float]
) -> list[str]:
    """One line per floor set and missed (or not measured)."""
    failures = []
    for name, minimum in thresholds.items():
        if minimum is None:
            continue
        value = metrics.get(name)
        if value is None or value < minimum:
            shown = "not measured" if value is None else f"{value:.4f}"
            failures.append(f"{name} {shown} < {minimum}")
    return failures


def main(argv: Sequence[str] | None = None) -> int:
    args = build_arg_parser().parse_args(argv)
    wanted = [d.strip() for d in args.datasets.split(",") if d.strip()]
    unknown = set(wanted) - set(DATASETS)
    if unknown:
        print(f"unknown data set(s): {', '.join(sorted(unknown))}", file=sys.stderr)
        return 2
    if not args.verbose:
        _quiet()
    try:
        model = resolve_model(args.model)
    except FileNotFoundError as exc:
        print(exc, file=sys.stderr)
        return 2

    results: dict = {"model": str(model), "sample": args.sample, "datasets": {}}
    metrics: dict[str, float] = {}
    parser = Parser(model)
    results["model_load_seconds"] = round(parser.load_seconds, 1)
    print(f"model {model} loaded in {parser.load_seconds:.1f} s")
    latency_texts: list[str] = []
    try:
        if "heldout" in wanted:
            latency_texts = _evaluate_heldout(parser, args, results, metrics)
        if "injuries" in wanted:
            _evaluate_injuries(parser, args, results)
        data_dir = shared_data_dir()
        if "sgd" in wanted:
            _evaluate_sgd(parser, args, data_dir / "sgd_medical_dev.jsonl", results, metrics)
        if "clinc_oos" in wanted:
            _evaluate_clinc_oos(
                parser, args, data_dir / "clinc150_relevant.jsonl", results, metrics
            )
        if args.latency_n > 0:
            texts = latency_texts or [e.text for e in heldout_examples(args.heldout)]
            results["latency"] = measure_latency(parser, texts, args.latency_n)
            lat = results["latency"]
            print(
                f"\nparse latency over {lat['n']} utterances: p50 {lat['p50_ms']} ms, "
                f"p95 {lat['p95_ms']} ms, max {lat['max_ms']} ms"
            )
    finally:
        parser.close()

    thresholds = {
        "macro_f1": args.min_macro_f1,
        "emergency_recall": args.min_emergency_recall,
        "sgd_macro_f1": args.min_sgd_macro_f1,
        "oos_recall": args.min_oos_recall,
    }
    failures = _threshold_failures(thresholds, metrics)
    results["thresholds"] = {k: v for k, v in thresholds.items() if v is not None}
    results["failures"] = failures
    if args.json_out:
        Path(args.json_out).parent.mkdir(parents=True, exist_ok=True)
        Path(args.json_out).write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n")
        print(f"\nresults written to {args.json_out}")
    for failure in failures:
        print(f"THRESHOLD MISSED: {failure}", file=sys.stderr)
    return 1 if failures else 0
