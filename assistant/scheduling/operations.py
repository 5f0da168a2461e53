"""Operations on one appointment. Callers own the transaction (a `UnitOfWork`).

Every change goes through `history` (history row + audit event). Operations that occupy time
go through `booking.secure_slot` (provider lock, overlap re-check, database guard).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy.orm import Session

from assistant.actor import Actor
from assistant.db.models import (
    ARRIVED,
    BOOKED,
    CANCELLED,
    CONFIRMED,
    HELD,
    NO_SHOW,
    RESCHEDULED,
    Appointment,
    Practice,
    Provider,
)
from assistant.scheduling import guard, waitlist
from assistant.scheduling.clock import now_utc
from assistant.scheduling.errors import (
    AppointmentNotFound,
    InvalidRequest,
    InvalidTransition,
    SlotTaken,
)
from assistant.scheduling.history import Change, change_status, record_note
from assistant.scheduling.policy import SchedulingPolicy
from assistant.scheduling.securing import (
    HOLD_EXPIRED_REASON,
    SlotRequest,
    alternatives,
    secure_slot,
)


def confirm(
    session: Session, appointment_id: int, *, actor: Actor, now: datetime | None = None
) -> tuple[Appointment, bool]:
    """Confirm a booked appointment. Returns (appointment, changed); confirming twice is a no-op.

    The row is locked (PostgreSQL `FOR UPDATE`) so that a concurrent cancel cannot interleave.
    """
    appointment = session.get(Appointment, appointment_id, with_for_update=True)
    if appointment is None:
        raise AppointmentNotFound(str(appointment_id))
    if appointment.status == CONFIRMED:
        return appointment, False
    if appointment.status != BOOKED:
        raise InvalidTransition(appointment.status, "confirm")
    now = now_utc(now)
    appointment.confirmed_at = now
    change_status(session, appointment, CONFIRMED, Change("confirmed", actor, now))
    return appointment, True


def policy_for(session: Session, practice_id: int) -> SchedulingPolicy:
    practice = session.get(Practice, practice_id)
    return SchedulingPolicy.from_settings(practice.settings if practice else None)


def hold(
    session: Session, req: SlotRequest, *, actor: Actor, now: datetime | None = None
) -> Appointment:
    """Hold a slot while the patient decides, for the practice's `hold_minutes`. Expired holds
    stop blocking at once and are released by `jobs.release_expired_holds`."""
    now = now_utc(now)
    provider = session.get(Provider, req.provider_id)
    if provider is None:
        raise InvalidRequest(f"unknown provider {req.provider_id}")
    minutes = policy_for(session, provider.practice_id).hold_minutes
    held = Change("held", actor, now, {"hold_minutes": minutes})
    expires_at = now + timedelta(minutes=minutes)
    return secure_slot(session, req, HELD, held, hold_expires_at=expires_at)


def book(
    session: Session,
    req: SlotRequest,
    *,
    actor: Actor,
    now: datetime | None = None,
    new_patient: bool | None = None,
    enforce_rules: bool = True,
) -> Appointment:
    """Book a slot directly. `enforce_rules=False` (staff) skips hours, notice and patient rules,
    never the overlap check. Raises `SlotTaken` (with alternatives), `SlotUnavailable`,
    `TypeNotBookable`."""
    booked = Change("booked", actor, now_utc(now))
    return secure_slot(
        session, req, BOOKED, booked, new_patient=new_patient, enforce_rules=enforce_rules
    )


def book_hold(
    session: Session, appointment_id: int, *, actor: Actor, now: datetime | None = None
) -> Appointment:
    """Turn a hold into a booking. Booking it twice returns the booking.

    A hold that ran out is still honoured if nobody took the time meanwhile (the released hold
    stays cancelled and a new booking is made); otherwise `SlotTaken` with alternatives.
    """
    now = now_utc(now)
    found = session.get(Appointment, appointment_id)
    if found is None:
        raise AppointmentNotFound(str(appointment_id))
    guard.lock_providers(session, [found.provider_id])
    appointment = guard.lock_appointment(session, appointment_id)
    if appointment.status in (BOOKED, CONFIRMED):
        return appointment
    req = SlotRequest(
        appointment.patient_id,
        appointment.provider_id,
        appointment.location_id,
        appointment.appointment_type_id,
        appointment.starts_at,
    )
    if appointment.status == CANCELLED and appointment.cancel_reason == HOLD_EXPIRED_REASON:
        rebooked = Change("booked", actor, now, {"from_expired_hold": appointment.id})
        # The rules were checked when the hold was made.
        return secure_slot(session, req, BOOKED, rebooked, enforce_rules=False)
    if appointment.status != HELD:
        raise InvalidTransition(appointment.status, "book")
    if appointment.hold_expires_at is not None and appointment.hold_expires_at <= now:
        _check_still_free(session, appointment, req, now=now)
    appointment.hold_expires_at = None
    change_status(session, appointment, BOOKED, Change("booked", actor, now, {"from_hold": True}))
    return appointment


def _check_still_free(
    session: Session, appointment: Appointment, req: SlotRequest, *, now: datetime
) -> None:
    """An expired hold is honoured only if nobody took its time meanwhile: else `SlotTaken`."""
    if guard.find_conflicts(
        session,
        provider_id=appointment.provider_id,
        starts_at=appointment.starts_at,
        ends_at=appointment.ends_at,
        buffer_minutes=appointment.appointment_type.buffer_minutes or 0,
        now=now,
        exclude_ids=[appointment.id],
    ):
        raise SlotTaken(alternatives(session, req, now=now))


def reschedule(
    session: Session,
    appointment_id: int,
    *,
    starts_at: datetime,
    actor: Actor,
    provider_id: int | None = None,
    location_id: int | None = None,
    appointment_type_id: int | None = None,
    now: datetime | None = None,
    enforce_rules: bool = True,
    offer_to_waitlist: bool = True,
) -> Appointment:
    """Move a booked or confirmed appointment; returns the new one.

    Atomic: the new slot is secured and the old appointment marked `rescheduled` (pointing to
    the new one) in one SAVEPOINT; if the new slot cannot be had, the original is untouched and
    `SlotTaken` / `SlotUnavailable` is raised. The old time may overlap the new one.
    """
    now = now_utc(now)
    old, new_provider = _lock_to_move(session, appointment_id, provider_id)
    req = SlotRequest(
        old.patient_id,
        new_provider,
        location_id or old.location_id,
        appointment_type_id or old.appointment_type_id,
        starts_at,
    )
    moved = Change("rescheduled", actor, now, {"new_starts_at": starts_at.isoformat()})

    def release_old() -> None:  # inside `secure_slot`'s SAVEPOINT
        change_status(session, old, RESCHEDULED, moved)
        session.flush()

    def link(new: Appointment) -> None:
        old.rescheduled_to_id = new.id

    new = secure_slot(
        session,
        req,
        BOOKED,
        Change("booked", actor, now, {"rescheduled_from": old.id}),
        enforce_rules=enforce_rules,
        # Moving a booking keeps its eligibility: a patient holding this type may hold it at
        # another time, whether or not they have been seen yet.
        new_patient=False if req.appointment_type_id == old.appointment_type_id else None,
        exclude_ids=[old.id],
        lock_provider_ids=[old.provider_id],
        before_insert=release_old,
        after_insert=link,
    )
    if offer_to_waitlist and old.starts_at > now:
        waitlist.offer_freed_time(session, old, now)
    return new


def _lock_to_move(
    session: Session, appointment_id: int, provider_id: int | None
) -> tuple[Appointment, int]:
    """Lock the old and new providers, then the appointment to move (booked or confirmed);
    returns it and the new provider."""
    found = session.get(Appointment, appointment_id)
    if found is None:
        raise AppointmentNotFound(str(appointment_id))
    new_provider = provider_id or found.provider_id
    guard.lock_providers(session, {found.provider_id, new_provider})
    old = guard.lock_appointment(session, appointment_id)
    if old.status not in (BOOKED, CONFIRMED):
        raise InvalidTransition(old.status, "reschedule")
    return old, new_provider


def cancel(
    session: Session,
    appointment_id: int,
    *,
    reason: str,
    actor: Actor,
    now: datetime | None = None,
    offer_to_waitlist: bool = True,
) -> tuple[Appointment, bool]:
    """Cancel a held, booked or confirmed appointment. Returns (appointment, changed).

    `late_cancel` is set when a booking is cancelled less than the practice's
    `late_cancel_hours` (default 24) before its start. The freed time is offered to the
    waitlist (offer rows; sending them is someone else's job).
    """
    now = now_utc(now)
    cancellable = (HELD, BOOKED, CONFIRMED)
    appointment, to_do = _lock_to_change(session, appointment_id, CANCELLED, cancellable, "cancel")
    if not to_do:
        return appointment, False
    policy = policy_for(session, appointment.practice_id)
    late = appointment.status != HELD and appointment.starts_at - now < timedelta(
        hours=policy.late_cancel_hours
    )
    appointment.cancel_reason = reason[:200]
    appointment.late_cancel = late
    detail = {"reason": reason[:200], "late_cancel": late}
    change_status(session, appointment, CANCELLED, Change("cancelled", actor, now, detail))
    session.flush()
    if offer_to_waitlist and appointment.starts_at > now:
        waitlist.offer_freed_time(session, appointment, now)
    return appointment, True


def _lock_to_change(
    session: Session, appointment_id: int, to_status: str, from_statuses: tuple[str, ...], verb: str
) -> tuple[Appointment, bool]:
    """Lock the appointment to move it to `to_status`: (it, False) when it is there already
    (asked twice), `InvalidTransition` unless its status is one of `from_statuses`."""
    appointment = guard.lock_appointment(session, appointment_id)
    if appointment.status == to_status:
        return appointment, False
    if appointment.status not in from_statuses:
        raise InvalidTransition(appointment.status, verb)
    return appointment, True


def mark_arrived(
    session: Session, appointment_id: int, *, actor: Actor, now: datetime | None = None
) -> tuple[Appointment, bool]:
    """Check the patient in. A no-show can be corrected (the patient came very late)."""
    now = now_utc(now)
    expected = (BOOKED, CONFIRMED, NO_SHOW)
    appointment, to_do = _lock_to_change(session, appointment_id, ARRIVED, expected, "mark arrived")
    if not to_do:
        return appointment, False
    arrived = Change("arrived", actor, now, {"at": now.isoformat()})
    change_status(session, appointment, ARRIVED, arrived)
    return appointment, True


@dataclass(frozen=True)
class RunningLate:
    appointment: Appointment
    beyond_grace: bool  # later than the practice accepts: the desk should decide what to do


def note_running_late(
    session: Session,
    appointment_id: int,
    *,
    minutes: int | None,
    actor: Actor,
    note: str | None = None,
    now: datetime | None = None,
) -> RunningLate:
    """Record that the patient is running late (the status does not change)."""
    now = now_utc(now)
    appointment = guard.lock_appointment(session, appointment_id)
    if appointment.status not in (BOOKED, CONFIRMED):
        raise InvalidTransition(appointment.status, "note running late for")
    policy = policy_for(session, appointment.practice_id)
    beyond = minutes is not None and minutes > policy.running_late_grace_minutes
    text = note or (f"running about {minutes} min late" if minutes else "running late")
    appointment.running_late_note = text[:200]
    detail = {"minutes": minutes, "beyond_grace": beyond, "at": now.isoformat()}
    record_note(session, appointment, Change("running_late", actor, now, detail))
    return RunningLate(appointment, beyond)
