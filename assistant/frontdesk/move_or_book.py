"""A time asked for without saying move or book: "anything Thursday morning?", "something late
afternoon next week", "¿tienen algo el jueves en la tarde?". A patient with a visit may mean
either, so they are asked ("move your visit on <day>, or book a new one?"), never booked a second
visit silently; and their answer ("move it", "a new one", "la que tengo") read here.
"""

from __future__ import annotations

import re
from typing import Literal

from assistant.frontdesk.short_answers import folded_text, weekday_of

Choice = Literal["move", "new"]
MOVE: Choice = "move"
NEW: Choice = "new"

# Asking what is free, not saying what to do with it.
_THING = (
    r"(anything|something|availability|openings?|slots?|spots?|room|times?|algo|espacio|lugar"
    r"|hueco|disponibilidad|cupo|citas?|horarios?)"
)
_OPENINGS = re.compile(
    r"\b(do you have|have you got|you got|got|is there|are there|any chance of|tienen|tiene|hay"
    rf"|habra|habria|queda|quedan)\s+(\w+\s+){{0,2}}?{_THING}\b"
    r"|\b(anything|something|algo)\s+(available|open|free|disponible|libre|on|for|this|next"
    r"|early|late|earlier|later|in the|el|la|para|en la|por la|temprano|tarde|tomorrow|manana"
    r"|morning|afternoon|evening|monday|tuesday|wednesday|thursday|friday|lunes|martes"
    r"|miercoles|jueves|viernes)\b"
    r"|\b(any|some) (openings?|availability|slots?|spots?|room)\b|\bopenings?\b"
    r"|\bdisponib\w*|\b(can|could) i (come in|get in|be seen)\b|\b(fit|squeeze) me in\b"
    r"|\bme (pueden|podrian) (ver|atender)\b|\bpueden (verme|atenderme)\b|\bme atienden\b"
    r"|\bwhat (do you|have you|you) (have|got)\b|\bque tienen\b|\bavailab(le|ility)\b"
    r"|\b(appointments?|appts?|times?|slots?|spots?|citas?|horarios?) (open|available|free|left"
    r"|disponibles?|libres?)\b"
)
# About their own schedule ("do I have anything on Monday?"), not what is free.
_OWN = re.compile(r"\b(do i have|have i got|do i got|i have|tengo)\b")
_WHEN = re.compile(
    r"\b(morning|afternoon|evening|tomorrow|today|week|month|early|late|earlier|later|soon"
    r"|am|pm|manana|tarde|noche|semana|temprano|hoy|mes|pronto|\d{1,2})\b"
)


def asks_openings(text: str) -> bool:
    """A request for a free time with a when ("do you have anything Thursday morning?")."""
    folded = folded_text(text)
    if not _OPENINGS.search(folded) or _OWN.search(folded):
        return False
    return weekday_of(text) is not None or bool(_WHEN.search(folded))


# Running late, in words ("la tarde" is the afternoon, "late afternoon" a time of day).
_LATE = re.compile(
    r"\b(running (\w+ ){0,3}(late|behind)|run late|be late|(i'?m|im|i am) (\w+ )?late|late for"
    r"|(min|mins|minutes|minutos|hour|hora) (late|tarde|behind)"
    r"|traffic|stuck|on my way|delayed|(voy|llego|llegare|llegar|vamos|va) (a llegar )?"
    # how late between the verb and "tarde": "un poquito", "como unos quince minutos"
    r"((un|unos|unas|poco|poquito|poquitin|muy|bien|algo|como|mas|\d+|\w+ minutos|minutos"
    r"|min) )*tarde|retras\w*|atrasad\w*|trafico|en camino"
    # when they will get there: "be there in 15", "almost there", "llego en 10"
    r"|(be|get|getting) (there|here) in|there in (\d+|like|about|a few)|almost there"
    r"|llego en|ya casi llego|estoy llegando"
    # how far away they are: "I'm 12 minutes out", "10 min away", "estoy a 5 minutos"
    r"|(i'?m|im|i am|we'?re|we are)( \w+){1,3} (min|mins|minute|minutes) (out|away)"
    r"|(estoy|voy|ando|estamos) a (unos |como )?\w+ minutos)\b"
)


def says_late(text: str) -> bool:
    """ "I'm running late", "voy a llegar tarde" (not "something late afternoon", "en la
    tarde"): the classifier's running late is believed only with such words."""
    return bool(_LATE.search(folded_text(text)))


_NEW = re.compile(
    r"\b(new|another|a second|an extra|additional|extra|book\w*|nuev[oa]s?|otra|otro|adicional"
    r"|agendar|sacar|reservar|aparte|separate|separada)\b"
)
_NOT_NEW = re.compile(
    r"\b(not|don'?t|do not|no (quiero|necesito)|ni)\s+(want |need |book )?(a |an |una |un )?"
    r"(new|another|nuev[oa]|otra|otro)\b( one| cita)?"
)
_MOVE = re.compile(
    r"\b(move|moving|reschedul\w*|change|switch|swap|existing|the one i (have|got)"
    r"|(one|visit|appointment|appt) i (have|got|already have)|mine|my (visit|appointment|appt)"
    r"|that one|the same|current|move it|push|cambi\w*|mover|muev\w*|pas(ar|e|ela|arla)"
    r"|reprogram\w*|(la|el) que (ya )?tengo|la mia|mi cita|esa|la misma|la actual)\b"
)


def move_or_new(text: str) -> Choice | None:
    """ "Move it", "the one I have", "cámbiela" -> move; "a new one", "otra cita" -> new; None
    when the answer says neither or both ("yes")."""
    folded = folded_text(text)
    new_said = bool(_NEW.search(_NOT_NEW.sub(" ", folded)))
    move_said = bool(_MOVE.search(folded)) or bool(_NOT_NEW.search(folded))
    if new_said == move_said:
        return None
    return NEW if new_said else MOVE
