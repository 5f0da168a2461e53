"""Logging an unexpected error without a patient's data in it."""

from __future__ import annotations

import logging

from sqlalchemy.exc import DBAPIError


def log_unexpected(log: logging.Logger, exc: BaseException, message: str, *args: object) -> None:
    """Log an unexpected error, with its traceback unless it came from the database.

    Statement parameters are hidden by the engine (`hide_parameters`), but the database's own
    message may quote the row (PostgreSQL: "Key (key)=(...) already exists"), so for database
    errors only the exception types and the statement (placeholders, no values) are logged.
    """
    if isinstance(exc, DBAPIError):
        statement = " ".join((exc.statement or "").split())[:200]
        log.error(
            message + ": %s (%s) in %r",
            *args,
            type(exc).__name__,
            type(exc.orig).__name__,
            statement,
        )
    else:
        log.exception(message, *args)
