"""Engine and session factory, one per database URL per process."""

from __future__ import annotations

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


def _create(url: str) -> Engine:
    if url.startswith("sqlite"):
        path = url.split("///", 1)[-1]
        if path and path != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(
            url, future=True, connect_args={"check_same_thread": False, "timeout": 15}
        )
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    return create_engine(url, future=True, pool_pre_ping=True, pool_size=5, max_overflow=10)


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
