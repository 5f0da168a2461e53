"""The portal against a real server for the browser tests: the Flask app in a thread on a free
loopback port (plain http: Secure cookies turned off, as for local use), the demo practice,
a stand-in Rasa that answers slowly enough to see the typing indicator, and Debian's Chromium."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from sqlalchemy import select
from werkzeug.serving import make_server

from assistant.db import migrate
from assistant.db.models import BOOKED, Appointment, Patient, PatientPhone
from assistant.db.types import utcnow
from assistant.demo.seed import DemoSummary, seed_demo
from assistant.unit_of_work import UnitOfWork
from tests.factories.portal import last_code, portal_settings
from tests.factories.webhooks import FakeRasa
from webhooks import create_app


class SlowRasa(FakeRasa):
    """Answers after a short pause, like a real dialogue turn."""

    delay = 0.8

    def wsgi(self, environ, start_response):
        time.sleep(self.delay)
        return super().wsgi(environ, start_response)


@dataclass(frozen=True)
class PortalServer:
    base_url: str
    database_url: str
    demo: DemoSummary
    rasa: SlowRasa


@dataclass(frozen=True)
class Person:
    patient_id: int
    name: str
    phone: str
    dob: str  # as typed in the form, month/day/year
    appointment_id: int


def _serve(app) -> tuple[object, threading.Thread, int]:
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    return server, thread, server.server_port


@pytest.fixture(scope="session")
def portal_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[PortalServer]:
    path = tmp_path_factory.mktemp("portal") / "portal.sqlite3"
    database_url = f"sqlite:///{path}"
    migrate.upgrade(database_url)
    with UnitOfWork(database_url) as uow:
        demo = seed_demo(uow.session)
        uow.commit()
    rasa = SlowRasa()
    rasa_server, _, rasa_port = _serve(rasa.wsgi)
    rasa.url = f"http://127.0.0.1:{rasa_port}"
    settings = portal_settings(
        database_url,
        PUBLIC_BASE_URL="http://127.0.0.1",
        PORTAL_SECURE_COOKIES="false",
        RASA_URL=rasa.url,
    )
    server, thread, port = _serve(create_app(settings))
    try:
        yield PortalServer(f"http://127.0.0.1:{port}", database_url, demo, rasa)
    finally:
        server.shutdown()
        rasa_server.shutdown()
        thread.join(timeout=10)


def people_with_visits(database_url: str, count: int, skip: set[int]) -> list[Person]:
    """Patients alone on their number, each with an upcoming booked visit."""
    with UnitOfWork(database_url) as uow:
        s = uow.session
        shared = {
            number
            for (number,) in s.execute(select(PatientPhone.number)).all()
            if s.execute(select(PatientPhone.id).where(PatientPhone.number == number))
            .scalars()
            .all()
            .__len__()
            > 1
        }
        rows = s.execute(
            select(Appointment, Patient, PatientPhone)
            .join(Patient, Patient.id == Appointment.patient_id)
            .join(PatientPhone, PatientPhone.patient_id == Patient.id)
            .where(Appointment.status == BOOKED, Appointment.starts_at > utcnow())
            .order_by(Appointment.starts_at)
        ).all()
        found: dict[int, Person] = {}
        for appointment, patient, phone in rows:
            if patient.id in skip or patient.id in found or phone.number in shared:
                continue
            found[patient.id] = Person(
                patient.id,
                patient.full_name,
                phone.number,
                patient.date_of_birth.strftime("%m/%d/%Y"),
                appointment.id,
            )
            if len(found) == count:
                break
        return list(found.values())


def sign_in(page, server: PortalServer, person: Person) -> None:
    """What a patient does: number and birth date, then the code from the text message."""
    page.goto("/portal/sign-in")
    page.get_by_label("Mobile phone number").fill(person.phone)
    page.get_by_label("Date of birth").fill(person.dob)
    page.get_by_role("button", name="Text me a code").click()
    page.get_by_label("6-digit code").fill(last_code(server.database_url, person.phone))
    page.get_by_role("button", name="Sign in").click()
