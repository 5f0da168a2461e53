"""Roles and what each one sees: task queues are filtered by department and role."""

from __future__ import annotations

from typing import Any

from assistant.db.models import StaffTask, StaffUser

ROLE_LABELS = {
    "front_desk": "Front desk",
    "nurse": "Nurse",
    "billing": "Billing",
    "manager": "Manager",
}

# Which departments' tasks a role works on (besides the person's own department). A practice
# overrides this in `practice.settings["console_roles"]` (role -> list of department codes).
DEFAULT_ROLE_DEPARTMENTS: dict[str, tuple[str, ...]] = {
    "front_desk": ("front_desk", "medical_records"),
    "nurse": ("nurse_line", "refills"),
    "billing": ("billing",),
}

CHANNEL = "console"


def actor(user: StaffUser) -> str:
    """How a staff member is named in audit events and appointment history."""
    return f"staff:{user.id}"


def is_manager(user: StaffUser) -> bool:
    return user.role == "manager"


def visible_departments(
    user: StaffUser, practice_settings: dict[str, Any] | None = None
) -> frozenset[str] | None:
    """Department codes whose tasks the user sees; None means all (managers)."""
    if is_manager(user):
        return None
    configured = (practice_settings or {}).get("console_roles") or {}
    codes = set(configured.get(user.role) or DEFAULT_ROLE_DEPARTMENTS.get(user.role, ()))
    if user.department is not None:
        codes.add(user.department.code)
    return frozenset(codes)


def can_see_task(
    user: StaffUser, task: StaffTask, practice_settings: dict[str, Any] | None = None
) -> bool:
    if task.practice_id != user.practice_id:
        return False
    departments = visible_departments(user, practice_settings)
    return departments is None or task.department in departments
