"""Staff sign-in: hashed passwords and a per-account lock after repeated failures."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session
from werkzeug.security import check_password_hash, generate_password_hash

from assistant.db.models import StaffUser
from assistant.db.types import utcnow

MAX_FAILURES = 5
LOCK_MINUTES = 15
MIN_PASSWORD_LENGTH = 10
# Checked when the email is unknown, so that a wrong email costs as long as a wrong password.
_DUMMY_HASH = generate_password_hash("not-a-real-password")

INVALID = "invalid"
LOCKED = "locked"


@dataclass(frozen=True)
class LoginResult:
    user: StaffUser | None
    error: str | None = None  # "invalid" | "locked"
    locked_until: datetime | None = None


def hash_password(password: str) -> str:
    """A salted scrypt hash (werkzeug's default)."""
    if len(password) < MIN_PASSWORD_LENGTH:
        raise ValueError(f"a password needs at least {MIN_PASSWORD_LENGTH} characters")
    return generate_password_hash(password)


def user_by_email(session: Session, email: str) -> StaffUser | None:
    return session.execute(
        select(StaffUser).where(func.lower(StaffUser.email) == email.strip().lower())
    ).scalar_one_or_none()


def authenticate(
    session: Session, email: str, password: str, *, now: datetime | None = None
) -> LoginResult:
    """Check a sign-in; counts failures per account and locks it for 15 minutes after five.

    The caller commits (failures must be kept even though the sign-in is refused).
    """
    now = now or utcnow()
    user = user_by_email(session, email) if email else None
    if user is None or not user.active:
        check_password_hash(_DUMMY_HASH, password)
        return LoginResult(None, INVALID)
    if user.locked_until is not None and user.locked_until > now:
        return LoginResult(None, LOCKED, user.locked_until)
    if not check_password_hash(user.password_hash, password):
        user.failed_logins = (user.failed_logins or 0) + 1
        if user.failed_logins >= MAX_FAILURES:
            user.failed_logins = 0
            user.locked_until = now + timedelta(minutes=LOCK_MINUTES)
            return LoginResult(None, LOCKED, user.locked_until)
        return LoginResult(None, INVALID)
    user.failed_logins = 0
    user.locked_until = None
    user.last_login_at = now
    return LoginResult(user)


def active_user(session: Session, user_id: int) -> StaffUser | None:
    """The signed-in user, if still active (a deactivated account loses its session)."""
    user = session.get(StaffUser, user_id)
    return user if user is not None and user.active else None
