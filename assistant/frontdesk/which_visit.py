"""Which of the patient's upcoming visits a request names, and what a check asks about it.

"Cancel the later one", "my second appointment", "cancela la de la tarde / la del jueves / la
última", "move the one with Dr. Okafor to Friday": `reference` finds the words that name the
visit (kept apart from the new time a move asks for: "to Friday" names no visit), and `pick`
the one visit they point at among those listed (None: none, or several: the patient is asked
which). `asked` tells what a check wants to know ("¿qué día y con quién?", "where is it?").
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from assistant.frontdesk.booking import named_type
from assistant.frontdesk.short_answers import said_clocks, weekdays_in
from assistant.frontdesk.views import AppointmentView

_BREAK = "|"  # sentence punctuation, kept as one character so that spans stay in place


def _fold(text: str) -> str:
    """Lower case without accents, one character for each of `text`'s (spans map back)."""
    out = []
    for i, ch in enumerate(text):
        if ch == "." and re.search(r"(?:^|[^a-z])[a-z]{1,3}$", text[max(0, i - 4) : i].lower()):
            out.append(" ")  # "Dr.", "a.m.": an abbreviation, not the end of a sentence
            continue
        if ch in ".?!;,¿¡":
            out.append(_BREAK)
            continue
        decomposed = unicodedata.normalize("NFKD", ch)
        plain = "".join(c for c in decomposed if not unicodedata.combining(c)).lower()
        out.append(plain if len(plain) == 1 and (plain.isalnum() or plain == "'") else " ")
    return "".join(out)


_NOUN = (
    r"(?:appointments?|appts?|apts?|visits?|ones?|citas?|consultas?|turnos?|physical"
    r"|check\s?up|follow\s?up|biopsy)"
)
_DET = r"(?:the|my|that|this|mi|la|el|su|esa|esta)"
_WEEKDAY = (
    r"(?:mon|tue|tues|wed|thu|thur|thurs|fri|monday|tuesday|wednesday|thursday|friday"
    r"|saturday|sunday|lunes|martes|miercoles|jueves|viernes|sabado|domingo)"
)
_DAY_WORD = rf"(?:{_WEEKDAY}|tomorrow|today|tonight|manana|hoy)"
# Words that end the words about a visit: the new time of a move, another part of the message.
_STOP = (
    r"(?:to|into|until|till|al|a|para|hasta|and|y|but|pero|because|cause|porque|so|also"
    r"|tambien|please|por favor|instead|then|luego|if|si|or|o|is|es|since|ya|i'm|im|as|it)"
)
_WORD = r"[a-z0-9']+"
_FROM_VISIT = r"(?:of|after|before|following|de|despues|antes)"
# What follows a visit's noun and still describes it: "with Dr. Chen", "on Thursday", "at 3",
# "del jueves", "de la tarde", "que tengo el lunes", "I have on Friday".
_TAIL_START = (
    rf"(?:with|w|on|at|in|from|for|this|next|del|de|con|en|que|el|that|i have|i've|ive"
    rf"|i got|i booked|i made|{_DAY_WORD})"
)
# Words that turn from the visit to how to move it: "my appointment with Dr. Chen back a day".
_TURN = r"(?:back|forward|up|out|ahead|earlier|later|sooner|over|atras|adelante)"
# Someone else asked for: "... with another doctor", "con otra doctora" names no visit.
_SOMEONE_ELSE = (
    r"(?:another|a different|different|any other|some other|someone|somebody|anyone|anybody"
    r"|otr[oa]|alguien|cualquier|cualquiera"
    r"|un[ao]? (?:doctora?|medic[oa]) (?:diferente|distint[oa]))"
)
_TAIL = (
    rf"(?:\s+{_TAIL_START}\b(?!\s+{_SOMEONE_ELSE}\b)"
    rf"(?:\s+(?!{_STOP}\b|{_TURN}\b){_WORD}){{0,5}})"
)
# "cancel Thursday", "move tomorrow's to Friday", "cancela el jueves"
_VERB_DAY = re.compile(
    rf"\b(?:cancel|confirm|move|reschedule|push|cancela|cancele|cancelar|confirmo|confirmar"
    rf"|cambiar|cambie|cambia|mover|mueva|pasar|pase)\s+(?P<ref>(?:(?:for|on|el|la|my|mi)\s+)?"
    rf"{_DAY_WORD}(?:'s)?)\b"
)
# "my 3pm", "the 10:30 one", "my 9 o'clock": a clock time said for the visit.
_MY_CLOCK = re.compile(
    rf"\b(?:my|the|mi)\s+\d{{1,2}}(?:\s\d{{2}}(?:\s?(?:am|pm))?|\s?(?:am|pm)|\s+o'?\s?clock)\b"
    rf"(?:\s+{_NOUN}\b)?{_TAIL}?"
)
_REFERENCES = (
    # "the later one", "my second appointment", "my Thursday 3pm appt", "la segunda cita", with
    # what follows ("the one with Dr. Chen", "mi cita del jueves"); not a time counted from the
    # visit ("the day of my appointment", "the week after my visit", "el día de mi cita")
    re.compile(rf"\b{_DET}\s+(?:(?!{_STOP}\b|{_FROM_VISIT}\b){_WORD}\s+){{0,3}}?{_NOUN}\b{_TAIL}?"),
    # "Thursday's appointment"
    re.compile(rf"\b{_WORD}'s\s+{_NOUN}\b{_TAIL}?"),
    # "la del jueves", "la de la tarde", "la última", "la que tengo con el doctor Okafor" (not
    # "la próxima semana", "el próximo lunes": a time)
    re.compile(
        rf"\b(?:la|el)\s+(?:(?:del|de|que|ultima|ultimo|primera|primero|segunda|segundo|tercera"
        rf"|tercero|mas)\b|(?:proxima|proximo|siguiente)\b(?!\s+(?:{_DAY_WORD}|semana|vez|mes"
        rf"|ano)\b))(?:\s+(?!{_STOP}\b){_WORD}){{0,5}}"
    ),
    # "the later of my two appointments"
    re.compile(
        r"\bthe\s+(?:later|earlier|latter|former|first|second|last|sooner|earliest|latest)"
        r"\s+(?:one\s+)?of\b"
    ),
    # "whichever one is on Thursday"
    re.compile(rf"\bwhichever\s+(?:one\s+)?(?:is\s+|i have\s+)?(?:(?!{_STOP}\b){_WORD}\s*){{1,4}}"),
    # "from Thursday to Friday", "instead of the 3 pm", "en vez de la del jueves"
    re.compile(
        rf"\b(?:from|instead of|rather than|en vez del?|en lugar del?)\s+"
        rf"(?:(?!{_STOP}\b){_WORD}\s*){{1,5}}"
    ),
    _VERB_DAY,
    _MY_CLOCK,
)
# A move's new time, after which no word names the visit being moved ("... to Friday", "... al
# viernes", "... a la tarde"); "for" only when no other marker says it ("... for next week").
_TARGET_WORDS = (
    rf"(?:the\s+|el\s+|la\s+|las\s+|los\s+)?(?:{_DAY_WORD}|next|this|proxima|proximo|siguiente"
    rf"|semana|week|morning|afternoon|evening|tarde|noche|later|earlier|sometime|any|anything"
    rf"|some|early|late|\d|one|una|dos|tres|cuatro|cinco|first|primera|lo|mas|after|before"
    rf"|despues|antes|last|latest|earliest|lunch|noon|mediodia|end|beginning|start|middle|mid"
    rf"|same|mismo|misma|principios|finales|ultima)\b"
)
_TARGETS = (
    re.compile(rf"\b(?:to|into|until|till|al|para|hasta|a)\s+{_TARGET_WORDS}"),
    re.compile(rf"\bfor\s+{_TARGET_WORDS}"),
)
# A visit's noun followed by when (not who): in a move with no new time said, that is the new
# time ("move my appointment on Thursday"); with one ("... on Thursday to Friday"), the visit.
_WHEN_TAIL = re.compile(rf"^\s*{_NOUN}\s+(?:on|for|this|next|el|{_DAY_WORD})\b")


# A time said after the words about the visit: "my appointment tomorrow, can we do Thursday?".
_WHEN_LATER = re.compile(
    rf"\b(?:{_DAY_WORD}|next week|semana|morning|afternoon|evening|tarde|noche|later|earlier"
    rf"|sooner|mas tarde|mas temprano)\b"
)


@dataclass(frozen=True)
class Reference:
    """The words naming a visit (as said), and the request without them."""

    words: str
    rest: str


def _target(folded: str) -> re.Match[str] | None:
    return next((m for m in (p.search(folded) for p in _TARGETS) if m), None)


def _spans(text: str, moving: bool) -> list[tuple[int, int]]:
    folded = _fold(text)
    target = _target(folded) if moving else None
    end = target.start() if target else len(folded)
    spans: list[tuple[int, int]] = []
    for pattern in _REFERENCES:
        for found in pattern.finditer(folded, 0, end):
            start, stop = found.span("ref" if "ref" in pattern.groupindex else 0)
            said = folded[start:stop]
            # with no new time said after them, the visit's words say when to move it
            wish = moving and target is None and not _WHEN_LATER.search(folded, stop)
            if wish and pattern is _VERB_DAY:
                continue  # "move tomorrow": the new time, not the visit
            if wish and _WHEN_TAIL.search(_after_det(said)):
                stop = start + _noun_end(said)  # "move my appointment on Thursday": the wish
            if stop > start:
                spans.append((start, stop))
    merged: list[tuple[int, int]] = []
    for start, stop in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(stop, merged[-1][1]))
        else:
            merged.append((start, stop))
    return [(a, b) for a, b in merged if not _BARE.fullmatch(" ".join(folded[a:b].split()))]


# "my appointment", "la cita": a visit, but not which one.
_BARE = re.compile(
    rf"(?:{_DET}\s+)?(?:appointments?|appts?|apts?|visits?|ones?|citas?|consultas?|turnos?)"
)


def reference(text: str, *, moving: bool = False) -> Reference:
    """The words of `text` that name the visit it is about. In a move (`moving`) nothing after
    the new time names it ("move the later one to Thursday afternoon": "the later one")."""
    text = text or ""
    spans = _spans(text, moving)
    words = " ".join(" ".join(text[a:b].split()) for a, b in spans)
    rest = text
    for start, stop in reversed(spans):
        rest = rest[:start] + " " + rest[stop:]
    return Reference(words, " ".join(rest.split()))


_PLACE_WORDS = re.compile(
    r"\b(earlier|earliest|later|latest|latter|sooner|soonest|mas temprano|mas tarde)\b"
)


def without_places(text: str, *, moving: bool = False) -> str:
    """`text` without the words that place the visit it names in the list ("cancel the earlier
    one" -> "cancel the one"): there "earlier" and "later" name a visit, not a way to move."""
    text = text or ""
    folded = _fold(text)
    out = list(text)
    for start, stop in _spans(text, moving):
        for found in _PLACE_WORDS.finditer(folded, start, stop):
            out[found.start() : found.end()] = " " * (found.end() - found.start())
    return " ".join("".join(out).split())


def _after_det(said: str) -> str:
    return re.sub(rf"^{_DET}\s+(?:{_WORD}\s+){{0,3}}?(?={_NOUN}\b)", "", said)


def _noun_end(said: str) -> int:
    found = re.search(rf"\b{_NOUN}\b", said)
    return found.end() if found else 0


# --- picking the visit --------------------------------------------------------------------------

_FIRST = (
    "first", "1st", "earlier", "earliest", "sooner", "soonest", "next", "upcoming", "early",
    "primera", "primero", "primer", "proxima", "proximo", "siguiente", "mas temprano",
    "mas pronto", "temprano", "former",
)  # fmt: skip
_SECOND = ("second", "2nd", "segunda", "segundo")
_THIRD = ("third", "3rd", "tercera", "tercero")
_LAST = ("last", "latest", "later", "latter", "late", "ultima", "ultimo", "mas tarde")
_WEEK_PHRASES = (
    ("this week", 0), ("esta semana", 0), ("next week", 1), ("proxima semana", 1),
    ("semana que viene", 1), ("siguiente semana", 1),
)  # fmt: skip
_MORNING = re.compile(r"\b(morning|(?:la|de la|en la|por la) manana)\b")
_AFTERNOON = re.compile(r"\b(afternoon|evening|(?:la|de la|en la|por la) (?:tarde|noche))\b")
_TOMORROW = re.compile(r"\b(tomorrow|(?<!la )(?<!de la )(?<!en la )(?<!por la )manana)\b")
_TODAY = re.compile(r"\b(today|tonight|hoy)\b")
_DAY_OF_MONTH = re.compile(
    r"\b(\d{1,2})(?:st|nd|rd|th)\b|\b(?:del|el|the)\s+(\d{1,2})\b(?!\s*(?:am|pm|h\d|:|de la))"
)
_TITLES = {"dr", "dra", "doctor", "doctora", "doc", "np", "pa", "c"}
_PLACE_FILLER = {"office", "center", "centre", "clinic", "street", "the", "of", "medical"}


def _has(said: str, phrases: Sequence[str]) -> bool:
    return any(re.search(rf"(^|\s){re.escape(p)}($|\s)", said) for p in phrases)


def _position(said: str) -> int | None:
    """-1 for the last; 0, 1, 2 for the first, second, third; None: no place said."""
    if _has(said, ("mas tarde",)) or _has(said, _LAST):
        return -1
    if _has(said, _SECOND):
        return 1
    if _has(said, _THIRD):
        return 2
    return 0 if _has(said, _FIRST) else None


def _clock_matches(said: tuple[int, int, str | None], view: AppointmentView) -> bool:
    hour, minute, half = said
    if minute and minute != view.minute:
        return False
    if half is None:
        return hour % 12 == view.hour % 12 if hour <= 12 else hour == view.hour
    return hour % 12 + (12 if half == "pm" else 0) == view.hour


def _place_words(view: AppointmentView) -> set[str]:
    return {w for w in _fold(view.location).split() if w not in _PLACE_FILLER}


def _in_week_of(monday: date) -> Callable[[AppointmentView], bool]:
    return lambda v: monday <= v.local_date < monday + timedelta(days=7)


def _filters(
    said: str, original: str, today: date | None
) -> list[Callable[[AppointmentView], bool]]:
    """The tests the words put to a visit (each must hold)."""
    tests: list[Callable[[AppointmentView], bool]] = []
    days = weekdays_in(said)
    if days:
        tests.append(lambda v: v.local_date.weekday() in days)
    if today is not None:
        if _TODAY.search(said):
            tests.append(lambda v: v.local_date == today)
        elif _TOMORROW.search(said):
            tests.append(lambda v: v.local_date == today + timedelta(days=1))
        for phrase, weeks in _WEEK_PHRASES:
            if phrase in said:
                monday = today - timedelta(days=today.weekday()) + timedelta(weeks=weeks)
                tests.append(_in_week_of(monday))
                break
    if _AFTERNOON.search(said.replace("mas tarde", " ")):
        tests.append(lambda v: v.hour >= 12)
    elif _MORNING.search(said):
        tests.append(lambda v: v.hour < 12)
    clocks = said_clocks(re.sub(r"(\d)(am|pm)\b", r"\1 \2", original.lower()))
    if clocks:
        tests.append(lambda v: any(_clock_matches(c, v) for c in clocks))
    numbers = {int(a or b) for a, b in _DAY_OF_MONTH.findall(said)} - {1, 2, 3}
    if numbers and not clocks:
        tests.append(lambda v: v.local_date.day in numbers)
    return tests


def _by_kind(said: str, views: Sequence[AppointmentView]) -> list:
    """A kind of visit named ("the physical", "la de seguimiento"), if one of them is of it
    ("my first visit" names a place in the list, not a new-patient visit)."""
    kind = named_type(said)
    if kind and any(v.type_code == kind for v in views):
        return [lambda v: v.type_code == kind]
    return []


def _by_person_or_place(said: str, views: Sequence[AppointmentView]) -> list:
    """Tests for a provider or a place named ("with Dr. Okafor", "the Oak Park one"); a place's
    words are no name ("Oak Park" names no NP Park)."""
    tests = []
    words = set(said.split())
    names = {w for v in views for w in v.provider_words}
    hits = {w for v in views for w in _place_words(v) if w in words and w not in names}
    named_places: set[str] = set()
    if hits:  # "oak" names Oak Park; "park" alone may be NP Park
        tests.append(lambda v: bool(_place_words(v) & hits))
        named_places = {w for v in views if _place_words(v) & hits for w in _place_words(v)}
    for_names = words - named_places - _TITLES
    if any(for_names & set(v.provider_words) for v in views):
        tests.append(lambda v: bool(for_names & set(v.provider_words)))
    return tests


def pick(text: str, views: Sequence[AppointmentView], *, today: date | None = None) -> int | None:
    """The index of the one visit `text` names among `views` (soonest first): by its place in
    the list ("the later one", "la última", "my second appointment"), its day, part of day or
    time ("la del jueves", "la de la tarde", "my 3 pm"), its provider, place or kind ("the one
    with Dr. Okafor", "the physical"). None when the words name none, or not exactly one."""
    said = " ".join(_fold(text or "").replace(_BREAK, " ").split())
    if not said or not views:
        return None
    place_said = said  # "next week" is a week, not "the next one"
    for phrase, _ in _WEEK_PHRASES:
        place_said = place_said.replace(phrase, " ")
    tests = [*_filters(said, text, today), *_by_kind(said, views)]
    tests += _by_person_or_place(said, views)
    position = _position(place_said)
    if not tests and position is None:
        return None
    found = [i for i, view in enumerate(views) if all(test(view) for test in tests)]
    if position is not None and found:
        if position >= len(found):
            return None
        return found[position]
    return found[0] if len(found) == 1 else None


# --- what a check asks --------------------------------------------------------------------------

WHEN, WHO, WHERE, KIND, PREP = "when", "who", "where", "kind", "prep"
_ASKED = (
    (WHEN, re.compile(
        r"\b(when|what day|which day|what date|what time|que dia|cuando|a que hora|que hora"
        r"|que fecha|fecha|hora|day|date|time)\b")),
    (WHO, re.compile(
        r"\b(who|whom|which doctor|what doctor|which provider|con quien|quien|que doctor"
        r"|que doctora|cual doctor|que medico|con que|doctor|doctora|provider|physician"
        r"|medico)\b")),
    (WHERE, re.compile(
        r"\b(where|location|address|which office|what office|donde|direccion|ubicacion"
        r"|en que (oficina|clinica|lugar|consultorio))\b")),
    (KIND, re.compile(
        r"\b(what kind|what type|which kind|which type|type of|kind of|what is it for"
        r"|what's it for|whats it for|what (?:my |the )?(?:appointment|appt|visit|it) is for"
        r"|que tipo|de que tipo|que clase|para que es|de que es)\b")),
    (PREP, re.compile(
        r"\b(fast|fasting|eat (before|anything)|not eat|without eating|prepare|prep|preparation"
        r"|(should|do) i (need to )?bring|what (do|should) i bring|ayunas|ayuno|ayunar"
        r"|sin comer|comer antes|preparar\w*|preparacion|traer|llevar)\b")),
)  # fmt: skip


def asked(text: str) -> frozenset[str]:
    """What a check asks about the visit: when, who, where, what kind, how to prepare ("do I
    need to fast?") (none named: all)."""
    said = " ".join(_fold(text or "").replace(_BREAK, " ").split())
    return frozenset(aspect for aspect, words in _ASKED if words.search(said))
