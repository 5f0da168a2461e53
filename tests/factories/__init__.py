"""Small, explicit test data (the demo seed is tested on its own)."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

from sqlalchemy import select
from sqlalchemy.orm import Session

from assistant.actor import Actor
from assistant.db.models import (
    Appointment,
    AppointmentType,
    Location,
    OutboundMessage,
    Patient,
    PatientPhone,
    Practice,
    Provider,
)
from assistant.db.types import utcnow
from assistant.scheduling import operations
from assistant.scheduling.securing import SlotRequest
from assistant.unit_of_work import UnitOfWork


def practice(session: Session) -> Practice:
    p = Practice(
        name="Test Family Clinic",
        slug="test-family",
        phone="+15555550100",
        time_zone="America/New_York",
        settings={"recording_notice": "This call may be recorded."},
    )
    session.add(p)
    session.flush()
    session.add(
        Location(
            practice_id=p.id,
            name="Main Street Office",
            address_line1="1 Main St",
            city="Springfield",
            state="NY",
            postal_code="10001",
            time_zone="America/New_York",
        )
    )
    session.add(Provider(practice_id=p.id, title="Dr.", first_name="Asha", last_name="Shah"))
    session.add(
        AppointmentType(practice_id=p.id, code="follow_up", name="Follow-up", duration_minutes=20)
    )
    session.flush()
    return p


def patient_on_file(
    session: Session,
    practice_id: int,
    *,
    first: str = "Maria",
    last: str = "Lopez",
    dob: date = date(1982, 3, 3),
    phone: str = "+15555550123",
    language: str = "en",
    consent: bool = True,
    time_zone: str | None = None,
) -> Patient:
    """A patient of the practice with one mobile number (flushed, so that it has an id)."""
    person = Patient(
        practice_id=practice_id,
        first_name=first,
        last_name=last,
        date_of_birth=dob,
        preferred_language=language,
        sms_consent=consent,
        time_zone=time_zone,
    )
    person.phones.append(PatientPhone(number=phone))
    session.add(person)
    session.flush()
    return person


def patient(
    session: Session,
    p: Practice,
    *,
    first: str = "Maria",
    last: str = "Lopez",
    dob: date = date(1982, 3, 3),
    phone: str = "+15555550123",
    language: str = "en",
) -> Patient:
    return patient_on_file(
        session, p.id, first=first, last=last, dob=dob, phone=phone, language=language
    )


def appointment(
    session: Session, p: Practice, person: Patient, starts_at: datetime, status: str = "booked"
) -> Appointment:
    appt = Appointment(
        practice_id=p.id,
        patient_id=person.id,
        provider_id=p.providers[0].id,
        location_id=p.locations[0].id,
        appointment_type_id=session.query(AppointmentType).filter_by(practice_id=p.id).first().id,
        starts_at=starts_at,
        ends_at=starts_at + timedelta(minutes=20),
        status=status,
    )
    session.add(appt)
    session.flush()
    return appt


def reminder(session: Session, appt: Appointment, phone: str) -> OutboundMessage:
    message = OutboundMessage(
        practice_id=appt.practice_id,
        to_number=phone,
        body="Test Family Clinic: reminder of your appointment. Reply 1 to confirm.",
        purpose="reminder",
        status="recorded",
        patient_id=appt.patient_id,
        appointment_id=appt.id,
        created_at=datetime.now(timezone.utc) - timedelta(hours=2),
    )
    session.add(message)
    session.flush()
    return message


def appointment_soon(url: str, patient_id: int, minutes_from_now: int) -> int:
    """A follow-up booked `minutes_from_now` on the real clock (the dialogue's late-arrival
    rules read it), with the provider and place of any existing appointment."""
    with UnitOfWork(url) as uow:
        atype = uow.session.execute(
            select(AppointmentType).where(AppointmentType.code == "follow_up")
        ).scalar_one()
        some = uow.session.execute(select(Appointment).limit(1)).scalar_one()
        start = utcnow().replace(second=0, microsecond=0) + timedelta(minutes=minutes_from_now)
        appointment = operations.book(
            uow.session,
            SlotRequest(patient_id, some.provider_id, some.location_id, atype.id, start),
            actor=Actor("staff:1", "console"),
            enforce_rules=False,
        )
        uow.commit()
        return appointment.id
