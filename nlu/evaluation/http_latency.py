"""HTTP `/model/parse` latency against a running Rasa server (`rasa run --enable-api`).

    python -m nlu.evaluation.http_latency --url http://localhost:5105 [--n 300]

One client, sequential requests: 5 warm-up parses, then `--n` parses of held-out texts
(`nlu/tests/heldout.yml`, in file order, cycling). Reports p50 / p95 / p99 / max in ms, the
time from sending the request to reading the whole reply (what the webhooks wait for).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
import urllib.request
from collections.abc import Sequence

from nlu.evaluation.datasets import heldout_examples
from nlu.evaluation.metrics import percentile


def parse_over_http(url: str, text: str, timeout: float = 10.0) -> dict:
    request = urllib.request.Request(
        f"{url.rstrip('/')}/model/parse",
        data=json.dumps({"text": text}).encode(),
        headers={"Content-Type": "application/json"},
        method="POST",
    )
    with urllib.request.urlopen(request, timeout=timeout) as response:
        return json.loads(response.read())


def measure(url: str, texts: Sequence[str], n: int) -> dict:
    for text in texts[:5]:  # warm-up
        parse_over_http(url, text)
    timings = []
    for i in range(n):
        started = time.perf_counter()
        parse_over_http(url, texts[i % len(texts)])
        timings.append((time.perf_counter() - started) * 1000)
    return {
        "n": n,
        "p50_ms": round(percentile(timings, 50), 2),
        "p95_ms": round(percentile(timings, 95), 2),
        "p99_ms": round(percentile(timings, 99), 2),
        "max_ms": round(max(timings), 2),
    }


def main(argv: Sequence[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m nlu.evaluation.http_latency", description=__doc__)
    p.add_argument("--url", required=True, help="Rasa server, e.g. http://localhost:5105")
    p.add_argument("--n", type=int, default=300, help="parses timed")
    args = p.parse_args(argv)
    texts = [e.text for e in heldout_examples()]
    result = measure(args.url, texts, args.n)
    print(
        f"HTTP /model/parse, {result['n']} sequential parses: p50={result['p50_ms']} ms "
        f"p95={result['p95_ms']} ms p99={result['p99_ms']} ms max={result['max_ms']} ms"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
