"""Engine and session factory, one per database URL per process.

Errors never show a statement's parameters (`hide_parameters`): they are patients' names,
numbers and words, and an error's message ends up in logs.
"""

from __future__ import annotations

import select
import threading
from pathlib import Path

from sqlalchemy import create_engine, event
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session, sessionmaker

_engines: dict[str, Engine] = {}
_factories: dict[str, sessionmaker] = {}
_lock = threading.Lock()


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")  # the app, action server and worker share the file
    cursor.execute("PRAGMA busy_timeout=15000")
    cursor.close()


def make_sqlite_folder(url: str) -> None:
    """SQLite creates the file but not its folder (a clean clone has no `var/`)."""
    if url.startswith("sqlite"):
        path = url.split("///", 1)[-1]
        if path and path != ":memory:":
            Path(path).parent.mkdir(mode=0o700, parents=True, exist_ok=True)


def _create(url: str) -> Engine:
    if url.startswith("sqlite"):
        make_sqlite_folder(url)
        engine = create_engine(
            url,
            future=True,
            hide_parameters=True,
            connect_args={"check_same_thread": False, "timeout": 15},
        )
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    return create_engine(
        url,
        future=True,
        hide_parameters=True,
        pool_pre_ping=True,
        pool_size=5,
        max_overflow=10,
    )


def get_engine(url: str) -> Engine:
    with _lock:
        if url not in _engines:
            _engines[url] = _create(url)
        return _engines[url]


def get_session_factory(url: str) -> sessionmaker:
    engine = get_engine(url)
    with _lock:
        if url not in _factories:
            _factories[url] = sessionmaker(
                bind=engine, future=True, expire_on_commit=False, class_=Session
            )
        return _factories[url]


def dispose_all() -> None:
    """Close pooled connections and forget engines (tests, process shutdown)."""
    with _lock:
        for engine in _engines.values():
            engine.dispose()
        _engines.clear()
        _factories.clear()


_wait_limit = 0.0


def limit_postgres_waits(seconds: float) -> None:
    """Give up on PostgreSQL after `seconds` without an answer (0: wait forever, psycopg2's
    default), for every PostgreSQL connection of this process.

    A crashed server refuses connections at once, but a hung one (stalled disk, a stopped
    process, a network that drops packets) accepts them and never answers: the pool's pre-ping
    and every query would block with no end. psycopg2 has no client-side timeout, so this
    installs a wait callback (psycopg2's "green" mode) that polls the socket with a deadline.
    The deadline counts silence, not total time: a long result that keeps arriving is not cut.
    A request meets at most two such waits (the pre-ping of a pooled connection, then a new
    connection), so with 4 s it fails in about 8 s, inside Twilio's 15 s.
    """
    global _wait_limit
    from psycopg2 import extensions

    _wait_limit = seconds
    extensions.set_wait_callback(_wait_with_limit if seconds > 0 else None)


def _wait_with_limit(connection) -> None:
    from psycopg2 import OperationalError, extensions

    poller = select.poll()  # not select.select: file descriptors may exceed FD_SETSIZE
    while True:
        state = connection.poll()
        if state == extensions.POLL_OK:
            return
        if state == extensions.POLL_READ:
            events = select.POLLIN
        elif state == extensions.POLL_WRITE:
            events = select.POLLOUT
        else:
            raise OperationalError(f"unexpected state from psycopg2 poll(): {state}")
        poller.register(connection.fileno(), events)
        ready = poller.poll(_wait_limit * 1000)
        poller.unregister(connection.fileno())
        if not ready:
            # psycopg2 closes a connection whose wait failed (closing it here would deadlock),
            # so SQLAlchemy sees a disconnect and drops it from the pool
            raise OperationalError(f"PostgreSQL did not answer within {_wait_limit:g} s")
