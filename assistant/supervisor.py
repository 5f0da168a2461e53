"""Keeping the local stack up without a person: a child that exits is started again.

After start-up, a child that exits (a crash, the OOM killer, `kill -9`) is started again with
the same command, environment and log file after a pause that doubles with each recent exit
(1 s, 2 s, 4 s ... up to 30 s), and this is reported on stdout. A child that keeps exiting
(5 times within 2 minutes) has a fault a restart will not fix: the supervisor gives up and the
caller stops the stack, as it did before there was a supervisor.

Reports name the service and its exit code only: never a command line, environment or log line
(they may hold credentials or a patient's words).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from assistant import stack


@dataclass(frozen=True)
class Policy:
    first_delay: float = 1.0  # seconds before the first restart
    max_delay: float = 30.0  # the doubling stops here
    max_exits: int = 5  # this many exits of one child ...
    window: float = 120.0  # ... within this many seconds: give up

    def delay(self, recent_exits: int) -> float:
        return min(self.first_delay * 2 ** max(recent_exits - 1, 0), self.max_delay)


class GaveUp(RuntimeError):
    """A child exited too often; the message is one line fit to print."""


def ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


@dataclass
class Supervisor:
    services: list[stack.Service]
    env: dict[str, str]
    log_dir: Path
    policy: Policy = field(default_factory=Policy)
    report: Callable[[str], None] = print
    clock: Callable[[], float] = time.monotonic
    restarts: dict[str, int] = field(default_factory=dict)  # per service, since start-up
    _exits: dict[str, list[float]] = field(default_factory=dict)  # recent exit times
    _due: dict[str, float] = field(default_factory=dict)  # waiting: when to start again

    def check(self) -> None:
        """One look at every child: note exits, start again those whose pause is over.
        Raises GaveUp when a child exited `max_exits` times within `window` seconds."""
        now = self.clock()
        for service in self.services:
            if service.name in self._due:
                if now >= self._due[service.name]:
                    del self._due[service.name]
                    self.restarts[service.name] = self.restarts.get(service.name, 0) + 1
                    stack.start_one(service, self.env, self.log_dir)
                continue
            code = service.process.poll() if service.process else None
            if code is None:
                continue
            stack.kill_leftovers(service)  # e.g. gunicorn's workers, still holding the port
            self._exited(service.name, code, now)

    def _exited(self, name: str, code: int, now: float) -> None:
        recent = [t for t in self._exits.get(name, []) if now - t < self.policy.window]
        recent.append(now)
        self._exits[name] = recent
        if len(recent) >= self.policy.max_exits:
            raise GaveUp(
                f"{name} exited with code {code}, {len(recent)} times within "
                f"{self.policy.window:g} s: giving up, stopping the rest"
            )
        delay = self.policy.delay(len(recent))
        nth = ordinal(self.restarts.get(name, 0) + 1)
        self.report(f"{name} exited with code {code}; restarting in {delay:g} s ({nth} time)")
        self._due[name] = now + delay

    def run(self, interval: float = 0.5) -> str:
        """Supervise until a child exits too often; returns why. Ctrl-C (KeyboardInterrupt)
        goes through to the caller, which stops everything."""
        while True:
            try:
                self.check()
            except GaveUp as gave_up:
                return str(gave_up)
            time.sleep(interval)
