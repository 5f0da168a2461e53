"""Importing patients and appointments from a practice-management system's CSV export."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from assistant.db.models import (
    Appointment,
    AppointmentHistory,
    AppointmentType,
    AuditEvent,
    Location,
    Patient,
    PatientPhone,
    Practice,
    Provider,
)
from assistant.importing import ImportFailed, import_csv
from assistant.unit_of_work import UnitOfWork

NEW_YORK = ZoneInfo("America/New_York")
PATIENTS_HEADER = (
    "external_id,first_name,last_name,date_of_birth,phone,preferred_language,sms_consent,email"
)
APPOINTMENTS_HEADER = (
    "external_id,patient_external_id,provider,location,appointment_type,start,status"
)
MARIA = "MRN-1,Maria,Lopez,1982-03-03,(555) 555-0123,en,yes,maria@example.com"
JOSE = "MRN-2,José,Hernández,07/15/1975,555.555.0124,es,no,"
OLIVIA = "MRN-3,Olivia,Smith,2016-05-20,+1 555 555 0130,,1,"


def _practice(session: Session) -> Practice:
    practice = Practice(name="Test Clinic", slug="test-clinic", settings={})
    session.add(practice)
    session.flush()
    session.add_all(
        [
            Location(
                practice_id=practice.id,
                name="Main Street Office",
                address_line1="1420 Main Street",
                city="Riverside",
                state="NJ",
                postal_code="08075",
                time_zone="America/New_York",
                opening_hours={},
            ),
            Provider(
                practice_id=practice.id,
                title="Dr.",
                first_name="Sarah",
                last_name="Chen",
                npi="1902000011",
            ),
            Provider(practice_id=practice.id, title="NP", first_name="Emily", last_name="Park"),
            AppointmentType(
                practice_id=practice.id, code="follow_up", name="Follow-up", duration_minutes=20
            ),
            AppointmentType(
                practice_id=practice.id, code="new_patient", name="New", duration_minutes=40
            ),
        ]
    )
    session.flush()
    return practice


def _csv(tmp_path: Path, name: str, header: str, *rows: str) -> Path:
    path = tmp_path / name
    path.write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")
    return path


def _patients(tmp_path: Path, *rows: str, name: str = "patients.csv") -> Path:
    return _csv(tmp_path, name, PATIENTS_HEADER, *rows)


def _appointments(tmp_path: Path, *rows: str, name: str = "appointments.csv") -> Path:
    return _csv(tmp_path, name, APPOINTMENTS_HEADER, *rows)


def _count(session: Session, model: type) -> int:
    return session.execute(select(func.count()).select_from(model)).scalar_one()


def _patient(session: Session, external_id: str) -> Patient:
    return session.execute(select(Patient).where(Patient.external_id == external_id)).scalar_one()


def _appointment(session: Session, external_id: str) -> Appointment:
    query = select(Appointment).where(Appointment.external_id == external_id)
    return session.execute(query).scalar_one()


def _assert_nothing_written(session: Session) -> None:
    assert not session.new and not session.dirty
    for model in (Patient, PatientPhone, Appointment, AppointmentHistory, AuditEvent):
        assert _count(session, model) == 0


def test_happy_path_imports_patients_and_their_appointments(
    uow: UnitOfWork, tmp_path: Path
) -> None:
    session = uow.session
    practice = _practice(session)
    report = import_csv(
        session,
        practice_id=practice.id,
        patients_csv=_patients(tmp_path, MARIA, JOSE, OLIVIA),
        appointments_csv=_appointments(
            tmp_path,
            'A-1,MRN-1,"Chen, Sarah",Main Street Office,follow_up,2026-11-24 10:00,booked',
            "A-2,MRN-2,1902000011,main street office,new_patient,11/24/2026 14:00,confirmed",
            'A-3,MRN-3,"park, emily",Main Street Office,follow_up,2026-11-24 10:00,',
        ),
    )
    uow.commit()

    assert (report.patients_created, report.appointments_created) == (3, 3)
    assert (report.patients_updated, report.appointments_updated) == (0, 0)

    maria = _patient(session, "MRN-1")
    assert maria.full_name == "Maria Lopez" and maria.date_of_birth == date(1982, 3, 3)
    assert [p.number for p in maria.phones] == ["+15555550123"]
    assert maria.sms_consent and maria.email == "maria@example.com"
    jose = _patient(session, "MRN-2")
    assert jose.date_of_birth == date(1975, 7, 15) and jose.preferred_language == "es"
    assert not jose.sms_consent and jose.email is None
    olivia = _patient(session, "MRN-3")
    assert olivia.preferred_language == "en" and olivia.sms_consent

    first = _appointment(session, "A-1")
    assert first.patient_id == maria.id and first.status == "booked"
    assert first.starts_at == datetime(2026, 11, 24, 10, tzinfo=NEW_YORK)
    assert first.starts_at.utcoffset() == timedelta(0) and first.starts_at.hour == 15
    assert first.ends_at - first.starts_at == timedelta(minutes=20)
    second = _appointment(session, "A-2")
    assert second.ends_at - second.starts_at == timedelta(minutes=40)
    assert second.status == "confirmed" and second.confirmed_at is not None
    assert _appointment(session, "A-3").provider.last_name == "Park"

    history = session.execute(select(AppointmentHistory)).scalars().all()
    assert {(h.action, h.actor, h.channel) for h in history} == {("imported", "import", "import")}
    events = session.execute(select(AuditEvent)).scalars().all()
    assert len(events) == 6
    assert {(e.actor, e.channel, e.action) for e in events} == {("import", "import", "create")}
    assert sorted(e.entity for e in events) == ["appointment"] * 3 + ["patient"] * 3


def test_a_bad_date_on_line_4_is_reported_as_line_4_and_nothing_is_written(
    uow: UnitOfWork, tmp_path: Path
) -> None:
    session = uow.session
    practice = _practice(session)
    patients = _patients(tmp_path, MARIA, JOSE, "MRN-3,Olivia,Smith,2016-13-45,,,,")
    appointments = _appointments(
        tmp_path, 'A-1,MRN-1,"Chen, Sarah",Main Street Office,follow_up,2026-11-24 10:00,booked'
    )
    with pytest.raises(ImportFailed) as failed:
        import_csv(
            session,
            practice_id=practice.id,
            patients_csv=patients,
            appointments_csv=appointments,
        )

    [error] = failed.value.errors
    assert (error.file, error.line, error.column) == ("patients.csv", 4, "date_of_birth")
    assert "YYYY-MM-DD" in error.message
    assert str(error).startswith("patients.csv, line 4, column date_of_birth:")
    assert "2016-13-45" not in str(failed.value)  # patient data is not echoed
    _assert_nothing_written(session)


def test_every_problem_is_listed_with_its_line_blank_rows_counted(
    uow: UnitOfWork, tmp_path: Path
) -> None:
    session = uow.session
    practice = _practice(session)
    patients = _patients(
        tmp_path,
        MARIA,
        "",  # a blank spreadsheet row: line 3
        "MRN-1,Maria,Lopez,1982-03-03,555-0123,klingon,maybe,not-an-email",
        ",,Smith,2016-05-20,,,,",
    )
    appointments = _appointments(
        tmp_path,
        "A-1,MRN-9,Who?,Elsewhere,checkup,tomorrow,pending",
        'A-2,MRN-2,"Chen, Sarah",Main Street Office,follow_up,2026-11-24 10:00,',
    )
    with pytest.raises(ImportFailed) as failed:
        import_csv(
            session,
            practice_id=practice.id,
            patients_csv=patients,
            appointments_csv=appointments,
        )

    found = {(e.file, e.line, e.column) for e in failed.value.errors}
    assert found == {
        ("patients.csv", 4, "external_id"),  # duplicate of line 2
        ("patients.csv", 4, "phone"),
        ("patients.csv", 4, "preferred_language"),
        ("patients.csv", 4, "sms_consent"),
        ("patients.csv", 4, "email"),
        ("patients.csv", 5, "external_id"),
        ("patients.csv", 5, "first_name"),
        ("appointments.csv", 2, "patient_external_id"),
        ("appointments.csv", 2, "provider"),
        ("appointments.csv", 2, "location"),
        ("appointments.csv", 2, "appointment_type"),
        ("appointments.csv", 2, "start"),
        ("appointments.csv", 2, "status"),
        ("appointments.csv", 3, "patient_external_id"),
    }
    lines = [(e.file, e.line) for e in failed.value.errors]
    assert lines == sorted(lines, key=lambda fl: (fl[0] != "patients.csv", fl[1]))
    _assert_nothing_written(session)


def test_a_missing_column_is_reported_on_the_header_line(uow: UnitOfWork, tmp_path: Path) -> None:
    practice = _practice(uow.session)
    path = _csv(tmp_path, "patients.csv", "external_id,first_name,last_name,phone", "1,A,B,")
    with pytest.raises(ImportFailed) as failed:
        import_csv(uow.session, practice_id=practice.id, patients_csv=path)
    assert {(e.line, e.column) for e in failed.value.errors} == {
        (1, "date_of_birth"),
        (1, "preferred_language"),
        (1, "sms_consent"),
        (1, "email"),
    }


@pytest.mark.parametrize(
    "raw",
    ["(555) 555-0100", "555.555.0100", "555-555-0100", "+1 555 555 0100", "1-555-555-0100"],
)
def test_phone_numbers_are_normalised_to_e164(uow: UnitOfWork, tmp_path: Path, raw: str) -> None:
    practice = _practice(uow.session)
    path = _patients(tmp_path, f'MRN-1,Maria,Lopez,1982-03-03,"{raw}",en,yes,')
    import_csv(uow.session, practice_id=practice.id, patients_csv=path)
    assert [p.number for p in _patient(uow.session, "MRN-1").phones] == ["+15555550100"]


def test_a_phone_number_without_area_code_is_refused(uow: UnitOfWork, tmp_path: Path) -> None:
    practice = _practice(uow.session)
    path = _patients(tmp_path, "MRN-1,Maria,Lopez,1982-03-03,555-0100,en,yes,")
    with pytest.raises(ImportFailed) as failed:
        import_csv(uow.session, practice_id=practice.id, patients_csv=path)
    assert [(e.line, e.column) for e in failed.value.errors] == [(2, "phone")]


def test_reimporting_updates_instead_of_duplicating(uow: UnitOfWork, tmp_path: Path) -> None:
    session = uow.session
    practice = _practice(session)
    first = tmp_path / "first"
    first.mkdir()
    import_csv(
        session,
        practice_id=practice.id,
        patients_csv=_patients(first, MARIA, JOSE),
        appointments_csv=_appointments(
            first, 'A-1,MRN-1,"Chen, Sarah",Main Street Office,follow_up,2026-11-24 10:00,booked'
        ),
    )
    uow.commit()

    report = import_csv(
        session,
        practice_id=practice.id,
        patients_csv=_patients(
            tmp_path, "MRN-1,Maria,Lopez-Garcia,1982-03-03,555 555 0199,,,", JOSE
        ),
        appointments_csv=_appointments(
            tmp_path,
            'A-1,MRN-1,"Chen, Sarah",Main Street Office,follow_up,2026-11-24 10:00,confirmed',
        ),
    )
    uow.commit()

    assert (report.patients_created, report.patients_updated, report.patients_unchanged) == (
        0,
        1,
        1,
    )
    assert (report.appointments_created, report.appointments_updated) == (0, 1)
    assert _count(session, Patient) == 2 and _count(session, Appointment) == 1
    maria = _patient(session, "MRN-1")
    session.refresh(maria)
    assert maria.last_name == "Lopez-Garcia"
    assert maria.email == "maria@example.com" and maria.sms_consent  # blank cells keep values
    phones = {p.number: p.is_primary for p in maria.phones}
    assert phones == {"+15555550199": True, "+15555550123": False}

    appointment = _appointment(session, "A-1")
    assert appointment.status == "confirmed"
    last = session.execute(
        select(AppointmentHistory).order_by(AppointmentHistory.id.desc()).limit(1)
    ).scalar_one()
    assert (last.from_status, last.to_status) == ("booked", "confirmed")
    updates = session.execute(select(AuditEvent).where(AuditEvent.action == "update")).scalars()
    assert {(e.entity, e.entity_id) for e in updates} == {
        ("patient", maria.id),
        ("appointment", appointment.id),
    }


def test_a_local_time_in_the_dst_gap_is_refused(uow: UnitOfWork, tmp_path: Path) -> None:
    session = uow.session
    practice = _practice(session)
    with pytest.raises(ImportFailed) as failed:
        import_csv(
            session,
            practice_id=practice.id,
            patients_csv=_patients(tmp_path, MARIA),
            appointments_csv=_appointments(
                tmp_path,
                'A-1,MRN-1,"Chen, Sarah",Main Street Office,follow_up,2026-03-08 01:40,booked',
                'A-2,MRN-1,"Chen, Sarah",Main Street Office,follow_up,2026-03-08 02:30,booked',
            ),
        )
    [error] = failed.value.errors
    assert (error.file, error.line, error.column) == ("appointments.csv", 3, "start")
    assert "does not exist in America/New_York" in error.message
    _assert_nothing_written(session)


def test_two_rows_for_the_same_provider_and_start_collide(uow: UnitOfWork, tmp_path: Path) -> None:
    session = uow.session
    practice = _practice(session)
    with pytest.raises(ImportFailed) as failed:
        import_csv(
            session,
            practice_id=practice.id,
            patients_csv=_patients(tmp_path, MARIA, JOSE, OLIVIA),
            appointments_csv=_appointments(
                tmp_path,
                'A-1,MRN-1,"Chen, Sarah",Main Street Office,follow_up,2026-11-24 10:00,booked',
                'A-2,MRN-2,"Chen, Sarah",Main Street Office,follow_up,2026-11-24 10:00,cancelled',
                "A-3,MRN-3,1902000011,Main Street Office,new_patient,2026-11-24 10:00,confirmed",
            ),
        )
    [error] = failed.value.errors  # the cancelled row on line 3 does not occupy the slot
    assert (error.line, error.column) == (4, "start")
    assert "Dr. Chen already has an appointment" in error.message and "line 2" in error.message
    _assert_nothing_written(session)


def test_a_row_colliding_with_a_stored_appointment_is_refused(
    uow: UnitOfWork, tmp_path: Path
) -> None:
    session = uow.session
    practice = _practice(session)
    first = tmp_path / "first"
    first.mkdir()
    import_csv(
        session,
        practice_id=practice.id,
        patients_csv=_patients(first, MARIA, JOSE),
        appointments_csv=_appointments(
            first, 'A-1,MRN-1,"Chen, Sarah",Main Street Office,follow_up,2026-11-24 10:00,booked'
        ),
    )
    uow.commit()

    with pytest.raises(ImportFailed) as failed:
        import_csv(
            session,
            practice_id=practice.id,
            appointments_csv=_appointments(
                tmp_path,
                'A-2,MRN-2,"Chen, Sarah",Main Street Office,follow_up,2026-11-24 10:00,booked',
            ),
        )
    [error] = failed.value.errors
    assert (error.line, error.column) == (2, "start")
    assert "not in this file" in error.message
    assert _count(session, Appointment) == 1


def test_appointments_may_swap_slots_on_reimport(uow: UnitOfWork, tmp_path: Path) -> None:
    session = uow.session
    practice = _practice(session)
    first = tmp_path / "first"
    first.mkdir()
    row = '{},{},"Chen, Sarah",Main Street Office,follow_up,2026-11-24 {},booked'
    import_csv(
        session,
        practice_id=practice.id,
        patients_csv=_patients(first, MARIA, JOSE),
        appointments_csv=_appointments(
            first, row.format("A-1", "MRN-1", "10:00"), row.format("A-2", "MRN-2", "10:20")
        ),
    )
    uow.commit()

    report = import_csv(
        session,
        practice_id=practice.id,
        appointments_csv=_appointments(
            tmp_path, row.format("A-1", "MRN-1", "10:20"), row.format("A-2", "MRN-2", "10:00")
        ),
    )
    uow.commit()
    assert report.appointments_updated == 2
    assert _appointment(session, "A-1").starts_at == datetime(2026, 11, 24, 10, 20, tzinfo=NEW_YORK)
    assert _appointment(session, "A-2").starts_at == datetime(2026, 11, 24, 10, 0, tzinfo=NEW_YORK)
    assert {a.status for a in session.execute(select(Appointment)).scalars()} == {"booked"}


def test_overlapping_appointments_of_one_provider_are_refused(
    uow: UnitOfWork, tmp_path: Path
) -> None:
    session = uow.session
    practice = _practice(session)
    first = tmp_path / "first"
    first.mkdir()
    row = '{},{},"Chen, Sarah",Main Street Office,{},2026-11-24 {},booked'
    import_csv(
        session,
        practice_id=practice.id,
        patients_csv=_patients(first, MARIA, JOSE, OLIVIA),
        appointments_csv=_appointments(first, row.format("A-1", "MRN-1", "new_patient", "09:00")),
    )
    uow.commit()

    with pytest.raises(ImportFailed) as failed:
        import_csv(
            session,
            practice_id=practice.id,
            appointments_csv=_appointments(
                tmp_path,
                row.format("A-2", "MRN-2", "new_patient", "10:00"),  # 10:00-10:40
                row.format("A-3", "MRN-3", "follow_up", "10:20"),  # inside A-2
                row.format("A-4", "MRN-3", "follow_up", "09:20"),  # inside stored A-1
                row.format("A-5", "MRN-2", "follow_up", "10:40"),  # right after A-2: fine
                row.format("A-6", "MRN-1", "follow_up", "09:40"),  # right after A-1: fine
            ),
        )
    errors = {(e.line, e.column): e.message for e in failed.value.errors}
    assert set(errors) == {(3, "start"), (4, "start")}
    assert "on line 2" in errors[(3, "start")]
    assert "not in this file" in errors[(4, "start")]
    assert _count(session, Appointment) == 1


def test_a_longer_appointment_type_may_take_time_a_moved_neighbour_frees(
    uow: UnitOfWork, tmp_path: Path
) -> None:
    session = uow.session
    practice = _practice(session)
    first = tmp_path / "first"
    first.mkdir()
    row = '{},{},"Chen, Sarah",Main Street Office,{},2026-11-24 {},{}'
    import_csv(
        session,
        practice_id=practice.id,
        patients_csv=_patients(first, MARIA, JOSE),
        appointments_csv=_appointments(
            first,
            row.format("A-1", "MRN-1", "follow_up", "10:00", "booked"),
            row.format("A-2", "MRN-2", "follow_up", "10:20", "booked"),
        ),
    )
    uow.commit()

    report = import_csv(
        session,
        practice_id=practice.id,
        appointments_csv=_appointments(
            tmp_path,
            row.format("A-1", "MRN-1", "new_patient", "10:00", "booked"),  # now until 10:40
            row.format("A-2", "MRN-2", "follow_up", "10:20", "cancelled"),
        ),
    )
    uow.commit()
    assert report.appointments_updated == 2
    assert _appointment(session, "A-1").ends_at == datetime(2026, 11, 24, 10, 40, tzinfo=NEW_YORK)
    assert _appointment(session, "A-2").status == "cancelled"
