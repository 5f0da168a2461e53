"""Finding or starting the conversation an inbound message or call belongs to."""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from assistant.db.models import Conversation, ConversationTurn
from assistant.db.types import utcnow

SMS = "sms"
VOICE = "voice"
PORTAL = "portal"


def new_uid() -> str:
    return secrets.token_hex(12)


def rasa_sender_id(conversation: Conversation) -> str:
    """Opaque id for Rasa's tracker: no phone number ever reaches Rasa's stores."""
    return f"{conversation.channel}:{conversation.uid}"


def sms_conversation(
    session: Session,
    *,
    practice_id: int,
    phone: str,
    session_minutes: int,
    language: str = "en",
    now: datetime | None = None,
) -> Conversation:
    """The active SMS conversation with this number, or a new one after the session timeout.

    A timed-out conversation is closed (outcome "abandoned" unless it already had one) so that
    nothing said in it carries over to the next session.
    """
    now = now or utcnow()
    current = session.execute(
        select(Conversation)
        .where(
            Conversation.practice_id == practice_id,
            Conversation.channel == SMS,
            Conversation.phone == phone,
            Conversation.status == "active",
        )
        .order_by(Conversation.id.desc())
        .limit(1)
    ).scalar_one_or_none()
    if current is not None:
        if now - current.last_activity_at <= timedelta(minutes=session_minutes):
            return current
        close(current, outcome=current.outcome or "abandoned", now=now)
    return new_sms_conversation(
        session, practice_id=practice_id, phone=phone, language=language, now=now
    )


def new_sms_conversation(
    session: Session, *, practice_id: int, phone: str, language: str, now: datetime
) -> Conversation:
    """A new SMS conversation with this number, started at `now` (flushed: it has an id)."""
    return start(
        session, practice_id=practice_id, channel=SMS, phone=phone, language=language, now=now
    )


def start(
    session: Session,
    *,
    practice_id: int,
    channel: str,
    phone: str | None,
    language: str,
    now: datetime,
    call_sid: str | None = None,
    verified_patient_id: int | None = None,
) -> Conversation:
    """A new conversation on any channel, started at `now` (flushed: it has an id)."""
    conversation = Conversation(
        uid=new_uid(),
        practice_id=practice_id,
        channel=channel,
        call_sid=call_sid,
        phone=phone,
        language=language,
        verified_patient_id=verified_patient_id,
        started_at=now,
        last_activity_at=now,
    )
    session.add(conversation)
    session.flush()
    return conversation


def voice_conversation(
    session: Session,
    *,
    practice_id: int,
    call_sid: str,
    phone: str | None,
    language: str = "en",
    now: datetime | None = None,
) -> Conversation:
    """The conversation of this call (keyed by CallSid), created on the first webhook."""
    now = now or utcnow()
    existing = session.execute(
        select(Conversation).where(Conversation.call_sid == call_sid)
    ).scalar_one_or_none()
    if existing is not None:
        return existing
    return start(
        session,
        practice_id=practice_id,
        channel=VOICE,
        call_sid=call_sid,
        # SIP and Twilio Client callers have a longer From than a phone number (kept as given,
        # to the column's length, as for SMS short codes)
        phone=phone[:20] if phone else phone,
        language=language,
        now=now,
    )


def by_uid(session: Session, uid: str) -> Conversation | None:
    return session.execute(select(Conversation).where(Conversation.uid == uid)).scalar_one_or_none()


def add_turn(
    session: Session,
    conversation: Conversation,
    direction: str,
    text: str,
    meta: dict[str, Any] | None = None,
    now: datetime | None = None,
) -> ConversationTurn:
    now = now or utcnow()
    turn = ConversationTurn(
        conversation_id=conversation.id, direction=direction, text=text, meta=meta, at=now
    )
    conversation.last_activity_at = now
    session.add(turn)
    return turn


def set_outcome(conversation: Conversation, outcome: str, summary: str | None = None) -> None:
    """Record what the conversation achieved; a later, more final outcome overwrites it."""
    conversation.outcome = outcome
    if summary:
        conversation.summary = summary


def close(conversation: Conversation, *, outcome: str | None = None, now: datetime | None = None):
    conversation.status = "closed"
    conversation.ended_at = now or utcnow()
    if outcome:
        conversation.outcome = outcome
