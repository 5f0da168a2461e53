"""Rate limits of the portal sign-in, per number and per address (both stored hashed)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from assistant.db.models import PortalAttempt

SEND = "send"
WRONG_CODE = "wrong_code"
NO_MATCH = "no_match"  # phone and date of birth matched nobody
FAILURES = (WRONG_CODE, NO_MATCH)


@dataclass(frozen=True)
class Limits:
    """How much one number or one address may do within `window`."""

    sends_per_number: int = 3
    sends_per_ip: int = 30  # one address may be a whole waiting room behind NAT
    failures_per_number: int = 6
    failures_per_ip: int = 50
    window: timedelta = timedelta(hours=1)


DEFAULT_LIMITS = Limits()


def note(session: Session, kind: str, phone_hash: str | None, ip_hash: str, now: datetime) -> None:
    session.add(PortalAttempt(kind=kind, phone_hash=phone_hash, ip_hash=ip_hash, at=now))


def _count(session: Session, kinds: tuple[str, ...], column, value: str, since: datetime) -> int:
    return session.execute(
        select(func.count(PortalAttempt.id)).where(
            PortalAttempt.kind.in_(kinds), column == value, PortalAttempt.at > since
        )
    ).scalar_one()


def may_send(
    session: Session, phone_hash: str, ip_hash: str, now: datetime, limits: Limits
) -> bool:
    since = now - limits.window
    return (
        _count(session, (SEND,), PortalAttempt.phone_hash, phone_hash, since)
        < limits.sends_per_number
        and _count(session, (SEND,), PortalAttempt.ip_hash, ip_hash, since) < limits.sends_per_ip
    )


def may_try(
    session: Session, phone_hash: str | None, ip_hash: str, now: datetime, limits: Limits
) -> bool:
    """False when this number or this address has failed too often recently."""
    since = now - limits.window
    if _count(session, FAILURES, PortalAttempt.ip_hash, ip_hash, since) >= limits.failures_per_ip:
        return False
    if phone_hash is None:
        return True
    failures = _count(session, FAILURES, PortalAttempt.phone_hash, phone_hash, since)
    return failures < limits.failures_per_number
