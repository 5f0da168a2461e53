"""Signing in: phone number and date of birth, then a 6-digit code sent by SMS; or a signed,
expiring link from a reminder text, then the date of birth.

Whether a phone number and date of birth belong to a patient is never revealed: the visitor is
told "if the details match, we sent a code" either way. Codes and link nonces are stored as
keyed hashes; three wrong answers lock the challenge and, for `LOCK_MINUTES`, new codes to that
number. Every outcome is an audit event (channel `portal`); the log names no one.
"""

from __future__ import annotations

import logging
import secrets
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from assistant import audit
from assistant.db.models import (
    OutboundMessage,
    Patient,
    PatientPhone,
    PortalChallenge,
    Practice,
)
from assistant.db.types import utcnow
from assistant.messages import translate
from assistant.messaging.outbound import Outbound, apply_outcome, blocked_reason
from assistant.phones import InvalidPhoneNumber, to_e164
from assistant.portal import limits
from assistant.portal.hashing import ip_key, keyed, phone_key, same
from assistant.portal.web_sessions import open_session
from assistant.practices import practice_for_number
from assistant.unit_of_work import UnitOfWork

log = logging.getLogger(__name__)

CODE_DIGITS = 6
CODE_MINUTES = 10
MAX_WRONG = 3
LOCK_MINUTES = 15
LINK_HOURS = 72
CHANNEL = "portal"

# Outcomes
SENT = "sent"  # a code went out
NOT_SENT = "not_sent"  # no match or a number we may not text: the visitor hears the same as SENT
INVALID = "invalid"  # not a phone number
RATE_LIMITED = "rate_limited"
LOCKED = "locked"
VERIFIED = "verified"
WRONG = "wrong"
EXPIRED = "expired"  # run out, already used, or replaced by a newer code


@dataclass(frozen=True)
class Started:
    status: str
    challenge_id: int | None = None
    message_id: int | None = None

    @property
    def told_code_sent(self) -> bool:
        """What the visitor is told: the same whether or not the details matched."""
        return self.status in (SENT, NOT_SENT)


@dataclass(frozen=True)
class Visitor:
    """Who answers a sign-in step, as the limits see them: their address (kept only as a keyed
    hash), the site's secret, the pages' language, the instant and the limits that apply."""

    ip: str | None
    secret: str
    language: str = "en"
    now: datetime = field(default_factory=utcnow)
    policy: limits.Limits = limits.DEFAULT_LIMITS

    @property
    def ip_hash(self) -> str:
        return ip_key(self.secret, self.ip)

    def phone_hash(self, phone: str) -> str:
        return phone_key(self.secret, phone)


@dataclass(frozen=True)
class Checked:
    status: str
    attempts_left: int = 0
    session_token: str | None = None  # set when VERIFIED: the new portal session

    @property
    def verified(self) -> bool:
        return self.status == VERIFIED


def _secret_hash(secret: str, salt: str, value: str) -> str:
    return keyed(secret, "portal-challenge", f"{salt}:{value}")


def _matching_patient(session: Session, practice_id: int, phone: str, dob: date) -> Patient | None:
    return session.execute(
        select(Patient)
        .join(PatientPhone, PatientPhone.patient_id == Patient.id)
        .where(
            Patient.practice_id == practice_id,
            PatientPhone.number == phone,
            Patient.date_of_birth == dob,
        )
        .order_by(Patient.id)
        .limit(1)
    ).scalar_one_or_none()


def recently_locked(session: Session, phone: str, now: datetime) -> bool:
    """A challenge to this number was locked by wrong answers within `LOCK_MINUTES`."""
    return (
        session.execute(
            select(PortalChallenge.id)
            .where(
                PortalChallenge.phone == phone,
                PortalChallenge.status == "locked",
                PortalChallenge.used_at > now - timedelta(minutes=LOCK_MINUTES),
            )
            .limit(1)
        ).first()
        is not None
    )


def _audit(session: Session, action: str, patient_id: int | None, result: str, **extra) -> None:
    audit.record_patient(
        session,
        patient_id,
        actor=f"patient:{patient_id}" if patient_id else "visitor",
        channel=CHANNEL,
        action=action,
        detail={"result": result, **extra},
    )


def start(
    uow: UnitOfWork, outbound: Outbound, visitor: Visitor, *, phone_text: str, dob: date
) -> Started:
    """Check the details and text a code to the number when they match a patient."""
    try:
        phone = to_e164(phone_text)
    except InvalidPhoneNumber:
        return Started(INVALID)
    now, phone_hash, ip_hash = visitor.now, visitor.phone_hash(phone), visitor.ip_hash
    with uow:
        s = uow.session
        if recently_locked(s, phone, now):
            return Started(LOCKED)
        policy = visitor.policy
        if not limits.may_send(s, phone_hash, ip_hash, now, policy) or not limits.may_try(
            s, phone_hash, ip_hash, now, policy
        ):
            return Started(RATE_LIMITED)
        practice = practice_for_number(s, None)
        patient = _matching_patient(s, practice.id, phone, dob)
        if patient is None:
            limits.note(s, limits.NO_MATCH, phone_hash, ip_hash, now)
            _audit(s, "verify", None, "failure", step="details")
            uow.commit()
            log.info("portal sign-in: details matched no patient")
            return Started(NOT_SENT)
        if blocked_reason(s, phone) is not None:
            _audit(s, "verify", patient.id, "failure", step="number_blocked")
            uow.commit()
            return Started(NOT_SENT)
        challenge, message = _text_code(s, outbound, visitor, practice, patient, phone)
        _audit(s, "verify", patient.id, "code_sent", step="details")
        uow.commit()
        started = Started(SENT, challenge.id, message.id)
        s.refresh(message)
        s.expunge(message)  # the network call below happens outside any transaction
    if outbound.sends:
        outcome = outbound.transmit(message)
        with uow:
            stored = uow.session.get(OutboundMessage, started.message_id)
            apply_outcome(uow.session, stored, outcome)
            uow.commit()
    return started


def _text_code(
    s: Session,
    outbound: Outbound,
    visitor: Visitor,
    practice: Practice,
    patient: Patient,
    phone: str,
) -> tuple[PortalChallenge, OutboundMessage]:
    """A new code challenge for the number (replacing its pending ones) and the text that
    carries the code, both added to the session."""
    now = visitor.now
    s.execute(
        update(PortalChallenge)
        .where(PortalChallenge.phone == phone, PortalChallenge.status == "pending")
        .values(status="superseded")
    )
    code = f"{secrets.randbelow(10**CODE_DIGITS):0{CODE_DIGITS}d}"
    salt = secrets.token_hex(8)
    challenge = PortalChallenge(
        practice_id=practice.id,
        method="code",
        phone=phone,
        patient_id=patient.id,
        secret_hash=_secret_hash(visitor.secret, salt, code),
        salt=salt,
        ip_hash=visitor.ip_hash,
        created_at=now,
        expires_at=now + timedelta(minutes=CODE_MINUTES),
    )
    s.add(challenge)
    limits.note(s, limits.SEND, visitor.phone_hash(phone), visitor.ip_hash, now)
    body = translate(
        visitor.language, "sms.portal_code", practice=practice.name, code=code, minutes=CODE_MINUTES
    )
    message = outbound.new_message(
        s,
        practice_id=practice.id,
        to=phone,
        body=body,
        purpose="otp",
        patient_id=patient.id,
        now=now,
    )
    return challenge, message


def _answer(
    s: Session,
    challenge: PortalChallenge | None,
    correct: bool,
    visitor: Visitor,
    patient_id: int | None = None,
) -> Checked:
    """Apply one answer to a challenge: expiry, limits, the wrong-answer count, the session."""
    if challenge is None:
        return Checked(EXPIRED)
    now = visitor.now
    phone_hash, ip_hash = visitor.phone_hash(challenge.phone), visitor.ip_hash
    if challenge.status == "locked":
        return Checked(LOCKED)
    if challenge.status != "pending":
        return Checked(EXPIRED)
    if challenge.expires_at <= now:
        challenge.status = "expired"
        return Checked(EXPIRED)
    if not limits.may_try(s, phone_hash, ip_hash, now, visitor.policy):
        return Checked(RATE_LIMITED)
    if not correct:
        challenge.attempts += 1
        limits.note(s, limits.WRONG_CODE, phone_hash, ip_hash, now)
        left = MAX_WRONG - challenge.attempts
        if left <= 0:
            challenge.status = "locked"
            challenge.used_at = now
        _audit(s, "verify", challenge.patient_id, "failure", step=challenge.method)
        log.info("portal sign-in: wrong answer (%s left)", max(left, 0))
        return Checked(WRONG if left > 0 else LOCKED, max(left, 0))
    challenge.status = "verified"
    challenge.used_at = now
    patient_id = patient_id or challenge.patient_id
    _audit(s, "verify", patient_id, "success", step=challenge.method)
    token = open_session(
        s,
        practice_id=challenge.practice_id,
        phone=challenge.phone,
        patient_id=patient_id,
        challenge_id=challenge.id,
        language=visitor.language,
        now=now,
        secret=visitor.secret,
    )
    return Checked(VERIFIED, MAX_WRONG - challenge.attempts, token)


def verify_code(
    uow: UnitOfWork, visitor: Visitor, *, challenge_id: int | None, code: str
) -> Checked:
    """Check a code typed by the visitor; a right one opens a portal session."""
    code = "".join(ch for ch in code if ch.isdigit())
    with uow:
        s = uow.session
        challenge = s.get(PortalChallenge, challenge_id) if challenge_id else None
        if challenge is not None and challenge.method != "code":
            challenge = None
        correct = challenge is not None and same(
            challenge.secret_hash, _secret_hash(visitor.secret, challenge.salt, code)
        )
        result = _answer(s, challenge, correct, visitor)
        uow.commit()
        return result


def wrong_without_challenge(
    uow: UnitOfWork, *, phone_text: str | None, ip: str | None, secret: str, now=None
) -> None:
    """A code typed after details that matched nobody: counts against the limits all the same."""
    now = now or utcnow()
    try:
        phone_hash = phone_key(secret, to_e164(phone_text or ""))
    except InvalidPhoneNumber:
        phone_hash = None
    with uow:
        limits.note(uow.session, limits.WRONG_CODE, phone_hash, ip_key(secret, ip), now)
        uow.commit()


# --- Signed links from reminder texts -----------------------------------------------------------


def _serializer(secret: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(secret, salt="portal-link")


def create_link(
    session: Session,
    *,
    secret: str,
    practice_id: int,
    patient_id: int,
    phone: str,
    now: datetime | None = None,
    hours: int = LINK_HOURS,
) -> str:
    """A token for `/portal/link/<token>`: signed, expiring, naming nothing but a random nonce."""
    now = now or utcnow()
    nonce = secrets.token_urlsafe(16)  # 128 bits, short enough for a text message
    salt = secrets.token_hex(8)
    session.add(
        PortalChallenge(
            practice_id=practice_id,
            method="link",
            phone=phone,
            patient_id=patient_id,
            secret_hash=_secret_hash(secret, salt, nonce),
            salt=salt,
            nonce=nonce,
            created_at=now,
            expires_at=now + timedelta(hours=hours),
        )
    )
    session.flush()
    return _serializer(secret).dumps(nonce)


def link_url(
    session: Session,
    *,
    secret: str,
    public_base_url: str,
    patient_id: int,
    phone: str,
    now: datetime | None = None,
) -> str:
    """The portal address to put in a reminder text for this patient and number (no PHI)."""
    patient = session.get(Patient, patient_id)
    token = create_link(
        session,
        secret=secret,
        practice_id=patient.practice_id,
        patient_id=patient_id,
        phone=phone,
        now=now,
    )
    return f"{public_base_url.rstrip('/')}/portal/link/{token}"


def open_link(
    uow: UnitOfWork, token: str, *, secret: str, now: datetime | None = None
) -> int | None:
    """The pending link challenge behind a token, or None (bad signature, expired, used)."""
    now = now or utcnow()
    try:
        nonce = _serializer(secret).loads(token, max_age=LINK_HOURS * 3600)
    except (SignatureExpired, BadSignature):
        return None
    with uow:
        challenge = uow.session.execute(
            select(PortalChallenge).where(PortalChallenge.nonce == str(nonce))
        ).scalar_one_or_none()
        if challenge is None or challenge.method != "link":
            return None
        if challenge.status != "pending" or challenge.expires_at <= now:
            return None
        return challenge.id


def verify_link(
    uow: UnitOfWork, visitor: Visitor, *, challenge_id: int | None, dob: date | None
) -> Checked:
    """The date of birth of the link's patient, or of anyone sharing the number, signs in."""
    with uow:
        s = uow.session
        challenge = s.get(PortalChallenge, challenge_id) if challenge_id else None
        if challenge is not None and challenge.method != "link":
            challenge = None
        patient = None
        if challenge is not None and dob is not None:
            linked = s.get(Patient, challenge.patient_id)
            if linked is not None and linked.date_of_birth == dob:
                patient = linked
            else:
                patient = _matching_patient(s, challenge.practice_id, challenge.phone, dob)
        result = _answer(
            s, challenge, patient is not None, visitor, patient_id=patient.id if patient else None
        )
        uow.commit()
        return result
