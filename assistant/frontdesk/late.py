"""A verified patient running late: a note on today's appointment and a task for the desk.

Past the practice's grace period (`running_late_grace_minutes`) the dialogue offers to
reschedule; the desk is told either way (a follow-up task, urgent past the grace period).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import select

from assistant.conversations import sessions
from assistant.datetimes.numbers import small_number
from assistant.db.models import BOOKED, CONFIRMED, Appointment, StaffTask
from assistant.db.types import utcnow
from assistant.frontdesk import summaries
from assistant.frontdesk.service import _disclose, context, owned
from assistant.frontdesk.short_answers import words
from assistant.frontdesk.views import AppointmentView, describe
from assistant.messages import LANGUAGES, lexicon
from assistant.scheduling import operations
from assistant.scheduling.errors import SchedulingError
from assistant.unit_of_work import UnitOfWork

AHEAD = timedelta(hours=12)  # "today's" appointment: starting within the next 12 hours
STARTED = timedelta(hours=1)  # ... or started less than an hour ago

_HALF_HOUR = ("half an hour", "half hour", "media hora")
_HOUR = ("an hour", "one hour", "una hora")


@dataclass(frozen=True)
class LateResult:
    noted: bool
    beyond_grace: bool = False
    grace_minutes: int = 15
    appointment: AppointmentView | None = None


_MINUTE_UNITS = frozenset({"m", "min", "mins", "minute", "minutes", "minuto", "minutos", "mn"})
# Words before a number that make it a road, bus, room or other label, not minutes late
# ("on 95", "off 287": a road).
_LABELS = frozenset(
    {
        "i", "interstate", "route", "rt", "rte", "highway", "hwy", "freeway", "exit", "bus",
        "train", "line", "room", "suite", "ste", "street", "st", "avenue", "ave", "the", "us",
        "sr", "cr", "county", "state", "road", "rd", "number", "no", "gate", "platform", "floor",
        "apt", "ruta", "carretera", "autopista", "camion", "autobus", "calle", "salida", "linea",
        "numero", "el", "la", "piso", "on", "onto", "off", "near", "past", "and", "y", "por",
        "level", "lot", "mile", "milla", "block", "cuadra",
    }
)  # fmt: skip
# Clock times and dates are not minutes either ("my 3:30", "by 10:15", "at 2", "on the 5th").
_CLOCK = re.compile(
    r"\b(?:(?:at|by|a las|a la)\s+)?\d{1,2}[:.]\d{2}\b|\b(?:at|by|a las|a la)\s+\d{1,2}\b"
    r"|\b\d{1,2}\s*(?:am|pm|a\.m\.|p\.m\.)"
)
# Ordinals name streets and floors ("5th street", "73rd", "2nd floor"), never minutes.
_ORDINAL = re.compile(r"\b\d+(?:st|nd|rd|th|o|a|er|ro|do|to|vo|no)\b")
# Words that are numbers only with a unit ("un minuto"): alone they are articles ("un poco").
_ARTICLES = frozenset({"a", "an", "one", "un", "una", "uno"})
# When they will arrive: the number after these is the minutes ("be there in 15", "llego en
# 10", "in about 10"), whatever other numbers the sentence has.
_ARRIVING = frozenset({"in", "en", "within", "dentro"})
_ARRIVING_FILLERS = frozenset(
    {"like", "about", "around", "maybe", "another", "other", "unos", "unas", "como", "uno",
     "de", "just", "only", "solo", "más", "mas", "menos", "aprox", "approximately", "roughly",
     "the", "next"}
)  # fmt: skip


def _numbers(said: list[str]) -> list[tuple[int, int, int]]:
    """(first token, token after the number, value) of every number said, longest reading first."""
    found: list[tuple[int, int, int]] = []
    i = 0
    while i < len(said):
        if re.fullmatch(r"\d{1,3}", said[i]):
            found.append((i, i + 1, int(said[i])))
            i += 1
            continue
        for size in (3, 2, 1):  # "twenty five", "treinta y cinco", "ten"
            value = small_number(" ".join(said[i : i + size])) if i + size <= len(said) else None
            if value:
                found.append((i, i + size, value))
                i += size
                break
        else:
            i += 1
    return found


def minutes_late(text: str) -> int | None:
    """ "about 20 minutes", "ten min", "half an hour", "veinte minutos" -> minutes, or None.

    A number only counts with its unit, or alone when nothing else could be meant: road, bus
    and room numbers ("stuck on I-95", "route 9", "bus 42"), clock times ("my 3:30", "at 2")
    and numbers of more than two hours are not minutes late.
    """
    folded = " ".join(words(_ORDINAL.sub(" ", _CLOCK.sub(" ", text.lower()))))
    said = folded.split()
    numbers = _numbers(said)
    for _, after, value in numbers:
        if after < len(said) and said[after] in _MINUTE_UNITS:
            return value
    if any(k in folded for k in _HALF_HOUR):
        return 30
    if any(re.search(rf"\b{k}\b", folded) for k in _HOUR):
        return 60
    bare = [
        (start, value)
        for start, after, value in numbers
        if (start == 0 or said[start - 1] not in _LABELS)
        and not (after == start + 1 and said[start] in _ARTICLES)  # "un poco tarde": no 1
        and not (after < len(said) and re.fullmatch(r"(?:st|nd|rd|th|hours?|horas?)", said[after]))
        and 0 < value <= 120
    ]
    arriving = [value for start, value in bare if _arriving_at(said, start)]
    if len(set(arriving)) == 1:  # "be there in 15" said with "route 9 by 5th street"
        return arriving[0]
    values = {value for _, value in bare}
    return values.pop() if len(values) == 1 else None


# How late, when said only as "a few minutes", "be there soon", "un poquito": a short while.
A_SHORT_WHILE = 0


def minutes_said(text: str) -> int | None:
    """The minutes late said with the request; `A_SHORT_WHILE` (0) for "a few minutes", "on my
    way", "un poquito" (noted at once, nothing asked); None when how late was not said."""
    minutes = minutes_late(text)
    if minutes is not None:
        return minutes
    folded = " ".join(words(text))
    vague = (p for lang in LANGUAGES for p in lexicon(lang, "late").get("vague") or [])
    return A_SHORT_WHILE if any(re.search(rf"\b{re.escape(p)}\b", folded) for p in vague) else None


def _arriving_at(said: list[str], start: int) -> bool:
    """Whether the number at `start` says when they arrive: "in 15", "en unos 10"."""
    i = start - 1
    while i >= 0 and said[i] in _ARRIVING_FILLERS:
        i -= 1
    return i >= 0 and said[i] in _ARRIVING


def todays_appointment_for(
    uow: UnitOfWork, uid: str, language: str, channel: str
) -> AppointmentView | None:
    """The verified patient's appointment of the coming hours (disclosed and audited)."""
    with uow:
        ctx = context(uow.session, uid)
        now = utcnow()
        found = uow.session.execute(
            select(Appointment)
            .where(
                Appointment.patient_id == ctx.patient.id,
                Appointment.status.in_((BOOKED, CONFIRMED)),
                Appointment.starts_at > now - STARTED,
                Appointment.starts_at < now + AHEAD,
            )
            .order_by(Appointment.starts_at)
            .limit(1)
        ).scalar_one_or_none()
        if found is None:
            return None
        _disclose(uow.session, ctx, [found])
        view = describe(found, language, channel)
        uow.commit()
        return view


def note_late_for(
    uow: UnitOfWork,
    uid: str,
    appointment_id: int,
    minutes: int | None,
    language: str,
    channel: str,
) -> LateResult:
    """Note it on the appointment and give the desk a task; tell whether it is past grace."""
    with uow:
        ctx, appointment = owned(uow.session, uid, appointment_id)
        if appointment is None:
            return LateResult(False)
        try:
            late = operations.note_running_late(
                uow.session,
                appointment.id,
                minutes=minutes,
                actor=ctx.actor,
            )
        except SchedulingError:
            return LateResult(False)
        grace = operations.policy_for(uow.session, appointment.practice_id)
        summary = summaries.running_late(ctx.patient, appointment, minutes, late.beyond_grace)
        uow.session.add(
            StaffTask(
                practice_id=appointment.practice_id,
                kind="follow_up",
                department="front_desk",
                priority="urgent" if late.beyond_grace else "normal",
                patient_id=ctx.patient.id,
                conversation_id=ctx.conversation.id,
                callback_number=ctx.conversation.phone,
                summary=summary,
            )
        )
        sessions.set_outcome(ctx.conversation, "late_noted", summary)
        view = describe(appointment, language, channel)
        uow.commit()
        return LateResult(True, late.beyond_grace, grace.running_late_grace_minutes, view)
