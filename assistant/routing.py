"""Which department a request goes to. Configuration, not code: a practice can override the
default map in `practice.settings["routing"]` (intent -> department)."""

from __future__ import annotations

from typing import Any

DEPARTMENTS = ("front_desk", "billing", "nurse_line", "medical_records", "refills", "manager")

DEFAULT_ROUTES: dict[str, str] = {
    "billing_question": "billing",
    "prescription_refill": "refills",
    "lab_results": "nurse_line",
    "medical_emergency": "nurse_line",
}


def department_for(intent: str | None, practice_settings: dict[str, Any] | None = None) -> str:
    routes = {**DEFAULT_ROUTES, **((practice_settings or {}).get("routing") or {})}
    return routes.get(intent or "", "front_desk")
