"""Application service for the dialogue: verify the caller of a conversation by its uid."""

from __future__ import annotations

from dataclasses import dataclass

from assistant.conversations import sessions
from assistant.datetimes import parse_date_of_birth
from assistant.identity.names import has_full_name
from assistant.identity.verification import MAX_ATTEMPTS, failed_attempts, verify
from assistant.unit_of_work import UnitOfWork

VERIFIED = "verified"
NO_MATCH = "no_match"  # try again
LOCKED = "locked"  # too many failures: staff take over, nothing is disclosed
NEED_FULL_NAME = "need_full_name"
BAD_DATE = "bad_date"


@dataclass(frozen=True)
class VerifyResult:
    status: str
    attempts_left: int = MAX_ATTEMPTS
    first_name: str | None = None  # to greet the verified patient by name

    @property
    def verified(self) -> bool:
        return self.status == VERIFIED


def verify_for(
    uow: UnitOfWork, conversation_uid: str, name_text: str, dob_text: str, language: str
) -> VerifyResult:
    """Check a name and a date of birth said in the conversation (one transaction)."""
    if not has_full_name(name_text):
        return VerifyResult(NEED_FULL_NAME)
    dob = parse_date_of_birth(dob_text, language)
    if dob is None:
        return VerifyResult(BAD_DATE)
    with uow:
        conversation = sessions.by_uid(uow.session, conversation_uid)
        if conversation is None:
            return VerifyResult(LOCKED, 0)
        if failed_attempts(uow.session, conversation) >= MAX_ATTEMPTS:
            return VerifyResult(LOCKED, 0)
        patient = verify(uow.session, conversation, name_text, dob)
        failures = failed_attempts(uow.session, conversation)
        uow.commit()
    if patient is not None:
        return VerifyResult(VERIFIED, MAX_ATTEMPTS - failures, patient.first_name)
    left = MAX_ATTEMPTS - failures
    return VerifyResult(NO_MATCH if left > 0 else LOCKED, max(left, 0))


def verified_patient_id(uow: UnitOfWork, conversation_uid: str) -> int | None:
    with uow:
        conversation = sessions.by_uid(uow.session, conversation_uid)
        return conversation.verified_patient_id if conversation else None


def is_locked(uow: UnitOfWork, conversation_uid: str) -> bool:
    with uow:
        conversation = sessions.by_uid(uow.session, conversation_uid)
        if conversation is None:
            return True
        return (
            conversation.verified_patient_id is None
            and failed_attempts(uow.session, conversation) >= MAX_ATTEMPTS
        )
