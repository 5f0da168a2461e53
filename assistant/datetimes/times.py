"""Clock times as patients say them: "ten thirty", "two pm", "quarter to 5", "4:15",
"las dos y media", "once menos cuarto", "3 de la tarde".

Without am/pm or a part of the day, an hour is read in clinic hours: 1-6 are afternoon
(13:00-18:00), 7-11 morning, 12 noon.
"""

from __future__ import annotations

import re
from datetime import time

from assistant.datetimes.numbers import small_number

_HOURS_EN = "one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve"
_HOURS_ES = "una|uno|dos|tres|cuatro|cinco|seis|siete|ocho|nueve|diez|once|doce"
_MIN_EN = (
    r"(?:oh |o )?(?:one|two|three|four|five|six|seven|eight|nine)"
    r"|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen"
    r"|(?:twenty|thirty|forty|fifty)(?:[ -](?:one|two|three|four|five|six|seven|eight|nine))?"
)
_MIN_ES = (
    r"(?:cinco|diez|quince|veinte|veinticinco|treinta|cuarenta|cincuenta)"
    r"(?: y (?:uno|dos|tres|cuatro|cinco|seis|siete|ocho|nueve))?"
    r"|veinti\w+|once|doce|trece|catorce|dieci\w+|uno|dos|tres|cuatro|seis|siete|ocho|nueve"
)
_AMPM = r"(?P<ampm>[ap]m)\b"

TIME_EN = (
    r"(?:(?P<rel>quarter past|quarter after|half past|quarter to|quarter till|quarter of"
    r"|(?P<relmin>\d{1,2}|" + _MIN_EN + r") (?:minutes )?(?P<reldir>past|after|to|till))\s+)?"
    r"(?P<h>\d{1,2}|" + _HOURS_EN + r"|noon|midnight)(?:\b|(?=[ap]m\b))(?!/\d)"
    r"(?:(?::|\.)(?P<mm>\d{2})(?:\b|(?=[ap]m\b))|\s+(?P<mw>" + _MIN_EN + r")\b)?"
    r"(?:\s*" + _AMPM + r"|\s+o'?\"?\s?clock\b|)"
    r"(?:\s+(?:in the|at|this) (?P<pod>morning|afternoon|evening|night)\b)?"
)
TIME_ES = (
    r"(?P<h>\d{1,2}|" + _HOURS_ES + r")(?:\b|(?=[ap]m\b))(?!/\d)"
    r"(?::(?P<mm>\d{2})(?:\b|(?=[ap]m\b))|\s+y\s+(?P<plus>media|cuarto|" + _MIN_ES + r")\b"
    r"|\s+menos\s+(?P<minus>cuarto|" + _MIN_ES + r")\b)?"
    r"(?:\s*" + _AMPM + r"|\s+en punto\b|)"
    r"(?:\s+(?:de|en|por) la (?P<pod>mañana|tarde|noche)\b)?"
)
TIME_PATTERNS = {"en": TIME_EN, "es": TIME_ES}
TIME_RE = {lang: re.compile(p) for lang, p in TIME_PATTERNS.items()}

_PM_PARTS = {"afternoon", "evening", "night", "tarde", "noche"}


def clinic_hour(hour: int) -> int:
    """An hour said without am/pm, in clinic hours (1-6 = pm)."""
    return hour + 12 if 1 <= hour <= 6 else hour


def _hour(word: str) -> int | None:
    if word == "noon":
        return 12
    if word == "midnight":
        return 0
    return small_number(word)


def time_from_match(m: re.Match[str], part_of_day: str | None = None) -> time | None:
    """The wall-clock time of a `TIME_RE` match (`part_of_day` from the context if any)."""
    groups = m.groupdict()
    hour = _hour(groups["h"])
    if hour is None or hour > 23:
        return None
    minute = 0
    if groups.get("mm"):
        minute = int(groups["mm"])
    elif groups.get("mw"):
        minute = small_number(groups["mw"].replace("oh ", "").replace("o ", "")) or 0
    elif groups.get("plus"):
        plus = groups["plus"]
        minute = {"media": 30, "cuarto": 15}.get(plus, small_number(plus) or 0)
    if minute > 59:
        return None
    ampm, pod = groups.get("ampm"), groups.get("pod") or part_of_day
    if ampm:
        if hour > 12:
            return None
        hour = hour % 12 + (12 if ampm == "pm" else 0)
    elif groups["h"] in ("noon", "midnight") or hour > 12:
        pass
    elif pod in _PM_PARTS:
        hour = hour if hour == 12 else hour + 12
    elif pod in ("morning", "mañana"):
        pass
    else:
        hour = clinic_hour(hour)
    total = hour * 60 + minute
    rel = groups.get("rel")
    if rel:
        if rel.startswith("quarter"):
            delta = 15
        elif rel.startswith("half"):
            delta = 30
        else:
            delta = small_number(groups.get("relmin") or "") or 0
        backwards = any(w in rel for w in (" to", " till", " of"))
        total += -delta if backwards else delta
    minus = groups.get("minus")
    if minus:
        total -= 15 if minus == "cuarto" else small_number(minus) or 0
    total %= 24 * 60
    return time(total // 60, total % 60)
