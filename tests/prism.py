"""Prism (`@stoplight/prism-cli`, installed by `scripts/install-prism.sh` into tools/prism)
mocking Twilio's REST API from its OpenAPI description (shared/twilio/twilio_api_v2010.json).

Prism answers 422 to a request that breaks the spec (a missing `To`, a malformed
`StatusCallback` ...), so a message it accepts is one Twilio's API would take. It runs in
dynamic mode (`-d`) so that each message gets its own random SID, as Twilio's would be.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import requests

from assistant.config import PROJECT_ROOT

PRISM_BIN = PROJECT_ROOT / "tools" / "prism" / "node_modules" / ".bin" / "prism"
TWILIO_SPEC = PROJECT_ROOT.parent / "shared" / "twilio" / "twilio_api_v2010.json"


class PrismUnavailable(RuntimeError):
    """Prism or the spec is missing (run scripts/install-prism.sh), or it did not start."""


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def running_prism(log_path: Path, timeout: float = 60.0) -> Iterator[str]:
    """Start `prism mock` on a free loopback port; yield its base URL; stop it afterwards."""
    if not PRISM_BIN.exists():
        raise PrismUnavailable(f"{PRISM_BIN} is missing: run scripts/install-prism.sh")
    if not TWILIO_SPEC.exists():
        raise PrismUnavailable(f"{TWILIO_SPEC} is missing")
    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    with open(log_path, "ab") as log:
        process = subprocess.Popen(
            [str(PRISM_BIN), "mock", "-d", "-h", "127.0.0.1", "-p", str(port), str(TWILIO_SPEC)],
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group, stopped as a whole below
        )
    try:
        deadline = time.monotonic() + timeout
        while True:
            if process.poll() is not None:
                raise PrismUnavailable(f"prism exited with {process.returncode}; see {log_path}")
            try:
                requests.get(url, timeout=1)  # any answer (404 for "/") means it listens
                break
            except requests.RequestException:
                if time.monotonic() > deadline:
                    raise PrismUnavailable(f"prism not listening after {timeout} s") from None
                time.sleep(0.2)
        yield url
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGTERM)
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()
