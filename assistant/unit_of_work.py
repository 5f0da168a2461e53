"""Unit of work: one database transaction around one service call (Cosmic Python style).

    with UnitOfWork(settings.database_url) as uow:
        appointment = uow.session.get(Appointment, 1)
        ...
        uow.commit()

Leaving the block without `commit()` rolls back, so a failure half-way leaves nothing behind.
"""

from __future__ import annotations

from types import TracebackType

from sqlalchemy.orm import Session

from assistant.db.engine import get_session_factory


class UnitOfWork:
    def __init__(self, database_url: str) -> None:
        self._factory = get_session_factory(database_url)
        self.session: Session

    def __enter__(self) -> UnitOfWork:
        self.session = self._factory()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        try:
            self.session.rollback()
        finally:
            self.session.close()

    def commit(self) -> None:
        self.session.commit()

    def rollback(self) -> None:
        self.session.rollback()
