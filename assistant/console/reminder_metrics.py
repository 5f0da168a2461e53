"""Reminder campaign measures for managers: per day and per campaign, and no-shows.

A campaign is one kind of reminder: channel and days before the visit ("Text, 7 days before"),
or channel and short notice for the one reminder of a visit booked after all its offsets had
passed ("Text, booked at short notice").
Each reminder sent counts once in exactly one outcome: the first of confirmed, rescheduled or
cancelled that happened to its appointment after it was sent and before the next reminder of
that appointment (or the visit); else opted out, if its number opted out in that window; else
no answer. Delivered counts texts the carrier delivered and calls that were answered.

The no-show rate compares past visits with an outcome (completed, arrived or no-show) whose
patient was reminded (at least one reminder sent) with those that were not. Waitlist offer
texts are a campaign of their own ("confirmed": the patient took the slot).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from assistant.db.models import (
    ARRIVED,
    COMPLETED,
    NO_SHOW,
    Appointment,
    AppointmentHistory,
    OutboundMessage,
    Practice,
    Reminder,
    SmsOptOut,
    WaitlistEntry,
    WaitlistOffer,
)
from assistant.db.types import utcnow
from assistant.messaging.outbound import HANDED_OVER
from assistant.reminders.offers import OFFER

OUTCOMES = ("confirmed", "rescheduled", "cancelled", "opted_out", "no_answer")
OFFER_CAMPAIGN = "Waitlist offer"  # confirmed: the patient took the slot
_ACTIONS = ("confirmed", "rescheduled", "cancelled")
DELIVERED = {"sms": ("delivered", "read"), "voice": ("completed", "machine")}


@dataclass
class CampaignDay:
    day: date
    campaign: str
    sent: int = 0
    delivered: int = 0
    confirmed: int = 0
    rescheduled: int = 0
    cancelled: int = 0
    opted_out: int = 0
    no_answer: int = 0


@dataclass(frozen=True)
class NoShows:
    reminded: int  # past visits with an outcome, reminded
    reminded_no_shows: int
    not_reminded: int
    not_reminded_no_shows: int

    @staticmethod
    def _rate(part: int, whole: int) -> float | None:
        return part / whole if whole else None

    @property
    def reminded_rate(self) -> float | None:
        return self._rate(self.reminded_no_shows, self.reminded)

    @property
    def not_reminded_rate(self) -> float | None:
        return self._rate(self.not_reminded_no_shows, self.not_reminded)


@dataclass
class ReminderMetrics:
    rows: list[CampaignDay]  # by day (newest first), then campaign
    totals: dict[str, CampaignDay] = field(default_factory=dict)  # per campaign, whole period
    no_shows: NoShows | None = None


def campaign_name(channel: str, offset_days: int, short_notice: bool = False) -> str:
    kind = "Call" if channel == "voice" else "Text"
    if short_notice:  # the one reminder of a visit booked after all its offsets had passed
        return f"{kind}, booked at short notice"
    days = "1 day" if offset_days == 1 else f"{offset_days} days"
    return f"{kind}, {days} before" if offset_days else f"{kind}, same day"


def _outcome(
    history: list[tuple[datetime, str]], opt_out: datetime | None, start: datetime, end: datetime
) -> str:
    for at, action in history:
        if start <= at < end:
            return action
    if opt_out is not None and start <= opt_out < end:
        return "opted_out"
    return "no_answer"


def compute(
    session: Session, practice_id: int, *, days: int = 7, now: datetime | None = None
) -> ReminderMetrics:
    """Reminders sent in the `days` before `now`, and no-shows of the visits in that time."""
    now = now or utcnow()
    since = now - timedelta(days=days)
    practice = session.get(Practice, practice_id)
    tz = ZoneInfo(practice.time_zone if practice else "UTC")
    sent = _sent_reminders(session, practice_id, since, now)
    history = _history(session, {row.appointment_id for row in sent})
    opt_outs = _opt_outs(session, {row.to_number for row in sent if row.to_number})

    cells: dict[tuple[date, str], CampaignDay] = {}
    totals: dict[str, CampaignDay] = {}

    def count(day: date, name: str, delivered: bool, outcome: str) -> None:
        for cell in (
            cells.setdefault((day, name), CampaignDay(day, name)),
            totals.setdefault(name, CampaignDay(since.astimezone(tz).date(), name)),
        ):
            cell.sent += 1
            cell.delivered += delivered
            setattr(cell, outcome, getattr(cell, outcome) + 1)

    for i, row in enumerate(sent):
        following = sent[i + 1] if i + 1 < len(sent) else None
        if following is not None and following.appointment_id == row.appointment_id:
            end = following.sent_at  # the next reminder of the same visit
        else:
            end = row.starts_at
        outcome = _outcome(
            history[row.appointment_id], opt_outs.get(row.to_number), row.sent_at, end
        )
        delivered = row.delivery_status in DELIVERED.get(row.channel, ())
        name = campaign_name(row.channel, row.offset_days, row.short_notice)
        count(row.sent_at.astimezone(tz).date(), name, delivered, outcome)
    for at, delivered, outcome in _offer_texts(session, practice_id, since, now):
        count(at.astimezone(tz).date(), OFFER_CAMPAIGN, delivered, outcome)
    rows = sorted(cells.values(), key=lambda c: (-c.day.toordinal(), c.campaign))
    return ReminderMetrics(
        rows=rows,
        totals=dict(sorted(totals.items())),
        no_shows=_no_shows(session, practice_id, since, now),
    )


def _sent_reminders(session: Session, practice_id: int, since: datetime, now: datetime) -> list:
    """The reminders sent in the period, by appointment and time sent."""
    return session.execute(
        select(
            Reminder.appointment_id,
            Reminder.channel,
            Reminder.offset_days,
            Reminder.short_notice,
            Reminder.sent_at,
            Reminder.delivery_status,
            OutboundMessage.to_number,
            Appointment.starts_at,
        )
        .join(Appointment, Appointment.id == Reminder.appointment_id)
        .outerjoin(OutboundMessage, OutboundMessage.id == Reminder.outbound_message_id)
        .where(
            Appointment.practice_id == practice_id,
            Reminder.status == "sent",
            Reminder.sent_at >= since,
            Reminder.sent_at < now,
        )
        .order_by(Reminder.appointment_id, Reminder.sent_at)
    ).all()


def _history(session: Session, appointment_ids: set[int]) -> dict[int, list[tuple[datetime, str]]]:
    """Per appointment, when it was confirmed, rescheduled or cancelled, in order."""
    history: dict[int, list[tuple[datetime, str]]] = defaultdict(list)
    for appointment_id, at, action in session.execute(
        select(AppointmentHistory.appointment_id, AppointmentHistory.at, AppointmentHistory.action)
        .where(
            AppointmentHistory.appointment_id.in_(appointment_ids),
            AppointmentHistory.action.in_(_ACTIONS),
        )
        .order_by(AppointmentHistory.at, AppointmentHistory.id)
    ):
        history[appointment_id].append((at, action))
    return history


def _opt_outs(session: Session, numbers: set[str]) -> dict[str, datetime]:
    """When each of `numbers` that opted out of texts did so."""
    return dict(
        session.execute(
            select(SmsOptOut.number, SmsOptOut.opted_out_at).where(SmsOptOut.number.in_(numbers))
        ).all()
    )


def _offer_texts(
    session: Session, practice_id: int, since: datetime, now: datetime
) -> list[tuple[datetime, bool, str]]:
    """(sent at, delivered, outcome) of the waitlist offers texted in the period: confirmed
    when the patient took the slot, opted out when their number opted out before the offer
    ended, else no answer."""
    texts = session.execute(
        select(
            OutboundMessage.created_at,
            OutboundMessage.status,
            OutboundMessage.to_number,
            OutboundMessage.patient_id,
        ).where(
            OutboundMessage.practice_id == practice_id,
            OutboundMessage.purpose == OFFER,
            OutboundMessage.status.in_(HANDED_OVER),
            OutboundMessage.created_at >= since,
            OutboundMessage.created_at < now,
        )
    ).all()
    offers: dict[int, list[tuple[datetime, str, datetime]]] = defaultdict(list)
    for patient_id, notified, status, expires in session.execute(
        select(
            WaitlistEntry.patient_id,
            WaitlistOffer.notified_at,
            WaitlistOffer.status,
            WaitlistOffer.expires_at,
        )
        .join(WaitlistEntry, WaitlistEntry.id == WaitlistOffer.entry_id)
        .where(WaitlistOffer.practice_id == practice_id, WaitlistOffer.notified_at.isnot(None))
        .order_by(WaitlistOffer.notified_at)
    ):
        offers[patient_id].append((notified, status, expires))
    opt_outs = dict(
        session.execute(
            select(SmsOptOut.number, SmsOptOut.opted_out_at).where(
                SmsOptOut.number.in_({t.to_number for t in texts})
            )
        ).all()
    )
    result = []
    for text in texts:
        made = [o for o in offers.get(text.patient_id, []) if o[0] <= text.created_at]
        status, ends = (made[-1][1], made[-1][2]) if made else (None, now)
        opted = opt_outs.get(text.to_number)
        if status == "accepted":
            outcome = "confirmed"
        elif opted is not None and text.created_at <= opted < ends:
            outcome = "opted_out"
        else:
            outcome = "no_answer"
        result.append((text.created_at, text.status in ("delivered", "read"), outcome))
    return result


def _no_shows(session: Session, practice_id: int, since: datetime, now: datetime) -> NoShows:
    reminded = select(Reminder.appointment_id).where(Reminder.status == "sent")
    visits = session.execute(
        select(Appointment.status, Appointment.id.in_(reminded)).where(
            Appointment.practice_id == practice_id,
            Appointment.starts_at >= since,
            Appointment.starts_at < now,
            Appointment.status.in_((COMPLETED, ARRIVED, NO_SHOW)),
        )
    ).all()
    was = [status for status, r in visits if r]
    was_not = [status for status, r in visits if not r]
    return NoShows(
        reminded=len(was),
        reminded_no_shows=was.count(NO_SHOW),
        not_reminded=len(was_not),
        not_reminded_no_shows=was_not.count(NO_SHOW),
    )
