"""Read and search: parameters, paging, slots, and the audit trail of reads."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import select

from assistant.db.models import Appointment, AuditEvent, Patient, Provider
from assistant.fhir import server, systems
from assistant.fhir.errors import BadRequest, NotFound
from tests.factories.fhir import ACTOR, BASE, NOW, Demo


def find(demo: Demo, resource_type: str, *params: tuple[str, str]) -> dict[str, Any]:
    return server.search(
        demo.session,
        demo.practice_id,
        resource_type,
        list(params),
        actor=ACTOR,
        base_url=BASE,
        now=NOW,
    )


def ids(bundle: dict[str, Any]) -> list[str]:
    return [entry["resource"]["id"] for entry in bundle.get("entry", [])]


def test_patient_search_by_identifier_name_birthdate_phone(demo: Demo) -> None:
    maria = demo.session.get(Patient, demo.summary.english_demo.patient_id)
    mine = [str(maria.id)]
    assert ids(find(demo, "Patient", ("identifier", f"{systems.MRN}|{maria.external_id}"))) == mine
    assert ids(find(demo, "Patient", ("identifier", f"{systems.PATIENT_ID}|{maria.id}"))) == mine
    assert str(maria.id) in ids(find(demo, "Patient", ("name", "lop")))
    found = find(demo, "Patient", ("name", "Maria"), ("birthdate", "1982-03-03"))
    assert ids(found) == mine
    assert ids(find(demo, "Patient", ("phone", "(555) 555-0123"))) == mine
    assert find(demo, "Patient", ("birthdate", "1982-03-04"), ("name", "Maria"))["total"] == 0
    assert mine[0] in ids(find(demo, "Patient", ("birthdate", "ge1982"), ("birthdate", "lt1983")))


def test_appointment_search_by_patient_date_status_practitioner(demo: Demo) -> None:
    maria = demo.summary.english_demo
    appointment = demo.session.get(Appointment, maria.appointment_id)
    bundle = find(demo, "Appointment", ("patient", f"Patient/{maria.patient_id}"))
    assert ids(bundle) == [str(maria.appointment_id)]
    on_day = find(
        demo,
        "Appointment",
        ("date", "2026-06-02"),
        ("practitioner", f"Practitioner/{appointment.provider_id}"),
        ("_count", "100"),
    )
    assert str(maria.appointment_id) in ids(on_day)
    for entry in on_day["entry"]:
        resource = entry["resource"]
        assert resource["start"].startswith("2026-06-02")
        assert resource["participant"][1]["actor"]["reference"] == (
            f"Practitioner/{appointment.provider_id}"
        )
    start = appointment.starts_at.isoformat()
    exact = find(demo, "Appointment", ("date", f"eq{start}"), ("patient", str(maria.patient_id)))
    assert ids(exact) == [str(maria.appointment_id)]
    later = find(demo, "Appointment", ("date", f"gt{start}"), ("patient", str(maria.patient_id)))
    assert later["total"] == 0
    cancelled = find(demo, "Appointment", ("status", "cancelled"), ("_count", "100"))
    stored = demo.session.execute(
        select(Appointment.id).where(Appointment.status == "cancelled")
    ).scalars()
    assert sorted(ids(cancelled)) == sorted(str(i) for i in stored)
    assert cancelled["total"] >= 2
    booked = find(demo, "Appointment", ("status", "booked,pending"), ("_count", "0"))
    assert (
        booked["total"]
        == demo.session.execute(
            select(Appointment.id).where(Appointment.status.in_(("booked", "confirmed", "held")))
        )
        .scalars()
        .all()
        .__len__()
    )


def test_paging_with_count_and_links(demo: Demo) -> None:
    first = find(demo, "Patient", ("_count", "25"))
    assert first["total"] == 60 and len(first["entry"]) == 25
    links = {link["relation"]: link["url"] for link in first["link"]}
    assert links["self"] == f"{BASE}/Patient?_count=25&_offset=0"
    assert links["next"] == f"{BASE}/Patient?_count=25&_offset=25"
    assert "previous" not in links
    last = find(demo, "Patient", ("_count", "25"), ("_offset", "50"))
    assert len(last["entry"]) == 10
    relations = {link["relation"] for link in last["link"]}
    assert relations == {"self", "previous"}
    everyone = ids(first) + ids(find(demo, "Patient", ("_count", "25"), ("_offset", "25")))
    assert len(set(everyone + ids(last))) == 60
    assert find(demo, "Patient", ("_count", "0"))["total"] == 60


def test_schedule_and_slots(demo: Demo) -> None:
    chen = demo.session.execute(select(Provider).order_by(Provider.id)).scalars().first()
    schedules = find(demo, "Schedule", ("actor", f"Practitioner/{chen.id}"))
    assert schedules["total"] == 1
    schedule = schedules["entry"][0]["resource"]
    assert [a["reference"] for a in schedule["actor"]][0] == f"Practitioner/{chen.id}"
    ref = f"Schedule/{schedule['id']}"
    day = ("start", "ge2026-06-02"), ("start", "lt2026-06-03")
    free = find(demo, "Slot", ("schedule", ref), *day, ("status", "free"), ("_count", "100"))
    busy = find(demo, "Slot", ("schedule", ref), *day, ("status", "busy"), ("_count", "100"))
    assert free["total"] > 0 and busy["total"] > 0
    maria = demo.session.get(Appointment, demo.summary.english_demo.appointment_id)
    busy_id = f"{schedule['id']}-{int(maria.starts_at.timestamp())}"
    assert busy_id in ids(busy)
    for entry in free["entry"]:  # a free slot never overlaps a busy one of the schedule
        slot = entry["resource"]
        for other in busy["entry"]:
            taken = other["resource"]
            assert not (slot["start"] < taken["end"] and taken["start"] < slot["end"])
    a_free = free["entry"][0]["resource"]
    assert server.read(demo.session, demo.practice_id, "Slot", a_free["id"], actor=ACTOR, now=NOW)
    read_busy = server.read(demo.session, demo.practice_id, "Slot", busy_id, actor=ACTOR, now=NOW)
    assert read_busy["status"] == "busy"
    maria_appointment = server.read(
        demo.session, demo.practice_id, "Appointment", str(maria.id), actor=ACTOR, now=NOW
    )
    assert maria_appointment["slot"] == [{"reference": f"Slot/{busy_id}"}]


def test_reads_and_not_found(demo: Demo) -> None:
    maria = demo.summary.english_demo
    for rtype, rid in (("Patient", maria.patient_id), ("Appointment", maria.appointment_id)):
        resource = server.read(demo.session, demo.practice_id, rtype, str(rid), actor=ACTOR)
        assert resource["id"] == str(rid)
    for rtype, rid in (("Patient", "999999"), ("Slot", "1-1-5"), ("Schedule", "x"), ("Foo", "1")):
        with pytest.raises(NotFound):
            server.read(demo.session, demo.practice_id, rtype, rid, actor=ACTOR, now=NOW)


@pytest.mark.parametrize(
    "params",
    [
        [("nickname", "x")],
        [("date", "2026-13-40")],
        [("date", "ne2026-06-02")],
        [("status", "confirmed")],
        [("patient", "Practitioner/1")],
        [("_count", "ten")],
    ],
)
def test_bad_parameters_are_400(demo: Demo, params: list[tuple[str, str]]) -> None:
    with pytest.raises(BadRequest) as caught:
        find(demo, "Appointment", *params)
    outcome = caught.value.outcome()
    assert outcome["resourceType"] == "OperationOutcome"
    assert outcome["issue"][0]["severity"] == "error"


def test_every_read_is_audited(demo: Demo) -> None:
    maria = demo.summary.english_demo
    before = demo.session.execute(select(AuditEvent.id)).scalars().all()
    server.read(demo.session, demo.practice_id, "Patient", str(maria.patient_id), actor=ACTOR)
    find(demo, "Appointment", ("patient", f"Patient/{maria.patient_id}"))
    find(demo, "Practitioner")
    demo.session.flush()
    events = (
        demo.session.execute(
            select(AuditEvent).where(AuditEvent.id.not_in(before)).order_by(AuditEvent.id)
        )
        .scalars()
        .all()
    )
    assert [(e.entity, e.entity_id, e.patient_id) for e in events] == [
        ("patient", maria.patient_id, maria.patient_id),
        ("appointment", maria.appointment_id, maria.patient_id),
        ("practitioner", None, None),
    ]
    assert {(e.actor, e.channel, e.action) for e in events} == {(ACTOR, "fhir", "read")}
    assert events[1].detail == {"interaction": "search", "params": ["patient"]}
