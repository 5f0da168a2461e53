"""Read and search, as the REST API serves them: audited, paged, validated.

`read` returns one resource, `search` a `searchset` Bundle with `total` and self/next/previous
links (`_count`, `_offset`). Every call records audit events in the caller's transaction: one
per Patient or Appointment disclosed, one per request for the other types. Audit details name
the search parameters, never their values.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy.orm import Session

from assistant import audit
from assistant.db.models import Appointment, Location, Patient, Provider
from assistant.fhir import queries, schedules
from assistant.fhir.errors import BadRequest, NotFound
from assistant.fhir.mapping import (
    appointment_resource,
    location_resource,
    patient_resource,
    practitioner_resource,
)
from assistant.fhir.params import SearchParams, instant_range, reference_id, split_or, token
from assistant.fhir.validation import SLOT_STATUSES, validate
from assistant.scheduling.clock import now_utc, zone

CHANNEL = "fhir"
RESOURCE_TYPES = ("Patient", "Practitioner", "Location", "Schedule", "Slot", "Appointment")
SEARCH_PARAMS: dict[str, tuple[str, ...]] = {
    "Patient": queries.PATIENT_PARAMS,
    "Practitioner": queries.PRACTITIONER_PARAMS,
    "Location": queries.LOCATION_PARAMS,
    "Schedule": ("_id", "actor"),
    "Slot": ("schedule", "start", "status", "service-type"),
    "Appointment": queries.APPOINTMENT_PARAMS,
}
_MODELS = {"Patient": Patient, "Practitioner": Provider, "Location": Location}
_MAPPERS: dict[str, Callable[[Any], dict[str, Any]]] = {
    "Patient": patient_resource,
    "Practitioner": practitioner_resource,
    "Location": location_resource,
    "Appointment": appointment_resource,
}
DEFAULT_SLOT_DAYS = 7


def _check_type(resource_type: str) -> None:
    if resource_type not in RESOURCE_TYPES:
        raise NotFound(f"resource type {resource_type[:40]!r} is not supported here")


def read(
    session: Session,
    practice_id: int,
    resource_type: str,
    resource_id: str,
    *,
    actor: str,
    now: datetime | None = None,
) -> dict[str, Any]:
    """One resource by id; `NotFound` for an unknown type or id."""
    _check_type(resource_type)
    now = now_utc(now)
    resource = _read(session, practice_id, resource_type, resource_id, now)
    if resource is None:
        raise NotFound(f"{resource_type}/{resource_id[:64]} is not known")
    _audit(session, resource_type, [resource], actor=actor, detail={"interaction": "read"})
    return resource


def _read(
    session: Session, practice_id: int, resource_type: str, resource_id: str, now: datetime
) -> dict[str, Any] | None:
    if resource_type == "Schedule":
        key = schedules.schedule_by_id(session, practice_id, resource_id)
        return schedules.schedule_resource(key, now=now) if key else None
    if resource_type == "Slot":
        return schedules.slot_by_id(session, practice_id, resource_id, now=now)
    if not resource_id.isdigit() or len(resource_id) > 12:
        return None
    model = _MODELS.get(resource_type, Appointment)
    row = session.get(model, int(resource_id))
    if row is None or row.practice_id != practice_id:
        return None
    return _MAPPERS[resource_type](row)


def search(
    session: Session,
    practice_id: int,
    resource_type: str,
    pairs: Iterable[tuple[str, str]],
    *,
    actor: str,
    base_url: str,
    now: datetime | None = None,
) -> dict[str, Any]:
    """A searchset Bundle of one page of matches."""
    _check_type(resource_type)
    now = now_utc(now)
    params = SearchParams(pairs, SEARCH_PARAMS[resource_type])
    if resource_type in ("Schedule", "Slot"):
        everything = (_schedules if resource_type == "Schedule" else _slots)(
            session, practice_id, params, now
        )
        total = len(everything)
        found = everything[params.offset : params.offset + params.count]
    else:
        stmt = _statement(session, practice_id, resource_type, params)
        total = queries.count(session, stmt)
        found = [_MAPPERS[resource_type](row) for row in queries.page(session, stmt, params)]
    _audit(
        session,
        resource_type,
        found,
        actor=actor,
        detail={"interaction": "search", "params": params.names()},
    )
    return _bundle(resource_type, found, total, params, base_url)


def _statement(session: Session, practice_id: int, resource_type: str, params: SearchParams):
    if resource_type == "Patient":
        return queries.patients(practice_id, params)
    if resource_type == "Practitioner":
        return queries.practitioners(practice_id, params)
    if resource_type == "Location":
        return queries.locations(practice_id, params)
    tz = zone(schedules.practice_zone(session, practice_id))
    return queries.appointments(practice_id, params, tz)


def _schedules(
    session: Session, practice_id: int, params: SearchParams, now: datetime
) -> list[dict[str, Any]]:
    keys = schedules.schedules(session, practice_id)
    for raw in params.all("_id"):
        wanted = set(split_or(raw))
        keys = [k for k in keys if k.id in wanted]
    for raw in params.all("actor"):
        wanted_refs = {_actor_ref(v) for v in split_or(raw)}
        keys = [
            k
            for k in keys
            if ("Practitioner", k.provider.id) in wanted_refs
            or ("Location", k.location.id) in wanted_refs
        ]
    return [schedules.schedule_resource(k, now=now) for k in keys]


def _actor_ref(value: str) -> tuple[str, int]:
    kind = value.rstrip("/").split("/")[-2] if "/" in value else ""
    if kind not in ("Practitioner", "Location"):
        raise BadRequest("actor must be a Practitioner or Location reference")
    return kind, reference_id(value, kind, "actor")


def _slots(
    session: Session, practice_id: int, params: SearchParams, now: datetime
) -> list[dict[str, Any]]:
    keys = schedules.schedules(session, practice_id)
    for raw in params.all("schedule"):
        wanted = {v.rstrip("/").split("/")[-1] for v in split_or(raw)}
        keys = [k for k in keys if k.id in wanted]
    statuses = set(SLOT_STATUSES)
    for raw in params.all("status"):
        asked = set(split_or(raw))
        if asked - set(SLOT_STATUSES):
            raise BadRequest(f"status must be among {', '.join(SLOT_STATUSES)}")
        statuses &= asked
    codes: set[str] | None = None
    for raw in params.all("service-type"):
        asked_codes = {token(v)[1] for v in split_or(raw)}
        codes = asked_codes if codes is None else codes & asked_codes
    tz = zone(schedules.practice_zone(session, practice_id))
    rng = instant_range(params.all("start"), tz, "start")
    lo = max(rng.lo or now, now)
    hi = rng.hi or lo + timedelta(days=DEFAULT_SLOT_DAYS)
    if hi - lo > timedelta(days=schedules.MAX_SLOT_DAYS):
        raise BadRequest(
            f"start: ask for at most {schedules.MAX_SLOT_DAYS} days of slots at a time (ge/le)"
        )
    if hi <= lo:
        return []
    return schedules.slots(
        session, practice_id, keys, lo=lo, hi=hi, statuses=statuses, type_codes=codes, now=now
    )


def _bundle(
    resource_type: str,
    found: list[dict[str, Any]],
    total: int,
    params: SearchParams,
    base_url: str,
) -> dict[str, Any]:
    url = f"{base_url}/{resource_type}"
    links = [{"relation": "self", "url": f"{url}?{params.query()}"}]
    if params.count and params.offset + params.count < total:
        links.append(
            {"relation": "next", "url": f"{url}?{params.query(params.offset + params.count)}"}
        )
    if params.count and params.offset > 0:
        previous = max(params.offset - params.count, 0)
        links.append({"relation": "previous", "url": f"{url}?{params.query(previous)}"})
    bundle: dict[str, Any] = {
        "resourceType": "Bundle",
        "type": "searchset",
        "total": total,
        "link": links,
    }
    validate(bundle)  # the envelope; each resource was validated when it was built
    if found:
        bundle["entry"] = [
            {
                "fullUrl": f"{url}/{resource['id']}",
                "resource": resource,
                "search": {"mode": "match"},
            }
            for resource in found
        ]
    return bundle


def _audit(
    session: Session,
    resource_type: str,
    found: list[dict[str, Any]],
    *,
    actor: str,
    detail: dict[str, Any],
) -> None:
    entity = resource_type.lower()
    if resource_type in ("Patient", "Appointment"):
        for resource in found:
            patient_id = (
                int(resource["id"])
                if resource_type == "Patient"
                else int(resource["participant"][0]["actor"]["reference"].split("/")[1])
            )
            audit.record(
                session,
                actor=actor,
                channel=CHANNEL,
                action="read",
                entity=entity,
                entity_id=int(resource["id"]),
                patient_id=patient_id,
                detail=detail,
            )
        if found:
            return
    ids = [resource["id"] for resource in found[:20]]
    audit.record(
        session,
        actor=actor,
        channel=CHANNEL,
        action="read",
        entity=entity,
        entity_id=int(ids[0]) if len(ids) == 1 and ids[0].isdigit() else None,
        detail={**detail, "ids": ids} if resource_type in ("Schedule", "Slot") else detail,
    )
