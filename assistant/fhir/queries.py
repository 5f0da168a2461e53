"""SQL for the searches of stored resources (Patient, Practitioner, Location, Appointment)."""

from __future__ import annotations

from collections.abc import Callable
from zoneinfo import ZoneInfo

from sqlalchemy import and_, exists, false, func, or_, select
from sqlalchemy.orm import Session, selectinload
from sqlalchemy.sql import Select
from sqlalchemy.sql.elements import ColumnElement

from assistant.db.models import Appointment, Location, Patient, PatientPhone, Provider
from assistant.fhir import systems
from assistant.fhir.errors import BadRequest
from assistant.fhir.mapping import FHIR_TO_STATUSES
from assistant.fhir.params import (
    SearchParams,
    date_range,
    instant_range,
    reference_id,
    split_or,
    token,
)
from assistant.fhir.validation import APPOINTMENT_STATUSES
from assistant.phones import InvalidPhoneNumber, to_e164

PATIENT_PARAMS = ("_id", "identifier", "name", "family", "given", "birthdate", "phone")
PRACTITIONER_PARAMS = ("_id", "identifier", "name", "active")
LOCATION_PARAMS = ("_id", "name")
APPOINTMENT_PARAMS = ("_id", "patient", "practitioner", "actor", "location", "date", "status")


def count(session: Session, stmt: Select) -> int:
    return session.execute(select(func.count()).select_from(stmt.order_by(None).subquery())).one()[
        0
    ]


def page(session: Session, stmt: Select, params: SearchParams) -> list:
    if params.count == 0:
        return []
    return list(session.execute(stmt.offset(params.offset).limit(params.count)).scalars())


def _any_of(params: SearchParams, name: str, cond: Callable[[str], ColumnElement]) -> list:
    """One condition per occurrence of the parameter (AND); commas inside mean OR."""
    return [or_(*(cond(v) for v in split_or(raw))) for raw in params.all(name) if split_or(raw)]


def _ids(value: str) -> int:
    if not value.isdigit():
        raise BadRequest(f"_id: {value[:40]!r} is not an id of this server")
    return int(value)


def _starts(column, value: str) -> ColumnElement:
    escaped = value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return column.ilike(f"{escaped}%", escape="\\")


def patients(practice_id: int, params: SearchParams) -> Select:
    def by_identifier(value: str) -> ColumnElement:
        system, code = token(value)
        by_id = Patient.id == int(code) if code.isdigit() else false()
        if system == systems.PATIENT_ID:
            return by_id
        if system == systems.MRN:
            return Patient.external_id == code
        return or_(by_id, Patient.external_id == code) if system is None else false()

    def by_name(value: str) -> ColumnElement:
        return or_(_starts(Patient.first_name, value), _starts(Patient.last_name, value))

    def by_phone(value: str) -> ColumnElement:
        try:
            number = to_e164(value)
        except InvalidPhoneNumber:
            raise BadRequest("phone: not a phone number") from None
        return exists().where(PatientPhone.patient_id == Patient.id, PatientPhone.number == number)

    conds = [
        *_any_of(params, "_id", lambda v: Patient.id == _ids(v)),
        *_any_of(params, "identifier", by_identifier),
        *_any_of(params, "name", by_name),
        *_any_of(params, "family", lambda v: _starts(Patient.last_name, v)),
        *_any_of(params, "given", lambda v: _starts(Patient.first_name, v)),
        *_any_of(params, "phone", by_phone),
    ]
    if params.all("birthdate"):
        first, after = date_range(params.all("birthdate"), "birthdate")
        if first is not None:
            conds.append(Patient.date_of_birth >= first)
        if after is not None:
            conds.append(Patient.date_of_birth < after)
    return (
        select(Patient)
        .options(selectinload(Patient.phones))
        .where(Patient.practice_id == practice_id, *conds)
        .order_by(Patient.id)
    )


def practitioners(practice_id: int, params: SearchParams) -> Select:
    def by_identifier(value: str) -> ColumnElement:
        system, code = token(value)
        by_id = Provider.id == int(code) if code.isdigit() else false()
        if system == systems.NPI:
            return Provider.npi == code
        if system == systems.PRACTITIONER_ID:
            return by_id
        return or_(Provider.npi == code, by_id) if system is None else false()

    def by_name(value: str) -> ColumnElement:
        return or_(_starts(Provider.first_name, value), _starts(Provider.last_name, value))

    def by_active(value: str) -> ColumnElement:
        if value not in ("true", "false"):
            raise BadRequest("active must be true or false")
        return Provider.active.is_(value == "true")

    conds = [
        *_any_of(params, "_id", lambda v: Provider.id == _ids(v)),
        *_any_of(params, "identifier", by_identifier),
        *_any_of(params, "name", by_name),
        *_any_of(params, "active", by_active),
    ]
    return select(Provider).where(Provider.practice_id == practice_id, *conds).order_by(Provider.id)


def locations(practice_id: int, params: SearchParams) -> Select:
    conds = [
        *_any_of(params, "_id", lambda v: Location.id == _ids(v)),
        *_any_of(params, "name", lambda v: _starts(Location.name, v)),
    ]
    return select(Location).where(Location.practice_id == practice_id, *conds).order_by(Location.id)


def _statuses(value: str) -> ColumnElement:
    if value not in APPOINTMENT_STATUSES:
        raise BadRequest(f"status: {value[:40]!r} is not an Appointment status")
    ours = FHIR_TO_STATUSES.get(value, ())
    return Appointment.status.in_(ours) if ours else false()


def _actor(value: str) -> ColumnElement:
    kind = value.rstrip("/").split("/")[-2] if "/" in value else ""
    columns = {
        "Patient": Appointment.patient_id,
        "Practitioner": Appointment.provider_id,
        "Location": Appointment.location_id,
    }
    if kind not in columns:
        raise BadRequest("actor must be a Patient, Practitioner or Location reference")
    return columns[kind] == reference_id(value, kind, "actor")


def appointments(practice_id: int, params: SearchParams, tz: ZoneInfo) -> Select:
    conds = [
        *_any_of(params, "_id", lambda v: Appointment.id == _ids(v)),
        *_any_of(
            params,
            "patient",
            lambda v: Appointment.patient_id == reference_id(v, "Patient", "patient"),
        ),
        *_any_of(
            params,
            "practitioner",
            lambda v: Appointment.provider_id == reference_id(v, "Practitioner", "practitioner"),
        ),
        *_any_of(
            params,
            "location",
            lambda v: Appointment.location_id == reference_id(v, "Location", "location"),
        ),
        *_any_of(params, "actor", _actor),
        *_any_of(params, "status", _statuses),
    ]
    if params.all("date"):
        rng = instant_range(params.all("date"), tz, "date")
        bounds = []
        if rng.lo is not None:
            bounds.append(Appointment.starts_at >= rng.lo)
        if rng.hi is not None:
            bounds.append(Appointment.starts_at < rng.hi)
        conds.append(and_(*bounds))
    return (
        select(Appointment)
        .options(
            selectinload(Appointment.appointment_type),
            selectinload(Appointment.provider),
            selectinload(Appointment.location),
        )
        .where(Appointment.practice_id == practice_id, *conds)
        .order_by(Appointment.starts_at, Appointment.id)
    )
