"""The FHIR R4 HTTP API: bearer tokens, read, search, paging, transactions, OperationOutcomes."""

from __future__ import annotations

import json
from typing import Any

import pytest
from flask.testing import FlaskClient
from sqlalchemy import func, select

from assistant.db.models import Appointment, AuditEvent, Patient
from assistant.demo.seed import DemoSummary, seed_demo
from assistant.fhir import systems
from assistant.fhir.validation import problems
from assistant.unit_of_work import UnitOfWork
from tests.factories.webhooks import PUBLIC_BASE_URL, make_settings
from webhooks import create_app

TOKEN = "ehr-token-0123456789abcdef"
AUTH = {"Authorization": f"Bearer {TOKEN}"}
BASE = f"{PUBLIC_BASE_URL}/fhir/R4"
NEW = "urn:uuid:6f1c2d3e-4b5a-4c6d-8e9f-0a1b2c3d4e5f"


@pytest.fixture
def seeded(sqlite_url: str) -> DemoSummary:
    with UnitOfWork(sqlite_url) as uow:
        summary = seed_demo(uow.session)
        uow.commit()
    return summary


@pytest.fixture
def api(sqlite_url: str, seeded: DemoSummary) -> FlaskClient:
    settings = make_settings(sqlite_url, FHIR_API_TOKENS=f"other:{'x' * 20},ehr:{TOKEN}")
    return create_app(settings).test_client()


def get(api: FlaskClient, path: str, **params: str) -> Any:
    response = api.get(f"/fhir/R4{path}", query_string=params, headers=AUTH)
    assert response.mimetype == "application/fhir+json"
    return response


def assert_outcome(response: Any, status: int) -> dict[str, Any]:
    assert response.status_code == status
    assert response.mimetype == "application/fhir+json"
    body = response.get_json(force=True)
    assert body["resourceType"] == "OperationOutcome"
    assert problems(body) == []
    assert body["issue"] and all(i["severity"] == "error" for i in body["issue"])
    return body


def test_metadata_needs_no_token_and_validates(api: FlaskClient) -> None:
    response = api.get("/fhir/R4/metadata")
    assert response.status_code == 200
    statement = response.get_json(force=True)
    assert statement["resourceType"] == "CapabilityStatement"
    assert statement["implementation"]["url"] == BASE
    assert problems(statement) == []


@pytest.mark.parametrize(
    "headers",
    [{}, {"Authorization": "Bearer wrong-token-0123456789"}, {"Authorization": f"Basic {TOKEN}"}],
)
def test_without_a_valid_token_401(api: FlaskClient, headers: dict[str, str]) -> None:
    response = api.get("/fhir/R4/Patient", headers=headers)
    body = assert_outcome(response, 401)
    assert response.headers["WWW-Authenticate"].startswith("Bearer")
    assert body["issue"][0]["code"] == "login"


def test_api_disabled_without_tokens(sqlite_url: str) -> None:
    client = create_app(make_settings(sqlite_url)).test_client()
    assert client.get("/fhir/R4/metadata").status_code == 200
    body = assert_outcome(client.get("/fhir/R4/Patient/1", headers=AUTH), 401)
    assert "not enabled" in body["issue"][0]["diagnostics"]


def test_read_patient_and_audit(api: FlaskClient, seeded: DemoSummary, sqlite_url: str) -> None:
    maria = seeded.english_demo
    response = get(api, f"/Patient/{maria.patient_id}")
    assert response.status_code == 200
    patient = response.get_json(force=True)
    assert patient["name"][0]["family"] == "Lopez"
    assert problems(patient) == []
    with UnitOfWork(sqlite_url) as uow:
        event = uow.session.execute(
            select(AuditEvent.actor, AuditEvent.channel, AuditEvent.action, AuditEvent.patient_id)
            .order_by(AuditEvent.id.desc())
            .limit(1)
        ).one()
    assert tuple(event) == ("fhir:ehr", "fhir", "read", maria.patient_id)


def test_unknown_ids_and_types_404(api: FlaskClient) -> None:
    assert_outcome(get(api, "/Patient/999999"), 404)
    assert_outcome(get(api, "/Observation/1"), 404)
    assert_outcome(get(api, "/Observation"), 404)


def test_search_appointments(api: FlaskClient, seeded: DemoSummary) -> None:
    maria = seeded.english_demo
    day = maria.appointment_starts_at.date().isoformat()
    by_patient = get(api, "/Appointment", patient=f"Patient/{maria.patient_id}").get_json(
        force=True
    )
    assert by_patient["type"] == "searchset" and by_patient["total"] == 1
    appointment = by_patient["entry"][0]["resource"]
    assert by_patient["entry"][0]["fullUrl"] == f"{BASE}/Appointment/{appointment['id']}"
    practitioner = appointment["participant"][1]["actor"]["reference"]
    found = get(
        api, "/Appointment", date=f"ge{day}", practitioner=practitioner, status="booked", _count="5"
    ).get_json(force=True)
    assert found["total"] >= 1 and len(found["entry"]) <= 5
    for entry in found["entry"]:
        resource = entry["resource"]
        assert resource["status"] == "booked"
        assert resource["participant"][1]["actor"]["reference"] == practitioner
        assert resource["start"][:10] >= day
    assert problems(found) == []
    assert_outcome(get(api, "/Appointment", date="tomorrow"), 400)
    assert_outcome(get(api, "/Appointment", colour="blue"), 400)


def test_paging_links_follow_to_the_end(api: FlaskClient) -> None:
    url = "/fhir/R4/Patient?_count=25"
    seen: list[str] = []
    while url:
        body = api.get(url, headers=AUTH).get_json(force=True)
        seen += [e["resource"]["id"] for e in body.get("entry", [])]
        links = {link["relation"]: link["url"] for link in body["link"]}
        url = links.get("next", "").replace(PUBLIC_BASE_URL, "")
    assert len(seen) == len(set(seen)) == 60


def _transaction(start: str) -> dict[str, Any]:
    patient = {
        "resourceType": "Patient",
        "identifier": [{"system": systems.MRN, "value": "EHR-77"}],
        "name": [{"family": "Novak", "given": ["Irena"]}],
        "birthDate": "1990-04-12",
    }
    appointment = {
        "resourceType": "Appointment",
        "status": "booked",
        "serviceType": [{"coding": [{"system": systems.APPOINTMENT_TYPE, "code": "follow_up"}]}],
        "start": start,
        "participant": [
            {"actor": {"reference": NEW}, "status": "accepted"},
            {"actor": {"reference": "Practitioner/1"}, "status": "accepted"},
            {"actor": {"reference": "Location/1"}, "status": "accepted"},
        ],
    }
    return {
        "resourceType": "Bundle",
        "type": "transaction",
        "entry": [
            {"fullUrl": NEW, "resource": patient, "request": {"method": "POST", "url": "Patient"}},
            {"resource": appointment, "request": {"method": "POST", "url": "Appointment"}},
        ],
    }


def _counts(url: str) -> tuple[int, int]:
    with UnitOfWork(url) as uow:
        return (
            uow.session.execute(select(func.count()).select_from(Patient)).scalar_one(),
            uow.session.execute(select(func.count()).select_from(Appointment)).scalar_one(),
        )


def test_transaction_import(api: FlaskClient, seeded: DemoSummary, sqlite_url: str) -> None:
    before = _counts(sqlite_url)
    taken = seeded.english_demo.appointment_starts_at.isoformat()
    failed = api.post("/fhir/R4", json=_transaction(taken), headers=AUTH)
    body = assert_outcome(failed, 422)
    assert body["issue"][0]["expression"] == ["Bundle.entry[1].resource.start"]
    assert _counts(sqlite_url) == before

    response = api.post(
        "/fhir/R4",
        data=json.dumps(_transaction("2030-01-07T15:00:00+00:00")),
        headers={**AUTH, "Content-Type": "application/fhir+json"},
    )
    assert response.status_code == 200
    result = response.get_json(force=True)
    assert result["type"] == "transaction-response"
    assert [e["response"]["status"] for e in result["entry"]] == ["201 Created"] * 2
    assert _counts(sqlite_url) == (before[0] + 1, before[1] + 1)
    location = result["entry"][1]["response"]["location"]
    stored = get(api, f"/{location}").get_json(force=True)
    assert stored["status"] == "booked" and stored["participant"][0]["status"] == "accepted"


def test_transaction_malformed_400(api: FlaskClient) -> None:
    assert_outcome(api.post("/fhir/R4", data="{not json", headers=AUTH), 400)
    assert_outcome(api.post("/fhir/R4", json={"resourceType": "Patient"}, headers=AUTH), 400)
    assert_outcome(api.post("/fhir/R4", json={}, headers={}), 401)
