"""Portal web sessions: the cookie holds a random token; the row (its hash) holds who is signed in,
which record is being viewed, and that record's chat conversation.

A session ends on sign-out, after `IDLE_MINUTES` without activity, or `MAX_HOURS` after it
began. Family members sharing the verified number can switch between their records.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from assistant import audit
from assistant.actor import Actor
from assistant.conversations import sessions as conversations
from assistant.db.models import Conversation, Patient, PatientPhone, PortalSession
from assistant.db.types import utcnow
from assistant.portal.hashing import keyed

IDLE_MINUTES = 15
MAX_HOURS = 8
CHANNEL = "portal"

SIGNED_OUT = "signed_out"
IDLE = "idle"
EXPIRED = "expired"


@dataclass(frozen=True)
class Record:
    """A patient the signed-in person may switch to (plain values for templates)."""

    patient_id: int
    first_name: str
    last_name: str
    current: bool

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}"


def token_hash(secret: str, token: str) -> str:
    return keyed(secret, "portal-session", token)


def open_session(
    session: Session,
    *,
    practice_id: int,
    phone: str,
    patient_id: int,
    challenge_id: int | None,
    language: str,
    now: datetime,
    secret: str,
) -> str:
    """Start a session for a verified patient; returns the token for the cookie."""
    token = secrets.token_urlsafe(32)
    session.add(
        PortalSession(
            token_hash=token_hash(secret, token),
            practice_id=practice_id,
            phone=phone,
            verified_patient_id=patient_id,
            patient_id=patient_id,
            challenge_id=challenge_id,
            language=language if language in ("en", "es") else "en",
            created_at=now,
            last_seen_at=now,
            expires_at=now + timedelta(hours=MAX_HOURS),
        )
    )
    session.flush()
    return token


def current(
    session: Session,
    token: str | None,
    *,
    secret: str,
    now: datetime | None = None,
    touch: bool = True,
) -> PortalSession | None:
    """The live session of this token, or None; ends it when idle or past its limit."""
    if not token:
        return None
    now = now or utcnow()
    found = session.execute(
        select(PortalSession).where(PortalSession.token_hash == token_hash(secret, token))
    ).scalar_one_or_none()
    if found is None or found.ended_at is not None:
        return None
    if now - found.last_seen_at > timedelta(minutes=IDLE_MINUTES):
        end(session, found, IDLE, now)
        return None
    if now >= found.expires_at:
        end(session, found, EXPIRED, now)
        return None
    if touch:
        found.last_seen_at = now
    return found


def end(session: Session, portal: PortalSession, reason: str, now: datetime | None = None) -> None:
    now = now or utcnow()
    portal.ended_at = now
    portal.end_reason = reason
    if portal.conversation_id:
        conversation = session.get(Conversation, portal.conversation_id)
        if conversation is not None and conversation.status == "active":
            conversations.close(conversation, now=now)
    audit.record(
        session,
        **Actor.patient(portal.verified_patient_id, CHANNEL).fields(),
        action="sign_out",
        entity="portal_session",
        entity_id=portal.id,
        patient_id=portal.verified_patient_id,
        detail={"reason": reason},
    )


def records(session: Session, portal: PortalSession) -> list[Record]:
    """Everyone of the practice on the verified number (a family shares one phone)."""
    found = session.execute(
        select(Patient)
        .join(PatientPhone, PatientPhone.patient_id == Patient.id)
        .where(Patient.practice_id == portal.practice_id, PatientPhone.number == portal.phone)
        .order_by(Patient.first_name, Patient.id)
    ).scalars()
    return [
        Record(p.id, p.first_name, p.last_name, p.id == portal.patient_id)
        for p in dict.fromkeys(found)
    ]


def patient(session: Session, portal: PortalSession) -> Patient:
    return session.get(Patient, portal.patient_id)


def switch(session: Session, portal: PortalSession, patient_id: int) -> bool:
    """View another record on the same number; its own conversation starts afresh."""
    if patient_id not in {r.patient_id for r in records(session, portal)}:
        return False
    if patient_id == portal.patient_id:
        return True
    if portal.conversation_id:
        conversation = session.get(Conversation, portal.conversation_id)
        if conversation is not None and conversation.status == "active":
            conversations.close(conversation)
    portal.patient_id = patient_id
    portal.conversation_id = None
    audit.record_patient(
        session,
        patient_id,
        **Actor.patient(portal.verified_patient_id, CHANNEL).fields(),
        action="read",
        detail={"basis": "shared_phone", "verified_patient_id": portal.verified_patient_id},
    )
    return True


def set_language(session: Session, portal: PortalSession, language: str) -> None:
    if language in ("en", "es") and portal.language != language:
        portal.language = language
        conversation = conversation_of(session, portal)
        if conversation is not None:
            conversation.language = language


def conversation_of(session: Session, portal: PortalSession) -> Conversation | None:
    if not portal.conversation_id:
        return None
    conversation = session.get(Conversation, portal.conversation_id)
    return conversation if conversation is not None and conversation.status == "active" else None


def chat_conversation(
    session: Session, portal: PortalSession, now: datetime | None = None
) -> Conversation:
    """The conversation of the record being viewed, verified from the start (no questions)."""
    existing = conversation_of(session, portal)
    if existing is not None:
        return existing
    now = now or utcnow()
    conversation = conversations.start(
        session,
        practice_id=portal.practice_id,
        channel=CHANNEL,
        phone=portal.phone,
        language=portal.language,
        now=now,
        verified_patient_id=portal.patient_id,
    )
    portal.conversation_id = conversation.id
    audit.record_patient(
        session,
        portal.patient_id,
        **Actor.patient(portal.patient_id, CHANNEL, conversation.id).fields(),
        action="verify",
        detail={"result": "success", "basis": "portal_session", "session_id": portal.id},
    )
    return conversation
