"""Waitlist offers by text, through the reminder machinery, and the reply "1" that takes one.

`scheduling.waitlist` makes offer rows when a slot frees up (the outbox: `notified_at` null).
Sending one mirrors `sending.process`: (1) claim the offer atomically (a conditional UPDATE of
`notified_at`, the claim on every database) and, in the same transaction, re-check consent and
opt-out and add the `OutboundMessage`; (2) transmit, paced like reminders; (3) store the SID.
A transient failure un-claims the offer for the next pass. A crash between (1) and (3) leaves a
"queued" message without SID: after the lease `recover` asks Twilio whether it was accepted and
either adopts it or sends it then, so an offer is texted once.

Quiet hours hold an offer until 8:00 (its expiry is pushed so the patient still gets the whole
window). A patient who cannot be texted gets no offer: it is declined for them, which passes
the slot on to the next entry. The text says only practice, date, time and place.
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Callable
from datetime import datetime, timedelta

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from assistant import audit
from assistant.db.models import (
    Location,
    OutboundMessage,
    Patient,
    Practice,
    WaitlistEntry,
    WaitlistOffer,
)
from assistant.messages import translate
from assistant.messaging import outbound as outbox
from assistant.messaging.outbound import Outbound
from assistant.messaging.segments import gsm_friendly
from assistant.reminders import content, policy
from assistant.reminders.pacing import Pacer
from assistant.reminders.sending import _sms_number, _specialties  # one rule for both
from assistant.scheduling import waitlist
from assistant.scheduling.clock import zone
from assistant.scheduling.errors import OfferExpired, OfferNoLongerAvailable, SchedulingError
from assistant.scheduling.policy import SchedulingPolicy
from assistant.timefmt import format_when
from assistant.unit_of_work import UnitOfWorkFactory

log = logging.getLogger(__name__)

OFFER = "waitlist_offer"  # OutboundMessage.purpose
ACTOR = "system:waitlist"
RECOVERING = "recovering"  # an offer text a recovering worker is settling (status, with sent_at)
REPLY_WINDOW = timedelta(days=1)


SENT = "sent"
RECORDED = "recorded"
RECOVERED = "recovered"
SKIPPED = "skipped"  # the patient cannot be texted: declined for them, passed on
DEFERRED = "deferred"  # quiet hours
RETRY = "retry"
FAILED = "failed"
UNKNOWN = "unknown"
LOST_CLAIM = "lost_claim"


def _say(key: str, language: str, **values: str) -> str:
    return gsm_friendly(translate(language, f"reminders.waitlist_{key}", **values))


def send_offers(
    new_uow: UnitOfWorkFactory,
    outbound: Outbound,
    clock: Callable[[], datetime],
    *,
    pacer: Pacer | None = None,
    limit: int = 50,
) -> Counter[str]:
    """One pass: expire unanswered offers (their slots pass on), text the offers waiting to
    go out, settle texts a dead worker left. Returns counts per outcome (offer_sent ...)."""
    with new_uow() as uow:
        waitlist.expire_offers(uow.session, now=clock())
        uow.commit()
    counts: Counter[str] = Counter()
    seen: set[int] = set()
    while len(seen) < limit:  # a skipped patient's slot passes on: offer it in this pass too
        with new_uow() as uow:
            ready = [o.id for o in waitlist.offers_to_notify(uow.session, now=clock())]
            uow.commit()
        ready = [offer_id for offer_id in ready if offer_id not in seen][: limit - len(seen)]
        if not ready:
            break
        for offer_id in ready:
            seen.add(offer_id)
            counts[f"offer_{send_offer(new_uow, outbound, offer_id, clock(), pacer=pacer)}"] += 1
    for message_id in _stuck(new_uow, clock()):
        counts[f"offer_{recover(new_uow, outbound, message_id, clock(), pacer=pacer)}"] += 1
    return counts


def send_offer(
    new_uow: UnitOfWorkFactory,
    outbound: Outbound,
    offer_id: int,
    now: datetime,
    *,
    pacer: Pacer | None = None,
) -> str:
    with new_uow() as uow:
        outcome, message = _prepare(uow.session, outbound, offer_id, now)
        uow.commit()
    if message is None or not outbound.sends:
        return outcome
    return _transmit(new_uow, outbound, message, offer_id, now, pacer)


def _prepare(
    session: Session, outbound: Outbound, offer_id: int, now: datetime
) -> tuple[str, OutboundMessage | None]:
    if not _claim(session, offer_id, now):
        return LOST_CLAIM, None
    offer = session.get(WaitlistOffer, offer_id, populate_existing=True)
    entry = session.get(WaitlistEntry, offer.entry_id)
    patient = session.get(Patient, entry.patient_id)
    location = session.get(Location, offer.location_id)
    number = _sms_number(session, patient.id) if patient.sms_consent else None
    if number is None or outbox.blocked_reason(session, number) is not None:
        session.flush()
        waitlist.decline_offer(session, offer.id, actor=ACTOR, channel="sms", now=now)
        return SKIPPED, None
    tz = patient.time_zone or location.time_zone
    morning = policy.next_allowed_hour(now, tz)
    practice = session.get(Practice, offer.practice_id)
    if morning > now:
        minutes = SchedulingPolicy.from_settings(practice.settings).waitlist_offer_minutes
        window = timedelta(minutes=minutes)
        offer.notified_at = None
        offer.expires_at = max(offer.expires_at, min(morning + window, offer.starts_at))
        return DEFERRED, None
    language = patient.preferred_language
    body = _say(
        "offer",
        language,
        practice=practice.name,
        when=format_when(offer.starts_at, location.time_zone, language=language, channel="sms"),
        place=content.place_name(location, _specialties(session, practice.id)),
        until=_clock(offer.expires_at, tz, language),
    )
    message = outbound.new_message(
        session,
        practice_id=practice.id,
        to=number,
        body=body,
        purpose=OFFER,
        patient_id=patient.id,
        now=now,
    )
    _record_disclosure(session, offer.id, patient.id)
    return (RECORDED if not outbound.sends else SENT), message


def _claim(session: Session, offer_id: int, now: datetime) -> bool:
    """Mark a pending, not yet notified offer as being notified; False if someone else did."""
    claimed = session.execute(
        update(WaitlistOffer)
        .where(
            WaitlistOffer.id == offer_id,
            WaitlistOffer.notified_at.is_(None),
            WaitlistOffer.status == waitlist.OFFER_PENDING,
        )
        .values(notified_at=now)
        .execution_options(synchronize_session=False)
    ).rowcount
    return claimed == 1


def _record_disclosure(session: Session, offer_id: int, patient_id: int) -> None:
    """The offer text tells a date, time and place: an audited disclosure."""
    audit.record(
        session,
        actor=ACTOR,
        channel="sms",
        action="disclose",
        entity="waitlist_offer",
        entity_id=offer_id,
        patient_id=patient_id,
        detail={"fields": ["date", "time", "location"], "basis": "waitlist offer"},
    )


# The offer's deadline: "9:30 AM" in English, "09:30" in Spanish.
_CLOCKS: dict[str, Callable[[datetime], str]] = {
    "en": lambda local: local.strftime("%I:%M %p").lstrip("0"),
    "es": lambda local: local.strftime("%H:%M"),
}


def _clock(instant: datetime, tz: str, language: str) -> str:
    return _CLOCKS.get(language, _CLOCKS["en"])(instant.astimezone(zone(tz)))


def _transmit(
    new_uow: UnitOfWorkFactory,
    outbound: Outbound,
    message: OutboundMessage,
    offer_id: int | None,
    now: datetime,
    pacer: Pacer | None,
) -> str:
    waited = pacer.wait() if pacer is not None else 0.0
    with new_uow() as uow:  # still ours after the wait? then nobody may recover it now
        renewed = uow.session.execute(
            update(OutboundMessage)
            .where(
                OutboundMessage.id == message.id,
                OutboundMessage.status == "queued",
                OutboundMessage.twilio_sid.is_(None),
            )
            .values(sent_at=now + timedelta(seconds=waited))
            .execution_options(synchronize_session=False)
        ).rowcount
        uow.commit()
    if renewed != 1:
        return LOST_CLAIM
    result = outbound.transmit(message)
    with new_uow() as uow:
        stored = uow.session.get(OutboundMessage, message.id)
        outbox.apply_outcome(uow.session, stored, result, now)
        if result.accepted:
            outcome = SENT
        elif result.ambiguous:
            outcome = UNKNOWN  # settled by `recover` after the lease
        elif result.transient and offer_id is not None:
            uow.session.execute(  # due again next pass
                update(WaitlistOffer)
                .where(WaitlistOffer.id == offer_id)
                .values(notified_at=None)
                .execution_options(synchronize_session=False)
            )
            outcome = RETRY
        else:
            outcome = FAILED
        uow.commit()
    return outcome


def _since(now: datetime):
    """A queued offer text untouched for a lease (made, or last about to be sent, before)."""
    return func.coalesce(OutboundMessage.sent_at, OutboundMessage.created_at) < now - policy.LEASE


def _stuck(new_uow: UnitOfWorkFactory, now: datetime) -> list[int]:
    """Offer texts without SID older than the lease: their worker died mid-send."""
    with new_uow() as uow:
        return list(
            uow.session.execute(
                select(OutboundMessage.id).where(
                    OutboundMessage.purpose == OFFER,
                    OutboundMessage.twilio_sid.is_(None),
                    ((OutboundMessage.status == "queued") & (_since(now)))
                    | (
                        (OutboundMessage.status == RECOVERING)
                        & (OutboundMessage.sent_at < now - policy.LEASE)
                    ),
                )
            ).scalars()
        )


def recover(
    new_uow: UnitOfWorkFactory,
    outbound: Outbound,
    message_id: int,
    now: datetime,
    *,
    pacer: Pacer | None = None,
) -> str:
    """Claim a stuck offer text (conditional UPDATE), then adopt what Twilio accepted or send
    it now: never twice, never not at all."""
    with new_uow() as uow:
        claimed = uow.session.execute(
            update(OutboundMessage)
            .where(
                OutboundMessage.id == message_id,
                OutboundMessage.twilio_sid.is_(None),
                OutboundMessage.status.in_(("queued", RECOVERING)),
                ((OutboundMessage.status == "queued") & _since(now))
                | (OutboundMessage.sent_at < now - policy.LEASE),
            )
            .values(status=RECOVERING, sent_at=now)
            .execution_options(synchronize_session=False)
        ).rowcount
        uow.commit()
    if claimed != 1:
        return LOST_CLAIM
    with new_uow() as uow:
        message = uow.session.get(OutboundMessage, message_id)
        uow.session.expunge(message)
    checked, sid = outbound.find_accepted(message)
    with new_uow() as uow:
        stored = uow.session.get(OutboundMessage, message_id)
        if not checked:
            stored.status = "queued"  # Twilio unreachable: ask again next pass
            uow.commit()
            return UNKNOWN
        if sid is not None:
            stored.twilio_sid, stored.status = sid, "sent"
            uow.commit()
            return RECOVERED
        stored.status, stored.error_code, stored.sent_at = "failed", "not_sent", None
        again = outbound.new_message(
            uow.session,
            practice_id=stored.practice_id,
            to=stored.to_number,
            body=stored.body,
            purpose=OFFER,
            patient_id=stored.patient_id,
            now=now,
        )
        uow.commit()
    return _transmit(new_uow, outbound, again, None, now, pacer)


# --- the reply ---------------------------------------------------------------------------------


def _offered(session: Session, phone: str, now: datetime) -> WaitlistOffer | None:
    """The latest offer texted to this number, if that text is the latest we sent it."""
    latest = session.execute(
        select(OutboundMessage)
        .where(
            OutboundMessage.to_number == phone,
            OutboundMessage.purpose.in_((OFFER, "reminder")),
            OutboundMessage.status.in_(outbox.HANDED_OVER),
            OutboundMessage.created_at >= now - REPLY_WINDOW,
        )
        .order_by(OutboundMessage.created_at.desc(), OutboundMessage.id.desc())
        .limit(1)
    ).scalar_one_or_none()
    if latest is None or latest.purpose != OFFER:
        return None
    return session.execute(
        select(WaitlistOffer)
        .join(WaitlistEntry, WaitlistEntry.id == WaitlistOffer.entry_id)
        .where(
            WaitlistEntry.patient_id == latest.patient_id,
            WaitlistOffer.notified_at.isnot(None),
        )
        .order_by(WaitlistOffer.notified_at.desc(), WaitlistOffer.id.desc())
        .limit(1)
    ).scalar_one_or_none()


def offer_reply(session: Session, phone: str, body: str, now: datetime) -> str | None:
    """A bare "1" answering an offer text books the slot if it is still free; returns what to
    text back. None: not an answer to an offer (the caller goes on as usual)."""
    if body.strip().rstrip(".") != "1":
        return None
    offer = _offered(session, phone, now)
    if offer is None:
        return None
    entry = session.get(WaitlistEntry, offer.entry_id)
    patient = session.get(Patient, entry.patient_id)
    practice = session.get(Practice, offer.practice_id)
    location = session.get(Location, offer.location_id)
    language = patient.preferred_language
    try:
        appointment = waitlist.accept_offer(
            session, offer.id, actor=f"patient:{patient.id}", channel="sms", now=now
        )
    except OfferExpired:
        return _say("expired", language, practice=practice.name)
    except (OfferNoLongerAvailable, SchedulingError):
        return _say("taken", language, practice=practice.name)
    when = format_when(appointment.starts_at, location.time_zone, language=language)
    place = content.place_name(location, _specialties(session, practice.id))
    return _say("booked", language, practice=practice.name, when=when, place=place)
