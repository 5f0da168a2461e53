"""Staff-readable summaries of what a conversation achieved (always English: staff read them)."""

from __future__ import annotations

from assistant.db.models import Appointment, Patient
from assistant.timefmt import format_when


def when(appointment: Appointment) -> str:
    """ "Tue Nov 24 10:00 AM" """
    text = format_when(appointment.starts_at, appointment.location.time_zone)
    return text.replace(",", "")


def who(patient: Patient) -> str:
    return f"{patient.full_name} (verified)"


def cancelled(patient: Patient, appointment: Appointment, reason: str | None) -> str:
    why = f" (reason: {reason})" if reason else ""
    return (
        f"{who(patient)} cancelled {when(appointment)} with "
        f"{appointment.provider.display_name}{why}"
    )


def rescheduled(patient: Patient, old: Appointment, new: Appointment) -> str:
    provider = old.provider.display_name
    target = when(new)
    if new.provider_id != old.provider_id:
        target += f" with {new.provider.display_name}"
    return f"{who(patient)} rescheduled {when(old)} with {provider} to {target}"


def rebooked(patient: Patient, old: Appointment, new: Appointment) -> str:
    return (
        f"{who(patient)} cancelled {when(old)} with {old.provider.display_name} and booked "
        f"{when(new)} with {new.provider.display_name}"
    )


def confirmed(patient: Patient, appointment: Appointment) -> str:
    return f"{who(patient)} confirmed {when(appointment)} with {appointment.provider.display_name}"


def informed(patient: Patient, count: int) -> str:
    return f"{who(patient)} was told their {count} upcoming appointment(s)"


def booked(patient: Patient, appointment: Appointment, reason: str | None) -> str:
    kind = appointment.appointment_type.name
    target = f"{kind} {when(appointment)} with {appointment.provider.display_name}"
    if reason is not None:
        return f"New patient {patient.full_name} booked {target} (reason: {reason})"
    return f"{who(patient)} booked {target}"


def running_late(patient: Patient, appointment: Appointment, minutes: int | None, beyond: bool):
    how = f"about {minutes} min" if minutes else "an unknown time"
    grace = " - past the grace period" if beyond else ""
    return (
        f"{who(patient)} is running {how} late for {when(appointment)} with "
        f"{appointment.provider.display_name}{grace}"
    )
