"""Where in the week a wish falls, as patients say it: "early next week", "mid-week", "at the
end of the week", "a principios de la semana que viene"; "not this week"; a weekday as a bound
("not before Wednesday", "from Wednesday on", "after Wednesday", "a partir del miércoles").

Read on folded text (`short_answers.words`: lower case, no accents or punctuation). The
weekdays are a filter on the days searched; a bound is the first day searched.
"""

from __future__ import annotations

import re
from datetime import date, timedelta

_WEEK = r"(?:week|wk|semana)"
# "Early next week", "the beginning of the week", "a principios de la semana que viene".
_EARLY = re.compile(
    rf"\b(?:early|earlier)(?: (?:in|on))? (?:the |this |next |that )?{_WEEK}\b"
    rf"|\b(?:beginning|start|first (?:part|half|couple of days)) of (?:the |this |next )?{_WEEK}\b"
    rf"|\b(?:principios|inicios?|comienzos?|principio) de (?:la |esta )?(?:proxima )?{_WEEK}\b"
)
_MIDDLE = re.compile(
    rf"\b(?:mid ?{_WEEK}|midweek|middle of (?:the |this |next )?{_WEEK})\b"
    rf"|\b(?:mediados|mitad) de (?:la |esta )?(?:proxima )?{_WEEK}\b"
)
_END = re.compile(
    rf"\b(?:end|latter part|second half|back half|tail end) of (?:the |this |next )?{_WEEK}\b"
    rf"|\blater? (?:in|on) (?:the |this |next )?{_WEEK}\b|\blate (?:this |next |the )?{_WEEK}\b"
    rf"|\b(?:finales|fines|final) de (?:la |esta )?(?:proxima )?{_WEEK}\b"
)
PART_OF_WEEK = (
    (_EARLY, frozenset({0, 1})),
    (_MIDDLE, frozenset({1, 2, 3})),
    (_END, frozenset({3, 4})),
)
# "Early" and "late" said of a week are no part of the day ("early next week" is not mornings).
EARLY_OF_A_WEEK = re.compile(
    rf"\b(?:early|late|later) (?:(?:in|on) )?(?:the |this |next )?{_WEEK}\b"
)


def part_of_week(folded: str) -> frozenset[int]:
    """The weekdays of the part of the week said (Monday = 0); empty when none is."""
    for pattern, days in PART_OF_WEEK:
        if pattern.search(folded):
            return days
    return frozenset()


_NOT_THIS_WEEK = re.compile(
    r"\b(?:not|no|nothing) (?:this|esta) (?:week|semana)\b|\bnot until next week\b"
    r"|\besta semana no\b|\bhasta la (?:proxima|otra) semana\b|\bnot (?:before|till|until) next"
    r" week\b"
)


def not_this_week(folded: str, today: date) -> date | None:
    """ "Not this week", "esta semana no": next week's Monday (the first day to search)."""
    if _NOT_THIS_WEEK.search(folded):
        return today + timedelta(days=7 - today.weekday())
    return None


_DAYS = {
    "monday": 0, "tuesday": 1, "wednesday": 2, "thursday": 3, "friday": 4, "saturday": 5,
    "sunday": 6, "lunes": 0, "martes": 1, "miercoles": 2, "jueves": 3, "viernes": 4,
    "sabado": 5, "domingo": 6,
}  # fmt: skip
_DAY = "(?P<day>" + "|".join(_DAYS) + ")"
# The day itself is the first one: "not before Wednesday", "Wednesday or later", "a partir del
# miércoles"; after it: "after Wednesday", "después del miércoles".
_FROM_DAY = (
    re.compile(
        rf"\b(?:not before|no earlier than|nothing before|starting(?: on| from)?|as of"
        rf"|a partir del?|no antes del?|desde el) (?:this |next |el )?{_DAY}\b"
    ),
    re.compile(rf"\b(?:from|on) (?:this |next )?{_DAY} (?:on|onwards?|or later|or after)\b"),
    re.compile(rf"\b{_DAY} (?:or later|or after|onwards?|en adelante|o despues|o mas tarde)\b"),
)
_AFTER_DAY = re.compile(rf"\b(?:after|despues del?) (?:this |next |el )?{_DAY}\b(?! at\b| \d)")


def weekday_bound(folded: str, today: date) -> tuple[date, int] | None:
    """(first day to search, the weekday named) when a weekday bounds the wish; None else."""
    found = next((m for m in (p.search(folded) for p in _FROM_DAY) if m), None)
    offset = 0
    if found is None:
        found, offset = _AFTER_DAY.search(folded), 1
    if found is None:
        return None
    weekday = _DAYS[found["day"]]
    ahead = (weekday - today.weekday()) % 7
    return today + timedelta(days=ahead + offset), weekday
