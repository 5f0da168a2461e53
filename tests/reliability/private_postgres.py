"""A PostgreSQL server of the test's own, which the test may crash and start again.

The shared server on 127.0.0.1:5432 must never be stopped, so the restart tests run `initdb`
into a temporary directory and `pg_ctl start` on a free loopback port (unix socket in the same
directory, `fsync=off`: a crash here is the server's processes dying, not the machine losing
power, so the kernel still holds what was written). initdb refuses to run as root: as root the
commands run as the `postgres` OS user (`runuser -u postgres --`) in a directory it owns.

`stop("immediate")` is a crash (every backend killed, no checkpoint: crash recovery on the
next start); `stop("fast")` is a clean shutdown that aborts open transactions. The app's schema
comes from the Alembic migrations, once per server into a template database; each test gets a
fresh copy (`CREATE DATABASE ... TEMPLATE`).
"""

from __future__ import annotations

import contextlib
import glob
import os
import shutil
import signal
import socket
import subprocess
import tempfile
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Literal

import pytest
from sqlalchemy import create_engine, text

from assistant.db import migrate
from assistant.db.engine import get_engine
from tests.factories.databases import IN_CI

TEMPLATE = "assistant_template"


class PostgresUnavailable(RuntimeError):
    """The PostgreSQL server binaries are missing or the private server did not start."""


def bin_dir() -> Path:
    """Where initdb and pg_ctl are: $PG_BINDIR, else the newest /usr/lib/postgresql/*/bin."""
    if os.environ.get("PG_BINDIR"):
        return Path(os.environ["PG_BINDIR"])
    found = sorted(
        glob.glob("/usr/lib/postgresql/*/bin/initdb"),
        key=lambda p: (
            int(Path(p).parent.parent.name) if Path(p).parent.parent.name.isdigit() else 0
        ),
    )
    if found:
        return Path(found[-1]).parent
    initdb = shutil.which("initdb")
    if initdb:
        return Path(initdb).parent
    raise PostgresUnavailable("initdb not found (install postgresql, or set PG_BINDIR)")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class PrivatePostgres:
    """One private cluster: `init()` once, then `start()` / `stop(mode)` as often as needed."""

    def __init__(self) -> None:
        self.bin = bin_dir()
        self.directory = Path(tempfile.mkdtemp(prefix="pgrestart-"))
        self.data = self.directory / "data"
        self.log = self.directory / "postgres.log"
        self.port = _free_port()
        self.as_postgres = os.geteuid() == 0  # initdb refuses root
        self.frozen: list[int] = []
        if self.as_postgres:
            shutil.chown(self.directory, user="postgres", group="postgres")

    def url(self, database: str = "postgres") -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/{database}"

    def _run(self, *argv: str, timeout: float = 60.0) -> subprocess.CompletedProcess:
        prefix = ["runuser", "-u", "postgres", "--"] if self.as_postgres else []
        done = subprocess.run(
            [*prefix, *argv], capture_output=True, text=True, timeout=timeout, check=False
        )
        if done.returncode != 0:
            raise PostgresUnavailable(
                f"{Path(argv[0]).name} {argv[1:]} exited {done.returncode}: "
                f"{done.stderr.strip()[-800:]} (log: {self.log})"
            )
        return done

    def init(self) -> None:
        self._run(
            str(self.bin / "initdb"), "-D", str(self.data), "-U", "postgres", "-A", "trust",
            "-E", "UTF8", "--locale=C", "--no-sync", "--no-instructions",
        )  # fmt: skip

    def start(self, timeout: int = 30) -> float:
        """Start and wait until it accepts connections (crash recovery included); seconds."""
        options = (
            f"-p {self.port} -k {self.directory} -c listen_addresses=127.0.0.1 -c fsync=off"
            " -c max_connections=60"
        )
        started = time.monotonic()
        self._run(
            str(self.bin / "pg_ctl"), "-D", str(self.data), "-l", str(self.log), "-w",
            "-t", str(timeout), "-o", options, "start",
        )  # fmt: skip
        return time.monotonic() - started

    def stop(self, mode: Literal["immediate", "fast"] = "immediate") -> float:
        """`immediate`: a crash (backends killed, recovery on the next start); `fast`: a clean
        shutdown that rolls back open transactions. Seconds until the server is gone."""
        started = time.monotonic()
        self._run(str(self.bin / "pg_ctl"), "-D", str(self.data), "-m", mode, "-w", "stop")
        return time.monotonic() - started

    def _processes(self) -> list[int]:
        """The postmaster and its children (backends, checkpointer, ...)."""
        postmaster = int((self.data / "postmaster.pid").read_text().split()[0])
        children = []
        for stat in Path("/proc").glob("[0-9]*/stat"):
            try:
                fields = stat.read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue  # gone meanwhile
            if int(fields[1]) == postmaster:
                children.append(int(stat.parent.name))
        return [postmaster, *children]

    def freeze(self) -> None:
        """Hang the server without closing anything (SIGSTOP to all its processes): connections
        are accepted by the kernel, never answered: a stalled disk or an overloaded host."""
        self.frozen = self._processes()
        for pid in self.frozen:
            os.kill(pid, signal.SIGSTOP)

    def thaw(self) -> None:
        for pid in self.frozen:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGCONT)
        self.frozen = []

    def running(self) -> bool:
        prefix = ["runuser", "-u", "postgres", "--"] if self.as_postgres else []
        status = subprocess.run(
            [*prefix, str(self.bin / "pg_ctl"), "-D", str(self.data), "status"],
            capture_output=True,
            check=False,
        )
        return status.returncode == 0

    def admin(self, sql: str) -> None:
        engine = create_engine(self.url(), isolation_level="AUTOCOMMIT", future=True)
        try:
            with engine.connect() as conn:
                conn.execute(text(sql))
        finally:
            engine.dispose()

    def destroy(self) -> None:
        self.thaw()
        if self.data.exists() and self.running():
            with contextlib.suppress(PostgresUnavailable):
                self.stop("immediate")
        shutil.rmtree(self.directory, ignore_errors=True)


@pytest.fixture(scope="module")
def private_postgres() -> Iterator[PrivatePostgres]:
    """The module's private server, with the migrated template database."""
    server: PrivatePostgres | None = None
    try:
        server = PrivatePostgres()
        server.init()
        server.start()
        server.admin(f'CREATE DATABASE "{TEMPLATE}"')
        migrate.upgrade(server.url(TEMPLATE))
        get_engine(server.url(TEMPLATE)).dispose()  # a template takes no connections
    except (PostgresUnavailable, OSError, subprocess.SubprocessError) as exc:
        if server is not None:
            server.destroy()
        message = f"cannot run a private PostgreSQL: {exc}"
        if IN_CI:  # CI machines have the server binaries: the restart tests must run there
            pytest.fail(message, pytrace=False)
        pytest.skip(message)
    try:
        yield server
    finally:
        server.destroy()


@pytest.fixture
def restartable_db(private_postgres: PrivatePostgres) -> Iterator[str]:
    """A fresh migrated database on the private server (running at the start of the test);
    its URL. The test may stop, start, freeze and thaw the server."""
    private_postgres.thaw()
    if not private_postgres.running():
        private_postgres.start()
    name = f"assistant_{uuid.uuid4().hex[:10]}"
    private_postgres.admin(f'CREATE DATABASE "{name}" TEMPLATE "{TEMPLATE}"')
    url = private_postgres.url(name)
    try:
        yield url
    finally:
        private_postgres.thaw()
        get_engine(url).dispose()
        if not private_postgres.running():
            private_postgres.start()
        private_postgres.admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
