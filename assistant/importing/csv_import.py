"""Import patients and appointments from CSV files, as a practice-management system exports them.

The import runs in two phases. First every row of both files is read and checked (formats,
references to providers, locations, types and patients, time zones, double bookings) without
adding anything to the session. Only when there is no problem at all are rows written, in the
caller's transaction (the caller commits). One bad row raises `ImportFailed` listing every
problem found, and the import has added nothing to the session.

Errors name the file, the line (header = line 1, as a spreadsheet counts rows) and the column.
They never repeat a patient's data (names, dates of birth, numbers), so they are safe to show to
staff and to log. The format is documented in docs/csv-import.md.
"""

from __future__ import annotations

import bisect
import csv
import io
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any, TypeVar
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from assistant import audit
from assistant.db.models import (
    ARRIVED,
    BOOKED,
    CANCELLED,
    COMPLETED,
    CONFIRMED,
    NO_SHOW,
    OCCUPYING_STATUSES,
    RESCHEDULED,
    Appointment,
    AppointmentHistory,
    AppointmentType,
    Location,
    Patient,
    PatientPhone,
    Practice,
    Provider,
)
from assistant.db.types import utcnow
from assistant.importing.patient_phones import make_primary
from assistant.phones import InvalidPhoneNumber, to_e164

PATIENT_COLUMNS = (
    "external_id",
    "first_name",
    "last_name",
    "date_of_birth",
    "phone",
    "preferred_language",
    "sms_consent",
    "email",
)
APPOINTMENT_COLUMNS = (
    "external_id",
    "patient_external_id",
    "provider",
    "location",
    "appointment_type",
    "start",
    "status",
)
IMPORTABLE_STATUSES = (BOOKED, CONFIRMED, CANCELLED, ARRIVED, COMPLETED, NO_SHOW)
ACTOR = "import"
CHANNEL = "import"
_CHUNK = 500  # ids per IN (...) query, well under SQLite's bound-parameter limit

T = TypeVar("T")


@dataclass(frozen=True)
class RowError:
    """One problem in one cell (or, with `column` None, in the file as a whole)."""

    file: str
    line: int
    column: str | None
    message: str

    def __str__(self) -> str:
        where = f"{self.file}, line {self.line}"
        if self.column:
            where += f", column {self.column}"
        return f"{where}: {self.message}"


class ImportFailed(Exception):
    """The files have problems and nothing was imported; `errors` lists every one."""

    def __init__(self, errors: Sequence[RowError]) -> None:
        self.errors = list(errors)
        listing = "\n".join(str(error) for error in self.errors)
        super().__init__(f"{len(self.errors)} problem(s), nothing was imported:\n{listing}")


@dataclass
class ImportReport:
    patients_created: int = 0
    patients_updated: int = 0
    patients_unchanged: int = 0
    appointments_created: int = 0
    appointments_updated: int = 0
    appointments_unchanged: int = 0


def import_csv(
    session: Session,
    *,
    practice_id: int,
    patients_csv: Path | None = None,
    appointments_csv: Path | None = None,
) -> ImportReport:
    """Check both files completely, then create or update (by external_id) in the session."""
    if session.get(Practice, practice_id) is None:
        raise ValueError(f"no practice with id {practice_id}")
    problems: list[RowError] = []
    patient_rows: list[_PatientRow] = []
    patients_in_file: set[str] = set()
    if patients_csv is not None:
        patient_rows, patients_in_file = _check_patients(Path(patients_csv), problems)
    appointment_rows: list[_AppointmentRow] = []
    known_patients: dict[str, int] = {}
    if appointments_csv is not None:
        appointment_rows, known_patients = _check_appointments(
            session, practice_id, Path(appointments_csv), patients_in_file, problems
        )
        _check_double_bookings(session, practice_id, appointment_rows, problems)
    if problems:
        raise ImportFailed(_in_file_order(problems))

    report = ImportReport()
    written = _write_patients(session, practice_id, patient_rows, report)
    _write_appointments(
        session, practice_id, appointment_rows, {**known_patients, **written}, report
    )
    return report


# --- Reading -----------------------------------------------------------------------------------


@dataclass
class _Line:
    """One data row of a file, with the cells of the known columns (stripped)."""

    file: str
    number: int
    values: dict[str, str]
    problems: list[RowError]
    failed: bool = False

    def __getitem__(self, column: str) -> str:
        return self.values.get(column, "")

    def fail(self, column: str, message: str) -> None:
        self.problems.append(RowError(self.file, self.number, column, message))
        self.failed = True

    def check(self, column: str, parse: Callable[[str], T]) -> T | None:
        """Parse one cell; a ValueError becomes a problem on this line and column."""
        try:
            return parse(self[column])
        except ValueError as exc:
            self.fail(column, str(exc))
            return None


def _decode(raw: bytes) -> str:
    """UTF-8 (with or without Excel's byte-order mark), else Windows-1252 as Excel saves it."""
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return raw.decode("cp1252", errors="replace")


def _read_csv(path: Path, columns: Sequence[str], problems: list[RowError]) -> list[_Line]:
    name = path.name
    try:
        text = _decode(path.read_bytes())
    except OSError as exc:
        problems.append(RowError(name, 1, None, f"cannot read the file ({exc.strerror})"))
        return []
    records = csv.reader(io.StringIO(text, newline=""))
    number = 1
    lines: list[_Line] = []
    try:
        header = next(records, None)
        index = _column_index(name, header, columns, problems)
        if index is None:
            return []
        for number, record in enumerate(records, start=2):
            if not any(cell.strip() for cell in record):
                continue  # blank rows still count as lines, as in a spreadsheet
            values = {
                column: record[at].strip() if at < len(record) else ""
                for column, at in index.items()
            }
            lines.append(_Line(name, number, values, problems))
    except csv.Error as exc:
        problems.append(RowError(name, number, None, f"not readable as CSV ({exc})"))
    return lines


def _column_index(
    name: str, header: list[str] | None, columns: Sequence[str], problems: list[RowError]
) -> dict[str, int] | None:
    """Where each expected column is; extra columns are ignored, missing ones are problems."""
    if not header:
        expected = ",".join(columns)
        problems.append(RowError(name, 1, None, f"the file is empty; line 1 must be: {expected}"))
        return None
    index: dict[str, int] = {}
    for at, title in enumerate(header):
        key = title.strip().lower().replace(" ", "_")
        if key in columns and key not in index:
            index[key] = at
    missing = [column for column in columns if column not in index]
    for column in missing:
        problems.append(RowError(name, 1, column, "this column is missing from the header"))
    return None if missing else index


def _in_file_order(problems: list[RowError]) -> list[RowError]:
    rank: dict[str, int] = {}
    for problem in problems:
        rank.setdefault(problem.file, len(rank))
    return sorted(problems, key=lambda problem: (rank[problem.file], problem.line))


# --- Cell parsers (raise ValueError with the message shown to the user) ------------------------


def _text(max_length: int) -> Callable[[str], str]:
    def parse(value: str) -> str:
        if not value:
            raise ValueError("is empty; a value is required")
        if len(value) > max_length:
            raise ValueError(f"is longer than {max_length} characters")
        return value

    return parse


def _parse_date_of_birth(value: str) -> date:
    if not value:
        raise ValueError("is empty; a date of birth is required")
    born = _parse_datetime(value, ("%Y-%m-%d", "%m/%d/%Y"))
    if born is None:
        raise ValueError("is not a valid date; use YYYY-MM-DD or MM/DD/YYYY")
    if born.date() > date.today():
        raise ValueError("is in the future")
    if born.year < 1900:
        raise ValueError("is before 1900")
    return born.date()


def _parse_datetime(value: str, formats: Iterable[str]) -> datetime | None:
    for form in formats:
        try:
            return datetime.strptime(value, form)
        except ValueError:
            continue
    return None


def _parse_phone(value: str) -> str | None:
    if not value:
        return None
    try:
        number = to_e164(value)
    except InvalidPhoneNumber:
        raise ValueError("is not a phone number; use a US number such as (555) 555-0100") from None
    if number.startswith("+1") and len(number) != 12:
        raise ValueError("needs all 10 digits of a US number, area code included")
    return number


_LANGUAGES = {"en": "en", "english": "en", "es": "es", "spanish": "es", "español": "es"}


def _parse_language(value: str) -> str | None:
    if not value:
        return None
    try:
        return _LANGUAGES[value.casefold()]
    except KeyError:
        raise ValueError("is not a language we serve; use en or es") from None


_YES = {"yes", "y", "true", "t", "1"}
_NO = {"no", "n", "false", "f", "0"}


def _parse_consent(value: str) -> bool | None:
    if not value:
        return None
    if value.casefold() in _YES:
        return True
    if value.casefold() in _NO:
        return False
    raise ValueError("use yes or no (also accepted: true/false, 1/0)")


_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def _parse_email(value: str) -> str | None:
    if not value:
        return None
    if len(value) > 200 or not _EMAIL.match(value):
        raise ValueError("is not an email address")
    return value


def _parse_local_start(value: str) -> datetime:
    if not value:
        raise ValueError("is empty; give the local start as YYYY-MM-DD HH:MM")
    start = _parse_datetime(value, ("%Y-%m-%d %H:%M", "%m/%d/%Y %H:%M"))
    if start is None:
        raise ValueError("is not a date and time; use YYYY-MM-DD HH:MM (24-hour, local time)")
    return start


def _local_to_utc(local: datetime, zone: str) -> datetime:
    """The UTC instant of a wall-clock time; refuses times a DST change skips or repeats."""
    try:
        tz = ZoneInfo(zone)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValueError(
            f"the location's time zone '{zone}' is not valid; fix the location"
        ) from None
    aware = local.replace(tzinfo=tz)
    instant = aware.astimezone(timezone.utc)
    if instant.astimezone(tz).replace(tzinfo=None) != local:
        raise ValueError(
            f"this local time does not exist in {zone}: the clocks skip forward an hour "
            "that night (daylight saving time)"
        )
    if local.replace(tzinfo=tz, fold=1).utcoffset() != aware.utcoffset():
        raise ValueError(
            f"this local time happens twice in {zone} (the clocks go back that night); "
            "enter this appointment by hand"
        )
    return instant


def _parse_status(value: str) -> str:
    if not value:
        return BOOKED
    status = value.casefold().replace("-", "_").replace(" ", "_")
    if status not in IMPORTABLE_STATUSES:
        raise ValueError(f"unknown status; use one of {', '.join(IMPORTABLE_STATUSES)}")
    return status


# --- Checking patients -------------------------------------------------------------------------


@dataclass(frozen=True)
class _PatientRow:
    line: int
    file: str
    external_id: str
    first_name: str
    last_name: str
    date_of_birth: date
    phone: str | None  # blank cells (None) leave what is stored unchanged
    preferred_language: str | None
    sms_consent: bool | None
    email: str | None


def _check_patients(path: Path, problems: list[RowError]) -> tuple[list[_PatientRow], set[str]]:
    """Valid rows, and every external_id the file mentions (even on rows with problems, so that
    appointments referring to them are not reported twice)."""
    rows: list[_PatientRow] = []
    first_seen: dict[str, int] = {}
    for line in _read_csv(path, PATIENT_COLUMNS, problems):
        external_id = line.check("external_id", _text(64))
        if external_id is not None:
            _check_unique(line, external_id, first_seen)
        values: dict[str, Any] = {
            "external_id": external_id,
            "first_name": line.check("first_name", _text(100)),
            "last_name": line.check("last_name", _text(100)),
            "date_of_birth": line.check("date_of_birth", _parse_date_of_birth),
            "phone": line.check("phone", _parse_phone),
            "preferred_language": line.check("preferred_language", _parse_language),
            "sms_consent": line.check("sms_consent", _parse_consent),
            "email": line.check("email", _parse_email),
        }
        if not line.failed:
            rows.append(_PatientRow(line=line.number, file=line.file, **values))
    return rows, set(first_seen)


def _check_unique(line: _Line, external_id: str, first_seen: dict[str, int]) -> None:
    if external_id in first_seen:
        line.fail(
            "external_id", f"the same external_id is already on line {first_seen[external_id]}"
        )
    else:
        first_seen[external_id] = line.number


# --- Checking appointments ---------------------------------------------------------------------


@dataclass(frozen=True)
class _AppointmentRow:
    line: int
    file: str
    external_id: str
    patient_external_id: str
    provider: Provider
    location: Location
    appointment_type: AppointmentType
    starts_at: datetime
    status: str

    @property
    def ends_at(self) -> datetime:
        return self.starts_at + timedelta(minutes=self.appointment_type.duration_minutes)


@dataclass
class _Reference:
    """The practice's providers, locations and appointment types, found by what a file says."""

    providers: list[Provider]
    locations: dict[str, Location]
    types: dict[str, AppointmentType] = field(default_factory=dict)

    @classmethod
    def load(cls, session: Session, practice_id: int) -> _Reference:
        def rows(model: Any) -> list[Any]:
            query = select(model).where(model.practice_id == practice_id).order_by(model.id)
            return list(session.execute(query).scalars())

        return cls(
            providers=rows(Provider),
            locations={location.name.casefold(): location for location in rows(Location)},
            types={kind.code.casefold(): kind for kind in rows(AppointmentType)},
        )

    def provider(self, value: str) -> Provider:
        if re.fullmatch(r"\d{10}", value):
            matches = [p for p in self.providers if p.npi == value]
        elif "," in value:
            last, first = (part.strip().casefold() for part in value.split(",", 1))
            matches = [
                p
                for p in self.providers
                if p.last_name.casefold() == last and p.first_name.casefold() == first
            ]
        else:
            raise ValueError("give the provider as 'Last, First' or as a 10-digit NPI")
        if not matches:
            raise ValueError(f"no provider '{value}' in this practice")
        if len(matches) > 1:
            raise ValueError(f"more than one provider is called '{value}'; use the NPI")
        return matches[0]

    def location(self, value: str) -> Location:
        try:
            return self.locations[value.casefold()]
        except KeyError:
            names = ", ".join(location.name for location in self.locations.values())
            raise ValueError(
                f"no location '{value}' in this practice; use one of: {names}"
            ) from None

    def appointment_type(self, value: str) -> AppointmentType:
        try:
            return self.types[value.casefold()]
        except KeyError:
            codes = ", ".join(kind.code for kind in self.types.values())
            raise ValueError(f"no appointment type '{value}'; use one of: {codes}") from None


def _check_appointments(
    session: Session,
    practice_id: int,
    path: Path,
    patients_in_file: set[str],
    problems: list[RowError],
) -> tuple[list[_AppointmentRow], dict[str, int]]:
    """Valid rows, and the ids of the already stored patients they refer to."""
    lines = _read_csv(path, APPOINTMENT_COLUMNS, problems)
    reference = _Reference.load(session, practice_id)
    stored = {line["patient_external_id"] for line in lines} - patients_in_file - {""}
    known = {
        patient.external_id: patient.id
        for patient in _patients_by_external_id(session, practice_id, stored)
    }
    rows: list[_AppointmentRow] = []
    first_seen: dict[str, int] = {}
    for line in lines:
        row = _check_appointment(line, reference, patients_in_file | set(known), first_seen)
        if row is not None:
            rows.append(row)
    return rows, known


def _check_appointment(
    line: _Line, reference: _Reference, patients: set[str], first_seen: dict[str, int]
) -> _AppointmentRow | None:
    external_id = line.check("external_id", _text(64))
    if external_id is not None:
        _check_unique(line, external_id, first_seen)
    patient = line.check("patient_external_id", _text(64))
    if patient is not None and patient not in patients:
        line.fail(
            "patient_external_id",
            "no patient with this external_id in the patients file or in the practice",
        )
    provider = line.check("provider", reference.provider)
    location = line.check("location", reference.location)
    kind = line.check("appointment_type", reference.appointment_type)
    local_start = line.check("start", _parse_local_start)
    starts_at = None
    if local_start is not None and location is not None:
        starts_at = line.check("start", lambda _: _local_to_utc(local_start, location.time_zone))
    status = line.check("status", _parse_status)
    if line.failed:
        return None
    # Each check that gave None failed the line: here every value is present.
    assert external_id is not None and patient is not None and status is not None
    assert provider is not None and location is not None and kind is not None
    assert starts_at is not None
    return _AppointmentRow(
        line.number, line.file, external_id, patient, provider, location, kind, starts_at, status
    )


def _check_double_bookings(
    session: Session, practice_id: int, rows: Sequence[_AppointmentRow], problems: list[RowError]
) -> None:
    """No two occupying appointments of one provider may overlap, as the database demands
    (unique provider+start, and an overlap guard): neither within the file nor with stored
    appointments that this import does not itself move."""
    occupying = [row for row in rows if row.status in OCCUPYING_STATUSES]
    if not occupying:
        return
    for row, earlier in _overlaps_within_file(occupying):
        problems.append(
            RowError(
                row.file,
                row.line,
                "start",
                f"{row.provider.display_name} already has an appointment at this time, "
                f"on line {earlier.line}",
            )
        )
    stored = _stored_busy_times(session, practice_id, occupying, {row.external_id for row in rows})
    for row in occupying:
        if stored.get(row.provider.id, _Busy([])).overlaps(row.starts_at, row.ends_at):
            problems.append(
                RowError(
                    row.file,
                    row.line,
                    "start",
                    f"{row.provider.display_name} already has an appointment at this time "
                    "(one that is not in this file)",
                )
            )


def _overlaps_within_file(
    rows: Sequence[_AppointmentRow],
) -> list[tuple[_AppointmentRow, _AppointmentRow]]:
    """(row, an earlier-starting row it overlaps), per provider, in one sweep by start time."""
    by_provider: dict[int, list[_AppointmentRow]] = {}
    for row in rows:
        by_provider.setdefault(row.provider.id, []).append(row)
    found = []
    for provider_rows in by_provider.values():
        latest: _AppointmentRow | None = None  # the row so far that ends last
        for row in sorted(provider_rows, key=lambda r: (r.starts_at, r.line)):
            if latest is not None and row.starts_at < latest.ends_at:
                found.append((row, latest))
            if latest is None or row.ends_at > latest.ends_at:
                latest = row
    return sorted(found, key=lambda pair: pair[0].line)


class _Busy:
    """Busy intervals of one provider, answering "does anything overlap [start, end)?"."""

    def __init__(self, intervals: Iterable[tuple[datetime, datetime]]) -> None:
        ordered = sorted(intervals)
        self._starts = [start for start, _ in ordered]
        self._latest_end: list[datetime] = []  # the latest end among intervals[: i + 1]
        for _, end in ordered:
            self._latest_end.append(max(end, self._latest_end[-1]) if self._latest_end else end)

    def overlaps(self, start: datetime, end: datetime) -> bool:
        before_end = bisect.bisect_left(self._starts, end)  # intervals starting before `end`
        return before_end > 0 and self._latest_end[before_end - 1] > start


def _stored_busy_times(
    session: Session,
    practice_id: int,
    rows: Sequence[_AppointmentRow],
    importing: set[str],
) -> dict[int, _Busy]:
    query = select(
        Appointment.provider_id,
        Appointment.starts_at,
        Appointment.ends_at,
        Appointment.practice_id,
        Appointment.external_id,
    ).where(
        Appointment.provider_id.in_(sorted({row.provider.id for row in rows})),
        Appointment.starts_at < max(row.ends_at for row in rows),
        Appointment.ends_at > min(row.starts_at for row in rows),
        Appointment.status.in_(OCCUPYING_STATUSES),
    )
    intervals: dict[int, list[tuple[datetime, datetime]]] = {}
    for provider_id, starts_at, ends_at, owner, external_id in session.execute(query):
        if owner == practice_id and external_id in importing:
            continue  # re-imported: its new time is checked as a row of the file
        intervals.setdefault(provider_id, []).append((starts_at, ends_at))
    return {provider_id: _Busy(busy) for provider_id, busy in intervals.items()}


# --- Writing -----------------------------------------------------------------------------------


def _chunks(values: Sequence[str]) -> Iterable[Sequence[str]]:
    for start in range(0, len(values), _CHUNK):
        yield values[start : start + _CHUNK]


def _patients_by_external_id(
    session: Session, practice_id: int, external_ids: Iterable[str]
) -> list[Patient]:
    found: list[Patient] = []
    for chunk in _chunks(sorted(external_ids)):
        query = (
            select(Patient)
            .where(Patient.practice_id == practice_id, Patient.external_id.in_(chunk))
            .options(selectinload(Patient.phones))
        )
        found.extend(session.execute(query).scalars())
    return found


def _appointments_by_external_id(
    session: Session, practice_id: int, external_ids: Iterable[str]
) -> dict[str, Appointment]:
    found: dict[str, Appointment] = {}
    for chunk in _chunks(sorted(external_ids)):
        query = select(Appointment).where(
            Appointment.practice_id == practice_id, Appointment.external_id.in_(chunk)
        )
        found.update((a.external_id, a) for a in session.execute(query).scalars())
    return found


def _write_patients(
    session: Session, practice_id: int, rows: Sequence[_PatientRow], report: ImportReport
) -> dict[str, int]:
    """Create or update each patient; returns external_id -> patient id."""
    stored = {
        patient.external_id: patient
        for patient in _patients_by_external_id(session, practice_id, [r.external_id for r in rows])
    }
    patients: dict[str, Patient] = {}
    changes: list[tuple[Patient, _PatientRow, str, list[str]]] = []
    for row in rows:
        patient = stored.get(row.external_id)
        if patient is None:
            patient = _new_patient(practice_id, row)
            session.add(patient)
            changes.append((patient, row, "create", []))
            report.patients_created += 1
        elif changed := _update_patient(patient, row):
            changes.append((patient, row, "update", changed))
            report.patients_updated += 1
        else:
            report.patients_unchanged += 1
        patients[row.external_id] = patient
    session.flush()
    for patient, row, action, changed in changes:
        _audit(session, action, "patient", patient.id, patient.id, row, changed)
    return {external_id: patient.id for external_id, patient in patients.items()}


def _new_patient(practice_id: int, row: _PatientRow) -> Patient:
    return Patient(
        practice_id=practice_id,
        external_id=row.external_id,
        first_name=row.first_name,
        last_name=row.last_name,
        date_of_birth=row.date_of_birth,
        preferred_language=row.preferred_language or "en",
        sms_consent=bool(row.sms_consent),
        email=row.email,
        phones=[PatientPhone(number=row.phone, kind="mobile", is_primary=True)]
        if row.phone
        else [],
    )


def _update_patient(patient: Patient, row: _PatientRow) -> list[str]:
    """Apply the row; blank optional cells keep what is stored. Returns the changed fields."""
    values: dict[str, Any] = {
        "first_name": row.first_name,
        "last_name": row.last_name,
        "date_of_birth": row.date_of_birth,
        "preferred_language": row.preferred_language,
        "sms_consent": row.sms_consent,
        "email": row.email,
    }
    changed = [
        name
        for name, value in values.items()
        if value is not None and getattr(patient, name) != value
    ]
    for name in changed:
        setattr(patient, name, values[name])
    if row.phone and make_primary(patient, row.phone):
        changed.append("phone")
    return changed


def _write_appointments(
    session: Session,
    practice_id: int,
    rows: Sequence[_AppointmentRow],
    patient_ids: dict[str, int],
    report: ImportReport,
) -> None:
    stored = _appointments_by_external_id(session, practice_id, [row.external_id for row in rows])
    created: list[tuple[Appointment, _AppointmentRow]] = []
    updated: list[tuple[Appointment, _AppointmentRow, dict[str, Any], str, list[str]]] = []
    for row in rows:
        values = _appointment_values(row, patient_ids)
        appointment = stored.get(row.external_id)
        if appointment is None:
            appointment = Appointment(
                practice_id=practice_id, external_id=row.external_id, **values
            )
            created.append((appointment, row))
            continue
        changed = [name for name, value in values.items() if getattr(appointment, name) != value]
        if changed:
            updated.append((appointment, row, values, appointment.status, changed))
        else:
            report.appointments_unchanged += 1

    _vacate_slots(session, [(a, values, status) for a, _, values, status, _ in updated])
    for appointment, _, values, _, _ in updated:
        for name, value in values.items():
            setattr(appointment, name, value)
    for appointment, _ in created:
        session.add(appointment)
    for appointment in [a for a, _ in created] + [a for a, *_ in updated]:
        if appointment.status == CONFIRMED and appointment.confirmed_at is None:
            appointment.confirmed_at = utcnow()
    session.flush()

    for appointment, row in created:
        _history(session, appointment, row, None, [])
        _audit(session, "create", "appointment", appointment.id, appointment.patient_id, row, [])
    for appointment, row, _, from_status, changed in updated:
        _history(session, appointment, row, from_status, changed)
        _audit(
            session, "update", "appointment", appointment.id, appointment.patient_id, row, changed
        )
    report.appointments_created += len(created)
    report.appointments_updated += len(updated)


def _appointment_values(row: _AppointmentRow, patient_ids: dict[str, int]) -> dict[str, Any]:
    return {
        "patient_id": patient_ids[row.patient_external_id],
        "provider_id": row.provider.id,
        "location_id": row.location.id,
        "appointment_type_id": row.appointment_type.id,
        "starts_at": row.starts_at,
        "ends_at": row.ends_at,
        "status": row.status,
    }


def _vacate_slots(
    session: Session, moves: Sequence[tuple[Appointment, dict[str, Any], str]]
) -> None:
    """Stored appointments that leave their slot give it up in a flush of their own first.

    Otherwise a swap of two slots, or a new row taking time another row leaves, could trip the
    database's no-double-booking guards (unique start, no overlap) half-way through the flush.
    The interim status never outlives this transaction: the final values are set right after.
    """
    leaving = [
        appointment
        for appointment, values, status in moves
        if status in OCCUPYING_STATUSES
        and (
            values["status"] not in OCCUPYING_STATUSES
            or values["provider_id"] != appointment.provider_id
            or values["starts_at"] != appointment.starts_at
            or values["ends_at"] != appointment.ends_at
        )
    ]
    if not leaving:
        return
    for appointment in leaving:
        appointment.status = RESCHEDULED
    session.flush()


def _history(
    session: Session,
    appointment: Appointment,
    row: _AppointmentRow,
    from_status: str | None,
    changed: list[str],
) -> None:
    detail: dict[str, Any] = {"source": row.file, "line": row.line}
    if changed:
        detail["fields"] = changed
    session.add(
        AppointmentHistory(
            appointment_id=appointment.id,
            action="imported",
            from_status=from_status,
            to_status=appointment.status,
            actor=ACTOR,
            channel=CHANNEL,
            detail=detail,
        )
    )


def _audit(
    session: Session,
    action: str,
    entity: str,
    entity_id: int,
    patient_id: int,
    row: _PatientRow | _AppointmentRow,
    changed: list[str],
) -> None:
    """One audit event per created or updated record; `fields` names what changed, not values."""
    detail: dict[str, Any] = {"source": row.file, "line": row.line}
    if changed:
        detail["fields"] = changed
    audit.record(
        session,
        actor=ACTOR,
        channel=CHANNEL,
        action=action,
        entity=entity,
        entity_id=entity_id,
        patient_id=patient_id,
        detail=detail,
    )
