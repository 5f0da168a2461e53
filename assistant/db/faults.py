"""Telling "the database is unavailable" apart from other database errors.

Unavailable: the server cannot be reached, refuses or drops the connection, the database does
not exist, the pool has no connection to give, SQLite's file is locked or unreadable. What
follows from it (a Twilio request kept in the spool, a replay pass stopped until later) is
wrong for errors about the data itself (an integrity or data error), which stay errors.
"""

from __future__ import annotations

from sqlalchemy import exc as sa_exc

_UNAVAILABLE = (
    sa_exc.OperationalError,  # connection refused/reset, no such database, server shut down
    sa_exc.InterfaceError,  # the DBAPI connection is closed or unusable
    sa_exc.DisconnectionError,
    sa_exc.TimeoutError,  # no connection in the pool in time
)


def database_unavailable(error: BaseException | None) -> bool:
    """True when `error` (or what caused it) says the database cannot be used right now."""
    seen = 0
    while error is not None and seen < 8:
        if isinstance(error, _UNAVAILABLE):
            return True
        if isinstance(error, sa_exc.DBAPIError) and error.connection_invalidated:
            return True
        error = error.__cause__ or error.__context__
        seen += 1
    return False
