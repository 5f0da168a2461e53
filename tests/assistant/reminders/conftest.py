"""A small clinic in New York (the Twilio stand-ins, Prism and a scripted fake, are in
tests/conftest.py: the reliability suite uses them too)."""

from __future__ import annotations

import pytest

from assistant.unit_of_work import UnitOfWork
from tests.factories.reminders import (
    VISIT,
    World,
    make_appointment,
    make_clinic,
    make_patient,
)


@pytest.fixture
def world(db_url: str) -> World:
    """One consenting patient with a follow-up at VISIT, on either database."""
    with UnitOfWork(db_url) as uow:
        clinic = make_clinic(uow.session)
        patient = make_patient(uow.session, clinic)
        appointment = make_appointment(uow.session, clinic, patient, VISIT)
        uow.commit()
    return World(db_url, clinic, patient.id, appointment.id)
