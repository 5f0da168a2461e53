"""A `redis-server` of the test's own, on a free loopback port, without persistence (`--save ""
--appendonly no`), in a temporary directory: killed (SIGKILL), paused (SIGSTOP) and started again
by the tests. The shared Redis on 6379 is never touched."""

from __future__ import annotations

import signal
import socket
import subprocess
from pathlib import Path

import pytest
import redis

from tests.assistant.reminders.celery_worker import wait_until
from tests.factories.databases import IN_CI

REDIS_SERVER = "/usr/bin/redis-server"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class PrivateRedis:
    """A `redis-server` of the test's own, without persistence; killed and started again."""

    def __init__(self, directory: Path) -> None:
        self.port = _free_port()
        self.directory = directory
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process: subprocess.Popen | None = None
        self.log = directory / "redis.log"

    def start(self, timeout: float = 10.0) -> None:
        argv = [
            REDIS_SERVER, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "",
            "--appendonly", "no", "--dir", str(self.directory),
        ]  # fmt: skip
        with open(self.log, "ab") as log:
            self.process = subprocess.Popen(
                argv, cwd=self.directory, stdout=log, stderr=subprocess.STDOUT
            )
        client = redis.Redis.from_url(self.url, socket_connect_timeout=0.5)

        def answers() -> bool:
            assert self.process is not None
            if self.process.poll() is not None:
                raise AssertionError(f"redis-server exited; see {self.log}")
            try:
                return bool(client.ping())
            except redis.ConnectionError:
                return False

        try:
            wait_until(answers, timeout, "the private redis-server")
        finally:
            client.close()

    def kill(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGCONT)  # in case it was paused
            self.process.send_signal(signal.SIGKILL)
            self.process.wait()

    def pause(self) -> None:
        """Still accepting connections (the kernel does), never answering: a hung Redis."""
        assert self.process is not None
        self.process.send_signal(signal.SIGSTOP)

    def resume(self) -> None:
        assert self.process is not None
        self.process.send_signal(signal.SIGCONT)


def started_redis(directory: Path) -> PrivateRedis:
    """A started private Redis; without redis-server the test skips, or fails in CI."""
    directory.mkdir(parents=True, exist_ok=True)
    server = PrivateRedis(directory)
    try:
        server.start()
    except (FileNotFoundError, AssertionError) as exc:
        if IN_CI:  # the machines have redis-server: CI must not pass by skipping
            pytest.fail(f"cannot run {REDIS_SERVER}: {exc}", pytrace=False)
        pytest.skip(f"cannot run {REDIS_SERVER}: {exc}")
    return server
