"""Which practice a Twilio number or request belongs to."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from assistant.db.models import Practice


class NoPractice(LookupError):
    """The database holds no practice yet (run `assistant seed-demo` or `assistant import`)."""


def practice_for_number(session: Session, twilio_number: str | None) -> Practice:
    """One deployment serves one practice today; the number is accepted for the multi-practice
    future (a `twilio_numbers` mapping) without changing callers."""
    practice = session.execute(select(Practice).order_by(Practice.id).limit(1)).scalar_one_or_none()
    if practice is None:
        raise NoPractice("no practice configured")
    return practice
