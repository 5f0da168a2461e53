"""Transaction Bundle import: all-or-nothing, through the scheduling engine's guard."""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

import pytest
from sqlalchemy import func, select

from assistant.db.models import (
    Appointment,
    AppointmentHistory,
    AuditEvent,
    Patient,
    PatientPhone,
    Provider,
)
from assistant.fhir import importer, systems
from assistant.fhir.errors import BadRequest
from assistant.fhir.importer import ImportFailed, import_transaction_bundle
from assistant.scheduling import guard
from tests.factories.fhir import ACTOR, NOW, Demo

NEW = "urn:uuid:0b6c3e2a-1d4f-4c1e-9a53-3f0e2d1c7b01"


def patient_entry(full_url: str = NEW, mrn: str = "EHR-1001", **changes: Any) -> dict[str, Any]:
    resource: dict[str, Any] = {
        "resourceType": "Patient",
        "identifier": [{"system": systems.MRN, "value": mrn}],
        "name": [{"use": "official", "family": "Novak", "given": ["Irena"]}],
        "birthDate": "1990-04-12",
        "telecom": [{"system": "phone", "value": "(555) 555-0177"}],
        "communication": [{"language": {"coding": [{"code": "es-US"}]}, "preferred": True}],
        **changes,
    }
    return {
        "fullUrl": full_url,
        "resource": resource,
        "request": {"method": "POST", "url": "Patient"},
    }


def appointment_entry(
    patient: dict[str, Any],
    start: str,
    *,
    practitioner: dict[str, Any] | None = None,
    status: str = "booked",
    patient_status: str = "needs-action",
    code: str = "follow_up",
    external_id: str | None = None,
    **changes: Any,
) -> dict[str, Any]:
    resource: dict[str, Any] = {
        "resourceType": "Appointment",
        "status": status,
        "serviceType": [{"coding": [{"system": systems.APPOINTMENT_TYPE, "code": code}]}],
        "start": start,
        "participant": [
            {"actor": patient, "status": patient_status},
            {
                "actor": practitioner
                or {"identifier": {"system": systems.NPI, "value": "1902000011"}},
                "status": "accepted",
            },
            {"actor": {"reference": "Location/1"}, "status": "accepted"},
        ],
        **changes,
    }
    if external_id:
        resource["identifier"] = [{"system": "urn:ehr:appointments", "value": external_id}]
    return {"resource": resource, "request": {"method": "POST", "url": "Appointment"}}


def transaction(*entries: dict[str, Any]) -> dict[str, Any]:
    return {"resourceType": "Bundle", "type": "transaction", "entry": list(entries)}


def counts(demo: Demo) -> tuple[int, ...]:
    models = (Patient, PatientPhone, Appointment, AppointmentHistory, AuditEvent)
    return tuple(
        demo.session.execute(select(func.count()).select_from(m)).scalar_one() for m in models
    )


def run(demo: Demo, bundle: dict[str, Any]) -> importer.ImportResult:
    return import_transaction_bundle(demo.session, demo.practice_id, bundle, actor=ACTOR, now=NOW)


def test_import_creates_patients_and_appointments(demo: Demo) -> None:
    maria = demo.summary.english_demo
    bundle = transaction(
        patient_entry(),
        appointment_entry({"reference": NEW}, "2026-07-06T10:00:00-04:00", external_id="E-1"),
        appointment_entry(
            {"reference": f"Patient/{maria.patient_id}"},
            "2026-07-06T10:20:00-04:00",
            patient_status="accepted",
            external_id="E-2",
        ),
        appointment_entry(
            {"identifier": {"system": systems.MRN, "value": "EHR-1001"}},
            "2026-07-06T10:00:00-04:00",
            status="cancelled",
            cancelationReason={"text": "patient called"},
            end="2026-07-06T14:20:00Z",
        ),
    )
    result = run(demo, bundle)
    demo.session.commit()
    response = result.bundle()
    assert response["type"] == "transaction-response"
    statuses = [e["response"]["status"] for e in response["entry"]]
    assert statuses == ["201 Created"] * 4
    patient_id = result.entries[0].id
    patient = demo.session.get(Patient, patient_id)
    assert (patient.first_name, patient.external_id, patient.preferred_language) == (
        "Irena",
        "EHR-1001",
        "es",
    )
    assert [p.number for p in patient.phones] == ["+15555550177"]
    first, second, third = (demo.session.get(Appointment, e.id) for e in result.entries[1:])
    assert (first.status, first.patient_id, first.external_id) == ("booked", patient_id, "E-1")
    assert first.starts_at == datetime(2026, 7, 6, 14, 0, tzinfo=timezone.utc)
    assert (second.status, second.patient_id) == ("confirmed", maria.patient_id)
    assert second.confirmed_at is not None
    assert (third.status, third.cancel_reason) == ("cancelled", "patient called")
    history = demo.session.execute(
        select(AppointmentHistory).where(AppointmentHistory.appointment_id == first.id)
    ).scalar_one()
    assert (history.action, history.actor, history.channel) == ("imported", ACTOR, "fhir")
    audits = demo.session.execute(
        select(AuditEvent.entity, AuditEvent.action).where(AuditEvent.actor == ACTOR)
    ).all()
    assert sorted(audits) == [("appointment", "create")] * 3 + [("patient", "create")]


def test_a_patient_with_a_known_mrn_is_updated(demo: Demo) -> None:
    maria = demo.session.get(Patient, demo.summary.english_demo.patient_id)
    entry = patient_entry(mrn=maria.external_id, birthDate="1982-03-03")
    entry["resource"]["name"] = [{"family": "Lopez", "given": ["María"]}]
    result = run(demo, transaction(entry))
    assert result.bundle()["entry"][0]["response"] == {
        "status": "200 OK",
        "location": f"Patient/{maria.id}",
    }
    assert maria.first_name == "María"
    assert maria.preferred_language == "es"
    assert [p.is_primary for p in maria.phones if p.number == "+15555550177"] == [True]


def test_any_problem_means_nothing_is_written(demo: Demo) -> None:
    maria = demo.session.get(Appointment, demo.summary.english_demo.appointment_id)
    before = counts(demo)
    bundle = transaction(
        patient_entry(),  # fine on its own
        appointment_entry({"reference": NEW}, "2026-07-06T10:00:00-04:00"),  # fine on its own
        appointment_entry(  # 2: the practitioner already has Maria's appointment then
            {"reference": NEW},
            maria.starts_at.isoformat(),
            practitioner={"reference": f"Practitioner/{maria.provider_id}"},
        ),
        appointment_entry({"reference": "urn:uuid:nobody"}, "2026-07-07T10:00:00-04:00"),  # 3
        appointment_entry({"reference": NEW}, "2026-07-06T10:10:00-04:00"),  # 4: overlaps 1
        appointment_entry({"reference": NEW}, "2026-07-08T10:00:00Z", code="massage"),  # 5
        appointment_entry({"reference": NEW}, "2026-07-09T10:00:00Z", status="waitlist"),  # 6
        {**patient_entry("urn:uuid:x", "EHR-2", birthDate="2999-01-01", bogus=1)},  # 7
    )
    with pytest.raises(ImportFailed) as caught:
        run(demo, bundle)
    assert counts(demo) == before
    outcome = caught.value.outcome()
    assert caught.value.status == 422
    assert outcome["resourceType"] == "OperationOutcome"
    by_entry: dict[int, list[str]] = {}
    for issue in outcome["issue"]:
        assert issue["severity"] == "error"
        index = int(issue["expression"][0].split("[")[1].split("]")[0])
        by_entry.setdefault(index, []).append(issue["diagnostics"])
    assert sorted(by_entry) == [2, 3, 4, 5, 6, 7]
    assert "already has an appointment" in by_entry[2][0]
    assert "cannot be resolved" in by_entry[3][0]
    assert "overlaps entry 1" in by_entry[4][0]
    assert any("serviceType" in m for m in by_entry[5])
    assert "cannot be imported" in by_entry[6][0]
    assert "extra fields not permitted" in by_entry[7][0]
    for messages in by_entry.values():  # no patient data in the messages
        assert not any("Novak" in m or "1990" in m or "0177" in m for m in messages)


def test_the_database_guard_refuses_an_overlap_the_checks_missed(
    demo: Demo, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A booking that appears between the checks and the writes fails the whole import."""
    maria = demo.session.get(Appointment, demo.summary.english_demo.appointment_id)
    real = guard.find_conflicts
    calls = {"n": 0}

    def blind_first_time(*args: Any, **kwargs: Any) -> list[Appointment]:
        calls["n"] += 1
        return [] if calls["n"] == 1 else real(*args, **kwargs)

    monkeypatch.setattr(importer.guard, "find_conflicts", blind_first_time)
    before = counts(demo)
    bundle = transaction(
        patient_entry(),
        appointment_entry(
            {"reference": NEW},
            maria.starts_at.isoformat(),
            practitioner={"reference": f"Practitioner/{maria.provider_id}"},
        ),
    )
    with pytest.raises(ImportFailed) as caught:
        run(demo, bundle)
    assert caught.value.issues[0].code == "conflict"
    assert caught.value.issues[0].expression == "Bundle.entry[1].resource.start"
    assert counts(demo) == before
    assert (
        demo.session.execute(select(Patient).where(Patient.external_id == "EHR-1001")).first()
        is None
    )


def test_re_importing_an_appointment_is_refused(demo: Demo) -> None:
    entries = (
        patient_entry(),
        appointment_entry({"reference": NEW}, "2026-07-06T10:00:00-04:00", external_id="E-9"),
    )
    run(demo, transaction(*entries))
    with pytest.raises(ImportFailed) as caught:
        run(demo, transaction(*entries))
    assert "already imported as Appointment/" in caught.value.issues[0].message


@pytest.mark.parametrize(
    "body",
    [
        None,
        {"resourceType": "Patient"},
        {"resourceType": "Bundle", "type": "batch", "entry": []},
        {"resourceType": "Bundle", "type": "transaction"},
    ],
)
def test_not_a_transaction_is_a_bad_request(demo: Demo, body: Any) -> None:
    with pytest.raises(BadRequest):
        run(demo, body)


def test_unknown_practitioner_by_npi(demo: Demo) -> None:
    assert (
        demo.session.execute(select(Provider).where(Provider.npi == "0000000000")).first() is None
    )
    entry = appointment_entry(
        {"reference": f"Patient/{demo.summary.english_demo.patient_id}"},
        "2026-07-06T10:00:00-04:00",
        practitioner={"identifier": {"system": systems.NPI, "value": "0000000000"}},
    )
    with pytest.raises(ImportFailed) as caught:
        run(demo, transaction(entry))
    messages = [issue.message for issue in caught.value.issues]
    assert "entry 0: no Practitioner with that identifier" in messages
