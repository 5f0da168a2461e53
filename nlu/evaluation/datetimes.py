"""Exact-resolution accuracy of `assistant.datetimes` on public and hand-written data.

    python -m nlu.evaluation.datetimes [--sample N] [--failures K] [--min-accuracy 0.95]

Data sets (a missing file is skipped):

* **recognizers-en**: `<shared>/datetime_recognizers_en.jsonl` (Microsoft Recognizers-Text
  spec, MIT), only the *scheduling-relevant* rows: at least one expected entity and every expected
  entity is a date, time, datetime, date range, time range or datetime range (no durations, sets,
  time zones, ages). Each row has its own reference time.
* **sgd-dev**: date/time spans of `<shared>/sgd_medical_dev.jsonl` (SGD, CC BY-SA 4.0), today
  Friday 2019-03-01. The gold value is the span's canonical value in `user_acts`; spans of turns
  without acts take the canonical value that the same text has everywhere else in SGD train+dev
  when it is unique, and are dropped otherwise.
* **voice-en / voice-es**: hand-written patient phrasings (this module, `HANDWRITTEN`), voice
  style (lowercase, numbers as words) and SMS style.

An expected entity is matched when a predicted one overlaps its span and one of the predicted
alternatives equals one of the expected alternatives on every key the expected value has
(`value`, `start`, `end`). A row is correct when all its expected entities are matched; spurious
extra predictions are not penalised.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sys
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time
from pathlib import Path

SCHEDULING_TYPES = frozenset(
    {"date", "time", "datetime", "daterange", "timerange", "datetimerange"}
)
SGD_TODAY = datetime(2019, 3, 1)
VALUE_KEYS = ("value", "start", "end")


@dataclass(frozen=True)
class Entity:
    """A span with alternative values, each a dict over `VALUE_KEYS` in Recognizers' formats:
    dates `YYYY-MM-DD`, times `HH:MM:SS`, datetimes `YYYY-MM-DD HH:MM:SS`."""

    start: int
    end: int  # exclusive
    text: str
    type: str
    alternatives: tuple[dict[str, str], ...]


@dataclass
class Row:
    dataset: str
    text: str
    now: datetime
    language: str
    expected: list[Entity]
    meta: dict = field(default_factory=dict)


# --------------------------------------------------------------------------- data sets


def shared_data_dir() -> Path:
    env = os.environ.get("SHARED_DATA_DIR")
    if env:
        return Path(env)
    return Path(__file__).resolve().parents[2].parent / "shared" / "data"


def _read_jsonl(path: Path) -> Iterable[dict]:
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            if line.strip():
                yield json.loads(line)


def recognizers_rows(path: Path | None = None) -> list[Row]:
    path = path or shared_data_dir() / "datetime_recognizers_en.jsonl"
    if not path.exists():
        return []
    rows = []
    for raw in _read_jsonl(path):
        expected = raw["expected"] or []
        types = [(e.get("type") or "").rsplit(".", 1)[-1] for e in expected]
        if not expected or not all(t in SCHEDULING_TYPES for t in types):
            continue
        if not raw.get("reference_datetime"):  # the spec then means "the time of the test run"
            continue
        entities = [
            Entity(
                start=e["start"],
                end=e["end_inclusive"] + 1,
                text=e["text"],
                type=t,
                alternatives=tuple({k: v[k] for k in VALUE_KEYS if k in v} for v in e["values"]),
            )
            for e, t in zip(expected, types, strict=True)
        ]
        rows.append(
            Row(
                dataset="recognizers-en",
                text=raw["text"],
                now=datetime.fromisoformat(raw["reference_datetime"][:19]),
                language="en",
                expected=entities,
                meta={"index": raw["index"]},
            )
        )
    return rows


def _sgd_canonical_map(paths: Sequence[Path]) -> dict[tuple[str, str], set[str]]:
    seen: dict[tuple[str, str], set[str]] = {}
    for path in paths:
        if not path.exists():
            continue
        for raw in _read_jsonl(path):
            for act in raw.get("user_acts") or []:
                for text, canon in zip(
                    act["values"], act.get("canonical_values") or [], strict=False
                ):
                    seen.setdefault((act["slot"], text.lower()), set()).add(canon)
    return seen


def _sgd_alternative(slot: str, canonical: str) -> dict[str, str]:
    if slot.endswith("_time"):
        return {"value": time.fromisoformat(canonical).isoformat()}
    return {"value": date.fromisoformat(canonical).isoformat()}


def sgd_rows(path: Path | None = None) -> list[Row]:
    path = path or shared_data_dir() / "sgd_medical_dev.jsonl"
    if not path.exists():
        return []
    fallback = _sgd_canonical_map([path, path.with_name("sgd_medical_train.jsonl")])
    rows = []
    for raw in _read_jsonl(path):
        spans = raw.get("datetime_spans") or []
        if not spans:
            continue
        own = {
            (act["slot"], text): canon
            for act in raw.get("user_acts") or []
            for text, canon in zip(act["values"], act.get("canonical_values") or [], strict=False)
        }
        entities, dropped = [], 0
        for span in spans:
            canon = own.get((span["slot"], span["text"]))
            if canon is None:
                known = fallback.get((span["slot"], span["text"].lower()), set())
                canon = next(iter(known)) if len(known) == 1 else None
            if canon is None:
                dropped += 1
                continue
            kind = "time" if span["slot"].endswith("_time") else "date"
            entities.append(
                Entity(
                    start=span["start"],
                    end=span["end"],
                    text=span["text"],
                    type=kind,
                    alternatives=(_sgd_alternative(span["slot"], canon),),
                )
            )
        if entities:
            rows.append(
                Row("sgd-dev", raw["utterance"], SGD_TODAY, "en", entities, {"dropped": dropped})
            )
    return rows


# Hand-written patient phrasings; "now" is Friday 2019-03-01 09:00 at the practice.
# (text, [(span text, kind, {key: value})]); spans are found by `str.find`.
HANDWRITTEN: dict[str, list[tuple[str, list[tuple[str, str, dict[str, str]]]]]] = {
    "en": [
        (
            "tomorrow at ten thirty",
            [("tomorrow at ten thirty", "datetime", {"value": "2019-03-02 10:30:00"})],
        ),
        (
            "can i come in next tuesday afternoon",
            [
                (
                    "next tuesday afternoon",
                    "datetimerange",
                    {"start": "2019-03-05 12:00:00", "end": "2019-03-05 17:00:00"},
                )
            ],
        ),
        ("any time after 3", [("after 3", "timerange", {"start": "15:00:00"})]),
        (
            "first thing monday",
            [
                (
                    "first thing monday",
                    "datetimerange",
                    {"start": "2019-03-04 00:00:00", "end": "2019-03-04 12:00:00"},
                )
            ],
        ),
        ("in two weeks", [("in two weeks", "date", {"value": "2019-03-15"})]),
        ("the 15th", [("the 15th", "date", {"value": "2019-03-15"})]),
        ("two pm", [("two pm", "time", {"value": "14:00:00"})]),
        ("at 2", [("2", "time", {"value": "14:00:00"})]),
        ("10am tmrw", [("10am tmrw", "datetime", {"value": "2019-03-02 10:00:00"})]),
        ("wed 3/6 @ 4:15", [("wed 3/6 @ 4:15", "datetime", {"value": "2019-03-06 16:15:00"})]),
        (
            "monday morning",
            [
                (
                    "monday morning",
                    "datetimerange",
                    {"start": "2019-03-04 00:00:00", "end": "2019-03-04 12:00:00"},
                )
            ],
        ),
        (
            "march twelfth at nine",
            [("march twelfth at nine", "datetime", {"value": "2019-03-12 09:00:00"})],
        ),
        (
            "quarter to eleven on thursday",
            [("quarter to eleven on thursday", "datetime", {"value": "2019-03-07 10:45:00"})],
        ),
        (
            "between two and four",
            [("between two and four", "timerange", {"start": "14:00:00", "end": "16:00:00"})],
        ),
        (
            "this afternoon",
            [
                (
                    "this afternoon",
                    "datetimerange",
                    {"start": "2019-03-01 12:00:00", "end": "2019-03-01 17:00:00"},
                )
            ],
        ),
        ("next week", [("next week", "daterange", {"start": "2019-03-04", "end": "2019-03-11"})]),
        ("today", [("today", "date", {"value": "2019-03-01"})]),
        (
            "friday the 8th at noon",
            [("friday the 8th at noon", "datetime", {"value": "2019-03-08 12:00:00"})],
        ),
    ],
    "es": [
        ("mañana", [("mañana", "date", {"value": "2019-03-02"})]),
        (
            "manana a las diez",
            [("manana a las diez", "datetime", {"value": "2019-03-02 10:00:00"})],
        ),
        ("el martes", [("el martes", "date", {"value": "2019-03-05"})]),
        ("a las dos y media", [("a las dos y media", "time", {"value": "14:30:00"})]),
        (
            "el martes a las dos y media",
            [("el martes a las dos y media", "datetime", {"value": "2019-03-05 14:30:00"})],
        ),
        ("mi cita es el lunes", [("el lunes", "date", {"value": "2019-03-04"})]),
        (
            "el lunes por la mañana",
            [
                (
                    "el lunes por la mañana",
                    "datetimerange",
                    {"start": "2019-03-04 00:00:00", "end": "2019-03-04 12:00:00"},
                )
            ],
        ),
        (
            "el jueves por la tarde",
            [
                (
                    "el jueves por la tarde",
                    "datetimerange",
                    {"start": "2019-03-07 12:00:00", "end": "2019-03-07 17:00:00"},
                )
            ],
        ),
        ("pasado mañana", [("pasado mañana", "date", {"value": "2019-03-03"})]),
        ("el 15", [("el 15", "date", {"value": "2019-03-15"})]),
        ("el quince de marzo", [("el quince de marzo", "date", {"value": "2019-03-15"})]),
        ("a las diez y cuarto", [("a las diez y cuarto", "time", {"value": "10:15:00"})]),
        ("a las once menos cuarto", [("a las once menos cuarto", "time", {"value": "10:45:00"})]),
        ("después de las tres", [("después de las tres", "timerange", {"start": "15:00:00"})]),
        (
            "la próxima semana",
            [("la próxima semana", "daterange", {"start": "2019-03-04", "end": "2019-03-11"})],
        ),
        ("en dos semanas", [("en dos semanas", "date", {"value": "2019-03-15"})]),
        (
            "hoy en la tarde",
            [
                (
                    "hoy en la tarde",
                    "datetimerange",
                    {"start": "2019-03-01 12:00:00", "end": "2019-03-01 17:00:00"},
                )
            ],
        ),
        (
            "el viernes 8 a las 9am",
            [("el viernes 8 a las 9am", "datetime", {"value": "2019-03-08 09:00:00"})],
        ),
        ("mie 6 a las 4", [("mie 6 a las 4", "datetime", {"value": "2019-03-06 16:00:00"})]),
        (
            "entre las dos y las cuatro",
            [("entre las dos y las cuatro", "timerange", {"start": "14:00:00", "end": "16:00:00"})],
        ),
    ],
}
HANDWRITTEN_NOW = datetime(2019, 3, 1, 9, 0)


def handwritten_rows() -> list[Row]:
    rows = []
    for language, items in HANDWRITTEN.items():
        for text, spans in items:
            entities = []
            for span_text, kind, value in spans:
                start = text.find(span_text)
                entities.append(Entity(start, start + len(span_text), span_text, kind, (value,)))
            rows.append(Row(f"voice-{language}", text, HANDWRITTEN_NOW, language, entities))
    return rows


def all_rows() -> dict[str, list[Row]]:
    return {
        "recognizers-en": recognizers_rows(),
        "sgd-dev": sgd_rows(),
        "voice-en": [r for r in handwritten_rows() if r.language == "en"],
        "voice-es": [r for r in handwritten_rows() if r.language == "es"],
    }


# --------------------------------------------------------------------------- scoring

Predictor = Callable[[Row], list[Entity]]


def _overlaps(a: Entity, b: Entity) -> bool:
    return a.start < b.end and b.start < a.end


def _alternative_matches(predicted: dict[str, str], expected: dict[str, str]) -> bool:
    return bool(expected) and all(predicted.get(k) == v for k, v in expected.items())


def _with_parts(alternatives: Iterable[dict[str, str]], kind: str) -> list[dict[str, str]]:
    """A datetime also answers a date or a time that the gold splits into two spans."""
    out = list(alternatives)
    if kind in ("date", "time"):
        for alt in list(out):
            value = alt.get("value") or alt.get("start")
            if value and " " in value:
                day, clock = value.split(" ", 1)
                out.append({"value": day if kind == "date" else clock})
    return out


def entity_matched(expected: Entity, predicted: Sequence[Entity]) -> bool:
    return any(
        _overlaps(expected, p)
        and any(
            _alternative_matches(pa, ea)
            for pa in _with_parts(p.alternatives, expected.type)
            for ea in expected.alternatives
        )
        for p in predicted
    )


@dataclass
class Score:
    rows: int = 0
    correct: int = 0
    entities: int = 0
    entities_correct: int = 0
    spans_found: int = 0
    failures: list[tuple[Row, list[Entity]]] = field(default_factory=list)

    @property
    def accuracy(self) -> float:
        return self.correct / self.rows if self.rows else 0.0

    @property
    def entity_accuracy(self) -> float:
        return self.entities_correct / self.entities if self.entities else 0.0

    @property
    def span_recall(self) -> float:
        return self.spans_found / self.entities if self.entities else 0.0


def score(rows: Sequence[Row], predict: Predictor) -> Score:
    result = Score()
    for row in rows:
        predicted = predict(row)
        ok = True
        for exp in row.expected:
            result.entities += 1
            result.spans_found += any(_overlaps(exp, p) for p in predicted)
            if entity_matched(exp, predicted):
                result.entities_correct += 1
            else:
                ok = False
        result.rows += 1
        result.correct += ok
        if not ok:
            result.failures.append((row, predicted))
    return result


# --------------------------------------------------------------------------- our resolver


def _fmt_dt(value: datetime) -> str:
    return value.replace(tzinfo=None).isoformat(sep=" ")


def resolved_alternatives(item: object) -> tuple[dict[str, str], ...]:
    """`assistant.datetimes.Resolved` in the Recognizers value formats (see `Entity`)."""
    kind = item.kind  # type: ignore[attr-defined]
    if kind == "date":
        return ({"value": item.date.isoformat()},)  # type: ignore[attr-defined]
    if kind == "time":
        return ({"value": item.start_time.isoformat()},)  # type: ignore[attr-defined]
    if kind == "datetime":
        return ({"value": _fmt_dt(item.start)},)  # type: ignore[attr-defined]
    if kind == "date_range":
        alt = {}
        if item.date is not None:  # type: ignore[attr-defined]
            alt["start"] = item.date.isoformat()  # type: ignore[attr-defined]
        if item.end_date is not None:  # type: ignore[attr-defined]
            alt["end"] = item.end_date.isoformat()  # type: ignore[attr-defined]
        return (alt,)
    # time_range / part_of_day: with a date, datetimes; without, times.
    alt = {}
    if item.date is not None:  # type: ignore[attr-defined]
        if item.start is not None:  # type: ignore[attr-defined]
            alt["start"] = _fmt_dt(item.start)  # type: ignore[attr-defined]
        if item.end is not None:  # type: ignore[attr-defined]
            alt["end"] = _fmt_dt(item.end)  # type: ignore[attr-defined]
    else:
        if item.start_time is not None:  # type: ignore[attr-defined]
            alt["start"] = item.start_time.isoformat()  # type: ignore[attr-defined]
        if item.end_time is not None:  # type: ignore[attr-defined]
            alt["end"] = item.end_time.isoformat()  # type: ignore[attr-defined]
    return (alt,)


def assistant_predictor(time_zone: str = "UTC") -> Predictor:
    from assistant.datetimes import resolve
    from assistant.scheduling.clock import zone

    def predict(row: Row) -> list[Entity]:
        now = row.now.replace(tzinfo=zone(time_zone))
        return [
            Entity(r.start_char, r.end_char, r.text, r.kind, resolved_alternatives(r))
            for r in resolve(row.text, now=now, time_zone=time_zone, language=row.language)
        ]

    return predict


# --------------------------------------------------------------------------- report


def sample_rows(rows: Sequence[Row], n: int | None, seed: int = 13) -> list[Row]:
    if n is None or n >= len(rows):
        return list(rows)
    return random.Random(seed).sample(list(rows), n)


def _describe(entities: Iterable[Entity]) -> str:
    return "; ".join(f"{e.text!r} {e.type} {list(e.alternatives)}" for e in entities) or "-"


def report(
    datasets: dict[str, list[Row]], predict: Predictor, failures: int = 0, out=sys.stdout
) -> dict[str, Score]:
    scores = {}
    print("| data set | rows | row accuracy | entities | entity accuracy | span recall |", file=out)
    print("|---|---:|---:|---:|---:|---:|", file=out)
    for name, rows in datasets.items():
        if not rows:
            print(f"| {name} | missing | | | | |", file=out)
            continue
        s = scores[name] = score(rows, predict)
        print(
            f"| {name} | {s.rows} | {s.accuracy:.3f} | {s.entities} | "
            f"{s.entity_accuracy:.3f} | {s.span_recall:.3f} |",
            file=out,
        )
    if failures:
        for name, s in scores.items():
            print(f"\n{name}: {len(s.failures)} failures, first {failures}:", file=out)
            for row, predicted in s.failures[:failures]:
                print(f"  {row.text!r} (now {row.now:%Y-%m-%d %a %H:%M})", file=out)
                print(f"     expected  {_describe(row.expected)}", file=out)
                print(f"     predicted {_describe(predicted)}", file=out)
    return scores


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sample", type=int, default=None, help="rows per data set")
    parser.add_argument("--failures", type=int, default=0, help="print K failures per set")
    parser.add_argument(
        "--min-accuracy",
        type=float,
        default=None,
        help="exit 1 if sgd-dev or voice-* row accuracy is below this",
    )
    args = parser.parse_args(argv)
    datasets = {k: sample_rows(v, args.sample) for k, v in all_rows().items()}
    scores = report(datasets, assistant_predictor(), failures=args.failures)
    if args.min_accuracy is not None:
        gated = [k for k in scores if k != "recognizers-en"]
        low = [k for k in gated if scores[k].accuracy < args.min_accuracy]
        if low:
            print(f"below {args.min_accuracy}: {', '.join(low)}", file=sys.stderr)
            return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
