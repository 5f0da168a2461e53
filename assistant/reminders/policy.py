"""When a reminder may go out: quiet hours and frequency caps (TCPA healthcare exemption).

* Quiet hours: only 8:00-21:00 in the patient's local time (their own zone if known, else the
  location's). A reminder due at night is deferred to the next 8:00, not skipped.
* Caps per patient: at most one reminder per local calendar day and three in any rolling 7 days
  (rolling is the stricter reading of "three per week").

Which one yields: reminders are claimed closest-to-the-visit first (by due time, then fewest
days before), so when two compete the earlier-claimed one goes and the other is *deferred* to
the next allowed time; it is *skipped* instead when that time is less than `MIN_LEAD` before its
visit, or when a later reminder of the same visit is due within a day of it (that one says it
all, and sending both would push it out by the daily cap). A short-notice reminder (the only one
of a visit booked too late for its ordinary ones) is skipped only under `SHORT_NOTICE_MIN_LEAD`.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, time, timedelta

from assistant.scheduling.clock import wall_to_utc, zone

QUIET_END = time(8, 0)  # first allowed minute
QUIET_START = time(21, 0)  # first quiet minute
MAX_PER_DAY = 1
MAX_PER_WEEK = 3
WEEK = timedelta(days=7)
MIN_LEAD = timedelta(hours=3)  # a reminder later than this before the visit is pointless
# A short-notice reminder is the only one its visit gets, and it waits for the morning after the
# booking (the patient had the booking confirmation that day, and the cap is one a day): 8:00
# for a 10:00 visit must still go, so it keeps a shorter lead than the ordinary reminders.
SHORT_NOTICE_MIN_LEAD = timedelta(hours=1)
PREP_OFFSET_DAYS = 2  # procedure prep goes out with the reminder at most this many days before
LEASE = timedelta(minutes=5)  # a claim older than this is taken over (the worker died)

QUIET_HOURS = "quiet_hours"
DAILY_CAP = "daily_cap"
WEEKLY_CAP = "weekly_cap"


def _local_morning(day: date, tz: str) -> datetime:
    return wall_to_utc(day, QUIET_END, tz, nonexistent="shift_forward", ambiguous="earlier")


def next_allowed_hour(instant: datetime, tz: str) -> datetime:
    """`instant` if it is within 8:00-21:00 local, else the next 8:00 local (in UTC)."""
    local = instant.astimezone(zone(tz))
    if local.time() < QUIET_END:
        return _local_morning(local.date(), tz)
    if local.time() >= QUIET_START:
        return _local_morning(local.date() + timedelta(days=1), tz)
    return instant


def next_day_morning(instant: datetime, tz: str) -> datetime:
    """The first allowed moment on a later local day than `instant`: the next 8:00 local after
    the end of `instant`'s day."""
    return _local_morning(instant.astimezone(zone(tz)).date() + timedelta(days=1), tz)


def min_lead(short_notice: bool) -> timedelta:
    """How close to its visit a reminder may still go out."""
    return SHORT_NOTICE_MIN_LEAD if short_notice else MIN_LEAD


def _daily_cap(instant: datetime, tz: str, sent: list[datetime]) -> datetime:
    day = instant.astimezone(zone(tz)).date()
    same_day = sum(1 for at in sent if at.astimezone(zone(tz)).date() == day)
    if same_day >= MAX_PER_DAY:
        return _local_morning(day + timedelta(days=1), tz)
    return instant


def _weekly_cap(instant: datetime, sent: list[datetime]) -> datetime:
    window = sorted(at for at in sent if instant - WEEK < at <= instant)
    if len(window) >= MAX_PER_WEEK:
        return window[len(window) - MAX_PER_WEEK] + WEEK + timedelta(seconds=1)
    return instant


def earliest_send(
    now: datetime, tz: str, sent_to_patient: Iterable[datetime]
) -> tuple[datetime, str | None]:
    """The first instant from `now` on when a reminder may go to this patient, given the times
    of the reminders already sent to them, and the first rule that held it back (or None)."""
    sent = list(sent_to_patient)
    instant, reason = now, None
    for _ in range(16):  # each rule only moves forward; a few rounds settle
        moved = instant
        for rule, candidate in (
            (QUIET_HOURS, next_allowed_hour(moved, tz)),
            (DAILY_CAP, _daily_cap(moved, tz, sent)),
            (WEEKLY_CAP, _weekly_cap(moved, sent)),
        ):
            if candidate > moved:
                moved, reason = candidate, reason or rule
        if moved == instant:
            break
        instant = moved
    return instant, reason
