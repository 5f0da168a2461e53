"""What an import (CSV or FHIR) does to a patient's stored phone numbers."""

from __future__ import annotations

from assistant.db.models import Patient, PatientPhone


def make_primary(patient: Patient, number: str) -> bool:
    """The imported number becomes the primary one; other stored numbers stay, as secondary.
    Returns whether anything changed."""
    current = next((phone for phone in patient.phones if phone.number == number), None)
    if current is not None and current.is_primary:
        return False
    for phone in patient.phones:
        phone.is_primary = phone is current
    if current is None:
        patient.phones.append(PatientPhone(number=number, kind="mobile", is_primary=True))
    return True
