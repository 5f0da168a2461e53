"""Errors a scheduling operation can answer with; each carries a patient-safe reason code."""

from __future__ import annotations


class SchedulingError(Exception):
    code = "scheduling_error"


class AppointmentNotFound(SchedulingError):
    code = "not_found"


class InvalidTransition(SchedulingError):
    """The appointment's status does not allow the operation (e.g. confirming a cancelled one)."""

    code = "invalid_transition"

    def __init__(self, current_status: str, operation: str) -> None:
        super().__init__(f"cannot {operation} an appointment that is {current_status}")
        self.current_status = current_status
        self.operation = operation
