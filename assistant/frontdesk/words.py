"""Understanding short answers: yes/no, "the second one", "Thursday", "anything later?"."""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date

from assistant.identity.names import fold

_YES = {
    "yes", "yeah", "yep", "yup", "sure", "ok", "okay", "correct", "right", "confirm", "please",
    "absolutely", "definitely", "si", "claro", "correcto", "vale", "bueno", "dale", "afirmativo",
}  # fmt: skip
_NO = {
    "no", "nope", "nah", "not", "dont", "don't", "never", "negative", "nunca", "tampoco",
}  # fmt: skip
_MORE = (
    "later", "another", "other", "different", "else", "none", "neither", "more",
    "mas tarde", "otro", "otra", "otros", "otras", "ninguno", "ninguna", "despues",
)  # fmt: skip
_ORDINALS = {
    1: ("first", "1st", "primera", "primero", "primer"),
    2: ("second", "2nd", "segunda", "segundo"),
    3: ("third", "3rd", "tercera", "tercero", "tercer"),
}
_CARDINALS = {1: ("one", "uno", "una"), 2: ("two", "dos"), 3: ("three", "tres")}
_LAST = ("last", "ultima", "ultimo")
WEEKDAYS = (
    ("monday", "lunes"),
    ("tuesday", "martes"),
    ("wednesday", "miercoles"),
    ("thursday", "jueves"),
    ("friday", "viernes"),
    ("saturday", "sabado"),
    ("sunday", "domingo"),
)


def words(text: str) -> list[str]:
    return fold(text).split()


def yes_no(text: str, intent: str | None = None) -> bool | None:
    """True for yes, False for no, None when unclear. The NLU's affirm/deny wins when given."""
    if intent == "affirm":
        return True
    if intent == "deny":
        return False
    said = set(words(text))
    yes, no = bool(said & _YES), bool(said & _NO)
    if yes != no:
        return yes
    return None


def wants_more(text: str) -> bool:
    """ "Anything later?", "something else", "otra hora": the next options, please."""
    folded = " ".join(words(text))
    return any(re.search(rf"\b{re.escape(m)}\b", folded) for m in _MORE)


_WISH = (
    "week", "semana", "tomorrow", "manana", "morning", "afternoon", "evening", "tarde", "noche",
    "next", "proxima", "proximo", "after", "before", "despues", "antes", "month", "mes",
)  # fmt: skip


def new_wish(text: str) -> bool:
    """ "What about next week?", "no, I said Tuesday": a new time preference, not a choice."""
    said = words(text)
    return weekday_of(text) is not None or any(w in _WISH for w in said)


def weekday_of(text: str) -> int | None:
    said = set(words(text))
    found = [i for i, names in enumerate(WEEKDAYS) if said & set(names)]
    return found[0] if len(found) == 1 else None


def choose(text: str, local_dates: Sequence[date], hours: Sequence[int] = ()) -> int | None:
    """Index of the item meant by "the second one", "2", "Thursday", "the 26th", "2 pm"."""
    said = words(text)
    count = len(local_dates)
    for number, names in _ORDINALS.items():
        if any(w in names for w in said) and number <= count:
            return number - 1
    if any(w in _LAST for w in said) and count:
        return count - 1
    digits = [int(w) for w in re.findall(r"(?<![\d:])(\d{1,2})(?![\d:])", " ".join(said))]
    if len(digits) == 1 and 1 <= digits[0] <= count and len(said) <= 3:
        return digits[0] - 1
    weekday = weekday_of(text)
    if weekday is not None:
        found = [i for i, d in enumerate(local_dates) if d.weekday() == weekday]
        if len(found) == 1:
            return found[0]
    for number, names in _CARDINALS.items():
        if any(w in names for w in said) and number <= count and len(said) <= 3:
            return number - 1
    if hours:
        hour = _hour(" ".join(said))
        found = [i for i, h in enumerate(hours) if h == hour]
        if hour is not None and len(found) == 1:
            return found[0]
    if digits:
        found = [i for i, d in enumerate(local_dates) if d.day in digits]
        if len(found) == 1:
            return found[0]
    return None


def _hour(folded: str) -> int | None:
    match = re.search(r"\b(\d{1,2})(?::\d{2})?\s*(am|pm|a m|p m)\b", folded)
    if not match:
        return None
    hour = int(match[1]) % 12
    return hour + 12 if match[2].startswith("p") else hour
