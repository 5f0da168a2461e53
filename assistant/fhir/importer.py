"""Import of a FHIR transaction Bundle of Patients and Appointments, all-or-nothing.

Like the CSV import, in two phases. First every entry is checked without touching the session:
FHIR R4 validity (fhir.resources), then our rules (a known practitioner, location and
appointment type; a patient referred to by an entry's `urn:uuid:` fullUrl, by `Patient/<id>` or
by MRN; no overlap with stored appointments or with each other). Any problem raises
`ImportFailed`, an OperationOutcome naming every entry (`Bundle.entry[i]`) and what is wrong;
nothing has been written. Then everything is written inside a SAVEPOINT: occupying appointments
go through `booking.secure_slot` (provider lock, overlap re-check, database guard), so an
overlap that appears meanwhile still fails the whole import and undoes it.

Messages never repeat patient data. Entries: `POST Patient` creates, or updates the patient with
the same MRN; `POST Appointment` creates (statuses booked, arrived, fulfilled, cancelled,
noshow; booked with the patient participant `accepted` is our "confirmed").
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from assistant import audit
from assistant.actor import Actor
from assistant.db.models import (
    ARRIVED,
    BOOKED,
    CANCELLED,
    COMPLETED,
    CONFIRMED,
    NO_SHOW,
    OCCUPYING_STATUSES,
    Appointment,
    AppointmentType,
    Location,
    Patient,
    Provider,
)
from assistant.fhir import systems
from assistant.fhir.errors import BadRequest, Issue, Unprocessable
from assistant.fhir.validation import problems, validate
from assistant.importing.patient_phones import make_primary
from assistant.phones import InvalidPhoneNumber, to_e164
from assistant.scheduling import guard
from assistant.scheduling.clock import now_utc
from assistant.scheduling.errors import SchedulingError
from assistant.scheduling.history import Change, record_created
from assistant.scheduling.securing import SlotRequest, secure_slot

CHANNEL = "fhir"
MAX_ENTRIES = 500
IMPORTABLE_STATUSES = {
    "booked": BOOKED,
    "arrived": ARRIVED,
    "fulfilled": COMPLETED,
    "cancelled": CANCELLED,
    "noshow": NO_SHOW,
}
_LANGUAGES = ("en", "es")


class ImportFailed(Unprocessable):
    """The bundle has problems and nothing was written; `issues` lists every one."""

    def __init__(self, issues: list[Issue]) -> None:
        super().__init__(f"{len(issues)} problem(s), nothing was imported", issues)


@dataclass(frozen=True)
class EntryResult:
    resource_type: str
    id: int
    created: bool


@dataclass
class ImportResult:
    entries: list[EntryResult] = field(default_factory=list)

    def bundle(self) -> dict[str, Any]:
        """The transaction-response Bundle, one entry per request entry, in order."""
        return validate(
            {
                "resourceType": "Bundle",
                "type": "transaction-response",
                "entry": [
                    {
                        "response": {
                            "status": "201 Created" if e.created else "200 OK",
                            "location": f"{e.resource_type}/{e.id}",
                        }
                    }
                    for e in self.entries
                ],
            }
        )


@dataclass
class _PatientPlan:
    index: int
    external_id: str | None
    first_name: str
    last_name: str
    date_of_birth: date
    phone: str | None
    email: str | None
    language: str
    existing: Patient | None
    written: Patient | None = None


@dataclass
class _AppointmentPlan:
    index: int
    patient: _PatientPlan | Patient
    provider: Provider
    location: Location
    atype: AppointmentType
    starts_at: datetime
    ends_at: datetime
    status: str
    external_id: str | None
    cancel_reason: str | None


class _Problems:
    def __init__(self) -> None:
        self.issues: list[Issue] = []

    def add(self, index: int, message: str, element: str | None = None) -> None:
        where = f"Bundle.entry[{index}]" + (f".resource.{element}" if element else "")
        self.issues.append(Issue(f"entry {index}: {message}", expression=where))


def import_transaction_bundle(
    session: Session,
    practice_id: int,
    bundle: Any,
    *,
    actor: str = "fhir:import",
    now: datetime | None = None,
) -> ImportResult:
    """Check every entry, then write all of them in the caller's transaction (caller commits).

    Raises `BadRequest` for something that is not a transaction Bundle, `ImportFailed` (422)
    when any entry is refused; in both cases nothing was written.
    """
    now = now_utc(now)
    entries = _entries(bundle)
    found = _Problems()
    plans = _Planner(session, practice_id, found, now).plan(entries)
    if found.issues:
        raise ImportFailed(sorted(found.issues, key=lambda i: _entry_index(i.expression)))
    with session.begin_nested():
        return _write(session, practice_id, plans, actor=actor, now=now)


def _entry_index(expression: str | None) -> int:
    digits = (expression or "").split("[", 1)[-1].split("]", 1)[0]
    return int(digits) if digits.isdigit() else -1


def _entries(bundle: Any) -> list[dict[str, Any]]:
    if not isinstance(bundle, dict) or bundle.get("resourceType") != "Bundle":
        raise BadRequest("the body must be a FHIR Bundle")
    if bundle.get("type") != "transaction":
        raise BadRequest("the Bundle must be of type transaction")
    entries = bundle.get("entry")
    if not isinstance(entries, list) or not entries:
        raise BadRequest("the transaction Bundle has no entries")
    if len(entries) > MAX_ENTRIES:
        raise BadRequest(f"at most {MAX_ENTRIES} entries per transaction")
    if not all(isinstance(entry, dict) for entry in entries):
        raise BadRequest("every Bundle.entry must be an object")
    envelope = {
        **bundle,
        "entry": [{k: v for k, v in e.items() if k != "resource"} for e in entries],
    }
    issues = problems(envelope)
    if issues:
        raise BadRequest("the Bundle is not valid FHIR R4", issues)
    return entries


class _Planner:
    """Phase one: turn entries into plans, collecting every problem, writing nothing."""

    def __init__(self, session: Session, practice_id: int, found: _Problems, now: datetime):
        self.session = session
        self.practice_id = practice_id
        self.found = found
        self.now = now
        self.by_url: dict[str, _PatientPlan | None] = {}  # None: a Patient entry with problems
        self.by_mrn: dict[str, _PatientPlan | None] = {}
        self.external_ids: dict[str, int] = {}

    def plan(self, entries: list[dict[str, Any]]) -> list[_PatientPlan | _AppointmentPlan | None]:
        plans: list[_PatientPlan | _AppointmentPlan | None] = [None] * len(entries)
        checked = [self._check_entry(i, entry) for i, entry in enumerate(entries)]
        for i, resource in enumerate(checked):  # patients first: appointments refer to them
            if entries[i].get("resource", {}).get("resourceType") == "Patient":
                plans[i] = self._patient(i, resource) if resource else None
                url = entries[i].get("fullUrl")
                if isinstance(url, str):
                    if url in self.by_url:
                        self.found.add(i, "the same fullUrl is used by another entry")
                    self.by_url[url] = plans[i]  # type: ignore[assignment]
        for i, resource in enumerate(checked):
            if resource and resource["resourceType"] == "Appointment":
                plans[i] = self._appointment(i, resource)
        self._check_overlaps([p for p in plans if isinstance(p, _AppointmentPlan)])
        return plans

    def _check_entry(self, index: int, entry: dict[str, Any]) -> dict[str, Any] | None:
        resource = entry.get("resource")
        request = entry.get("request") or {}
        rtype = resource.get("resourceType") if isinstance(resource, dict) else None
        if rtype not in ("Patient", "Appointment"):
            self.found.add(index, "only Patient and Appointment resources can be imported")
            return None
        if request.get("method") != "POST" or request.get("url", "").strip("/") != rtype:
            self.found.add(index, f"request must be POST {rtype}")
        issues = problems(resource, where=f"Bundle.entry[{index}].resource")
        for issue in issues:
            self.found.issues.append(
                Issue(f"entry {index}: {issue.message}", issue.code, expression=issue.expression)
            )
        return None if issues else resource

    # -- Patient --------------------------------------------------------------------------------

    def _patient(self, index: int, resource: dict[str, Any]) -> _PatientPlan | None:
        before = len(self.found.issues)
        name = _official_name(resource)
        family = name.get("family") if name else None
        given = (name.get("given") or [None])[0] if name else None
        if not family or not given:
            self.found.add(index, "a name with family and given parts is required", "name")
        elif len(family) > 100 or len(given) > 100:
            self.found.add(index, "name parts may be at most 100 characters", "name")
        born = self._birth_date(index, resource.get("birthDate"))
        mrn = _identifier(resource, systems.MRN, type_code="MR")
        if mrn is not None and not 0 < len(mrn) <= 64:
            self.found.add(index, "the MRN must be 1 to 64 characters", "identifier")
        if mrn is not None and mrn in self.by_mrn:
            self.found.add(index, "another Patient entry has the same MRN", "identifier")
        phone = self._phone(index, resource)
        email = next(
            (t.get("value") for t in resource.get("telecom") or [] if t.get("system") == "email"),
            None,
        )
        if email is not None and len(email) > 200:
            self.found.add(index, "the email address is longer than 200 characters", "telecom")
        language = self._language(index, resource)
        existing = None
        if mrn:
            existing = self.session.execute(
                select(Patient).where(
                    Patient.practice_id == self.practice_id, Patient.external_id == mrn
                )
            ).scalar_one_or_none()
        if len(self.found.issues) > before:
            if mrn is not None:
                self.by_mrn[mrn] = None
            return None
        # A missing name part or birth date was reported above: here they are present.
        assert given is not None and family is not None and born is not None
        plan = _PatientPlan(index, mrn, given, family, born, phone, email, language, existing)
        if mrn is not None:
            self.by_mrn[mrn] = plan
        return plan

    def _birth_date(self, index: int, value: Any) -> date | None:
        try:
            born = date.fromisoformat(value) if isinstance(value, str) else None
        except ValueError:
            born = None
        if born is None:
            self.found.add(index, "a full birthDate (YYYY-MM-DD) is required", "birthDate")
        elif born > self.now.date() or born.year < 1900:
            self.found.add(index, "birthDate is in the future or before 1900", "birthDate")
        return born

    def _phone(self, index: int, resource: dict[str, Any]) -> str | None:
        phones = [
            t
            for t in resource.get("telecom") or []
            if t.get("system") in ("phone", "sms") and t.get("value")
        ]
        if not phones:
            return None
        best = min(phones, key=lambda t: t.get("rank") or 10**6)
        try:
            return to_e164(best["value"])
        except InvalidPhoneNumber:
            self.found.add(index, "the phone number is not a valid number", "telecom")
            return None

    def _language(self, index: int, resource: dict[str, Any]) -> str:
        comms = resource.get("communication") or []
        if not comms:
            return "en"
        chosen = next((c for c in comms if c.get("preferred")), comms[0])
        codes = [c.get("code") or "" for c in (chosen.get("language") or {}).get("coding") or []]
        for code in codes:
            if code.split("-")[0].lower() in _LANGUAGES:
                return code.split("-")[0].lower()
        self.found.add(index, "the preferred language must be en or es", "communication")
        return "en"

    # -- Appointment ----------------------------------------------------------------------------

    def _appointment(self, index: int, resource: dict[str, Any]) -> _AppointmentPlan | None:
        before = len(self.found.issues)
        status = IMPORTABLE_STATUSES.get(resource["status"])
        if status is None:
            self.found.add(
                index,
                f"status {resource['status']!r} cannot be imported; use "
                + ", ".join(IMPORTABLE_STATUSES),
                "status",
            )
        atype = self._type(index, resource)
        patient, provider, location, patient_accepted = self._participants(index, resource)
        starts_at = self._instant(index, resource.get("start"), "start")
        ends_at = None
        if starts_at is not None and atype is not None:
            ends_at = starts_at + timedelta(minutes=atype.duration_minutes)
            end = self._instant(index, resource.get("end"), "end") if "end" in resource else None
            if end is not None and end != ends_at:
                self.found.add(
                    index,
                    f"end must be {atype.duration_minutes} minutes after start "
                    f"(the length of {atype.code})",
                    "end",
                )
        external_id = self._external_id(index, resource)
        if status in OCCUPYING_STATUSES and provider is not None and not provider.active:
            self.found.add(index, "the practitioner is not active", "participant")
        if len(self.found.issues) > before or None in (patient, provider, location, atype):
            return None
        if status == BOOKED and patient_accepted:
            status = CONFIRMED
        reason = resource.get("cancelationReason") or {}
        codings = reason.get("coding") or [{}]
        cancel_reason = reason.get("text") or codings[0].get("display") or codings[0].get("code")
        return _AppointmentPlan(
            index,
            patient,  # type: ignore[arg-type]
            provider,  # type: ignore[arg-type]
            location,  # type: ignore[arg-type]
            atype,  # type: ignore[arg-type]
            starts_at,  # type: ignore[arg-type]
            ends_at,  # type: ignore[arg-type]
            status,  # type: ignore[arg-type]
            external_id,
            (cancel_reason or "cancelled in the EHR")[:200] if status == CANCELLED else None,
        )

    def _type(self, index: int, resource: dict[str, Any]) -> AppointmentType | None:
        concepts = [*(resource.get("serviceType") or []), resource.get("appointmentType") or {}]
        codes = [
            coding.get("code")
            for concept in concepts
            for coding in concept.get("coding") or []
            if coding.get("system") == systems.APPOINTMENT_TYPE
        ]
        known = {
            t.code: t
            for t in self.session.execute(
                select(AppointmentType).where(AppointmentType.practice_id == self.practice_id)
            ).scalars()
        }
        for code in codes:
            if code in known:
                return known[code]
        self.found.add(
            index,
            f"serviceType needs a coding of system {systems.APPOINTMENT_TYPE} with one of: "
            + ", ".join(sorted(known)),
            "serviceType",
        )
        return None

    def _instant(self, index: int, value: Any, element: str) -> datetime | None:
        try:
            parsed = datetime.fromisoformat(value.replace("Z", "+00:00")) if value else None
        except (AttributeError, ValueError):
            parsed = None
        if parsed is None or parsed.tzinfo is None:
            self.found.add(index, f"{element} must be a dateTime with a time zone offset", element)
            return None
        return parsed.astimezone(timezone.utc)

    def _external_id(self, index: int, resource: dict[str, Any]) -> str | None:
        value = next(
            (
                i.get("value")
                for i in resource.get("identifier") or []
                if i.get("system") != systems.APPOINTMENT_ID and i.get("value")
            ),
            None,
        )
        if value is None:
            return None
        if len(value) > 64:
            self.found.add(index, "the identifier is longer than 64 characters", "identifier")
        elif value in self.external_ids:
            other = self.external_ids[value]
            self.found.add(index, f"entry {other} has the same identifier", "identifier")
        else:
            self.external_ids[value] = index
            stored = self.session.execute(
                select(Appointment.id).where(
                    Appointment.practice_id == self.practice_id, Appointment.external_id == value
                )
            ).scalar_one_or_none()
            if stored is not None:
                self.found.add(index, f"already imported as Appointment/{stored}", "identifier")
        return value

    def _participants(
        self, index: int, resource: dict[str, Any]
    ) -> tuple[_PatientPlan | Patient | None, Provider | None, Location | None, bool]:
        found: dict[str, list[tuple[Any, str | None]]] = {
            "Patient": [],
            "Practitioner": [],
            "Location": [],
        }
        for participant in resource.get("participant") or []:
            actor = participant.get("actor")
            if not actor:
                continue
            kind, target = self._resolve(index, actor)
            if kind in found:
                found[kind].append((target, participant.get("status")))
        picked: list[Any] = []
        for kind in ("Patient", "Practitioner", "Location"):
            if len(found[kind]) != 1:
                self.found.add(index, f"exactly one {kind} participant is required", "participant")
                picked.append(None)
            else:
                picked.append(found[kind][0][0])
        accepted = bool(found["Patient"]) and found["Patient"][0][1] == "accepted"
        return picked[0], picked[1], picked[2], accepted

    def _resolve(self, index: int, actor: dict[str, Any]) -> tuple[str | None, Any]:
        """(resource type, target) of a participant actor; a problem is reported when the
        actor cannot be found (target None)."""
        ref = actor.get("reference")
        if isinstance(ref, str):
            if ref in self.by_url:
                return "Patient", self.by_url[ref]  # a bad Patient entry is reported already
            kind, _, ident = ref.rpartition("/")
            kind = kind.rsplit("/", 1)[-1]
            model = {"Patient": Patient, "Practitioner": Provider, "Location": Location}.get(kind)
            row = self.session.get(model, int(ident)) if model and ident.isdigit() else None
            if row is None or row.practice_id != self.practice_id:
                self.found.add(
                    index, f"the reference {ref[:80]!r} cannot be resolved", "participant"
                )
                return kind or None, None
            return kind, row
        identifier = actor.get("identifier") or {}
        system, value = identifier.get("system"), identifier.get("value")
        by_kind, target = self._by_identifier(system, value)
        if target is None:
            self.found.add(index, f"no {by_kind or 'resource'} with that identifier", "participant")
        return by_kind, target

    def _by_identifier(self, system: Any, value: Any) -> tuple[str | None, Any]:
        if not isinstance(value, str):
            return None, None
        if system == systems.MRN:
            if value in self.by_mrn:
                return "Patient", self.by_mrn[value]
            return "Patient", self._one(Patient, Patient.external_id == value)
        if system == systems.NPI:
            return "Practitioner", self._one(Provider, Provider.npi == value)
        ids: dict[str, tuple[str, Any]] = {
            systems.PATIENT_ID: ("Patient", Patient),
            systems.PRACTITIONER_ID: ("Practitioner", Provider),
            systems.LOCATION_ID: ("Location", Location),
        }
        if system in ids and value.isdigit():
            kind, model = ids[system]
            return kind, self._one(model, model.id == int(value))
        return None, None

    def _one(self, model: Any, condition: Any) -> Any:
        rows = list(
            self.session.execute(
                select(model).where(model.practice_id == self.practice_id, condition).limit(2)
            ).scalars()
        )
        return rows[0] if len(rows) == 1 else None

    def _check_overlaps(self, plans: list[_AppointmentPlan]) -> None:
        occupying = [p for p in plans if p.status in OCCUPYING_STATUSES]
        for plan in occupying:
            if guard.find_conflicts(
                self.session,
                provider_id=plan.provider.id,
                starts_at=plan.starts_at,
                ends_at=plan.ends_at,
                buffer_minutes=plan.atype.buffer_minutes or 0,
                now=self.now,
            ):
                self.found.add(
                    plan.index,
                    "the practitioner already has an appointment at that time",
                    "start",
                )
        for a, b in _pairs(occupying):
            if (
                a.provider.id == b.provider.id
                and _span(a)[0] < _span(b)[1]
                and _span(b)[0] < _span(a)[1]
            ):
                self.found.add(
                    b.index, f"overlaps entry {a.index} (the same practitioner)", "start"
                )


def _pairs(plans: list[_AppointmentPlan]) -> Iterator[tuple[_AppointmentPlan, _AppointmentPlan]]:
    for i, first in enumerate(plans):
        for second in plans[i + 1 :]:
            yield first, second


def _span(plan: _AppointmentPlan) -> tuple[datetime, datetime]:
    return plan.starts_at, plan.ends_at + timedelta(minutes=plan.atype.buffer_minutes or 0)


def _official_name(resource: dict[str, Any]) -> dict[str, Any] | None:
    names = resource.get("name") or []
    return next((n for n in names if n.get("use") == "official"), names[0] if names else None)


def _identifier(resource: dict[str, Any], system: str, *, type_code: str) -> str | None:
    for ident in resource.get("identifier") or []:
        codes = [c.get("code") for c in (ident.get("type") or {}).get("coding") or []]
        if ident.get("system") == system or type_code in codes:
            return ident.get("value") or ""
    return None


# --- Phase two: writing ---------------------------------------------------------------------


def _write(
    session: Session,
    practice_id: int,
    plans: list[_PatientPlan | _AppointmentPlan | None],
    *,
    actor: str,
    now: datetime,
) -> ImportResult:
    done: dict[int, EntryResult] = {}
    for plan in plans:
        if isinstance(plan, _PatientPlan):
            done[plan.index] = _write_patient(session, practice_id, plan, actor=actor)
    for plan in plans:
        if isinstance(plan, _AppointmentPlan):
            done[plan.index] = _write_appointment(session, plan, actor=actor, now=now)
    return ImportResult([done[index] for index in sorted(done)])


def _write_patient(
    session: Session, practice_id: int, plan: _PatientPlan, *, actor: str
) -> EntryResult:
    values: dict[str, Any] = {
        "first_name": plan.first_name,
        "last_name": plan.last_name,
        "date_of_birth": plan.date_of_birth,
        "preferred_language": plan.language,
    }
    if plan.email is not None:
        values["email"] = plan.email
    patient = plan.existing
    created = patient is None
    changed: list[str] = []
    if patient is None:
        patient = Patient(practice_id=practice_id, external_id=plan.external_id, **values)
        session.add(patient)
    else:
        changed = [name for name, value in values.items() if getattr(patient, name) != value]
        for name in changed:
            setattr(patient, name, values[name])
    if plan.phone and make_primary(patient, plan.phone):
        changed.append("phone")
    session.flush()
    plan.written = patient
    detail: dict[str, Any] = {"source": "fhir", "entry": plan.index}
    if changed and not created:
        detail["fields"] = changed
    audit.record_patient(
        session,
        patient.id,
        actor=actor,
        channel=CHANNEL,
        action="create" if created else "update",
        detail=detail,
    )
    return EntryResult("Patient", patient.id, created)


def _write_appointment(
    session: Session, plan: _AppointmentPlan, *, actor: str, now: datetime
) -> EntryResult:
    patient = plan.patient.written if isinstance(plan.patient, _PatientPlan) else plan.patient
    assert patient is not None  # patients are written first
    detail = {"source": "fhir", "entry": plan.index}
    if plan.status in OCCUPYING_STATUSES:
        request = SlotRequest(
            patient.id, plan.provider.id, plan.location.id, plan.atype.id, plan.starts_at
        )
        try:
            imported = Change("imported", Actor(actor, CHANNEL), now, detail)
            # The EHR decides hours; overlaps are never allowed.
            appointment = secure_slot(session, request, plan.status, imported, enforce_rules=False)
        except SchedulingError as exc:
            message = (
                "the practitioner already has an appointment at that time"
                if exc.code == "slot_taken"
                else f"cannot be booked ({exc.code})"
            )
            issue = Issue(
                f"entry {plan.index}: {message}",
                code="conflict" if exc.code == "slot_taken" else "processing",
                expression=f"Bundle.entry[{plan.index}].resource.start",
            )
            raise ImportFailed([issue]) from exc
    else:
        appointment = Appointment(
            practice_id=plan.provider.practice_id,
            patient_id=patient.id,
            provider_id=plan.provider.id,
            location_id=plan.location.id,
            appointment_type_id=plan.atype.id,
            starts_at=plan.starts_at,
            ends_at=plan.ends_at,
            status=plan.status,
            late_cancel=False,
            created_at=now,
            updated_at=now,
        )
        session.add(appointment)
        session.flush()
        record_created(
            session, appointment, Change("imported", Actor(actor, CHANNEL), detail=detail)
        )
    appointment.external_id = plan.external_id
    appointment.cancel_reason = plan.cancel_reason
    if plan.status == CONFIRMED:
        appointment.confirmed_at = now
    session.flush()
    return EntryResult("Appointment", appointment.id, True)
