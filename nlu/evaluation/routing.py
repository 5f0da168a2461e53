"""Whole requests the first time (issue #16): the compound held-out split and STAR openings.

    python -m nlu.evaluation.routing [--model var/models] [--json out.json]

* **Compound split** (`nlu/tests/compound_heldout.yml`, never trained on): an intent with its
  details in one message. Intent accuracy and macro-F1 over the intents present, and the
  details: share of the request's date/time spans that come out as a `time` entity overlapping
  them (the DatetimeExtractor), and entity precision / recall / F1 over every date/time span
  the row annotates (`time` and `also`: days, times, parts of the day, "this week") matched
  one to one with the `time` entities output (an entity that overlaps no annotated span, or a
  second span swallowed by one entity, counts against it).
* **STAR routing** (`<shared>/star_doctor.jsonl`, RasaHQ/STAR, MIT): each single-task doctor
  dialogue's opening is routed as the dialogue would route it (book / reschedule / cancel /
  check / care question / staff / emergency), the router's word rules included (emergency
  words; a booking that asks the care team something), and compared with the weak label of
  the wizard's task: `doctor_schedule` -> book, `doctor_followup` -> care. The opening is the
  first user turn, or the second when the first only greets or gives a name (the router would
  wait for the request). STAR is split deterministically by dialogue id: the even half was read for
  error analysis (training examples were written after it, in our own words, never copied);
  the odd half (`--half odd`, the default) is the measure. `--half all` scores both.
  Reported: accuracy per class, the share sent to front-desk staff (not understood: a message
  is taken), and emergency false alarms (no STAR opening is an emergency).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import yaml

from nlu.evaluation.datasets import FALLBACK_INTENT, repo_root, shared_data_dir
from nlu.evaluation.metrics import classify_report

# intent -> where the conversation goes
ROUTES = {
    "book_appointment": "book",
    "reschedule_appointment": "reschedule",
    "cancel_appointment": "cancel",
    "check_appointment": "check",
    "confirm_appointment": "check",
    "running_late": "late",
    "care_question": "care",
    "medical_emergency": "emergency",
    "office_info": "office",
}
STAFF = "staff"  # everything else ends in action_take_message at the front desk
STAR_LABELS = {"doctor_schedule": "book", "doctor_followup": "care"}
# A first turn that only opens the conversation: the request comes next.
OPENERS = frozenset({"greet", "inform", "affirm", "thank", "goodbye", "deny"})


def route_of(intent: str | None) -> str:
    return ROUTES.get(intent or FALLBACK_INTENT, STAFF)


@dataclass(frozen=True)
class CompoundExample:
    text: str
    intent: str
    time: str | None = None
    provider: str | None = None
    # Other date/time spans the message names (the visit being moved: "instead of thursday",
    # "my 3pm"; "yesterday" in a care question): not the request's, but real date/time spans.
    also: tuple[str, ...] = ()

    @property
    def spans(self) -> tuple[str, ...]:
        return ((self.time,) if self.time else ()) + self.also


def default_compound_path() -> Path:
    return repo_root() / "nlu" / "tests" / "compound_heldout.yml"


def compound_examples(path: str | Path | None = None) -> list[CompoundExample]:
    data = yaml.safe_load(Path(path or default_compound_path()).read_text(encoding="utf-8"))
    return [
        CompoundExample(
            str(e["text"]),
            str(e["intent"]),
            e.get("time"),
            e.get("provider"),
            tuple(str(a) for a in e.get("also") or ()),
        )
        for e in data["examples"]
    ]


def span_found(text: str, span: str, entities: Iterable[dict]) -> bool:
    """A `time` entity overlapping where `span` is in `text` (case-insensitive)."""
    start = text.lower().find(span.lower())
    if start < 0:
        return False
    end = start + len(span)
    return any(
        e.get("entity") == "time" and e.get("start", 0) < end and e.get("end", 0) > start
        for e in entities
    )


def _where(text: str, span: str) -> tuple[int, int] | None:
    start = text.lower().find(span.lower())
    return (start, start + len(span)) if start >= 0 else None


def match_spans(
    text: str, spans: Sequence[str], entities: Iterable[dict]
) -> tuple[int, list[dict]]:
    """Annotated spans matched one to one with overlapping `time` entities: (spans matched,
    entities that matched none)."""
    times = [e for e in entities if e.get("entity") == "time"]
    used: set[int] = set()
    for span in spans:
        where = _where(text, span)
        if where is None:
            continue
        for i, e in enumerate(times):
            if i not in used and e.get("start", 0) < where[1] and e.get("end", 0) > where[0]:
                used.add(i)
                break
    return len(used), [e for i, e in enumerate(times) if i not in used]


def entity_scores(examples: Sequence[CompoundExample], parsed: Sequence[dict]) -> dict:
    """Precision, recall and F1 of `time` entities against every annotated date/time span."""
    gold = predicted = matched = 0
    false_positives: list[dict] = []
    for e, p in zip(examples, parsed, strict=True):
        entities = [x for x in p.get("entities") or [] if x.get("entity") == "time"]
        hits, extra = match_spans(e.text, e.spans, entities)
        gold += len(e.spans)
        predicted += len(entities)
        matched += hits
        false_positives += [
            {"text": e.text, "span": e.text[x.get("start", 0) : x.get("end", 0)]} for x in extra
        ]
    precision = matched / predicted if predicted else 0.0
    recall = matched / gold if gold else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {
        "gold_spans": gold,
        "predicted": predicted,
        "matched": matched,
        "precision": round(precision, 4),
        "recall": round(recall, 4),
        "f1": round(f1, 4),
        "false_positives": false_positives,
    }


def evaluate_compound(examples: Sequence[CompoundExample], parse: Callable[[str], dict]) -> dict:
    parsed = [parse(e.text) for e in examples]
    predicted = [((p.get("intent") or {}).get("name") or FALLBACK_INTENT) for p in parsed]
    labels = sorted({e.intent for e in examples})
    report = classify_report([e.intent for e in examples], predicted, labels=labels)
    with_time = [(e, p) for e, p in zip(examples, parsed, strict=True) if e.time]
    found = [span_found(e.text, e.time or "", p.get("entities") or []) for e, p in with_time]
    return {
        "n": len(examples),
        "intent_accuracy": round(report.accuracy, 4),
        "intent_macro_f1": round(report.macro_f1, 4),
        "per_intent": report.to_dict()["per_intent"],
        "time_spans": len(with_time),
        "time_span_recall": round(sum(found) / len(found), 4) if found else 0.0,
        "errors": [
            {"text": e.text, "gold": e.intent, "predicted": p}
            for e, p in zip(examples, predicted, strict=True)
            if p != e.intent
        ],
        "missed_spans": [e.text for (e, _), ok in zip(with_time, found, strict=True) if not ok],
        "time_entities": entity_scores(examples, parsed),
    }


@dataclass(frozen=True)
class StarOpening:
    dialogue_id: int
    label: str
    turns: tuple[str, ...]


def star_openings(path: str | Path | None = None, half: str = "all") -> list[StarOpening]:
    """The first two user turns of each single-task STAR doctor dialogue, with its label;
    `half`: "odd" / "even" dialogue ids only, or "all"."""
    path = Path(path or shared_data_dir() / "star_doctor.jsonl")
    dialogues: dict[int, list[dict]] = {}
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            if line.strip():
                row = json.loads(line)
                dialogues.setdefault(int(row["dialogue_id"]), []).append(row)
    out = []
    for dialogue_id in sorted(dialogues):
        rows = sorted(dialogues[dialogue_id], key=lambda r: r["turn_index"])
        tasks = rows[0].get("wizard_tasks") or []
        if rows[0].get("multitask") or len(tasks) != 1 or tasks[0] not in STAR_LABELS:
            continue
        if half != "all" and dialogue_id % 2 != (1 if half == "odd" else 0):
            continue
        turns = tuple(str(r["utterance"]) for r in rows[:2])
        out.append(StarOpening(dialogue_id, STAR_LABELS[tasks[0]], turns))
    return out


# Intents whose message has no department of its own: `action_take_message` sends it where its
# words say (dialogues/actions/routing.py::ActionTakeMessage).
FRONT_DESK_INTENTS = frozenset({FALLBACK_INTENT, "out_of_scope", "inform", "deny", "request_human"})
UNCLEAR_INTENTS = frozenset({FALLBACK_INTENT, "out_of_scope", "inform"})  # may ask the office


def route_of_turn(text: str, intent: str | None) -> str:
    """Where the dialogue sends a request: the router's word rules, then the intent's route.
    Emergency words get 911 before any task; a booking that asks the care team something
    ("I need a follow-up, I forgot what the doctor said") goes to the nurse line
    (dialogues/actions/router.py); a message the classifier gave no department (not understood,
    out of scope, a bare statement) goes to the task its words ask for, an office answer, or
    the department its words name: the nurse line for a question about care
    (dialogues/actions/routing.py)."""
    from assistant.frontdesk.respelling import respelled
    from assistant.frontdesk.short_answers import is_emergency
    from dialogues.actions.alarm import request_instead
    from dialogues.actions.compound import TASK_INTENTS, asks_the_nurse, department_request, task_in
    from dialogues.actions.routing import asks_the_office

    text = respelled(text, "en")  # as the router reads a request (dialogues/actions/common.py)
    if is_emergency(text):
        return "emergency"
    if intent == "medical_emergency":  # weighed with its words (dialogues/actions/alarm.py)
        intent = request_instead(text) or intent  # "I have to cancel, my car broke down"
    intent = intent or FALLBACK_INTENT
    if intent in FRONT_DESK_INTENTS:
        task = task_in(text)
        if task is not None:
            intent = TASK_INTENTS[task]
        elif intent in UNCLEAR_INTENTS and asks_the_office(text):
            return "office"
        else:
            named = department_request(text)
            nurse = named == "care_question" or (named is None and asks_the_nurse(text))
            return "care" if nurse else STAFF
    route = route_of(intent)
    return "care" if route == "book" and asks_the_nurse(text) else route


def route_opening(turns: Sequence[str], intent_of: Callable[[str], str]) -> str:
    """Route of the first turn that asks for something (at most the first two)."""
    text = turns[0]
    intent = intent_of(text)
    if intent in OPENERS and len(turns) > 1:
        text = turns[1]
        intent = intent_of(text)
    return route_of_turn(text, intent)


def evaluate_star(openings: Sequence[StarOpening], intent_of: Callable[[str], str]) -> dict:
    routed = [route_opening(o.turns, intent_of) for o in openings]
    per_class: dict[str, dict] = {}
    for label in sorted({o.label for o in openings}):
        mine = [r for o, r in zip(openings, routed, strict=True) if o.label == label]
        per_class[label] = {
            "n": len(mine),
            "accuracy": round(sum(r == label for r in mine) / len(mine), 4),
            "routed_to": dict(Counter(mine).most_common()),
        }
    n = len(openings)
    return {
        "n": n,
        "accuracy": round(sum(o.label == r for o, r in zip(openings, routed, strict=True)) / n, 4)
        if n
        else 0.0,
        "per_class": per_class,
        "sent_to_staff": round(sum(r == STAFF for r in routed) / n, 4) if n else 0.0,
        "emergency_false_alarms": round(sum(r == "emergency" for r in routed) / n, 4) if n else 0.0,
        "errors": [
            {"dialogue_id": o.dialogue_id, "label": o.label, "routed": r, "turns": list(o.turns)}
            for o, r in zip(openings, routed, strict=True)
            if r != o.label
        ],
    }


def main(argv: Sequence[str] | None = None) -> int:
    from nlu.evaluation.run import Parser, _quiet, measure_latency, resolve_model

    p = argparse.ArgumentParser(prog="python -m nlu.evaluation.routing", description=__doc__)
    p.add_argument("--model", help="model .tar.gz or a folder (newest archive); default var/models")
    p.add_argument("--json", dest="json_out", help="write the results (with errors) here")
    p.add_argument("--star", help="STAR doctor file (default <shared>/star_doctor.jsonl)")
    p.add_argument(
        "--half", choices=("odd", "even", "all"), default="odd", help="STAR dialogues scored"
    )
    p.add_argument("--latency-n", type=int, default=200, help="parses timed (0: skip)")
    args = p.parse_args(argv)
    _quiet()
    parser = Parser(resolve_model(args.model))
    try:
        cache: dict[str, dict] = {}

        def parse(text: str) -> dict:
            if text not in cache:
                cache[text] = parser.parse(text)
            return cache[text]

        def intent_of(text: str) -> str:
            return (parse(text).get("intent") or {}).get("name") or FALLBACK_INTENT

        compound = evaluate_compound(compound_examples(), parse)
        star_path = Path(args.star) if args.star else shared_data_dir() / "star_doctor.jsonl"
        star = (
            evaluate_star(star_openings(star_path, args.half), intent_of)
            if star_path.exists()
            else {}
        )
        latency = measure_latency(parser, [e.text for e in compound_examples()], args.latency_n)
    finally:
        parser.close()
    print(
        f"compound split: n={compound['n']} intent accuracy={compound['intent_accuracy']:.3f} "
        f"macro-F1={compound['intent_macro_f1']:.3f} time spans found="
        f"{compound['time_span_recall']:.3f} of {compound['time_spans']}"
    )
    ents = compound["time_entities"]
    print(
        f"compound split time entities: precision={ents['precision']:.3f} "
        f"({ents['matched']}/{ents['predicted']}) recall={ents['recall']:.3f} "
        f"({ents['matched']}/{ents['gold_spans']}) F1={ents['f1']:.3f}"
    )
    for fp in ents["false_positives"]:
        print(f"  time entity outside the annotated spans: {fp['span']!r} in {fp['text']!r}")
    for error in compound["errors"]:
        print(f"  {error['gold']} -> {error['predicted']}: {error['text']}")
    if star:
        print(
            f"STAR openings ({args.half} half): n={star['n']} accuracy={star['accuracy']:.3f}"
            f" sent to staff={star['sent_to_staff']:.3f} emergency false alarms="
            f"{star['emergency_false_alarms']:.3f}"
        )
        for label, figures in star["per_class"].items():
            print(f"  {label}: n={figures['n']} accuracy={figures['accuracy']:.3f} "
                  f"routed to {figures['routed_to']}")  # fmt: skip
    if latency:
        print(f"parse latency: p50={latency['p50_ms']} ms p95={latency['p95_ms']} ms")
    if args.json_out:
        Path(args.json_out).write_text(
            json.dumps({"compound": compound, "star": star, "latency": latency}, indent=2)
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
