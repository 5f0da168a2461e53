"""Waitlist: patients waiting for a better slot get offers when one opens.

When time opens (a cancellation, a reschedule, a released hold), `offer_slot` picks the active
entries that fit (provider, location, date window, time preference, and the slot must really be
bookable for the entry's type and patient), best priority first, and creates up to
`waitlist_offers_per_slot` offer rows with an expiry. Nothing is sent here: offers whose
`notified_at` is null are the outbox (`offers_to_notify`).

The first to accept gets the slot booked (through the same guarded path as any booking); the
others' offers are withdrawn and accepting them raises `OfferNoLongerAvailable`. An expired
offer raises `OfferExpired`. `expire_offers` (periodic) passes the slot on to the next entries.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from assistant import audit
from assistant.actor import Actor
from assistant.db.models import (
    BOOKED,
    Appointment,
    AppointmentType,
    Location,
    Patient,
    Provider,
    WaitlistEntry,
    WaitlistOffer,
)
from assistant.scheduling import guard, rules
from assistant.scheduling.availability import offered_starts
from assistant.scheduling.clock import now_utc, to_local, zone
from assistant.scheduling.errors import (
    InvalidRequest,
    OfferExpired,
    OfferNoLongerAvailable,
    OfferNotFound,
    SchedulingError,
    SlotTaken,
    SlotUnavailable,
    WaitlistEntryNotFound,
)
from assistant.scheduling.history import Change
from assistant.scheduling.policy import SchedulingPolicy
from assistant.scheduling.preferences import TimePreference
from assistant.scheduling.securing import SlotRequest, secure_slot

ENTRY_ACTIVE = "active"
ENTRY_BOOKED = "booked"
ENTRY_CANCELLED = "cancelled"
ENTRY_EXPIRED = "expired"

OFFER_PENDING = "pending"
OFFER_ACCEPTED = "accepted"
OFFER_DECLINED = "declined"
OFFER_EXPIRED = "expired"
OFFER_WITHDRAWN = "withdrawn"


def join(
    session: Session,
    *,
    patient_id: int,
    appointment_type_id: int,
    earliest_date: date,
    latest_date: date,
    actor: str,
    channel: str,
    provider_id: int | None = None,
    location_id: int | None = None,
    preference: TimePreference | None = None,
    priority: int = 0,
    note: str | None = None,
    now: datetime | None = None,
) -> WaitlistEntry:
    """Put a patient on the waitlist for a type, a date window (local dates) and preferences."""
    now = now_utc(now)
    patient = session.get(Patient, patient_id)
    atype = session.get(AppointmentType, appointment_type_id)
    if patient is None or atype is None or atype.practice_id != patient.practice_id:
        raise InvalidRequest("unknown patient or appointment type")
    for model, ident in ((Provider, provider_id), (Location, location_id)):
        if ident is not None:
            row = session.get(model, ident)
            if row is None or row.practice_id != patient.practice_id:
                raise InvalidRequest(f"unknown {model.__tablename__[:-1]} {ident}")
    if latest_date < earliest_date:
        raise InvalidRequest("the date window ends before it starts")
    entry = WaitlistEntry(
        practice_id=patient.practice_id,
        patient_id=patient_id,
        appointment_type_id=appointment_type_id,
        provider_id=provider_id,
        location_id=location_id,
        earliest_date=earliest_date,
        latest_date=latest_date,
        preferences=(preference or TimePreference()).to_json(),
        priority=priority,
        status=ENTRY_ACTIVE,
        note=note,
        created_at=now,
        updated_at=now,
    )
    session.add(entry)
    session.flush()
    _audit(session, entry, actor=actor, channel=channel, action="create", operation="joined")
    return entry


def leave(session: Session, entry_id: int, *, actor: str, channel: str) -> WaitlistEntry:
    """Take the patient off the waitlist; their pending offers are withdrawn."""
    guard.take_write_lock(session)
    entry = session.get(WaitlistEntry, entry_id, with_for_update=True, populate_existing=True)
    if entry is None:
        raise WaitlistEntryNotFound(str(entry_id))
    if entry.status == ENTRY_ACTIVE:
        entry.status = ENTRY_CANCELLED
        _withdraw(session, _pending_offers(session, entry_id=entry.id))
        _audit(session, entry, actor=actor, channel=channel, action="update", operation="left")
    return entry


def offer_freed_time(session: Session, freed: Appointment, now: datetime) -> list[WaitlistOffer]:
    """The time a patient cancelled, moved away from or let lapse goes to the waitlist (but
    not back to them)."""
    return offer_slot(
        session,
        provider_id=freed.provider_id,
        location_id=freed.location_id,
        starts_at=freed.starts_at,
        now=now,
        source_appointment_id=freed.id,
        exclude_patient_ids=[freed.patient_id],
    )


def offer_slot(
    session: Session,
    *,
    provider_id: int,
    location_id: int,
    starts_at: datetime,
    now: datetime | None = None,
    source_appointment_id: int | None = None,
    exclude_patient_ids: Iterable[int] = (),
    max_offers: int | None = None,
) -> list[WaitlistOffer]:
    """Offer an opened time to the best-placed eligible entries; returns the new offers."""
    now = now_utc(now)
    provider = session.get(Provider, provider_id)
    location = session.get(Location, location_id)
    if provider is None or location is None:
        raise InvalidRequest("unknown provider or location")
    session.flush()  # the change that freed the time must be visible to availability
    policy = _policy(session, provider)
    local_start = to_local(starts_at, zone(location.time_zone))
    day = local_start.date()
    already_offered = _entries_offered(session, provider_id, starts_at, now)
    entries = _entries_waiting(session, provider.practice_id, provider_id, location_id, day)
    excluded_patients = set(exclude_patient_ids)
    free_by_type: dict[int, set[datetime]] = {}
    remaining = policy.waitlist_offers_per_slot if max_offers is None else max_offers
    offers: list[WaitlistOffer] = []
    for entry in entries:
        if remaining <= 0:
            break
        if entry.id in already_offered or entry.patient_id in excluded_patients:
            continue
        atype = _fitting_type(session, entry, local_start, starts_at, now)
        if atype is None:
            continue
        if entry.appointment_type_id not in free_by_type:
            free_by_type[entry.appointment_type_id] = set(
                offered_starts(
                    session,
                    provider_id=provider_id,
                    location_id=location_id,
                    appointment_type_id=entry.appointment_type_id,
                    day=day,
                    now=now,
                )
            )
        if starts_at not in free_by_type[entry.appointment_type_id]:
            continue  # taken, or too long for the gap, or outside this type's hours
        offer = _offer(
            session,
            entry,
            atype,
            (provider_id, location_id, starts_at),
            expires_at=min(now + timedelta(minutes=policy.waitlist_offer_minutes), starts_at),
            source_appointment_id=source_appointment_id,
            now=now,
        )
        offers.append(offer)
        remaining -= 1
    return offers


def _entries_offered(
    session: Session, provider_id: int, starts_at: datetime, now: datetime
) -> set[int]:
    """Entries not to offer this time to: offered it before, or waiting on another offer."""
    offered_this = set(
        session.execute(
            select(WaitlistOffer.entry_id).where(
                WaitlistOffer.provider_id == provider_id, WaitlistOffer.starts_at == starts_at
            )
        ).scalars()
    )
    waiting_on_another = set(
        session.execute(
            select(WaitlistOffer.entry_id).where(
                WaitlistOffer.status == OFFER_PENDING, WaitlistOffer.expires_at > now
            )
        ).scalars()
    )
    return offered_this | waiting_on_another


def _entries_waiting(
    session: Session, practice_id: int, provider_id: int, location_id: int, day: date
) -> Iterable[WaitlistEntry]:
    """Active entries whose provider, location and date window admit the time, best first."""
    return session.execute(
        select(WaitlistEntry)
        .where(
            WaitlistEntry.practice_id == practice_id,
            WaitlistEntry.status == ENTRY_ACTIVE,
            (WaitlistEntry.provider_id.is_(None)) | (WaitlistEntry.provider_id == provider_id),
            (WaitlistEntry.location_id.is_(None)) | (WaitlistEntry.location_id == location_id),
            WaitlistEntry.earliest_date <= day,
            WaitlistEntry.latest_date >= day,
        )
        .order_by(WaitlistEntry.priority.desc(), WaitlistEntry.created_at, WaitlistEntry.id)
    ).scalars()


def _fitting_type(
    session: Session,
    entry: WaitlistEntry,
    local_start: datetime,
    starts_at: datetime,
    now: datetime,
) -> AppointmentType | None:
    """The entry's appointment type when its time preference accepts the opened time and its
    patient could book it then; else None."""
    if not TimePreference.from_json(entry.preferences).accepts(local_start):
        return None
    atype = session.get(AppointmentType, entry.appointment_type_id)
    if atype is None or not _bookable_for(session, entry, atype, starts_at, now):
        return None
    return atype


def _offer(
    session: Session,
    entry: WaitlistEntry,
    atype: AppointmentType,
    slot: tuple[int, int, datetime],
    *,
    expires_at: datetime,
    source_appointment_id: int | None,
    now: datetime,
) -> WaitlistOffer:
    """A pending offer of `slot` (provider, location, start) to `entry`, stored and audited."""
    provider_id, location_id, starts_at = slot
    offer = WaitlistOffer(
        entry_id=entry.id,
        practice_id=entry.practice_id,
        provider_id=provider_id,
        location_id=location_id,
        appointment_type_id=entry.appointment_type_id,
        starts_at=starts_at,
        ends_at=starts_at + timedelta(minutes=atype.duration_minutes),
        status=OFFER_PENDING,
        expires_at=expires_at,
        source_appointment_id=source_appointment_id,
        created_at=now,
    )
    session.add(offer)
    session.flush()
    _audit_offer(session, offer, entry, actor="system:waitlist", channel="system", op="offered")
    return offer


def accept_offer(
    session: Session,
    offer_id: int,
    *,
    actor: str,
    channel: str,
    conversation_id: int | None = None,
    now: datetime | None = None,
) -> Appointment:
    """Book the offered slot for the entry's patient. Accepting twice returns the booking.

    Raises `OfferExpired` after the expiry and `OfferNoLongerAvailable` when the slot went to
    someone else (with alternatives when there are some).
    """
    now = now_utc(now)
    found = session.get(WaitlistOffer, offer_id)
    if found is None:
        raise OfferNotFound(str(offer_id))
    # Provider lock first, then the offer: the winner withdraws its siblings' offers without
    # waiting for a loser that holds one of them.
    guard.lock_providers(session, [found.provider_id])
    offer = session.get(WaitlistOffer, offer_id, with_for_update=True, populate_existing=True)
    if offer is None:
        raise OfferNotFound(str(offer_id))
    if offer.status == OFFER_ACCEPTED and offer.appointment_id is not None:
        appointment = session.get(Appointment, offer.appointment_id)
        if appointment is not None:
            return appointment
    if offer.status == OFFER_EXPIRED or (offer.status == OFFER_PENDING and now >= offer.expires_at):
        offer.status = OFFER_EXPIRED
        raise OfferExpired("the offer has expired")
    if offer.status != OFFER_PENDING:
        raise OfferNoLongerAvailable()
    entry = session.get(WaitlistEntry, offer.entry_id, with_for_update=True, populate_existing=True)
    if entry is None or entry.status != ENTRY_ACTIVE:
        offer.status = OFFER_WITHDRAWN
        raise OfferNoLongerAvailable()
    who = Actor(actor, channel, conversation_id)
    appointment = _book_offered(session, offer, entry, who, now)
    offer.status = OFFER_ACCEPTED
    offer.responded_at = now
    offer.appointment_id = appointment.id
    entry.status = ENTRY_BOOKED
    entry.appointment_id = appointment.id
    _withdraw_others(session, offer, entry, appointment)
    _audit_offer(session, offer, entry, actor=actor, channel=channel, op="accepted")
    return appointment


def _book_offered(
    session: Session,
    offer: WaitlistOffer,
    entry: WaitlistEntry,
    actor: Actor,
    now: datetime,
) -> Appointment:
    """Book the offered time for the entry's patient through the guarded booking path; the
    offer is withdrawn when the time has gone meanwhile."""
    req = SlotRequest(
        entry.patient_id,
        offer.provider_id,
        offer.location_id,
        offer.appointment_type_id,
        offer.starts_at,
    )
    booked = Change("booked", actor, now, {"waitlist_offer_id": offer.id})
    try:
        return secure_slot(session, req, BOOKED, booked)
    except (SlotTaken, SlotUnavailable) as exc:
        offer.status = OFFER_WITHDRAWN
        offer.responded_at = now
        raise OfferNoLongerAvailable(alternatives=exc.alternatives) from exc


def _withdraw_others(
    session: Session, offer: WaitlistOffer, entry: WaitlistEntry, appointment: Appointment
) -> None:
    """Withdraw the pending offers of times that overlap the booking, and the entry's others."""
    siblings = session.execute(
        select(WaitlistOffer).where(
            WaitlistOffer.id != offer.id,
            WaitlistOffer.status == OFFER_PENDING,
            WaitlistOffer.provider_id == offer.provider_id,
            WaitlistOffer.starts_at < appointment.ends_at,
            WaitlistOffer.ends_at > appointment.starts_at,
        )
    ).scalars()
    _withdraw(session, [*siblings, *_pending_offers(session, entry_id=entry.id, but=offer.id)])


def decline_offer(
    session: Session,
    offer_id: int,
    *,
    actor: str,
    channel: str,
    now: datetime | None = None,
) -> list[WaitlistOffer]:
    """The patient said no; the slot goes to the next entries. Returns the new offers."""
    now = now_utc(now)
    guard.take_write_lock(session)
    offer = session.get(WaitlistOffer, offer_id, with_for_update=True, populate_existing=True)
    if offer is None:
        raise OfferNotFound(str(offer_id))
    if offer.status != OFFER_PENDING:
        return []
    offer.status = OFFER_DECLINED
    offer.responded_at = now
    entry = session.get(WaitlistEntry, offer.entry_id)
    if entry is not None:
        _audit_offer(session, offer, entry, actor=actor, channel=channel, op="declined")
    return _pass_on(session, [offer], now=now)


def expire_offers(session: Session, *, now: datetime | None = None) -> list[WaitlistOffer]:
    """Periodic: expire unanswered offers (passing their slots on to the next entries) and
    entries whose date window is over. Returns the newly made offers."""
    now = now_utc(now)
    expired = guard.lock_due(
        session,
        select(WaitlistOffer).where(
            WaitlistOffer.status == OFFER_PENDING, WaitlistOffer.expires_at <= now
        ),
    )
    for offer in expired:
        offer.status = OFFER_EXPIRED
    stale_entries = session.execute(
        select(WaitlistEntry).where(
            WaitlistEntry.status == ENTRY_ACTIVE,
            WaitlistEntry.latest_date < (now - timedelta(days=1)).date(),
        )
    ).scalars()
    for entry in stale_entries:
        entry.status = ENTRY_EXPIRED
    session.flush()
    return _pass_on(session, expired, now=now)


def offers_to_notify(
    session: Session, *, now: datetime | None = None, practice_id: int | None = None
) -> list[WaitlistOffer]:
    """Pending, unsent, unexpired offers whose slot is still free (others are withdrawn)."""
    now = now_utc(now)
    stmt = select(WaitlistOffer).where(
        WaitlistOffer.status == OFFER_PENDING,
        WaitlistOffer.notified_at.is_(None),
        WaitlistOffer.expires_at > now,
    )
    if practice_id is not None:
        stmt = stmt.where(WaitlistOffer.practice_id == practice_id)
    free: dict[tuple[int, int, int, date], set[datetime]] = {}
    ready: list[WaitlistOffer] = []
    gone: list[WaitlistOffer] = []
    for offer in session.execute(stmt.order_by(WaitlistOffer.id)).scalars():
        location = session.get(Location, offer.location_id)
        if location is None:
            continue
        day = to_local(offer.starts_at, zone(location.time_zone)).date()
        key = (offer.provider_id, offer.location_id, offer.appointment_type_id, day)
        if key not in free:
            free[key] = set(
                offered_starts(
                    session,
                    provider_id=offer.provider_id,
                    location_id=offer.location_id,
                    appointment_type_id=offer.appointment_type_id,
                    day=day,
                    now=now,
                )
            )
        (ready if offer.starts_at in free[key] else gone).append(offer)
    if gone:
        guard.take_write_lock(session)
        _withdraw(session, gone)
    return ready


def mark_notified(session: Session, offer_id: int, *, now: datetime | None = None) -> WaitlistOffer:
    offer = session.get(WaitlistOffer, offer_id)
    if offer is None:
        raise OfferNotFound(str(offer_id))
    offer.notified_at = now_utc(now)
    return offer


# -- helpers ------------------------------------------------------------------------------------


def _policy(session: Session, provider: Provider) -> SchedulingPolicy:
    return SchedulingPolicy.from_settings(provider.practice.settings)


def _bookable_for(
    session: Session,
    entry: WaitlistEntry,
    atype: AppointmentType,
    starts_at: datetime,
    now: datetime,
) -> bool:
    try:
        new_patient = rules.is_new_patient(session, entry.patient_id)
        rules.check_type_bookable(atype, new_patient=new_patient, channel=None)
        rules.check_timing(atype, starts_at, now)
    except SchedulingError:
        return False
    return True


def _pending_offers(
    session: Session, *, entry_id: int, but: int | None = None
) -> list[WaitlistOffer]:
    stmt = select(WaitlistOffer).where(
        WaitlistOffer.entry_id == entry_id, WaitlistOffer.status == OFFER_PENDING
    )
    if but is not None:
        stmt = stmt.where(WaitlistOffer.id != but)
    return list(session.execute(stmt).scalars())


def _withdraw(session: Session, offers: Iterable[WaitlistOffer]) -> None:
    for offer in offers:
        offer.status = OFFER_WITHDRAWN


def _pass_on(
    session: Session, offers: Iterable[WaitlistOffer], *, now: datetime
) -> list[WaitlistOffer]:
    """Offer the slots of declined/expired offers to the next entries (once per slot)."""
    session.flush()
    made: list[WaitlistOffer] = []
    seen: set[tuple[int, int, datetime]] = set()
    for offer in offers:
        key = (offer.provider_id, offer.location_id, offer.starts_at)
        if key in seen or offer.starts_at <= now:
            continue
        seen.add(key)
        made += offer_slot(
            session,
            provider_id=offer.provider_id,
            location_id=offer.location_id,
            starts_at=offer.starts_at,
            now=now,
            source_appointment_id=offer.source_appointment_id,
        )
    return made


def _audit(
    session: Session, entry: WaitlistEntry, *, actor: str, channel: str, action: str, operation: str
) -> None:
    audit.record(
        session,
        actor=actor,
        channel=channel,
        action=action,
        entity="waitlist_entry",
        entity_id=entry.id,
        patient_id=entry.patient_id,
        detail={"operation": operation},
    )


def _audit_offer(
    session: Session,
    offer: WaitlistOffer,
    entry: WaitlistEntry,
    *,
    actor: str,
    channel: str,
    op: str,
) -> None:
    audit.record(
        session,
        actor=actor,
        channel=channel,
        action="create" if op == "offered" else "update",
        entity="waitlist_offer",
        entity_id=offer.id,
        patient_id=entry.patient_id,
        detail={"operation": op, "starts_at": offer.starts_at.isoformat()},
    )
