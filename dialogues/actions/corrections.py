"""A change of mind about the time, read against what was asked before.

"Actually make it the afternoon" after "Thursday morning" is Thursday afternoon, not the first
afternoon anywhere; "wait, not Tuesday, Thursday" drops what is denied and keeps the rest;
"not next week, the week after" is the week after next. The search then runs on the merged
wish, so that a correction never lands somewhere the patient did not ask for.
"""

from __future__ import annotations

import re

from assistant.frontdesk.denials import DAY, PART, WEEKDAY, read_times
from assistant.frontdesk.provider_words import names_provider
from assistant.frontdesk.short_answers import folded_text, new_wish, said_clocks
from assistant.frontdesk.time_phrases import about_the_visit_day

_PARTS_OF_DAY = re.compile(
    r"\b(in the |por la |en la |de la |la )?(morning|afternoon|evening|manana|tarde|noche"
    r"|temprano)\b"
)
_DAY_WORDS = re.compile(
    r"\b(monday|tuesday|wednesday|thursday|friday|saturday|sunday|lunes|martes|miercoles"
    r"|jueves|viernes|sabado|domingo|tomorrow|today|hoy|next week|this week|proxima semana"
    r"|semana que viene|esta semana|the week after next)\b"
)
_WEEK_AFTER = re.compile(
    r"\b(the week after|(the )?following week|the week following|la semana siguiente"
    r"|la otra semana|la semana que sigue)\b(?! next)"
)
# Where a correction turns to the new wish; a voice transcript has no comma before it.
_PIVOT = re.compile(
    r"\s+(?=(?:mejor|better|rather|instead|prefiero|preferiblemente|sino|pero|but|how about"
    r"|what about|que tal|make it)\b)",
    re.IGNORECASE,
)
_CLOCK = re.compile(r"\d|\b(at|around|about|a las?|como a las?) (one|two|three|four|five|six"
                    r"|seven|eight|nine|ten|eleven|twelve|una|dos|tres|cuatro|cinco|seis|siete"
                    r"|ocho|nueve|diez|once|doce)\b")  # fmt: skip


def _clauses(text: str) -> str:
    """Folded, clause by clause ("no , el martes" is not "no el martes", a denial)."""
    clauses = " , ".join(folded_text(part) for part in re.split(r"[,;.!?¿¡]", text))
    clauses = re.sub(r"\b(morning|afternoon|evening)s\b", r"\1", clauses)
    return re.sub(r"(\s*,)+", " ,", " ".join(clauses.split())).strip(" ,")


def corrected_wish(said: str, before: str | None) -> str | None:
    """The new wish a correction means, merged with the one before it (None: the reply is not
    a new time wish, e.g. a choice among the offered times). What it denies is dropped from
    both ("tues doesnt work, thurs morning?"); what it does not change is kept from before
    ("actually the afternoon" keeps the day); a denial with nothing in its place stays as one
    ("mornings are bad for me": not mornings, on the day asked before)."""
    reading = read_times(_PIVOT.sub(", ", said))  # "no mejor en la tarde": "no, mejor ..."
    text = _clauses(reading.kept())
    previous_reading = read_times(before or "")
    previous = _clauses(previous_reading.kept())
    same_day = about_the_visit_day(text)
    clock = bool(said_clocks(text, 3))  # "how about 3 pm", "a las 11" (not "3", an item)
    if not (new_wish(text) or _DAY_WORDS.search(text) or reading.denies or same_day or clock):
        return None
    if _WEEK_AFTER.search(text) and re.search(
        r"\b(next week|proxima semana|semana que viene)\b", previous
    ):
        return _WEEK_AFTER.sub("the week after next", text)  # after the week said before
    has_day = bool(_DAY_WORDS.search(text) or reading.wished(WEEKDAY) or same_day)
    has_part = bool(_PARTS_OF_DAY.search(text) or reading.wished(PART))
    has_clock = clock or bool(_CLOCK.search(text))
    denied_days = set(reading.denied(WEEKDAY) + reading.denied(DAY))
    denied_parts = set(reading.denied(PART))
    kept: list[str] = []
    still_denied: list[str] = []  # said last, each after a comma: "thursday , not morning"
    if not has_day:  # "make it the afternoon": the day asked before (not one denied now)
        kept += [m[0] for m in _DAY_WORDS.finditer(previous) if not _named(m[0], denied_days)]
        still_denied += previous_reading.denied(WEEKDAY) + reading.denied(WEEKDAY)
    if not has_part and not has_clock:  # "not Tuesday, Thursday": the part asked before
        kept += [m[0] for m in _PARTS_OF_DAY.finditer(previous)
                 if not _named(m[0], denied_parts)]  # fmt: skip
        still_denied += previous_reading.denied(PART) + reading.denied(PART)
    # each piece its own clause: "ay no" kept from the reply denies nothing asked before
    wish = " , ".join(dict.fromkeys(w for w in [text, *kept] if w)).strip(" ,")
    denials = [f"not {value}" for value in dict.fromkeys(still_denied)]
    return " , ".join([wish, *denials] if wish else denials)


def _named(words: str, values: set[str]) -> bool:
    """Whether time words ("la tarde", "martes") name one of these values ("afternoon",
    "tuesday")."""
    reading = read_times(words)
    return bool(values & set(reading.wished(WEEKDAY) + reading.wished(DAY) + reading.wished(PART)))


_PROVIDER_NAMED = re.compile(
    r"(?i)\b(dr|dra|doctor|doctora|np|pa|with|con)\b\.?\s+(el\s+|la\s+)?"
    r"(?!(?:el|la|the) (?:mismo|misma|same)\b|(?:mismo|misma|him|her|them|the same)\b)[a-z]"
)  # "con él mismo", "with the same one": the provider said before, kept


def with_provider(said: str, before: str | None) -> str | None:
    """ "Can it be with Dr. Okafor instead?": the wish before, with that provider (None: no
    provider named)."""
    if not _PROVIDER_NAMED.search(said):
        return None
    return " ".join(f"{before or ''} {said}".split())


_PROVIDER_PHRASE = re.compile(
    r"(?i)\b(?:dr|dra|doctor|doctora|np|pa|nurse|enfermera)\b\.?\s+(?:el\s+|la\s+)?[^\W\d_]+"
)


def provider_kept(wish: str | None, before: str | None) -> str | None:
    """A new time after a wish that named a provider ("... see Dr. Okafor instead", then "any
    day next week"): still with that provider, unless the new wish names one itself."""
    if not wish or not before or _PROVIDER_NAMED.search(wish):
        return wish
    named = _PROVIDER_PHRASE.search(before)
    return f"{wish} , with {named[0]}" if named else wish


# A reply that takes back what the request said ("oh wait, I meant ...", "no, mejor ...").
_TAKES_BACK = re.compile(
    r"\b(no|not|wait|actually|meant|sorry|oops|instead|mejor|perdon|quise decir|espere|oh)\b"
)


def request_corrected(said: str, request: str | None) -> str | None:
    """The request as a correction said out of turn changes it ("switch me to Dr. Okafor",
    then "oh wait no, I meant the nurse practitioner, Park" where the name was asked): the
    request with the correction said last (None: no such correction)."""
    if not request or not _TAKES_BACK.search(folded_text(said)):
        return None
    wish = corrected_wish(said, request)
    if wish:  # "wait, I meant Thursday": what it denies dropped, the provider asked kept
        return provider_kept(wish, request)
    return f"{request} , {said}" if names_provider(said) else None
