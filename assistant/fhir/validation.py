"""Validation with `fhir.resources` (R4 4.0.1 models), plus the required code bindings it skips.

fhir.resources checks structure, cardinality and primitive formats, but not that a `code` is in
its required value set (it accepts Appointment.status "confirmed"); `REQUIRED_CODES` adds that
for the elements we produce and accept.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from fhir.resources import construct_fhir_element
from pydantic import ValidationError

from assistant.fhir.errors import Issue, Unprocessable

APPOINTMENT_STATUSES = (
    "proposed",
    "pending",
    "booked",
    "arrived",
    "fulfilled",
    "cancelled",
    "noshow",
    "entered-in-error",
    "checked-in",
    "waitlist",
)
SLOT_STATUSES = ("busy", "free", "busy-unavailable", "busy-tentative", "entered-in-error")
PARTICIPANT_STATUSES = ("accepted", "declined", "tentative", "needs-action")
BUNDLE_TYPES = (
    "document",
    "message",
    "transaction",
    "transaction-response",
    "batch",
    "batch-response",
    "history",
    "searchset",
    "collection",
)
# (resourceType, path of element names) -> allowed codes
REQUIRED_CODES: dict[tuple[str, tuple[str, ...]], tuple[str, ...]] = {
    ("Appointment", ("status",)): APPOINTMENT_STATUSES,
    ("Appointment", ("participant", "status")): PARTICIPANT_STATUSES,
    ("Slot", ("status",)): SLOT_STATUSES,
    ("Bundle", ("type",)): BUNDLE_TYPES,
    ("Patient", ("telecom", "system")): ("phone", "fax", "email", "pager", "url", "sms", "other"),
}


class InvalidResource(Unprocessable):
    """A resource we built or received does not validate as FHIR R4."""


def problems(resource: Any, where: str | None = None) -> list[Issue]:
    """Every validation problem of a resource dict (empty when it is valid)."""
    if not isinstance(resource, dict) or not isinstance(resource.get("resourceType"), str):
        return [Issue("not a FHIR resource (no resourceType)", code="structure", expression=where)]
    rtype = resource["resourceType"]
    base = where or rtype
    try:
        construct_fhir_element(rtype, resource)
    except ValidationError as exc:
        return [
            Issue(
                f"{_path(error['loc'])}: {error['msg']}",
                code="structure",
                expression=f"{base}.{_path(error['loc'])}",
            )
            for error in exc.errors()
        ]
    except (LookupError, TypeError, ValueError):
        return [Issue(f"unknown resource type {rtype[:40]!r}", code="not-supported")]
    return list(_binding_problems(resource, base))


def validate(resource: dict[str, Any]) -> dict[str, Any]:
    """Return the resource unchanged if valid; raise `InvalidResource` otherwise."""
    found = problems(resource)
    if found:
        raise InvalidResource(f"invalid {resource.get('resourceType')}: {found[0].message}", found)
    return resource


def _path(loc: tuple[Any, ...]) -> str:
    parts: list[str] = []
    for part in loc:
        if part == "__root__":
            continue
        if isinstance(part, int) and parts:
            parts[-1] += f"[{part}]"
        else:
            parts.append(str(part))
    return ".".join(parts) or "(resource)"


def _binding_problems(resource: dict[str, Any], base: str) -> Iterator[Issue]:
    rtype = resource["resourceType"]
    for (of_type, path), allowed in REQUIRED_CODES.items():
        if of_type != rtype:
            continue
        for where, value in _values(resource, path, base):
            if value not in allowed:
                yield Issue(
                    f"{'.'.join(path)}: {str(value)[:40]!r} is not one of {', '.join(allowed)}",
                    code="code-invalid",
                    expression=where,
                )
    if rtype == "Bundle":
        for index, entry in enumerate(resource.get("entry") or []):
            inner = entry.get("resource") if isinstance(entry, dict) else None
            if isinstance(inner, dict) and isinstance(inner.get("resourceType"), str):
                yield from _binding_problems(inner, f"{base}.entry[{index}].resource")


def _values(node: Any, path: tuple[str, ...], where: str) -> Iterator[tuple[str, Any]]:
    if not path:
        yield where, node
        return
    child = node.get(path[0]) if isinstance(node, dict) else None
    if isinstance(child, list):
        for index, item in enumerate(child):
            yield from _values(item, path[1:], f"{where}.{path[0]}[{index}]")
    elif child is not None:
        yield from _values(child, path[1:], f"{where}.{path[0]}")
