"""The local supervisor: a child that exits is started again (same command, environment and log
file) after a pause that doubles, and one that keeps exiting makes it give up. Tiny Python
children stand in for Rasa, the action server and the app."""

from __future__ import annotations

import os
import signal
import sys
import time
from pathlib import Path

import pytest

from assistant import stack
from assistant.supervisor import GaveUp, Policy, Supervisor, ordinal

# Writes one line per start to its log: the environment it got, its argument, when it started.
START_LINE = (
    "import os, sys, time; print('up', os.environ['MARK'], sys.argv[1], time.time(), flush=True)"
)
SLEEPER = [sys.executable, "-c", START_LINE + "; time.sleep(60)", "sleeper-arg"]
CRASHER = [sys.executable, "-c", START_LINE + "; sys.exit(3)", "crasher-arg"]


def _starts(log: Path) -> list[list[str]]:
    return [line.split() for line in log.read_text().splitlines() if line.startswith("up ")]


def _wait_for(condition, timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.02)


@pytest.fixture
def env() -> dict[str, str]:
    return dict(os.environ, MARK="same-env")


def test_a_killed_child_is_started_again_with_its_command_env_and_log(tmp_path, env):
    services = [stack.Service("sleeper", SLEEPER), stack.Service("other", SLEEPER)]
    reports: list[str] = []
    supervisor = Supervisor(services, env, tmp_path, Policy(first_delay=0.05), reports.append)
    stack.start(services, env, tmp_path)
    try:
        log = tmp_path / "sleeper.log"
        _wait_for(lambda: len(_starts(log)) == 1)
        killed, other = services[0].process.pid, services[1].process.pid
        os.killpg(killed, signal.SIGKILL)
        _wait_for(lambda: (supervisor.check(), len(_starts(log)) == 2)[1])

        assert reports == ["sleeper exited with code -9; restarting in 0.05 s (1st time)"]
        first, second = _starts(log)
        assert first[:3] == second[:3] == ["up", "same-env", "sleeper-arg"]
        assert services[0].process.pid != killed and services[0].process.poll() is None
        assert services[1].process.pid == other  # the others are left alone
        assert supervisor.restarts == {"sleeper": 1}
    finally:
        stack.stop(services, grace_seconds=5)


def test_a_crashing_child_is_restarted_with_backoff_then_given_up_on(tmp_path, env):
    services = [stack.Service("crasher", CRASHER), stack.Service("other", SLEEPER)]
    reports: list[str] = []
    policy = Policy(first_delay=0.1, max_delay=0.4, max_exits=6, window=60)
    stack.start(services, env, tmp_path)
    try:
        gave_up = Supervisor(services, env, tmp_path, policy, reports.append).run(interval=0.01)

        assert reports == [
            f"crasher exited with code 3; restarting in {delay:g} s ({ordinal(n)} time)"
            for n, delay in enumerate([0.1, 0.2, 0.4, 0.4, 0.4], start=1)
        ]
        assert gave_up == (
            "crasher exited with code 3, 6 times within 60 s: giving up, stopping the rest"
        )
        started = [float(line[3]) for line in _starts(tmp_path / "crasher.log")]
        assert len(started) == 6  # the first start and 5 restarts, then no more
        pauses = [b - a for a, b in zip(started, started[1:], strict=False)]
        assert all(p >= d for p, d in zip(pauses, [0.1, 0.2, 0.4, 0.4, 0.4], strict=True))
        assert services[1].process.poll() is None  # still up: stopping is the caller's call
    finally:
        stack.stop(services, grace_seconds=5)
    assert services[1].process.poll() is not None


class _Exited:
    """A process that has already exited (no real child: the clock is the test's)."""

    pid = 2**22 + 1  # above any pid_max: killpg finds nothing

    def __init__(self, code: int) -> None:
        self.returncode = code

    def poll(self) -> int:
        return self.returncode


def test_exits_spread_out_do_not_add_up(tmp_path, monkeypatch):
    """An exit now and then (outside the window) restarts after the first pause, never gives up;
    five close together do."""
    now = [0.0]
    monkeypatch.setattr(stack, "start_one", lambda s, _e, _d: setattr(s, "process", _Exited(1)))
    service = stack.Service("rasa", ["rasa"], _Exited(-9))
    reports: list[str] = []
    supervisor = Supervisor([service], {}, tmp_path, Policy(), reports.append, lambda: now[0])
    for _ in range(8):  # one exit every 61 s: at most two within 120 s
        supervisor.check()  # notes the exit
        now[0] += 61
        supervisor.check()  # starts it again
    assert [r.split("; ")[1].split(" (")[0] for r in reports] == ["restarting in 1 s"] + [
        "restarting in 2 s"
    ] * 7
    assert reports[-1].endswith("(8th time)")

    with pytest.raises(GaveUp, match=r"rasa exited with code 1, 5 times within 120 s"):
        for _ in range(5):
            supervisor.check()
            now[0] += 20  # longer than the pause: started again each time
            supervisor.check()


def test_policy_doubles_up_to_its_cap() -> None:
    policy = Policy(first_delay=1, max_delay=30)
    assert [policy.delay(n) for n in range(1, 8)] == [1, 2, 4, 8, 16, 30, 30]
    assert [ordinal(n) for n in (1, 2, 3, 4, 11, 12, 13, 21, 22, 101)] == [
        "1st", "2nd", "3rd", "4th", "11th", "12th", "13th", "21st", "22nd", "101st"
    ]  # fmt: skip
