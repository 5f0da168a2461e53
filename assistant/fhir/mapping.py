"""Patient, Practitioner, Location and Appointment resources from the models.

Our statuses are richer than FHIR's; `STATUS_TO_FHIR` is the table. "confirmed" has no FHIR
status of its own: it is `booked` with the patient participant's status `accepted`.
"""

from __future__ import annotations

from typing import Any

from assistant.db.models import (
    ARRIVED,
    BOOKED,
    CANCELLED,
    COMPLETED,
    CONFIRMED,
    HELD,
    NO_SHOW,
    RESCHEDULED,
    Appointment,
    AppointmentType,
    Location,
    Patient,
    Provider,
)
from assistant.fhir import systems
from assistant.fhir.validation import validate

STATUS_TO_FHIR: dict[str, str] = {
    HELD: "pending",
    BOOKED: "booked",
    CONFIRMED: "booked",
    ARRIVED: "arrived",
    COMPLETED: "fulfilled",
    CANCELLED: "cancelled",
    NO_SHOW: "noshow",
    RESCHEDULED: "cancelled",
}
# FHIR Appointment.status -> our statuses (the search parameter `status`).
FHIR_TO_STATUSES: dict[str, tuple[str, ...]] = {}
for _ours, _theirs in STATUS_TO_FHIR.items():
    FHIR_TO_STATUSES[_theirs] = (*FHIR_TO_STATUSES.get(_theirs, ()), _ours)

LANGUAGE_NAMES = {"en": "English", "es": "Spanish"}
_PHONE_USE = {"mobile": "mobile", "home": "home", "work": "work"}
_V2_TYPES = (("follow", "FOLLOWUP"), ("physical", "CHECKUP"), ("checkup", "CHECKUP"))


def reference(resource_type: str, ident: int | str, display: str | None = None) -> dict[str, str]:
    ref = {"reference": f"{resource_type}/{ident}"}
    if display:
        ref["display"] = display
    return ref


def patient_participant_status(appointment: Appointment) -> str:
    """accepted: confirmed (or came); tentative: a hold; otherwise accepted once confirmed."""
    if appointment.status in (CONFIRMED, ARRIVED, COMPLETED):
        return "accepted"
    if appointment.status == HELD:
        return "tentative"
    return "accepted" if appointment.confirmed_at is not None else "needs-action"


def patient_resource(patient: Patient) -> dict[str, Any]:
    identifiers: list[dict[str, Any]] = [
        {"use": "usual", "system": systems.PATIENT_ID, "value": str(patient.id)}
    ]
    if patient.external_id:
        identifiers.append(
            {
                "use": "official",
                "type": {"coding": [{"system": systems.IDENTIFIER_TYPE, "code": "MR"}]},
                "system": systems.MRN,
                "value": patient.external_id,
            }
        )
    telecom: list[dict[str, Any]] = []
    for phone in sorted(patient.phones, key=lambda p: (not p.is_primary, p.id or 0)):
        point: dict[str, Any] = {"system": "phone", "value": phone.number}
        if phone.kind in _PHONE_USE:
            point["use"] = _PHONE_USE[phone.kind]
        if phone.is_primary:
            point["rank"] = 1
        telecom.append(point)
    if patient.email:
        telecom.append({"system": "email", "value": patient.email})
    language = patient.preferred_language or "en"
    resource: dict[str, Any] = {
        "resourceType": "Patient",
        "id": str(patient.id),
        "identifier": identifiers,
        "active": True,
        "name": [{"use": "official", "family": patient.last_name, "given": [patient.first_name]}],
        "birthDate": patient.date_of_birth.isoformat(),
        "communication": [
            {
                "language": {
                    "coding": [
                        {
                            "system": systems.LANGUAGE,
                            "code": language,
                            "display": LANGUAGE_NAMES.get(language, language),
                        }
                    ]
                },
                "preferred": True,
            }
        ],
    }
    if telecom:
        resource["telecom"] = telecom
    return validate(resource)


def practitioner_resource(provider: Provider) -> dict[str, Any]:
    identifiers: list[dict[str, Any]] = [
        {"use": "usual", "system": systems.PRACTITIONER_ID, "value": str(provider.id)}
    ]
    if provider.npi:
        identifiers.append({"use": "official", "system": systems.NPI, "value": provider.npi})
    name: dict[str, Any] = {
        "use": "official",
        "text": provider.display_name,
        "family": provider.last_name,
        "given": [provider.first_name],
    }
    if provider.title:
        key = "prefix" if provider.title.lower().startswith("dr") else "suffix"
        name[key] = [provider.title]
    return validate(
        {
            "resourceType": "Practitioner",
            "id": str(provider.id),
            "identifier": identifiers,
            "active": bool(provider.active),
            "name": [name],
        }
    )


def location_resource(location: Location) -> dict[str, Any]:
    telecom = [
        {"system": system, "value": number, "use": "work"}
        for system, number in (("phone", location.phone), ("fax", location.fax))
        if number
    ]
    resource: dict[str, Any] = {
        "resourceType": "Location",
        "id": str(location.id),
        "extension": [{"url": systems.TIMEZONE_EXTENSION, "valueCode": location.time_zone}],
        "identifier": [{"system": systems.LOCATION_ID, "value": str(location.id)}],
        "status": "active",
        "name": location.name,
        "mode": "instance",
        "address": {
            "use": "work",
            "type": "physical",
            "line": [line for line in (location.address_line1, location.address_line2) if line],
            "city": location.city,
            "state": location.state,
            "postalCode": location.postal_code,
            "country": "US",
        },
        "managingOrganization": {"display": location.practice.name} if location.practice else None,
    }
    if resource["managingOrganization"] is None:
        del resource["managingOrganization"]
    if telecom:
        resource["telecom"] = telecom
    hours = _hours_of_operation(location.opening_hours or {})
    if hours:
        resource["hoursOfOperation"] = hours
    return validate(resource)


def _hours_of_operation(opening_hours: dict[str, Any]) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    for day in ("mon", "tue", "wed", "thu", "fri", "sat", "sun"):
        for span in opening_hours.get(day) or []:
            opens, closes = span
            out.append(
                {"daysOfWeek": [day], "openingTime": f"{opens}:00", "closingTime": f"{closes}:00"}
            )
    return out


def service_type(atype: AppointmentType) -> dict[str, Any]:
    """Our appointment type as a CodeableConcept (Appointment/Slot/Schedule.serviceType)."""
    return {
        "coding": [{"system": systems.APPOINTMENT_TYPE, "code": atype.code, "display": atype.name}],
        "text": atype.name,
    }


def v2_appointment_type(atype: AppointmentType) -> dict[str, Any]:
    """The closest HL7 v2-0276 code (FOLLOWUP, CHECKUP, else ROUTINE), with our name as text."""
    code = next((v2 for part, v2 in _V2_TYPES if part in atype.code), "ROUTINE")
    return {"coding": [{"system": systems.V2_APPOINTMENT_TYPE, "code": code}], "text": atype.name}


def appointment_resource(appointment: Appointment) -> dict[str, Any]:
    from assistant.fhir.schedules import busy_slot_id  # a cycle: slots use `service_type`

    atype = appointment.appointment_type
    identifiers: list[dict[str, Any]] = [
        {"use": "usual", "system": systems.APPOINTMENT_ID, "value": str(appointment.id)}
    ]
    if appointment.external_id:
        identifiers.append(
            {"system": systems.APPOINTMENT_EXTERNAL_ID, "value": appointment.external_id}
        )
    minutes = int((appointment.ends_at - appointment.starts_at).total_seconds() // 60)
    resource: dict[str, Any] = {
        "resourceType": "Appointment",
        "id": str(appointment.id),
        "identifier": identifiers,
        "status": STATUS_TO_FHIR[appointment.status],
        "serviceType": [service_type(atype)],
        "appointmentType": v2_appointment_type(atype),
        "start": systems.instant(appointment.starts_at),
        "end": systems.instant(appointment.ends_at),
        "minutesDuration": minutes,
        "created": systems.instant(appointment.created_at),
        "participant": [
            {
                "type": [_participation("SBJ")],
                "actor": reference("Patient", appointment.patient_id),
                "required": "required",
                "status": patient_participant_status(appointment),
            },
            {
                "type": [_participation("PPRF")],
                "actor": reference(
                    "Practitioner", appointment.provider_id, appointment.provider.display_name
                ),
                "required": "required",
                "status": "accepted",
            },
            {
                "type": [_participation("LOC")],
                "actor": reference("Location", appointment.location_id, appointment.location.name),
                "required": "required",
                "status": "accepted",
            },
        ],
    }
    if appointment.status in (HELD, BOOKED, CONFIRMED, ARRIVED):
        resource["slot"] = [reference("Slot", busy_slot_id(appointment))]
    if appointment.status == CANCELLED:
        resource["cancelationReason"] = {"text": appointment.cancel_reason or "cancelled"}
    if appointment.status == RESCHEDULED:
        resource["cancelationReason"] = {"text": "rescheduled"}
        if appointment.rescheduled_to_id:
            resource["comment"] = f"Rescheduled to Appointment/{appointment.rescheduled_to_id}"
    return validate(resource)


def _participation(code: str) -> dict[str, Any]:
    return {"coding": [{"system": systems.PARTICIPATION_TYPE, "code": code}]}
