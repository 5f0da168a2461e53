"""Application services for the dialogue and the portal, by conversation uid: each takes its
caller's unit of work and commits it once (docs/ENGINEERING.md, "Transactions").

Nothing about an appointment is read or changed unless the conversation has a verified
patient and the appointment is theirs. Every disclosure and change is audited; the outcome and a
staff-readable summary are written on the conversation.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from assistant import audit
from assistant.actor import Actor
from assistant.conversations import sessions
from assistant.db.models import (
    BOOKED,
    CANCELLED,
    CONFIRMED,
    RESCHEDULED,
    Appointment,
    Conversation,
    Patient,
    Practice,
    Provider,
)
from assistant.db.types import utcnow
from assistant.frontdesk import summaries
from assistant.frontdesk.offers import OfferedTime
from assistant.frontdesk.office import (
    cancel_policy,
    closed_on_answer,
    office_info,
    open_on_day_answer,
)
from assistant.frontdesk.provider_words import FIRST, asks_another, last_mention, turned_down
from assistant.frontdesk.time_phrases import Wish, read_wish
from assistant.frontdesk.views import AppointmentView, describe, offered_times
from assistant.identity.names import tokens
from assistant.messages import translate
from assistant.scheduling import operations, waitlist
from assistant.scheduling.availability import SearchRequest, SlotOption, search
from assistant.scheduling.clock import zone
from assistant.scheduling.errors import (
    SchedulingError,
    SlotTaken,
    SlotUnavailable,
)
from assistant.scheduling.preferences import TimePreference
from assistant.unit_of_work import UnitOfWork

MAX_LISTED = 3
OPTIONS_OFFERED = 3
WAITLIST_DAYS = 30

# Statuses of results
DONE = "done"
NOT_VERIFIED = "not_verified"
NOT_FOUND = "not_found"
TAKEN = "taken"  # the chosen time went to someone else: alternatives offered
ALREADY = "already"  # asked to confirm an appointment that was already confirmed
UNAVAILABLE = "unavailable"  # cannot be done by the assistant: staff
CLOSED = "closed"  # the new time asked for falls on days the office is closed: `note` says so


class NotVerified(LookupError):
    """No verified patient in this conversation (or an unknown conversation)."""


@dataclass(frozen=True)
class Context:
    conversation: Conversation
    patient: Patient

    @property
    def actor(self) -> Actor:
        """The verified patient, acting in this conversation."""
        return Actor.patient(self.patient.id, self.conversation.channel, self.conversation.id)


@dataclass(frozen=True)
class Listing:
    appointments: list[AppointmentView] = field(default_factory=list)
    today: date | None = None  # the practice's date now ("tomorrow's", "this week's" visit)


@dataclass(frozen=True)
class ChangeResult:
    status: str
    appointment: AppointmentView | None = None
    options: list[OfferedTime] = field(default_factory=list)
    note: str = ""  # what to tell the patient first (CLOSED: which day, and when we open)


def context(session: Session, conversation_uid: str) -> Context:
    conversation = sessions.by_uid(session, conversation_uid)
    if conversation is None or conversation.verified_patient_id is None:
        raise NotVerified(conversation_uid)
    patient = session.get(Patient, conversation.verified_patient_id)
    if patient is None:
        raise NotVerified(conversation_uid)
    return Context(conversation, patient)


def upcoming(session: Session, patient_id: int, now: datetime, limit: int = MAX_LISTED):
    """The patient's next active appointments, soonest first."""
    return list(
        session.execute(
            select(Appointment)
            .where(
                Appointment.patient_id == patient_id,
                Appointment.status.in_((BOOKED, CONFIRMED)),
                Appointment.starts_at > now,
            )
            .order_by(Appointment.starts_at)
            .limit(limit)
        ).scalars()
    )


def _disclose(session: Session, ctx: Context, appointments: list[Appointment]) -> None:
    for appointment in appointments:
        audit.record_appointment(  # the patient's own appointments only
            session,
            appointment,
            **ctx.actor.fields(),
            action="disclose",
            detail={
                "fields": ["date", "time", "provider", "location", "prep"],
                "basis": "verified",
            },
        )


def owned(
    session: Session, conversation_uid: str, appointment_id: int | None
) -> tuple[Context, Appointment | None]:
    """The conversation's verified patient, and the appointment if it is theirs."""
    ctx = context(session, conversation_uid)
    return ctx, _own(session, ctx, appointment_id)


def _own(session: Session, ctx: Context, appointment_id: int | None) -> Appointment | None:
    appointment = session.get(Appointment, appointment_id) if appointment_id else None
    if appointment is None or appointment.patient_id != ctx.patient.id:
        return None
    return appointment


def list_for(
    uow: UnitOfWork, conversation_uid: str, language: str, channel: str, *, record: bool = False
) -> Listing:
    """The verified patient's upcoming appointments (at most three), disclosed and audited.

    `record`: this listing is the answer of the conversation (checking), so it is its outcome.
    """
    with uow:
        ctx = context(uow.session, conversation_uid)
        found = upcoming(uow.session, ctx.patient.id, utcnow())
        _disclose(uow.session, ctx, found)
        if record:
            sessions.set_outcome(
                ctx.conversation, "informed", summaries.informed(ctx.patient, len(found))
            )
        views = [describe(a, language, channel) for a in found]
        practice = uow.session.get(Practice, ctx.patient.practice_id)
        practice_zone = zone(practice.time_zone if practice else "America/New_York")
        uow.commit()
        return Listing(views, utcnow().astimezone(practice_zone).date())


def cancel_for(
    uow: UnitOfWork,
    conversation_uid: str,
    appointment_id: int,
    reason: str | None,
    language: str,
    channel: str,
) -> ChangeResult:
    with uow:
        ctx, appointment = owned(uow.session, conversation_uid, appointment_id)
        if appointment is None:
            return ChangeResult(NOT_FOUND)
        if _changed_by(appointment, ctx.actor.who, CANCELLED):  # asked again: already done
            if reason:  # the reason, asked after cancelling (nothing else changes)
                appointment.cancel_reason = reason[:200]
                audit.record_appointment(
                    uow.session,
                    appointment,
                    action="update",
                    detail={"field": "cancel_reason"},
                    **ctx.actor.fields(),
                )
            reason = appointment.cancel_reason
        else:
            try:
                operations.cancel(
                    uow.session,
                    appointment.id,
                    reason=reason or "patient request",
                    actor=ctx.actor,
                )
            except SchedulingError:
                return ChangeResult(UNAVAILABLE)
        sessions.set_outcome(
            ctx.conversation, "cancelled", summaries.cancelled(ctx.patient, appointment, reason)
        )
        view = describe(appointment, language, channel)
        uow.commit()
        return ChangeResult(DONE, view)


def confirm_for(
    uow: UnitOfWork,
    conversation_uid: str,
    appointment_id: int,
    language: str,
    channel: str,
    *,
    now: datetime | None = None,
) -> ChangeResult:
    """Confirm one of the verified patient's upcoming appointments (asked for without a reminder
    to answer: identity was verified first). Confirming twice answers ALREADY."""
    with uow:
        ctx, appointment = owned(uow.session, conversation_uid, appointment_id)
        if appointment is None:
            return ChangeResult(NOT_FOUND)
        try:
            appointment, changed = operations.confirm(
                uow.session,
                appointment.id,
                actor=ctx.actor,
                now=now or utcnow(),
            )
        except SchedulingError:
            return ChangeResult(UNAVAILABLE)
        _disclose(uow.session, ctx, [appointment])
        sessions.set_outcome(
            ctx.conversation, "confirmed", summaries.confirmed(ctx.patient, appointment)
        )
        view = describe(appointment, language, channel)
        uow.commit()
        return ChangeResult(DONE if changed else ALREADY, view)


def options_for(
    uow: UnitOfWork,
    conversation_uid: str,
    appointment_id: int,
    preference_text: str,
    language: str,
    channel: str,
    *,
    after: str | None = None,
    any_provider: bool = False,
    direction: str | None = None,
    now: datetime | None = None,
) -> ChangeResult:
    """Up to three concrete new times for an appointment (same type; same provider unless the
    patient said any provider). `after`: only later than this ISO instant ("anything later?").
    `direction`: "later" / "earlier" than the appointment (a move asked as later is never
    earlier, and vice versa). When the provider has nothing that fits, a colleague of the same
    specialty at the same location is offered (each option names its provider; the first one
    carries `instead_of`, the provider who had nothing)."""
    with uow:
        ctx, appointment = owned(uow.session, conversation_uid, appointment_id)
        if appointment is None:
            return ChangeResult(NOT_FOUND)
        now = now or utcnow()
        wish = read_wish(
            preference_text,
            now=now,
            time_zone=appointment.location.time_zone,
            language=language,
            visit=appointment.starts_at.astimezone(_zone(appointment)).date(),
            visit_time=appointment.starts_at.astimezone(_zone(appointment)).time(),
        )
        closed = _closed_days_asked(uow.session, appointment, wish, now, language)
        if closed:
            view = describe(appointment, language, channel)
            return ChangeResult(CLOSED, view, note=closed)
        not_before = datetime.fromisoformat(after) + timedelta(minutes=1) if after else None
        if direction == "later":
            not_before = max(not_before or appointment.ends_at, appointment.ends_at)
        named, anyone = _who(uow.session, appointment, preference_text,
                             any_provider or wish.any_provider)  # fmt: skip
        search_args = dict(
            date_from=wish.date_from, date_to=wish.date_to, not_before=not_before,
            channel=ctx.conversation.channel, now=now,
        )  # fmt: skip
        preference = wish.preference
        found = _search(
            uow.session, appointment, preference, any_provider=anyone, provider_id=named,
            **search_args,
        )  # fmt: skip
        if found is None:
            return ChangeResult(UNAVAILABLE)
        found = _in_direction(found, appointment, direction)
        if not found and _evening(preference):  # no evening hours: the latest times there are
            preference = replace(preference, part_of_day=None, earliest=time(15), near=time(17))
            found = _in_direction(
                _search(uow.session, appointment, preference, any_provider=anyone,
                        provider_id=named, **search_args) or [],
                appointment, direction,
            )  # fmt: skip
        avoided = providers_avoided(uow.session, appointment, preference_text)
        found = [o for o in found if o.provider_id not in avoided]
        instead_of = None
        if named is None and appointment.provider_id in avoided:  # "any doctor but Dr. Chen"
            found = _in_direction(
                _colleagues(uow.session, appointment, preference, search_args, avoided),
                appointment, direction,
            )  # fmt: skip
            anyone = True  # each option names its provider
        elif not found and not anyone and named is None:  # a colleague: same kind, location
            found = _colleagues(uow.session, appointment, preference, search_args)
            found = _in_direction(found, appointment, direction)
            instead_of = appointment.provider.display_name if found else None
        options = offered_times(
            uow.session, found, language, channel,
            any_provider=anyone or instead_of is not None, preference=preference,
        )  # fmt: skip
        if options and instead_of:
            colleague = uow.session.get(Provider, found[0].provider_id).display_name
            options[0] = replace(options[0], instead_of=instead_of, provider=colleague)
        return ChangeResult(DONE, describe(appointment, language, channel), options)


def _evening(preference: TimePreference) -> bool:
    return preference.part_of_day == "evening" or (
        preference.earliest is not None and preference.earliest >= time(17)
    )


def _closed_days_asked(
    session: Session, appointment: Appointment, wish: Wish, now: datetime, language: str
) -> str | None:
    """What to say when every day the wish asks for is a day the visit's location is closed
    ("Saturday morning", "el domingo", a holiday); None otherwise."""
    pref = wish.preference
    today = now.astimezone(_zone(appointment)).date()
    if pref.on_date is not None:
        days = [pref.on_date]
    elif pref.weekdays:
        first = max(wish.date_from or today, today)
        days = [first + timedelta(days=i) for i in range(7)]
        days = [d for d in days if d.weekday() in pref.weekdays]
    else:
        return None
    return closed_on_answer(session, appointment.location, days, today, language)


def _nearest_first(found: list[SlotOption], near: time | None) -> list[SlotOption]:
    """The options of the first day found, nearest the wished clock time ("around ten", "same
    time") first: "around ten" offers 9:30 and 10:30 before 9:00, so "the first one" is the
    nearest (ties: the earlier). Unchanged without a wished time."""
    if near is None or not found:
        return found[:OPTIONS_OFFERED]

    def distance(option: SlotOption) -> tuple[date, int]:
        local = option.local_start
        minutes = local.hour * 60 + local.minute - (near.hour * 60 + near.minute)
        return local.date(), abs(minutes)

    return sorted(found, key=lambda o: (*distance(o), o.starts_at))[:OPTIONS_OFFERED]


def _in_direction(
    found: list[SlotOption], appointment: Appointment, direction: str | None
) -> list[SlotOption]:
    """The times that go the way asked; never the time the visit already has (its own slot is
    free to the search, which leaves the visit being moved out)."""
    found = [
        o
        for o in found
        if not (o.starts_at == appointment.starts_at and o.provider_id == appointment.provider_id)
    ]
    if direction == "earlier":
        return [o for o in found if o.starts_at < appointment.starts_at]
    if direction == "later":
        return [o for o in found if o.starts_at >= appointment.ends_at]
    return found


def _colleagues_of(session: Session, appointment: Appointment) -> list[Provider]:
    """The other active providers of the appointment's specialty in its practice."""
    return list(
        session.execute(
            select(Provider).where(
                Provider.practice_id == appointment.practice_id,
                Provider.active.is_(True),
                Provider.specialty == appointment.provider.specialty,
                Provider.id != appointment.provider_id,
            )
        ).scalars()
    )


def _colleagues(
    session: Session,
    appointment: Appointment,
    preference: TimePreference,
    args: dict[str, Any],
    avoided: frozenset[int] = frozenset(),
) -> list[SlotOption]:
    """Times with the other active providers of the same specialty at the same location (but
    those turned down)."""
    found: list[SlotOption] = []
    for colleague in _colleagues_of(session, appointment):
        if colleague.id in avoided:
            continue
        request = SearchRequest(
            practice_id=appointment.practice_id,
            appointment_type_id=appointment.appointment_type_id,
            provider_id=colleague.id,
            location_id=appointment.location_id,
            date_from=args["date_from"],
            date_to=args["date_to"],
            preference=preference,
            patient_id=appointment.patient_id,
            new_patient=False,
            channel=args["channel"],
            limit=OPTIONS_OFFERED * 6 if preference.near else OPTIONS_OFFERED,
            exclude_appointment_ids=frozenset({appointment.id}),
            not_before=args["not_before"],
        )
        try:
            found += search(session, request, now=args["now"])
        except SchedulingError:
            continue
    return _nearest_first(sorted(found, key=lambda o: o.starts_at), preference.near)


def _who(
    session: Session, appointment: Appointment, text: str, anyone: bool
) -> tuple[int | None, bool]:
    """(a colleague asked for, or None; whether any provider of the kind may be searched): the
    visit's own provider asked for again searches theirs, whatever was searched before."""
    asked = provider_asked(session, appointment, text)
    named = asked if asked != appointment.provider_id else None
    return named, anyone and asked is None


def provider_asked(session: Session, appointment: Appointment, text: str) -> int | None:
    """The provider of the visit's specialty the words point at last ("with Dr. Okafor
    instead", then "actually no, keep me with Dr. Chen"); "the first doctor", "my usual
    doctor", "la doctora de antes" are the visit's own. None: nobody named."""
    providers = [appointment.provider, *_colleagues_of(session, appointment)]
    names = {p.id: tokens(p.last_name) for p in providers}
    found = last_mention(text or "", names)
    return appointment.provider_id if found == FIRST else found


def providers_avoided(session: Session, appointment: Appointment, text: str) -> frozenset[int]:
    """The providers of the visit's specialty the words turn down ("any doctor but Dr. Chen",
    "otro doctor que no sea la doctora Chen"); "another doctor", "someone else" turn down the
    visit's own."""
    providers = [appointment.provider, *_colleagues_of(session, appointment)]
    avoided = turned_down(text or "", {p.id: tokens(p.last_name) for p in providers})
    if asks_another(text or ""):
        avoided |= {appointment.provider_id}
    return avoided


def provider_asked_for(
    uow: UnitOfWork, conversation_uid: str, appointment_id: int, text: str
) -> int | None:
    """`provider_asked` for the conversation's own visit (None: not theirs, or nobody)."""
    with uow:
        _, appointment = owned(uow.session, conversation_uid, appointment_id)
        return None if appointment is None else provider_asked(uow.session, appointment, text)


def _search(
    session: Session,
    appointment: Appointment,
    preference: TimePreference,
    *,
    any_provider: bool,
    provider_id: int | None = None,
    date_from,
    date_to: date | None = None,
    not_before: datetime | None,
    channel: str,
    now: datetime,
) -> list[SlotOption] | None:
    request = SearchRequest(
        practice_id=appointment.practice_id,
        appointment_type_id=appointment.appointment_type_id,
        provider_id=provider_id or (None if any_provider else appointment.provider_id),
        date_from=date_from,
        date_to=date_to,
        preference=preference,
        patient_id=appointment.patient_id,
        new_patient=False,  # they already hold this type of visit
        channel=channel,
        limit=OPTIONS_OFFERED * 6 if any_provider or preference.near else OPTIONS_OFFERED,
        exclude_appointment_ids=frozenset({appointment.id}),
        not_before=not_before,
    )
    try:
        if request.provider_id is None:  # anyone of the same kind, each searched on their own
            found = _anyone_of_the_kind(session, appointment, request, now)
        else:
            found = search(session, request, now=now)
    except SchedulingError:
        return None  # e.g. a type that cannot be booked by phone: staff will help
    return _nearest_first(found, preference.near)


def _anyone_of_the_kind(
    session: Session, appointment: Appointment, request: SearchRequest, now: datetime
) -> list[SlotOption]:
    """Times with any provider of the visit's specialty (a family-medicine visit is not moved
    to a dermatologist), earliest first, one provider per time (the visit's own first). Each
    is searched on their own: a search of every provider keeps one per time, which may be a
    provider of another kind, and that time would be lost."""
    providers = [appointment.provider, *_colleagues_of(session, appointment)]
    found: list[SlotOption] = []
    for provider in providers:
        found += search(session, replace(request, provider_id=provider.id), now=now)
    order = {provider.id: rank for rank, provider in enumerate(providers)}
    found.sort(key=lambda o: (o.starts_at, order[o.provider_id]))
    one_each: dict[datetime, SlotOption] = {}
    for option in found:
        one_each.setdefault(option.starts_at, option)
    return list(one_each.values())[: request.limit]


def reschedule_for(
    uow: UnitOfWork,
    conversation_uid: str,
    appointment_id: int,
    option: OfferedTime,
    language: str,
    channel: str,
) -> ChangeResult:
    """Move the appointment to the chosen option (atomic), or book it anew when the original
    was cancelled in this conversation. A taken time answers with alternatives."""
    with uow:
        ctx, old = owned(uow.session, conversation_uid, appointment_id)
        if old is None:
            return ChangeResult(NOT_FOUND)
        done = _moved_to(uow.session, old, option, ctx.actor.who)
        if done is not None:  # asked again: already done (the outcome as when it was done)
            summary = summaries.rescheduled(ctx.patient, old, done)
            sessions.set_outcome(ctx.conversation, "rescheduled", summary)
            view = describe(done, language, channel)
            uow.commit()
            return ChangeResult(DONE, view)
        try:
            new, summary = _move_or_rebook(uow.session, ctx, old, option)
        except (SlotTaken, SlotUnavailable) as exc:
            uow.rollback()
            found = exc.alternatives[:OPTIONS_OFFERED] or _search(
                uow.session,
                uow.session.get(Appointment, appointment_id),
                option.preference or TimePreference(),
                any_provider=bool(option.any_provider),
                date_from=None,
                not_before=option.starts_at,
                channel=ctx.actor.channel,
                now=utcnow(),
            )
            alternatives = offered_times(uow.session, found or [], language, channel)
            return ChangeResult(TAKEN, options=alternatives)
        except SchedulingError:
            return ChangeResult(UNAVAILABLE)
        sessions.set_outcome(ctx.conversation, "rescheduled", summary)
        uow.session.flush()
        view = describe(new, language, channel)
        uow.commit()
        return ChangeResult(DONE, view)


def _move_or_rebook(
    session: Session, ctx: Context, old: Appointment, option: OfferedTime
) -> tuple[Appointment, str]:
    """The new appointment and the summary: the old one moved, or, when it was cancelled in
    this conversation, a new booking at the chosen time. Raises the scheduling errors."""
    if old.status != CANCELLED:
        new = operations.reschedule(
            session,
            old.id,
            starts_at=option.starts_at,
            provider_id=option.provider_id,
            location_id=option.location_id,
            actor=ctx.actor,
        )
        return new, summaries.rescheduled(ctx.patient, old, new)
    new = operations.book(
        session,
        option.request(ctx.patient.id),
        actor=ctx.actor,
        new_patient=False,  # they held this type of visit until just now
    )
    return new, summaries.rebooked(ctx.patient, old, new)


def _changed_by(appointment: Appointment, actor: str, status: str) -> bool:
    """The patient's own change already made: the same request arriving again, as when the
    dialogue lost the turn that made it (a Rasa server killed while the action server worked)
    and the patient repeats their answer. Saying it is done is the truth; failing would not be."""
    last = appointment.history[-1] if appointment.history else None
    return appointment.status == status and last is not None and last.actor == actor


def _moved_to(
    session: Session, old: Appointment, option: OfferedTime, actor: str
) -> Appointment | None:
    """The appointment this very move already made (see `_changed_by`), if it still stands."""
    if not _changed_by(old, actor, RESCHEDULED) or old.rescheduled_to_id is None:
        return None
    new = session.get(Appointment, old.rescheduled_to_id)
    if new is None or new.status not in (BOOKED, CONFIRMED):
        return None
    return new if option.is_at(new.starts_at, new.provider_id, new.location_id) else None


def join_waitlist_for(
    uow: UnitOfWork,
    conversation_uid: str,
    appointment_id: int,
    preference_text: str,
    language: str,
) -> bool:
    """Put the patient on the waitlist for the same type and provider, for the next 30 days."""
    with uow:
        ctx, appointment = owned(uow.session, conversation_uid, appointment_id)
        if appointment is None:
            return False
        now = utcnow()
        today = now.astimezone(_zone(appointment)).date()
        wish = read_wish(
            preference_text, now=now, time_zone=appointment.location.time_zone, language=language
        )
        waitlist.join(
            uow.session,
            patient_id=ctx.patient.id,
            appointment_type_id=appointment.appointment_type_id,
            provider_id=appointment.provider_id,
            earliest_date=today,
            latest_date=today + timedelta(days=WAITLIST_DAYS),
            preference=wish.preference,
            actor=ctx.actor.who,
            channel=ctx.actor.channel,
            note=f"from conversation {ctx.conversation.id}",
        )
        sessions.set_outcome(
            ctx.conversation,
            "waitlisted",
            f"{summaries.who(ctx.patient)} joined the waitlist for an earlier time than "
            f"{summaries.when(appointment)} with {appointment.provider.display_name}",
        )
        uow.commit()
        return True


def _zone(appointment: Appointment) -> ZoneInfo:
    return zone(appointment.location.time_zone)


def appointment_for(
    uow: UnitOfWork, conversation_uid: str, appointment_id: int, language: str, channel: str
) -> AppointmentView | None:
    """One of the verified patient's appointments (whatever its status), for a read-back."""
    with uow:
        ctx, appointment = owned(uow.session, conversation_uid, appointment_id)
        return describe(appointment, language, channel) if appointment else None


def mark_handed_off(uow: UnitOfWork, conversation_uid: str, summary: str) -> None:
    """A call goes to a person (the edge transfers it): the conversation's outcome."""
    with uow:
        conversation = sessions.by_uid(uow.session, conversation_uid)
        if conversation is not None:
            sessions.set_outcome(conversation, "handed_off", summary)
            uow.commit()


def note_summary(uow: UnitOfWork, conversation_uid: str, summary: str) -> None:
    """Say why a message was taken, for staff (the outcome stays `message_taken`)."""
    with uow:
        conversation = sessions.by_uid(uow.session, conversation_uid)
        if conversation is not None:
            conversation.summary = summary
            uow.commit()


def cancel_policy_for(uow: UnitOfWork, conversation_uid: str | None, language: str) -> str:
    """The practice's cancellation policy as its settings state it (no patient data)."""
    with uow:
        conversation = sessions.by_uid(uow.session, conversation_uid) if conversation_uid else None
        if conversation is None:
            return translate(language, "frontdesk.cancel_policy_unknown")
        return cancel_policy(uow.session, conversation.practice_id, language)


def office_info_for(
    uow: UnitOfWork,
    conversation_uid: str | None,
    language: str,
    *,
    question: str = "",
    now: datetime | None = None,
) -> str:
    """Hours and addresses of the conversation's practice (no patient data, no verification).

    "Are you open today?" gets the day's answer at `now` ("We're closed today (Sunday); we
    open tomorrow at 8 AM.") instead of the whole recital."""
    with uow:
        conversation = sessions.by_uid(uow.session, conversation_uid) if conversation_uid else None
        if conversation is None:
            return ""
        said = ""
        if question:
            said = (
                open_on_day_answer(
                    uow.session, conversation.practice_id, question, now or utcnow(), language
                )
                or ""
            )
        said = said or office_info(uow.session, conversation.practice_id, language)
        if said and conversation.outcome is None:  # the answer is what the conversation achieved
            sessions.set_outcome(conversation, "office_info")  # (a task's outcome later wins)
            uow.commit()
        return said
