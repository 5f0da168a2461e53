"""Errors a scheduling operation can answer with; each carries a patient-safe reason code."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from assistant.scheduling.availability import SlotOption


class SchedulingError(Exception):
    code = "scheduling_error"


class NotFound(SchedulingError):
    """No such row; the message is the id that was asked for."""

    code = "not_found"


class AppointmentNotFound(NotFound):
    pass


class InvalidTransition(SchedulingError):
    """The appointment's status does not allow the operation (e.g. confirming a cancelled one)."""

    code = "invalid_transition"

    def __init__(self, current_status: str, operation: str) -> None:
        super().__init__(f"cannot {operation} an appointment that is {current_status}")
        self.current_status = current_status
        self.operation = operation


class InvalidRequest(SchedulingError):
    """The request does not make sense (unknown provider, type of another practice ...)."""

    code = "invalid_request"


class NonexistentLocalTime(SchedulingError, ValueError):
    """A wall-clock time skipped by a spring-forward transition (02:30 on 2026-03-08 in NY)."""

    code = "nonexistent_local_time"

    def __init__(self, wall: datetime, zone: str, next_valid: datetime) -> None:
        super().__init__(f"{wall:%Y-%m-%d %H:%M} does not exist in {zone}")
        self.wall = wall
        self.zone = zone
        self.next_valid = next_valid  # the first real instant after the gap, in UTC


class AmbiguousLocalTime(SchedulingError, ValueError):
    """A wall-clock time that happens twice (the repeated fall-back hour); ask which one."""

    code = "ambiguous_local_time"

    def __init__(self, wall: datetime, zone: str, earlier: datetime, later: datetime) -> None:
        super().__init__(f"{wall:%Y-%m-%d %H:%M} happens twice in {zone}")
        self.wall = wall
        self.zone = zone
        self.earlier = earlier  # UTC
        self.later = later  # UTC


class TypeNotBookable(SchedulingError):
    """This patient cannot book this appointment type here (new patient, phone/SMS not allowed).

    `code` is the reason: "new_patients_not_allowed" or "not_bookable_by_phone".
    """

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.code = reason


class SlotUnavailable(SchedulingError):
    """The time is not bookable for a reason other than another booking.

    `reason`: "outside_hours", "min_notice", "beyond_horizon", "in_the_past".
    """

    code = "slot_unavailable"

    def __init__(self, reason: str, alternatives: Sequence[SlotOption] = ()) -> None:
        super().__init__(reason)
        self.reason = reason
        self.alternatives = list(alternatives)


class SlotTaken(SchedulingError):
    """Someone else got the slot first (or it overlaps another booking); here are other options."""

    code = "slot_taken"

    def __init__(self, alternatives: Sequence[SlotOption] = ()) -> None:
        super().__init__("the slot is no longer available")
        self.alternatives = list(alternatives)


class HoldExpired(SchedulingError):
    """The hold ran out and was released before the patient said yes."""

    code = "hold_expired"


class OfferNotFound(NotFound):
    pass


class WaitlistEntryNotFound(NotFound):
    pass


class OfferNoLongerAvailable(SchedulingError):
    """The offered slot went to someone else (or the offer was withdrawn or declined)."""

    code = "offer_gone"

    def __init__(self, message: str = "", alternatives: Sequence[SlotOption] = ()) -> None:
        super().__init__(message or "the offered slot is no longer available")
        self.alternatives = list(alternatives)


class OfferExpired(OfferNoLongerAvailable):
    code = "offer_expired"
