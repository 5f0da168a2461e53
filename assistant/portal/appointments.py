"""The signed-in patient's appointments in the portal: listed (audited as disclosures),
confirmed, and exported to a calendar (.ics). Cancelling and rescheduling go through the
dialogue's own services (`assistant.frontdesk.service`) with the portal conversation."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from icalendar import Calendar, Event
from sqlalchemy.orm import Session

from assistant import audit
from assistant.actor import Actor
from assistant.db.models import CONFIRMED, Appointment, PortalSession
from assistant.db.types import utcnow
from assistant.frontdesk.service import upcoming
from assistant.frontdesk.views import prep_text
from assistant.messages import localized, translate
from assistant.scheduling import operations
from assistant.scheduling.errors import SchedulingError
from assistant.timefmt import format_when

CHANNEL = "portal"
LISTED = 10


@dataclass(frozen=True)
class PortalAppointment:
    """One visit as the portal shows it (plain values, usable after the transaction)."""

    id: int
    when: str
    starts_at: datetime
    provider: str
    location: str
    address: str
    visit_type: str
    prep: str | None
    confirmed: bool


def _type_name(appointment: Appointment, language: str) -> str:
    return (
        localized(appointment.appointment_type, "name", language)
        or appointment.appointment_type.name
    )


def _address(appointment: Appointment) -> str:
    loc = appointment.location
    street = ", ".join(p for p in (loc.address_line1, loc.address_line2) if p)
    return f"{street}, {loc.city}, {loc.state} {loc.postal_code}"


def view(appointment: Appointment, language: str) -> PortalAppointment:
    return PortalAppointment(
        id=appointment.id,
        when=format_when(appointment.starts_at, appointment.location.time_zone, language=language),
        starts_at=appointment.starts_at,
        provider=appointment.provider.display_name,
        location=appointment.location.name,
        address=_address(appointment),
        visit_type=_type_name(appointment, language),
        prep=prep_text(appointment.appointment_type, language),
        confirmed=appointment.status == CONFIRMED,
    )


def _disclose(session: Session, portal: PortalSession, appointment: Appointment, what: str):
    audit.record_appointment(
        session,
        appointment,
        **Actor.patient(portal.verified_patient_id, CHANNEL, portal.conversation_id).fields(),
        action="disclose",
        detail={"view": what, "basis": "portal_session"},
    )


def upcoming_for(
    session: Session, portal: PortalSession, language: str, now: datetime | None = None
) -> list[PortalAppointment]:
    """The viewed record's upcoming visits, soonest first; each one shown is audited."""
    found = upcoming(session, portal.patient_id, now or utcnow(), limit=LISTED)
    for appointment in found:
        _disclose(session, portal, appointment, "list")
    return [view(a, language) for a in found]


def own(session: Session, portal: PortalSession, appointment_id: int) -> Appointment | None:
    """The appointment if it belongs to the record being viewed (anything else is not found)."""
    appointment = session.get(Appointment, appointment_id)
    if appointment is None or appointment.patient_id != portal.patient_id:
        return None
    return appointment


def confirm(session: Session, portal: PortalSession, appointment_id: int) -> bool:
    """Confirm one of the record's visits; False when it is not theirs or cannot be confirmed."""
    appointment = own(session, portal, appointment_id)
    if appointment is None:
        return False
    try:
        operations.confirm(
            session,
            appointment.id,
            actor=Actor.patient(portal.patient_id, CHANNEL, portal.conversation_id),
        )
    except SchedulingError:
        return False
    return True


def calendar_file(
    session: Session, portal: PortalSession, appointment_id: int, language: str
) -> bytes | None:
    """An iCalendar file with the visit (location, prep instructions); audited as disclosed."""
    appointment = own(session, portal, appointment_id)
    if appointment is None:
        return None
    shown = view(appointment, language)
    calendar = Calendar()
    calendar.add("prodid", "-//Front-desk assistant//Patient portal//EN")
    calendar.add("version", "2.0")
    event = Event()
    event.add("uid", f"appointment-{appointment.id}@portal")
    event.add("dtstamp", utcnow())
    event.add("dtstart", appointment.starts_at)
    event.add("dtend", appointment.ends_at)
    summary = translate(
        language, "portal.visit_with", type=shown.visit_type, provider=shown.provider
    )
    event.add("summary", summary)
    event.add("location", f"{shown.location}, {shown.address}")
    if shown.prep:
        event.add("description", shown.prep)
    calendar.add_component(event)
    _disclose(session, portal, appointment, "ics")
    return calendar.to_ical()
