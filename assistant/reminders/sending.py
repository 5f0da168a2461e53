"""Sending one claimed reminder, exactly once, in three steps:

1. under the claim (one transaction): re-check the appointment, consent, opt-out and caps just
   before sending; skip or defer, or add the `OutboundMessage` and link it to the reminder;
2. outside any transaction: hand the message to Twilio (bounded retries on 429/5xx);
3. store the SID (sent), or the error (failed / retried later / number marked).

A crash after 1 leaves a claimed reminder linked to a message without SID. When its lease has
run out, `recover` asks Twilio whether that message was accepted: if so it is adopted (not sent
again); if not, it is sent now (not skipped). Without Twilio credentials steps 1-3 are one
transaction that records the message.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime, timedelta
from functools import partial

from sqlalchemy import select
from sqlalchemy.orm import Session

from assistant import audit
from assistant.db.models import (
    CONFIRMED,
    OutboundMessage,
    Patient,
    PatientPhone,
    Practice,
    Provider,
    Reminder,
)
from assistant.messages import localized
from assistant.messaging import outbound as outbox
from assistant.messaging.outbound import HANDED_OVER, Outbound
from assistant.messaging.twilio_client import PERMANENT_ERRORS, CreateOutcome
from assistant.reminders import content, policy
from assistant.reminders.claims import Claim
from assistant.reminders.planning import REMINDABLE, VOICE
from assistant.unit_of_work import UnitOfWorkFactory

log = logging.getLogger(__name__)

# What happened to a claimed reminder (the worker counts these).
SENT = "sent"  # Twilio accepted it
RECORDED = "recorded"  # no credentials: stored, not sent
RECOVERED = "recovered"  # a crashed send turned out to have reached Twilio: not sent again
SKIPPED = "skipped"
DEFERRED = "deferred"  # quiet hours or caps: due again later
RETRY = "retry"  # 429/5xx after the in-call retries: due again after a delay
FAILED = "failed"
UNKNOWN = "unknown"  # Twilio's answer was lost: settled after the lease by `recover`
LOST_CLAIM = "lost_claim"  # another worker holds it now
_TRANSMIT = "transmit"

MAX_SEND_ATTEMPTS = 5
RETRY_DELAY = timedelta(minutes=1)  # doubled after each failed attempt
ACTOR = "system:reminders"
CALLABLE = ("landline", "not_mobile")  # numbers that cannot take texts can take a call


def process(
    new_uow: UnitOfWorkFactory,
    outbound: Outbound,
    claim: Claim,
    now: datetime,
    *,
    before_transmit: Callable[[], object] | None = None,
) -> str:
    """Take one claimed reminder to its next state; returns what happened (see above).
    `before_transmit` runs just before the network call (the sending rate's pacer; it returns
    the seconds it waited): the claim is then checked and its lease renewed, since a long
    wait may have let another worker take the reminder over."""
    with new_uow() as uow:
        reminder = _locked(uow.session, claim.reminder_id)
        if reminder is None or reminder.status != "claimed" or reminder.claim_token != claim.token:
            return LOST_CLAIM
        if reminder.outbound_message_id is not None:
            outcome = recover(uow.session, outbound, reminder, now)
        else:
            outcome = prepare(uow.session, outbound, reminder, now)
        message = reminder.outbound_message
        uow.commit()
    if outcome != _TRANSMIT:
        return outcome
    if before_transmit is not None:
        waited = before_transmit()
        at = now + timedelta(seconds=waited if isinstance(waited, (int, float)) else 0)
        if not _renew(new_uow, claim, at):
            return LOST_CLAIM  # taken over while waiting: the new holder finishes it
    result = outbound.transmit(message)
    with new_uow() as uow:
        outcome = finish(uow.session, claim.reminder_id, message.id, result, now)
        uow.commit()
    return outcome


def _renew(new_uow: UnitOfWorkFactory, claim: Claim, at: datetime) -> bool:
    """Still ours after waiting for the sending rate? Then renew the lease for the send, so
    that nobody takes it over while it is on its way; if not, do not send."""
    with new_uow() as uow:
        reminder = _locked(uow.session, claim.reminder_id)
        if reminder is None or reminder.status != "claimed" or reminder.claim_token != claim.token:
            return False
        reminder.claimed_at = max(reminder.claimed_at or at, at)
        uow.commit()
    return True


def _portal_link(session: Session, outbound: Outbound, patient_id: int, number: str) -> str:
    from assistant.portal.signin import link_url  # the portal is optional for reminders

    settings = outbound.settings
    return link_url(
        session,
        secret=settings.secret_key,
        public_base_url=settings.public_base_url,
        patient_id=patient_id,
        phone=number,
    )


def _locked(session: Session, reminder_id: int) -> Reminder | None:
    return session.execute(
        select(Reminder).where(Reminder.id == reminder_id).with_for_update()
    ).scalar_one_or_none()


def prepare(session: Session, outbound: Outbound, reminder: Reminder, now: datetime) -> str:
    """Step 1: the checks just before sending, then the message row (or a skip / deferral)."""
    appointment = reminder.appointment
    if appointment.status not in REMINDABLE:
        return _skip(reminder, f"appointment_{appointment.status}")
    if now > appointment.starts_at - policy.min_lead(reminder.short_notice):
        return _skip(reminder, "too_late")  # at least the lead before the visit, as planned
    # Locking the patient serializes the cap check of two workers texting the same patient.
    patient = session.execute(
        select(Patient).where(Patient.id == appointment.patient_id).with_for_update()
    ).scalar_one()
    if not patient.sms_consent:  # consent to automated reminders, texts and calls alike
        return _skip(reminder, "no_consent")
    call = reminder.channel == VOICE
    number = _call_number(session, patient.id) if call else _sms_number(session, patient.id)
    if number is None:
        return _skip(reminder, "no_mobile")
    blocked = outbox.blocked_reason(session, number)
    if blocked is not None and not (call and blocked in CALLABLE):
        return _skip(reminder, blocked)
    prep = None if call else _prep_for(session, reminder, patient.preferred_language)
    if appointment.status == CONFIRMED and prep is None:
        return _skip(reminder, "already_confirmed")
    location = appointment.location
    tz = patient.time_zone or location.time_zone
    at, reason = policy.earliest_send(now, tz, _sent_times(session, reminder, now))
    if at > now:
        return _defer(session, reminder, at, reason or policy.QUIET_HOURS)

    practice = session.get(Practice, appointment.practice_id)
    body = _body(session, outbound, practice, reminder, patient, number, prep)
    message = outbound.new_message(
        session,
        practice_id=practice.id,
        to=number,
        body=body,
        purpose=outbox.CALL if call else "reminder",
        patient_id=patient.id,
        appointment_id=appointment.id,
        now=now,
    )
    reminder.outbound_message = message
    reminder.sent_at = now
    reminder.includes_prep = prep is not None
    _record_disclosure(session, reminder)
    if not outbound.sends:
        _mark_sent(reminder, message)
        return RECORDED
    reminder.attempts += 1
    return _TRANSMIT


def _body(
    session: Session,
    outbound: Outbound,
    practice: Practice,
    reminder: Reminder,
    patient: Patient,
    number: str,
    prep: str | None,
) -> str:
    """The text of the reminder: spoken for a call, an SMS with preparation notes and, where
    the practice has turned them on, a portal link."""
    appointment, location = reminder.appointment, reminder.appointment.location
    call = reminder.channel == VOICE
    compose: Callable[..., str] = content.spoken if call else partial(content.compose, prep=prep)
    if not call and outbound.settings.reminder_portal_links:
        # Signed, expiring, single-use and no PHI: the portal still asks for the date of birth.
        compose = partial(compose, link=_portal_link(session, outbound, patient.id, number))
    return compose(
        practice=practice.name,
        when_utc=appointment.starts_at,
        time_zone=location.time_zone,
        place=content.place_name(location, _specialties(session, practice.id)),
        language=patient.preferred_language,
    )


def _record_disclosure(session: Session, reminder: Reminder) -> None:
    """The reminder tells its appointment's date, time and place: an audited disclosure."""
    audit.record_appointment(
        session,
        reminder.appointment,
        actor=ACTOR,
        channel=reminder.channel,
        action="disclose",
        detail={"fields": ["date", "time", "location"], "basis": "reminder", "id": reminder.id},
    )


def recover(session: Session, outbound: Outbound, reminder: Reminder, now: datetime) -> str:
    """A claim taken over after its lease: finish it from what the crashed worker stored."""
    message = reminder.outbound_message
    if message.twilio_sid or message.status in HANDED_OVER:
        _mark_sent(reminder, message)
        return RECOVERED
    checked, sid = outbound.find_accepted(message)
    if not checked:  # Twilio unreachable: ask again after another lease
        reminder.claimed_at = now
        return UNKNOWN
    if sid is not None:
        message.twilio_sid, message.status, message.sent_at = sid, "sent", now
        _mark_sent(reminder, message)
        log.info("reminder %s: crashed send had reached Twilio; not sent again", reminder.id)
        return RECOVERED
    message.status, message.error_code = "failed", "not_sent"
    _unlink(reminder)
    return prepare(session, outbound, reminder, now)


def finish(
    session: Session, reminder_id: int, message_id: int, result: CreateOutcome, now: datetime
) -> str:
    """Step 3: store Twilio's answer on the message and the reminder."""
    reminder = _locked(session, reminder_id)
    assert reminder is not None  # still claimed by this worker: `process` checked it just before
    message = session.get(OutboundMessage, message_id)
    outbox.apply_outcome(session, message, result, now)
    if result.accepted:
        _mark_sent(reminder, message)
        return SENT
    reminder.error_code = result.error_code
    if result.ambiguous:
        return UNKNOWN  # stays claimed; `recover` settles it once the lease has run out
    if result.transient and reminder.attempts < MAX_SEND_ATTEMPTS:
        _unlink(reminder)
        reminder.status = "pending"
        reminder.due_at = now + RETRY_DELAY * 2 ** (reminder.attempts - 1)
        reminder.claim_token = None
        return RETRY
    reminder.status = "failed"
    reminder.skip_reason = PERMANENT_ERRORS.get(result.error_code or "", "send_failed")
    log.info("reminder %s failed: error %s", reminder.id, result.error_code)
    return FAILED


def _mark_sent(reminder: Reminder, message: OutboundMessage) -> None:
    reminder.status = "sent"
    reminder.twilio_sid = message.twilio_sid
    reminder.error_code = None
    reminder.skip_reason = None


def _unlink(reminder: Reminder) -> None:
    reminder.outbound_message = None
    reminder.outbound_message_id = None
    reminder.sent_at = None
    reminder.includes_prep = False


def _skip(reminder: Reminder, reason: str) -> str:
    reminder.status = "skipped"
    reminder.skip_reason = reason[:40]
    reminder.claim_token = None
    return SKIPPED


def _defer(session: Session, reminder: Reminder, at: datetime, reason: str) -> str:
    """Due again at `at`, unless that is too close to the visit, or a later reminder of the same
    visit is due within a day of it (sending both would push that one out by the daily cap):
    the lower-priority (further-out) one is then skipped. A short-notice reminder (the visit's
    only one) may still be deferred to `SHORT_NOTICE_MIN_LEAD` before its visit."""
    if at > reminder.appointment.starts_at - policy.min_lead(reminder.short_notice):
        return _skip(reminder, reason)
    closer = session.execute(
        select(Reminder.id)
        .where(
            Reminder.appointment_id == reminder.appointment_id,
            Reminder.channel == reminder.channel,
            Reminder.offset_days < reminder.offset_days,
            Reminder.status.in_(("pending", "claimed")),
            Reminder.due_at < at + timedelta(days=1),
        )
        .limit(1)
    ).first()
    if closer is not None:
        return _skip(reminder, "superseded")
    reminder.status = "pending"
    reminder.due_at = at
    reminder.claim_token = None
    return DEFERRED


def _sent_times(session: Session, reminder: Reminder, now: datetime) -> list[datetime]:
    """When the patient's other reminders went out (or are going out) in the last week."""
    return list(
        session.execute(
            select(Reminder.sent_at).where(
                Reminder.patient_id == reminder.patient_id,
                Reminder.id != reminder.id,
                Reminder.outbound_message_id.isnot(None),
                Reminder.status.in_(("claimed", "sent")),
                Reminder.sent_at > now - policy.WEEK,
            )
        ).scalars()
    )


def _sms_number(session: Session, patient_id: int) -> str | None:
    """The patient's primary number that can take texts (not one marked as a landline)."""
    return session.execute(
        select(PatientPhone.number)
        .where(PatientPhone.patient_id == patient_id, PatientPhone.kind != "landline")
        .order_by(PatientPhone.is_primary.desc(), PatientPhone.id)
        .limit(1)
    ).scalar_one_or_none()


def _call_number(session: Session, patient_id: int) -> str | None:
    """The patient's primary number: a landline takes calls too."""
    return session.execute(
        select(PatientPhone.number)
        .where(PatientPhone.patient_id == patient_id)
        .order_by(PatientPhone.is_primary.desc(), PatientPhone.id)
        .limit(1)
    ).scalar_one_or_none()


def _prep_for(session: Session, reminder: Reminder, language: str) -> str | None:
    """Prep instructions go out once, with the reminder at most `PREP_OFFSET_DAYS` before the
    visit; if that one was skipped, with the next; with an earlier one only if none of those
    is to come (e.g. a type reminded 7 days before only)."""
    kind = reminder.appointment.appointment_type
    prep = localized(kind, "prep_instructions", language)
    if not prep:
        return None
    siblings = session.execute(
        select(Reminder.offset_days, Reminder.status, Reminder.includes_prep).where(
            Reminder.appointment_id == reminder.appointment_id,
            Reminder.channel == reminder.channel,
            Reminder.id != reminder.id,
        )
    ).all()
    if any(s.includes_prep and s.status in ("claimed", "sent") for s in siblings):
        return None
    if reminder.offset_days <= policy.PREP_OFFSET_DAYS:
        return prep
    to_come = any(
        s.offset_days <= policy.PREP_OFFSET_DAYS and s.status in ("pending", "claimed")
        for s in siblings
    )
    return None if to_come else prep


def _specialties(session: Session, practice_id: int) -> list[str]:
    return [
        s
        for s in session.execute(
            select(Provider.specialty).where(Provider.practice_id == practice_id).distinct()
        ).scalars()
        if s
    ]
