"""Identifier and code systems used in our resources (URIs) and FHIR's own ones."""

from __future__ import annotations

from datetime import datetime, timezone

_OURS = "urn:frontdesk-assistant"
PATIENT_ID = f"{_OURS}:patient-id"
MRN = f"{_OURS}:mrn"  # Patient.external_id: the practice-management system's record number
PRACTITIONER_ID = f"{_OURS}:practitioner-id"
LOCATION_ID = f"{_OURS}:location-id"
APPOINTMENT_ID = f"{_OURS}:appointment-id"
APPOINTMENT_EXTERNAL_ID = f"{_OURS}:appointment-external-id"
APPOINTMENT_TYPE = f"{_OURS}:appointment-type"  # codes are AppointmentType.code

NPI = "http://hl7.org/fhir/sid/us-npi"
IDENTIFIER_TYPE = "http://terminology.hl7.org/CodeSystem/v2-0203"
V2_APPOINTMENT_TYPE = "http://terminology.hl7.org/CodeSystem/v2-0276"
PARTICIPATION_TYPE = "http://terminology.hl7.org/CodeSystem/v3-ParticipationType"
LANGUAGE = "urn:ietf:bcp:47"
TIMEZONE_EXTENSION = "http://hl7.org/fhir/StructureDefinition/timezone"

FHIR_VERSION = "4.0.1"
JSON_MIME = "application/fhir+json"


def instant(value: datetime) -> str:
    """An aware instant as FHIR dateTime in UTC with an explicit offset."""
    return value.astimezone(timezone.utc).isoformat(timespec="seconds")
