"""Models to FHIR R4: the status table, identifiers, and validity of every produced resource."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from assistant.db.models import (
    APPOINTMENT_STATUSES,
    Appointment,
    Location,
    Patient,
    Provider,
)
from assistant.fhir import mapping, systems
from assistant.fhir.capability import capability_statement
from assistant.fhir.server import RESOURCE_TYPES, search
from assistant.fhir.validation import InvalidResource, problems, validate
from tests.factories.fhir import ACTOR, BASE, NOW, Demo

# our status -> (Appointment.status, patient participant status, cancelationReason present)
STATUS_TABLE = {
    "held": ("pending", "tentative", False),
    "booked": ("booked", "needs-action", False),
    "confirmed": ("booked", "accepted", False),
    "arrived": ("arrived", "accepted", False),
    "completed": ("fulfilled", "accepted", False),
    "cancelled": ("cancelled", "needs-action", True),
    "no_show": ("noshow", "needs-action", False),
    "rescheduled": ("cancelled", "needs-action", True),
}


def test_the_status_table_covers_every_status() -> None:
    assert set(STATUS_TABLE) == set(APPOINTMENT_STATUSES)
    assert {k: v[0] for k, v in STATUS_TABLE.items()} == mapping.STATUS_TO_FHIR


def test_status_mapping(demo: Demo) -> None:
    appointment = demo.session.get(Appointment, demo.summary.english_demo.appointment_id)
    appointment.confirmed_at = None
    for status, (fhir_status, patient_status, has_reason) in STATUS_TABLE.items():
        appointment.status = status
        appointment.cancel_reason = "Cancelled by the patient" if status == "cancelled" else None
        resource = mapping.appointment_resource(appointment)
        assert resource["status"] == fhir_status, status
        patient = resource["participant"][0]
        assert patient["actor"]["reference"] == f"Patient/{appointment.patient_id}"
        assert patient["status"] == patient_status, status
        assert ("cancelationReason" in resource) == has_reason, status
        occupying = status in ("held", "booked", "confirmed", "arrived")
        assert ("slot" in resource) == occupying, status
    demo.session.rollback()


def test_rescheduled_points_to_the_new_appointment(demo: Demo) -> None:
    first, second = demo.session.execute(select(Appointment).limit(2)).scalars()
    first.status = "rescheduled"
    first.rescheduled_to_id = second.id
    resource = mapping.appointment_resource(first)
    assert resource["status"] == "cancelled"
    assert resource["cancelationReason"]["text"] == "rescheduled"
    assert resource["comment"] == f"Rescheduled to Appointment/{second.id}"
    demo.session.rollback()


def test_appointment_participants_times_and_type(demo: Demo) -> None:
    appointment = demo.session.get(Appointment, demo.summary.english_demo.appointment_id)
    resource = mapping.appointment_resource(appointment)
    refs = [p["actor"]["reference"] for p in resource["participant"]]
    assert refs == [
        f"Patient/{appointment.patient_id}",
        f"Practitioner/{appointment.provider_id}",
        f"Location/{appointment.location_id}",
    ]
    assert resource["start"].endswith("+00:00") and resource["end"].endswith("+00:00")
    assert resource["start"] == appointment.starts_at.isoformat(timespec="seconds")
    assert resource["serviceType"][0]["coding"][0] == {
        "system": systems.APPOINTMENT_TYPE,
        "code": "follow_up",
        "display": "Follow-up visit",
    }
    assert resource["appointmentType"]["coding"][0]["code"] == "FOLLOWUP"
    assert resource["minutesDuration"] == 20


def test_patient_identifiers_name_telecom_language(demo: Demo) -> None:
    patient = demo.session.get(Patient, demo.summary.spanish_demo.patient_id)
    resource = mapping.patient_resource(patient)
    by_system = {i["system"]: i["value"] for i in resource["identifier"]}
    assert by_system[systems.PATIENT_ID] == str(patient.id)
    assert by_system[systems.MRN] == patient.external_id
    assert resource["name"] == [{"use": "official", "family": "Hernández", "given": ["José"]}]
    assert resource["birthDate"] == "1975-07-15"
    assert {"system": "phone", "value": "+15555550124", "use": "mobile", "rank": 1} in resource[
        "telecom"
    ]
    assert resource["communication"][0]["language"]["coding"][0]["code"] == "es"


def test_practitioner_and_location(demo: Demo) -> None:
    provider = demo.session.execute(select(Provider).order_by(Provider.id)).scalars().first()
    practitioner = mapping.practitioner_resource(provider)
    assert {"use": "official", "system": systems.NPI, "value": "1902000011"} in practitioner[
        "identifier"
    ]
    assert practitioner["name"][0]["prefix"] == ["Dr."]
    first_location = demo.session.execute(select(Location).order_by(Location.id)).scalars().first()
    location = mapping.location_resource(first_location)
    assert location["extension"] == [
        {"url": systems.TIMEZONE_EXTENSION, "valueCode": "America/New_York"}
    ]
    assert location["address"]["line"] == ["1420 Main Street", "Suite 200"]
    assert location["hoursOfOperation"][0] == {
        "daysOfWeek": ["mon"],
        "openingTime": "08:00:00",
        "closingTime": "17:00:00",
    }


@pytest.mark.parametrize("resource_type", RESOURCE_TYPES)
def test_every_produced_resource_validates(demo: Demo, resource_type: str) -> None:
    """Whole searchset Bundles (nested resources included) validate with fhir.resources."""
    params = [("_count", "100")]
    if resource_type == "Slot":
        params.append(("start", "le2026-06-03"))
    bundle = search(
        demo.session, demo.practice_id, resource_type, params, actor=ACTOR, base_url=BASE, now=NOW
    )
    assert bundle["entry"], resource_type
    assert problems(bundle) == []
    for entry in bundle["entry"]:
        assert entry["resource"]["resourceType"] == resource_type
        assert problems(entry["resource"]) == []


def test_capability_statement_validates() -> None:
    statement = capability_statement(BASE)
    assert statement["fhirVersion"] == "4.0.1"
    types = [r["type"] for r in statement["rest"][0]["resource"]]
    assert types == list(RESOURCE_TYPES)


def test_validation_catches_what_fhir_resources_does_not() -> None:
    """fhir.resources accepts any code; our bindings refuse an Appointment status 'confirmed'."""
    resource = {
        "resourceType": "Appointment",
        "status": "confirmed",
        "participant": [{"actor": {"reference": "Patient/1"}, "status": "accepted"}],
    }
    with pytest.raises(InvalidResource) as caught:
        validate(resource)
    assert caught.value.issues[0].expression == "Appointment.status"
    resource["status"] = "booked"
    resource["extra"] = 1
    assert [i.message for i in problems(resource)] == ["extra: extra fields not permitted"]
