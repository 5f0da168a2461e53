"""The CapabilityStatement served at `GET /fhir/R4/metadata`."""

from __future__ import annotations

from datetime import date
from typing import Any

from assistant.fhir import systems
from assistant.fhir.server import RESOURCE_TYPES, SEARCH_PARAMS
from assistant.fhir.validation import validate

SOFTWARE = "frontdesk-assistant"
_PARAM_TYPES = {
    "_id": "token",
    "identifier": "token",
    "name": "string",
    "family": "string",
    "given": "string",
    "birthdate": "date",
    "phone": "token",
    "active": "token",
    "actor": "reference",
    "patient": "reference",
    "practitioner": "reference",
    "location": "reference",
    "schedule": "reference",
    "date": "date",
    "start": "date",
    "status": "token",
    "service-type": "token",
}


def capability_statement(base_url: str, *, today: date | None = None) -> dict[str, Any]:
    resources = [
        {
            "type": rtype,
            "interaction": [{"code": "read"}, {"code": "search-type"}],
            "searchParam": [
                {"name": name, "type": _PARAM_TYPES[name]} for name in SEARCH_PARAMS[rtype]
            ],
        }
        for rtype in RESOURCE_TYPES
    ]
    return validate(
        {
            "resourceType": "CapabilityStatement",
            "status": "active",
            "date": (today or date.today()).isoformat(),
            "kind": "instance",
            "software": {"name": SOFTWARE},
            "implementation": {"description": "Front-desk assistant FHIR API", "url": base_url},
            "fhirVersion": systems.FHIR_VERSION,
            "format": [systems.JSON_MIME, "json"],
            "rest": [
                {
                    "mode": "server",
                    "documentation": (
                        "Transactions accept Patient and Appointment entries (POST), "
                        "all-or-nothing. Search pages with _count and _offset."
                    ),
                    "security": {"description": "Authorization: Bearer <token> (FHIR_API_TOKENS)."},
                    "resource": resources,
                    "interaction": [{"code": "transaction"}],
                }
            ],
        }
    )
