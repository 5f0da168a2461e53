"""A real `celery worker` process for tests: started, waited for, stopped or killed."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Callable
from pathlib import Path

from assistant.config import PROJECT_ROOT

READY = b" ready."


def wait_until(condition: Callable[[], bool], timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout} s waiting for {what}")
        time.sleep(0.1)


class CeleryWorker:
    """`celery -A assistant.reminders.celery_app worker --pool solo` with the given settings."""

    def __init__(self, env: dict[str, str], log_path: Path, *, beat: bool = False) -> None:
        self.env = {
            **{k: v for k, v in os.environ.items() if not k.startswith(("TWILIO_", "REMINDER_"))},
            **env,
            "PYTHONPATH": str(PROJECT_ROOT),
        }
        self.log_path = log_path
        self.beat = beat
        self.process: subprocess.Popen | None = None

    def start(self, timeout: float = 90.0) -> CeleryWorker:
        offset = self.log_path.stat().st_size if self.log_path.exists() else 0
        argv = [
            sys.executable, "-m", "celery", "-A", "assistant.reminders.celery_app", "worker",
            "--pool", "solo", "--loglevel", "INFO", "--hostname", f"test-{uuid.uuid4().hex[:8]}@%h",
            "--without-gossip", "--without-mingle", "--without-heartbeat",
            *(["--beat"] if self.beat else []),
        ]  # fmt: skip
        with open(self.log_path, "ab") as log:
            self.process = subprocess.Popen(
                argv,
                cwd=PROJECT_ROOT,
                env=self.env,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )

        def ready() -> bool:
            assert self.process is not None
            if self.process.poll() is not None:
                raise AssertionError(f"celery worker exited; see {self.log_path}")
            return READY in self.log_path.read_bytes()[offset:]

        wait_until(ready, timeout, "the celery worker to be ready")
        return self

    def kill(self) -> None:
        """SIGKILL: no warm shutdown, the task in hand is left unacknowledged."""
        if self.process is not None and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        os.killpg(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.kill()

    def __enter__(self) -> CeleryWorker:
        return self.start()

    def __exit__(self, *_exc: object) -> None:
        self.stop()
