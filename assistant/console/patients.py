"""Patient lookup by name, date of birth or phone; every search and every view is audited."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session, selectinload

from assistant import audit
from assistant.console.access import CHANNEL, actor
from assistant.db.models import (
    Appointment,
    Conversation,
    Patient,
    PatientPhone,
    StaffTask,
    StaffUser,
)
from assistant.db.types import utcnow
from assistant.phones import InvalidPhoneNumber, to_e164

MAX_RESULTS = 50


class PatientNotFound(LookupError):
    pass


class BadQuery(ValueError):
    """The search needs at least one criterion, each in a usable form (message fit to show)."""


@dataclass(frozen=True)
class PatientView:
    patient: Patient
    appointments: list[Appointment]  # upcoming first, then the last few past ones
    conversations: list[Conversation]
    tasks: list[StaffTask]


def _like_prefix(text: str) -> str:
    escaped = text.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return escaped + "%"


def search(
    session: Session,
    user: StaffUser,
    *,
    name: str = "",
    date_of_birth: date | None = None,
    phone: str = "",
) -> list[Patient]:
    """Patients matching every given criterion (name words match first or last name prefixes)."""
    name, phone = name.strip(), phone.strip()
    if not (name or date_of_birth or phone):
        raise BadQuery("Enter a name, a date of birth or a phone number.")
    query = (
        select(Patient)
        .options(selectinload(Patient.phones))
        .where(Patient.practice_id == user.practice_id)
    )
    for word in name.split()[:4]:
        pattern = _like_prefix(word)
        query = query.where(
            or_(
                func.lower(Patient.first_name).like(pattern, escape="\\"),
                func.lower(Patient.last_name).like(pattern, escape="\\"),
            )
        )
    if date_of_birth is not None:
        query = query.where(Patient.date_of_birth == date_of_birth)
    if phone:
        try:
            number = to_e164(phone)
        except InvalidPhoneNumber:
            raise BadQuery("That phone number is incomplete: include the area code.") from None
        query = query.where(
            Patient.id.in_(select(PatientPhone.patient_id).where(PatientPhone.number == number))
        )
    query = query.order_by(Patient.last_name, Patient.first_name, Patient.id).limit(MAX_RESULTS)
    found = list(session.execute(query).scalars())
    audit.record(
        session,
        actor=actor(user),
        channel=CHANNEL,
        action="read",
        entity="patient_search",
        detail={
            "criteria": [
                c
                for c, given in (("name", name), ("dob", date_of_birth), ("phone", phone))
                if given
            ],
            "patient_ids": [p.id for p in found],
        },
    )
    return found


def view(
    session: Session, user: StaffUser, patient_id: int, *, now: datetime | None = None
) -> PatientView:
    """One patient's record for staff: contact, appointments, conversations, tasks (audited)."""
    patient = session.get(Patient, patient_id)
    if patient is None or patient.practice_id != user.practice_id:
        raise PatientNotFound(patient_id)
    now = now or utcnow()
    upcoming = session.execute(
        select(Appointment)
        .where(Appointment.patient_id == patient.id, Appointment.starts_at >= now)
        .order_by(Appointment.starts_at)
        .limit(10)
    ).scalars()
    past = session.execute(
        select(Appointment)
        .where(Appointment.patient_id == patient.id, Appointment.starts_at < now)
        .order_by(Appointment.starts_at.desc())
        .limit(5)
    ).scalars()
    conversations = session.execute(
        select(Conversation)
        .where(Conversation.verified_patient_id == patient.id)
        .order_by(Conversation.started_at.desc())
        .limit(10)
    ).scalars()
    tasks = session.execute(
        select(StaffTask)
        .where(StaffTask.patient_id == patient.id)
        .order_by(StaffTask.created_at.desc())
        .limit(10)
    ).scalars()
    audit.record_patient(
        session,
        patient.id,
        actor=actor(user),
        channel=CHANNEL,
        action="read",
    )
    return PatientView(patient, [*upcoming, *past], list(conversations), list(tasks))
