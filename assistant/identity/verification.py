"""Verifying who the patient is: first and last name plus date of birth, within the practice.

Caller ID is a hint only (it breaks a tie between two matching records); several patients may
share one phone (a parent calling for a child), and the name said decides. Every attempt is an
audit event (`verify`, success or failure); the log never names anyone.
"""

from __future__ import annotations

import logging
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from assistant import audit
from assistant.db.models import AuditEvent, Conversation, Patient, PatientPhone
from assistant.identity.names import matches, matches_closely

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 3


def verify(
    session: Session, conversation: Conversation, full_name_text: str, dob: date | None
) -> Patient | None:
    """The patient of the practice with this name and date of birth, or None.

    On success `conversation.verified_patient_id` is set.
    """
    patient = _find(session, conversation, full_name_text, dob) if dob else None
    audit.record_patient(
        session,
        patient.id if patient else None,
        actor=f"patient:{patient.id}" if patient else "caller",
        channel=conversation.channel,
        action="verify",
        conversation_id=conversation.id,
        detail={"result": "success" if patient else "failure"},
    )
    if patient is None:
        log.info("identity not verified (conversation %s)", conversation.id)
        return None
    conversation.verified_patient_id = patient.id
    log.info("identity verified (conversation %s)", conversation.id)
    return patient


def failed_attempts(session: Session, conversation: Conversation) -> int:
    """Failed verifications in this conversation."""
    return session.execute(
        select(func.count(AuditEvent.id)).where(
            AuditEvent.conversation_id == conversation.id,
            AuditEvent.action == "verify",
            AuditEvent.patient_id.is_(None),
        )
    ).scalar_one()


def _find(session: Session, conversation: Conversation, said: str, dob: date) -> Patient | None:
    candidates = session.execute(
        select(Patient).where(
            Patient.practice_id == conversation.practice_id, Patient.date_of_birth == dob
        )
    ).scalars()
    born_that_day = list(candidates)
    found = [p for p in born_that_day if matches(said, p.first_name, p.last_name)]
    if not found:  # a slip in one name ("Catherine Dubios"): the date of birth is exact
        found = [p for p in born_that_day if matches_closely(said, p.first_name, p.last_name)]
    if len(found) > 1 and conversation.phone:
        on_phone = set(
            session.execute(
                select(PatientPhone.patient_id).where(
                    PatientPhone.number == conversation.phone,
                    PatientPhone.patient_id.in_([p.id for p in found]),
                )
            ).scalars()
        )
        found = [p for p in found if p.id in on_phone] or found
    return found[0] if len(found) == 1 else None
