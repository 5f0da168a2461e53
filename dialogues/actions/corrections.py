"""A change of mind about the time, read against what was asked before.

"Actually make it the afternoon" after "Thursday morning" is Thursday afternoon, not the first
afternoon anywhere; "wait, not Tuesday, Thursday" drops what is denied and keeps the rest;
"not next week, the week after" is the week after next. The search then runs on the merged
wish, so that a correction never lands somewhere the patient did not ask for.
"""

from __future__ import annotations

import re

from assistant.frontdesk.short_answers import folded_text, new_wish, weekday_of

# A denied part ("not Tuesday", "no el martes"): dropped up to the next comma or "but".
_DENIED = re.compile(
    r"\b(?:not|no|nope)\s+(?:on\s+|for\s+|el\s+|la\s+|the\s+|this\s+|para\s+(?:el\s+)?)?"
    r"(?P<what>[a-z0-9: ]+?)\s*(?=,|;|\.|!|\?|$|\s+but\b|\s+sino\b|\s+pero\b|\s+i meant\b)",
    re.IGNORECASE,
)
_TIME_WORDS = re.compile(
    r"\b(monday|tuesday|wednesday|thursday|friday|saturday|sunday|lunes|martes|miercoles"
    r"|jueves|viernes|sabado|domingo|week|semana|morning|afternoon|evening|tomorrow|manana"
    r"|tarde|noche|today|hoy|\d{1,2}(:\d{2})?\s*(am|pm)?|next|proxima|proximo)\b"
)
_PARTS_OF_DAY = re.compile(
    r"\b(in the |por la |en la |de la |la )?(morning|afternoon|evening|manana|tarde|noche"
    r"|temprano)\b"
)
_DAY_WORDS = re.compile(
    r"\b(monday|tuesday|wednesday|thursday|friday|saturday|sunday|lunes|martes|miercoles"
    r"|jueves|viernes|sabado|domingo|tomorrow|today|hoy|next week|this week|proxima semana"
    r"|semana que viene|esta semana|the week after next)\b"
)
_WEEK_AFTER = re.compile(r"\b(the week after|la semana siguiente|la otra semana)\b(?! next)")


# Denied after the fact: "el martes no, el jueves", "el lunes no puedo", "monday doesn't work".
_DENIED_AFTER = re.compile(
    r"(?:^|(?<=,))\s*(?P<what>[a-z0-9: ]+?)\s+(?:no|no puedo|no me queda|no me sirve"
    r"|no me funciona|doesn'?t work|does not work|won'?t work|is no good|is bad for me)\s*(?=,|$)"
)
# Where a correction turns to the new wish; a voice transcript has no comma before it.
_PIVOT = re.compile(
    r"\s+(?=(?:mejor|better|rather|instead|prefiero|preferiblemente|sino|pero|but|how about"
    r"|what about|que tal|make it)\b)",
    re.IGNORECASE,
)


def _without_denied(text: str) -> str:
    def drop(match: re.Match[str]) -> str:
        return " , " if _TIME_WORDS.search(match["what"]) else match[0]

    return " ".join(_DENIED_AFTER.sub(drop, _DENIED.sub(drop, text)).split())


def corrected_wish(said: str, before: str | None) -> str | None:
    """The new wish a correction means, merged with the one before it (None: the reply is not
    a new time wish, e.g. a choice among the offered times)."""
    said = _PIVOT.sub(", ", said)  # "no mejor en la tarde": "no, mejor en la tarde"
    clauses = " , ".join(folded_text(part) for part in re.split(r"[,;.!?¿¡]", said))
    clauses = re.sub(r"\b(morning|afternoon|evening)s\b", r"\1", clauses)
    # the commas stay: "no , el martes" is not "no el martes" (a denial) to the reading
    text = " ".join(_without_denied(clauses).replace(",", " , ").split()).strip(" ,")
    text = re.sub(r"(\s*,)+", " ,", text)
    previous = folded_text(before or "")
    if not (new_wish(text) or _DAY_WORDS.search(text)):
        return None
    if _WEEK_AFTER.search(text) and re.search(
        r"\b(next week|proxima semana|semana que viene)\b", previous
    ):
        text = _WEEK_AFTER.sub("the week after next", text)  # after the week said before
        return text
    has_day = bool(_DAY_WORDS.search(text) or weekday_of(text) is not None)
    has_part = bool(_PARTS_OF_DAY.search(text))
    kept: list[str] = []
    if not has_day:  # "make it the afternoon": the day asked before
        kept += [m[0] for m in _DAY_WORDS.finditer(previous)]
    if not has_part and has_day:  # "not Tuesday, Thursday": the part of day asked before
        kept += [m[0] for m in _PARTS_OF_DAY.finditer(previous)]
    return " ".join([text, *kept]).strip()


_PROVIDER_NAMED = re.compile(
    r"(?i)\b(dr|dra|doctor|doctora|np|pa|with|con)\b\.?\s+(el\s+|la\s+)?[a-z]"
)


def with_provider(said: str, before: str | None) -> str | None:
    """ "Can it be with Dr. Okafor instead?": the wish before, with that provider (None: no
    provider named)."""
    if not _PROVIDER_NAMED.search(said):
        return None
    return " ".join(f"{before or ''} {said}".split())
