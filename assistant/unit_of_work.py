"""Unit of work: one database transaction around one use case (Cosmic Python style).

The caller (a view, an action, a worker) makes the unit of work; the service it calls enters it
and commits when its work is done:

    def cancel_for(uow: UnitOfWork, conversation_uid: str, ...) -> ChangeResult:
        with uow:
            ...
            uow.commit()

    frontdesk.cancel_for(UnitOfWork(settings().database_url), uid, ...)  # an action

Leaving the block without `commit()` rolls back, so a failure half-way leaves nothing behind.

A block entered again while the unit of work is open (a portal view handing its request's unit
of work to a service) joins that transaction: `commit()` and `rollback()` inside it are left to
the outermost block, which owns the transaction and commits it once (docs/ENGINEERING.md,
"Transactions").
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from types import TracebackType

from sqlalchemy.orm import Session

from assistant.db.engine import get_session_factory


class UnitOfWork:
    def __init__(self, database_url: str) -> None:
        self._factory = get_session_factory(database_url)
        self._depth = 0
        self.session: Session

    @classmethod
    def factory(cls, database_url: str) -> Callable[[], UnitOfWork]:
        """A fresh unit of work per call: for a worker that commits item by item."""
        return partial(cls, database_url)

    def __enter__(self) -> UnitOfWork:
        if self._depth == 0:
            self.session = self._factory()
        self._depth += 1
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self._depth -= 1
        if self._depth:  # a joined block: the outermost one decides
            return
        try:
            self.session.rollback()
        finally:
            self.session.close()

    @property
    def joined(self) -> bool:
        """Inside a block that joined an open unit of work (its owner commits)."""
        return self._depth > 1

    def commit(self) -> None:
        if not self.joined:
            self.session.commit()

    def rollback(self) -> None:
        if not self.joined:
            self.session.rollback()


UnitOfWorkFactory = Callable[[], UnitOfWork]
"""A fresh unit of work per call (`UnitOfWork.factory(url)`): what a worker is given when it
commits step by step (around a network call) or item by item."""
