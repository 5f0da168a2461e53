"""Compare raw date/time libraries on the data sets of `nlu.evaluation.datetimes`.

Both libraries must be importable; they are not both in the project's lock file, so run it in a
scratch venv that sees the project's packages (see docs/benchmarks.md, "Date and time
resolution"):

    python bench/datetime_libraries.py [--sample N]

Scoring is lenient to the libraries (an *upper bound* of what post-processing could reach): a
span counts if any of the library's alternatives equals any expected one; dateparser's single
datetime is offered as a date, a time and a datetime at once.
"""

from __future__ import annotations

import argparse
import sys
import time as clock
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from nlu.evaluation.datetimes import (  # noqa: E402
    Entity,
    Predictor,
    Row,
    all_rows,
    report,
    sample_rows,
)

VALUE_KEYS = ("value", "start", "end")


def recognizers_predictor() -> Predictor:
    from recognizers_date_time import Culture, recognize_datetime

    cultures = {"en": Culture.English, "es": Culture.Spanish}

    def predict(row: Row) -> list[Entity]:
        results = recognize_datetime(row.text, cultures[row.language], reference=row.now)
        out = []
        for r in results:
            values = (r.resolution or {}).get("values") or []
            alts = tuple({k: v[k] for k in VALUE_KEYS if k in v} for v in values)
            kind = r.type_name.rsplit(".", 1)[-1]
            out.append(Entity(r.start, r.end + 1, r.text, kind, alts))
        return out

    return predict


def dateparser_predictor() -> Predictor:
    from dateparser.search import search_dates

    def predict(row: Row) -> list[Entity]:
        found = search_dates(
            row.text,
            languages=[row.language],
            settings={"RELATIVE_BASE": row.now, "PREFER_DATES_FROM": "future"},
        )
        out, pos = [], 0
        for text, value in found or []:
            start = row.text.find(text, pos)
            if start < 0:
                start = row.text.find(text)
            pos = start + len(text)
            alts = (
                {"value": value.date().isoformat()},
                {"value": value.time().isoformat()},
                {"value": value.isoformat(sep=" ")},
            )
            out.append(Entity(start, start + len(text), text, "datetime", alts))
        return out

    return predict


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sample", type=int, default=None)
    parser.add_argument("--failures", type=int, default=0)
    args = parser.parse_args()
    datasets = {k: sample_rows(v, args.sample) for k, v in all_rows().items()}
    for name, factory in [
        ("dateparser", dateparser_predictor),
        ("recognizers-text-suite", recognizers_predictor),
    ]:
        predict = factory()
        started = clock.perf_counter()
        predict(datasets["voice-en"][0])  # first call builds the library's tables
        warm = clock.perf_counter() - started
        n = sum(len(v) for v in datasets.values())
        started = clock.perf_counter()
        print(f"\n### {name}\n")
        report(datasets, predict, failures=args.failures)
        per_row = (clock.perf_counter() - started) / n * 1000
        print(f"\nfirst call {warm:.2f} s; then {per_row:.1f} ms per row (incl. scoring)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
