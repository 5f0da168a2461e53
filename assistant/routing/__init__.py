"""Which department a request goes to, when it is open, and who to ring.

Configuration, not code: a practice overrides the default map in
`practice.settings["routing"]` (intent -> department code); departments, their hours, after-hours
behaviour and hunt groups live in the database (`Department`, `StaffUser`).
"""

from __future__ import annotations

from typing import Any

from assistant.routing.directory import (
    AfterHours,
    after_hours_action,
    department_by_code,
    hunt_group,
    is_open,
    ring_target,
)

DEPARTMENTS = ("front_desk", "billing", "nurse_line", "medical_records", "refills", "manager")

DEFAULT_ROUTES: dict[str, str] = {
    "billing_question": "billing",
    "prescription_refill": "refills",
    "lab_results": "nurse_line",
    "care_question": "nurse_line",
    "medical_emergency": "nurse_line",
    "request_medical_records": "medical_records",
    "complaint": "manager",
    "referral_request": "front_desk",  # referrals to specialists are arranged at the front desk
}

# Requests that count as urgent clinical calls: after hours they may go to the on-call number.
URGENT_CLINICAL = frozenset({"medical_emergency"})


def routes(practice_settings: dict[str, Any] | None = None) -> dict[str, str]:
    """The effective intent -> department map (defaults overridden by the practice)."""
    return {**DEFAULT_ROUTES, **((practice_settings or {}).get("routing") or {})}


def department_for(intent: str | None, practice_settings: dict[str, Any] | None = None) -> str:
    """The department code for an intent; front desk when nothing matches."""
    return routes(practice_settings).get(intent or "", "front_desk")


def is_urgent_clinical(intent: str | None, practice_settings: dict[str, Any] | None = None) -> bool:
    """Whether this request may reach the on-call clinician after hours."""
    extra = set((practice_settings or {}).get("urgent_clinical_intents") or ())
    return (intent or "") in URGENT_CLINICAL | extra


__all__ = [
    "DEPARTMENTS",
    "DEFAULT_ROUTES",
    "AfterHours",
    "after_hours_action",
    "department_by_code",
    "department_for",
    "hunt_group",
    "is_open",
    "is_urgent_clinical",
    "ring_target",
    "routes",
]
