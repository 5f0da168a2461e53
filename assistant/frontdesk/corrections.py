"""One reader of corrections, for every form and every step (before the offers, at the offers,
at the read-back, at the identity questions).

A correction is read against what was already filled, slot by slot: a reply names values of
some slots (the day, the week, the hour: a part of the day or a clock time; the provider; the
task; the date of birth) and may deny some ("not Tuesday", "Tuesday no", "no el martes, el
miércoles", "scratch Monday", "make it before noon instead" after "at three"). Each slot the
reply names replaces the one filled before; each slot it does not name is kept from before,
unless the reply denies it. So "wait, not Tuesday, Wednesday" after "Tuesday next week" is
Wednesday next week; "actually the afternoon" after "Thursday morning" is Thursday afternoon;
"just one week" after "two weeks later" is one week later; "make it before noon instead" after
"after three on the same day" is before noon on the same day.

`read_correction` gives which slots a reply corrects (what is denied, what replaces it);
`corrected_wish` the merged time wish the search runs on; `task_meant` the task a reply turns
to ("never mind, just confirm it", "no la cancele, muévamela", "I want to MOVE it, not make a
new one"). The forms apply them thinly (dialogues/actions/repair.py and each form).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from assistant.frontdesk.denials import DAY as DAY_WORD
from assistant.frontdesk.denials import PART, WEEKDAY, Reading, read_times
from assistant.frontdesk.provider_words import names_provider
from assistant.frontdesk.short_answers import (
    asks_to_cancel,
    asks_to_reschedule,
    folded_text,
    new_wish,
    question_topic,
    said_clocks,
)
from assistant.frontdesk.time_phrases import about_the_visit_day

# The slots of a time wish a correction replaces one by one.
DAY, WEEK, HOUR = "day", "week", "hour"
TIME_SLOTS = (DAY, WEEK, HOUR)
PROVIDER, TASK = "provider", "task"

_PARTS_OF_DAY = re.compile(
    r"\b(in the |por la |en la |de la |la )?(morning|afternoon|evening|manana|tarde|noche"
    r"|temprano)\b"
)
# Which day: a weekday, today / tomorrow, the visit's own day ("that day" alone: the day
# asked before, kept).
_SAME_DAY = re.compile(
    r"\b((on )?(the|that) same day|(el |ese )?mismo dia"
    r"|the day of (my|the) (appointment|appt|visit)|el dia de (mi|la) cita)\b"
)
_DATED = re.compile(r"\b(tomorrow|today|hoy|pasado manana|day after tomorrow)\b")
_WEEKDAYS = re.compile(
    r"\b(monday|tuesday|wednesday|thursday|friday|saturday|sunday|lunes|martes|miercoles"
    r"|jueves|viernes|sabado|domingo)\b"
)
_COUNT = (
    r"(?:a|an|one|two|three|four|five|six|\d{1,2}|un|una|dos|tres|cuatro|cinco|seis"
    r"|a couple of|a couple|couple of|un par de)"
)
# Which week: "next week", "la semana que entra", "the week after next", "two weeks later".
_WEEK = re.compile(
    r"\b((the )?week after next|(the )?week after (the )?next( one| week)?"
    r"|(in |within )?" + _COUNT + r" (more )?(weeks?|semanas?)( (later|out|from now|after"
    r"|ahead|away|mas adelante|mas tarde|despues|de la fecha|after (my|the) (appointment|appt"
    r"|visit)))?"
    r"|(the )?(next|this|following|coming) (week|month)|(the )?week (after|following)"
    r"|(de |para |en )?(la |esta )?(proxima|siguiente|otra) semana"
    r"|(de |para |en )?(la |esta )?semana (que viene|que entra|entrante|siguiente|proxima"
    r"|que sigue|de despues)|(de |para |en )?esta semana|(el )?(proximo|siguiente) mes"
    r"|next month|the month after)\b"
)
_WEEK_COUNT = re.compile(r"\b(?P<n>" + _COUNT + r") (more )?(?P<unit>weeks?|semanas?)\b")
_AFTER_ANCHOR = re.compile(
    r"\b(later|out|from now|after|ahead|away|mas adelante|mas tarde|despues|de la fecha)\b"
)
_HOUR_WORD = (
    r"(\d{1,2}(:\d{2}| [0-5]\d\b)?|one|two|three|four|five|six|seven|eight|nine|ten|eleven"
    r"|twelve|noon|midday|lunch|una|dos|tres|cuatro|cinco|seis|siete|ocho|nueve|diez|once|doce|mediodia)"
)
# A clock time or a window on it: "after 3", "before noon", "at 2 pm", "antes de las 11".
_CLOCK = re.compile(
    r"\b(after|before|by|around|about|at|until|till|til|past|no later than|no earlier than"
    r"|earlier than|later than|antes de( las?)?|despues de( las?)?|a partir de( las?)?"
    r"|desde( las?)?|hasta( las?)?|a las?|como a las?|tipo)( the)? " + _HOUR_WORD
    + r"( ?(o ?clock|am|pm|a m|p m|de la (manana|tarde|noche)|in the (morning|afternoon"
    r"|evening)))?\b"
)  # fmt: skip
_PIECES = {DAY: (_SAME_DAY, _DATED, _WEEKDAYS), WEEK: (_WEEK,), HOUR: (_CLOCK, _PARTS_OF_DAY)}
_WEEK_AFTER = re.compile(
    r"\b(the week after|(the )?following week|the week following|la semana siguiente"
    r"|la otra semana|la semana que sigue)\b(?! next)"
)
# Where a correction turns to the new wish; a voice transcript has no comma before it.
_PIVOT = re.compile(
    r"\s+(?=(?:mejor|better|rather|instead|prefiero|preferiblemente|sino|pero|but|how about"
    r"|what about|que tal|make it|que sea|hagala|hazla|let'?s do|lets do|go with)\b)",
    re.IGNORECASE,
)
# A clause with these says the new value: the same slot named in another clause is the one
# taken back ("I pick up my kids at three, make it before noon instead").
_REPLACING = re.compile(
    r"\b(instead|mejor|rather|better|sino|make it|que sea|prefer|prefiero|go with|hagala)\b"
)
# Weaker: what a correction opens with ("wait no, after 3, I don't get off till 2:30"); used
# when no clause says the new value with the words above.
_CORRECTING = re.compile(
    r"\b(i meant|i mean|meant|quise decir|quiero decir|wait no|no wait|scratch that)\b"
)


@dataclass(frozen=True)
class Correction:
    """One slot a reply changes: what it denies (None: nothing said against it) and what it
    wants there now (None: only denied)."""

    slot: str
    denied: str | None
    value: str | None


# "Friday morning is better than the afternoon", "rather than Tuesday", "mejor que el lunes":
# what follows is turned down.
_BETTER_THAN = re.compile(
    r"(?i)\s*\b(?:(?:is|are|would be|works|sounds|seems)\s+)?(?:better|rather|preferable)\s+than\b"
    r"|\s*\bmejor\s+que\b"
)


def _than_denied(text: str) -> str:
    """ "Friday morning is better than the afternoon": "Friday morning , not the afternoon"."""
    return _BETTER_THAN.sub(" , not", text)


def _clauses(text: str) -> str:
    """Folded, clause by clause ("no , el martes" is not "no el martes", a denial)."""
    clauses = " , ".join(folded_text(part) for part in re.split(r"[,;.!?¿¡]", text))
    clauses = re.sub(r"\b(morning|afternoon|evening)s\b", r"\1", clauses)
    return re.sub(r"(\s*,)+", " ,", " ".join(clauses.split())).strip(" ,")


def _slot_clauses(text: str) -> list[str]:
    """The clauses of a folded wish; a clause of replacing words alone ("instead") belongs to
    the one before it ("make it before noon , instead")."""
    clauses: list[str] = []
    for clause in (c.strip() for c in text.split(",")):
        if not clause:
            continue
        if clauses and not _REPLACING.sub(" ", clause).strip():
            clauses[-1] = f"{clauses[-1]} {clause}"
        else:
            clauses.append(clause)
    return clauses


def _pieces(text: str) -> tuple[dict[str, list[str]], list[str]]:
    """(the words of a folded wish naming each time slot, the words taken back): "next week"
    -> week, "thursday" -> day, "after 3" / "in the morning" -> hour. When one clause says the
    new value ("make it ... instead", "mejor ..."), a slot it names is taken from that clause
    only; the same slot named in another clause is taken back ("I pick up my kids at three,
    make it before noon instead")."""
    clauses = _slot_clauses(text)
    found: dict[str, list[tuple[int, str]]] = {slot: [] for slot in TIME_SLOTS}
    for n, clause in enumerate(clauses):
        for slot, patterns in _PIECES.items():
            taken = clause
            for pattern in patterns:
                for match in pattern.finditer(taken):
                    found[slot].append((n, match[0].strip()))
                taken = pattern.sub(" ", taken)  # "at 3" is no part of "3 in the afternoon"
    replacing = [n for n, c in enumerate(clauses) if _REPLACING.search(c)]
    if not replacing:
        replacing = [n for n, c in enumerate(clauses) if _CORRECTING.search(c)]
    pieces: dict[str, list[str]] = {}
    dropped: list[str] = []
    for slot, said in found.items():
        if len(replacing) == 1 and any(n == replacing[0] for n, _ in said):
            dropped += [p for n, p in said if n != replacing[0]]
            said = [(n, p) for n, p in said if n == replacing[0]]
        pieces[slot] = list(dict.fromkeys(p for _, p in said))
    return pieces, dropped


def slot_pieces(text: str) -> dict[str, list[str]]:
    """The words of a folded wish naming each time slot (see `_pieces`)."""
    return _pieces(text)[0]


def read_correction(said: str, before: str | None) -> list[Correction]:
    """The time slots a reply changes against the wish said before: per slot, what it denies
    and what it names instead (see the module)."""
    reading = read_times(_PIVOT.sub(", ", _than_denied(said)))
    now = slot_pieces(_clauses(reading.kept()))
    old = slot_pieces(_clauses(read_times(before or "").kept()))
    denied = {
        DAY: reading.denied(WEEKDAY) + reading.denied(DAY_WORD),
        HOUR: reading.denied(PART),
        WEEK: [],
    }
    changes = []
    for slot in TIME_SLOTS:
        value = " ".join(now[slot]) or None
        if value is None and not denied[slot]:
            continue
        what = " ".join(denied[slot]) or (" ".join(old[slot]) if value else None) or None
        changes.append(Correction(slot, what, value))
    return changes


# "The Wednesday after that", "the week after that one": a week after the week said before.
_AFTER_THAT = re.compile(
    r"\b(?:the )?(?P<what>week|monday|tuesday|wednesday|thursday|friday|mon|tue|tues|wed|thu"
    r"|thur|thurs|fri) (?:after|following) (?:that|this|it)(?: one)?\b"
)
_NEXT_WEEK_BEFORE = re.compile(
    r"\b(next|following|coming) (week|monday|tuesday|wednesday|thursday|friday)\b"
    r"|\b(proxima|siguiente) semana|\bsemana que (viene|entra)\b"
)
# Words that only steer the conversation ("go back, I meant ...", "scratch that"): no wish.
_STEERING = re.compile(r"\b(go back|back up|scratch that|regresar|volver atras|atras)\b")


# Where a question joins a correction: "make it Friday, and also where do I park?".
_QUESTION_JOINT = re.compile(
    r"(?i)[.;?!]|,|\s(?=(?:and also|and|also|plus|y tambi[eé]n|y|oh and|btw)\s)"
)


def without_questions(text: str) -> str:
    """The reply without the questions it asks about the office, insurance or preparation
    ("wait, make it Friday and also where do I park": "wait, make it Friday")."""
    pieces = [p for p in _QUESTION_JOINT.split(text) if p and p.strip()]
    asked = [p for p in pieces if question_topic(p) is not None]
    if not asked or len(asked) == len(pieces):
        return text
    return ", ".join(p.strip() for p in pieces if p not in asked)


def asks_and_corrects(text: str) -> str | None:
    """The correction said with a question ("wait, make it Friday not Wednesday, and where do
    I park?": "wait, make it Friday not Wednesday"), None when the reply only asks."""
    rest = without_questions(text)
    if rest == text or not takes_back(rest):
        return None
    reading = read_times(rest)
    return rest if reading.words or names_provider(rest) else None


def carries_correction(text: str) -> bool:
    """ "Go back, I meant Thursday of next week": the steering words come with a new value
    (a day, a week, an hour, a provider), which is the answer."""
    rest = _STEERING.sub(" ", folded_text(text))
    return bool(read_times(rest).words or names_provider(rest))


# A "no" that opens a correction answers what was offered ("wait no, after 3", "no, sorry,
# Thursday"): with a lead-in or a comma it denies nothing that follows it.
_OPENING_NO = re.compile(
    r"^\W*(?P<lead>(?:(?:oh|wait|sorry|hmm|um|uh|actually|hold on|ay|perd[oó]n|espere)\W+)+)"
    r"(?:no|nope|nah)\b(?:\W+(?:wait|sorry|perd[oó]n|espere))*\W*"
    r"|^\W*(?P<bare>)(?:no|nope|nah)\s*,(?:\W*(?:wait|sorry|perd[oó]n|espere)\b)*\W*"
)


def _after_that(text: str, previous: str) -> str:
    """ "The Wednesday after that" after "next Wednesday": Wednesday the week after next;
    after a day of this week, the one of next week."""

    def later(match: re.Match[str]) -> str:
        week = "the week after next" if _NEXT_WEEK_BEFORE.search(previous) else "next week"
        what = match["what"]
        return week if what == "week" else f"{what} {week}"

    return _AFTER_THAT.sub(later, text)


def corrected_wish(said: str, before: str | None) -> str | None:
    """The new wish a correction means, merged with the one before it slot by slot (None: the
    reply is not a new time wish, e.g. a choice among the offered times). What it denies is
    dropped from both ("tues doesnt work, thurs morning?"); a slot it does not name is kept
    from before ("actually the afternoon" keeps the day and the week; "not Tuesday,
    Wednesday" keeps "next week" and the part of the day); a denial with nothing in its place
    stays as one ("mornings are bad for me": not mornings, on the day asked before)."""
    previous_reading = read_times(before or "")
    previous = _clauses(previous_reading.kept())
    said = _after_that(_STEERING.sub(" ", _than_denied(without_questions(said)).lower()), previous)
    reading = read_times(_PIVOT.sub(", ", said))  # "no mejor en la tarde": "no, mejor ..."
    text = _clauses(reading.kept())
    (now, dropped), old = _pieces(text), slot_pieces(previous)
    for piece in dropped:  # "at three" said as the reason, "before noon instead" the wish
        text = re.sub(rf"\b{re.escape(piece)}\b", " ", text)
    clock = bool(said_clocks(text, 3))  # "how about 3 pm", "a las 11" (not "3", an item)
    named = any(now.values()) or clock or about_the_visit_day(text)
    if not (new_wish(text) or named or reading.denies):
        return None
    if _WEEK_AFTER.search(text) and re.search(
        r"\b(next week|proxima semana|semana que viene)\b", previous
    ):
        return _WEEK_AFTER.sub("the week after next", text)  # after the week said before
    text = _counted_again(text, now[WEEK], old[WEEK])
    denied_days = set(reading.denied(WEEKDAY) + reading.denied(DAY_WORD))
    denied_parts = set(reading.denied(PART))
    has_day = bool(now[DAY] or reading.wished(WEEKDAY) or about_the_visit_day(text))
    dated = bool(_DATED.search(text) or _SAME_DAY.search(text) or about_the_visit_day(text))
    has_hour = bool(now[HOUR] or reading.wished(PART) or clock)
    kept: list[str] = []
    still_denied: list[str] = []  # said last, each after a comma: "thursday , not morning"
    if not has_day:  # "make it the afternoon": the day asked before (not one denied now)
        kept += [p for p in old[DAY] if not _named(p, denied_days)]
        still_denied += previous_reading.denied(WEEKDAY) + reading.denied(WEEKDAY)
    if not now[WEEK] and not dated:  # "not Tuesday, Wednesday": the week asked before
        kept += old[WEEK]
    if not has_hour:  # "not Tuesday, Thursday": the part of the day or clock asked before
        kept += [p for p in old[HOUR] if not _named(p, denied_parts)]
        still_denied += previous_reading.denied(PART) + reading.denied(PART)
    # each piece its own clause: "ay no" kept from the reply denies nothing asked before
    wish = " , ".join(dict.fromkeys(w for w in [text, *kept] if w)).strip(" ,")
    denials = [f"not {value}" for value in dict.fromkeys(still_denied)]
    wish = " ".join(_OPENING_NO.sub(r"\g<lead> , ", wish).split()).strip(" ,")  # "wait no after 3"
    return " , ".join([wish, *denials] if wish else denials)


def _counted_again(text: str, now: list[str], old: list[str]) -> str:
    """ "Just one week" after "two weeks later": one week later (the count said anew, the
    rest of the week said before)."""
    if len(now) != 1 or _AFTER_ANCHOR.search(now[0]):
        return text
    count = _WEEK_COUNT.search(now[0])
    earlier = next((p for p in old if _AFTER_ANCHOR.search(p) and _WEEK_COUNT.search(p)), None)
    if count is None or earlier is None:
        return text
    again = _WEEK_COUNT.sub(f"{count['n']} {count['unit']}", earlier, count=1)
    return text.replace(now[0], again, 1)


def _named(words: str, values: set[str]) -> bool:
    """Whether time words ("la tarde", "martes") name one of these values ("afternoon",
    "tuesday")."""
    reading: Reading = read_times(words)
    said = reading.wished(WEEKDAY) + reading.wished(DAY_WORD) + reading.wished(PART)
    return bool(values & set(said))


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
    r"\b(no|not|wait|actually|meant|sorry|oops|instead|mejor|perdon|quise decir|espere|oh"
    r"|never mind|nevermind|start over|scratch|olvidelo|olvide|ugh|hold on|forget)\b"
)


def takes_back(text: str) -> bool:
    """ "No wait", "actually", "never mind", "mejor", "perdón": the reply changes something
    said before."""
    return bool(_TAKES_BACK.search(folded_text(text)))


def request_corrected(said: str, request: str | None) -> str | None:
    """The request as a correction said out of turn changes it ("switch me to Dr. Okafor",
    then "oh wait no, I meant the nurse practitioner, Park" where the name was asked): the
    request with the correction said last (None: no such correction)."""
    if not request or not takes_back(said):
        return None
    wish = corrected_wish(said, request)
    if wish:  # "wait, I meant Thursday": what it denies dropped, the provider asked kept
        return provider_kept(wish, request)
    return f"{request} , {said}" if names_provider(said) else None


# --- the task -----------------------------------------------------------------------------

CONFIRM, CANCEL, MOVE, BOOK = "confirm", "cancel", "reschedule", "book"
# A task turned down: "not make a new one", "instead of cancelling", "no la cancele", "don't
# move it", "en vez de cancelarla".
_NOT = (
    r"(?:(?:not|don'?t|do not|never|instead of|rather than|en vez de|en lugar de|sin|ni"
    r"|no (?:quiero|necesito))(?: (?:want to|wanna|need to|to|la|lo|me la|me lo|se la|se lo"
    r"|it|my|an?|una?|the))*|no(?: (?:la|lo|me la|me lo|se la|se lo))+)"
)  # a bare "no" before an English verb answers ("no, cancel it"); "no la cancele" denies
_TASK_WORDS = {
    CANCEL: r"(?:cancel\w*|anul\w*|drop it)",
    MOVE: r"(?:move|moving|reschedul\w*|push\w*|mover\w*|muev\w*|muév\w*|cambi\w*|reprogram\w*"
          r"|pas(?:e|ar|ela|emela|armela|amela)|recorr\w*|change it|change the)",
    BOOK: r"(?:make an? new one|make a new|book\w*|a new one|new (?:appointment|appt|one|visit)"
          r"|hacer (?:una|otra) (?:nueva|cita)|sacar otra|agendar\w*|otra cita|nueva cita)",
    # keeping the visit is no confirmation ("olvídelo, la dejo como está": nothing changed)
    CONFIRM: r"(?:confirm\w*|s[ií] voy|i'?ll be there|i will be there|ahi estare)",
}  # fmt: skip
_MOVE_TOO = re.compile(r"\b(mu[eé]v[ae]\w*|p[aá]se(la|mela)|c[aá]mbie(la|mela))\b")


def denied_tasks(text: str) -> set[str]:
    """The tasks a reply turns down ("I want to move it, not make a new one": book)."""
    folded = folded_text(text)
    return {
        task for task, verbs in _TASK_WORDS.items() if re.search(rf"\b{_NOT} {verbs}\b", folded)
    }


def task_meant(text: str, task: str | None) -> str | None:
    """The task a correction turns to, another than `task` (None: it keeps to `task`): "never
    mind I'll keep it, just confirm it" (confirm), "no la cancele, muévamela para la semana que
    entra" (a move), "start over, I want to MOVE my visit, not make a new one" (a move),
    "actually just cancel it" (cancel). Only said as a change ("never mind", "actually", "no",
    "mejor", ...) or with the task now said turned down."""
    folded = folded_text(text)
    turned_down = denied_tasks(text)
    if not (takes_back(text) or (task and task in turned_down)):
        return None
    wanted: list[str] = []
    if asks_to_cancel(text) and CANCEL not in turned_down:
        wanted.append(CANCEL)
    moving = asks_to_reschedule(text) or _MOVE_TOO.search(folded)
    if moving and MOVE not in turned_down and not re.search(rf"\b{_NOT} move\b", folded):
        wanted.append(MOVE)
    if re.search(rf"\b{_TASK_WORDS[CONFIRM]}\b", folded) and CONFIRM not in turned_down:
        wanted.append(CONFIRM)
    if re.search(rf"\b{_TASK_WORDS[BOOK]}\b", folded) and BOOK not in turned_down:
        wanted.append(BOOK)
    if CONFIRM in wanted and task in (MOVE, BOOK) and not _KEEPS.search(folded):
        wanted.remove(CONFIRM)  # "no wait, confirm that time": the read-back, not the visit
    others = [w for w in wanted if w != task]
    return others[0] if len(others) == 1 else None


# The visit kept as it is: a move or a booking dropped for a confirmation.
_KEEPS = re.compile(
    r"\b(keep it|keep my|i can make it|never ?mind|forget it|olvid\w*|la dejo|dejela"
    r"|la mantengo|mejor no|ya no|leave it|as it is|como esta)\b"
)


# "Keep Chen", "leave the one with Dr. Chen", "la del jueves déjela": the visit kept, not the
# one the reply means (a cancellation read back for the other visit).
_KEPT = re.compile(
    r"\b(?:keep|leave|don'?t (?:cancel|touch|move)|not|deje|dejeme|mantenga|no (?:cancele|toque"
    r"|mueva))\s+(?:the one |my (?:appointment|appt|visit) |la (?:cita )?|el |that one )?"
    r"(?:(?:with|con|on|el|del|de la|de|at)\s+)*(?:(?:dr|dra|doctor|doctora|np|nurse)\.?\s+)?"
    r"[\w']+"
)


def without_kept(text: str) -> str:
    """The reply without what it says to keep ("I meant the one with Dr. Okafor, keep Chen":
    the one with Dr. Okafor)."""
    return _KEPT.sub(" ", folded_text(text))


# --- a request that corrects itself ------------------------------------------------------------

# Where a request takes back what it just said: "next week.. wait no, the week after next",
# "el tuesday... no wait, el thursday", "después de las 2, no, mejor después de las 3",
# "with Dr. Chen, sorry no, the Okafor one", "scratch that", "I mean".
_SELF_CORRECTS = re.compile(
    r"(?:\b(?:wait|sorry|actually|oops|hmm|um|uh|oh|ay|perd[oó]n|espere)\W+)*"
    r"\bno\b(?! (?:later|earlier|rush|problem|preference)\b)"
    r"(?:\W+(?:wait|sorry|actually|perd[oó]n|espere|mejor|digo|i mean|i meant))*\W+"
    r"|\b(?:scratch that|i mean|i meant|quise decir|mejor dicho)\b\W*",
    re.IGNORECASE,
)
_PROVIDER_SAID = re.compile(
    r"(?i)\b(?:(?:with|w|con)\s+(?:el\s+|la\s+)?)?(?:dr|dra|doctor|doctora|np|pa|nurse"
    r"|enfermera)\b\.?\s+(?:el\s+|la\s+)?(?:practitioner\s+)?[^\W\d_]+"
)


# A visit or provider named by a word alone after a titled one was taken back ("the Okafor
# one", "la de Okafor", "with Emily Park").
_ONE_OF = re.compile(r"^\W*(?:the \w+ one|la de (?:la |el )?\w+|with \w+( \w+)?)\b")


# Words that may stand between a bare "no" and the replacement it turns to ("no, the week
# after next", "no el jueves", "no, with Dr. Okafor").
_TURN_LEADS = frozenset(
    {"the", "el", "la", "los", "las", "on", "en", "a", "at", "with", "w", "con", "for", "por",
     "para", "de", "del", "make", "it", "its", "that", "this", "esa", "ese", "lo"}
)  # fmt: skip


def _turns_to_a_slot(tail: str) -> bool:
    """Whether the words after a bare "no" go straight to a replacement. Any other word there
    is what the "no" negates ("que no sea la doctora Chen", "no puedo el lunes"): a denial,
    which the denial reader handles, not a take-back."""
    if _ONE_OF.search(folded_text(tail)) or _PROVIDER_SAID.match(tail.strip(" ,.-")):
        return True
    words = folded_text(tail).split()
    pieces = [p for found in slot_pieces(_clauses(tail)).values() for p in found]
    for i, word in enumerate(words):
        rest = " ".join(words[i:])
        if word[:1].isdigit() or any(rest.startswith(piece) for piece in pieces):
            return True
        if _PROVIDER_SAID.match(rest):
            return True
        if word not in _TURN_LEADS:
            return False
    return False


def self_corrected(text: str, others: Sequence[Callable[[str], list[str]]] = ()) -> str:
    """A request without what it takes back: each slot (day, week, hour, provider) named after
    "no" / "scratch that" / "I mean" replaces the one named before it ("move it to next week..
    wait no, the week after next": the week after next). `others` read more slots (each gives
    the words of a folded text that name its slot, e.g. the visit type: "a physical.. no sorry
    a sick visit" is a sick visit). Unchanged when nothing is taken back."""
    for marker in reversed(list(_SELF_CORRECTS.finditer(text))):
        head, tail = text[: marker.start()], text[marker.end() :]
        if not head.strip() or not tail.strip():
            continue
        if marker.group(0).strip(" ,.;:-").lower() == "no" and not _turns_to_a_slot(tail):
            continue
        now, old = slot_pieces(_clauses(tail)), slot_pieces(_clauses(head))
        kept = _clauses(head)
        dropped = False
        for slot in TIME_SLOTS:
            if now[slot] and old[slot]:
                for piece in old[slot]:
                    kept = re.sub(rf"\b{re.escape(piece)}\b", " ", kept)
                dropped = True
        if (names_provider(tail) or _ONE_OF.search(folded_text(tail))) and _PROVIDER_SAID.search(
            kept
        ):  # "with Dr. Chen, sorry no, the Okafor one"
            kept = _PROVIDER_SAID.sub(" ", kept)
            dropped = True
        bare_no = re.fullmatch(r"(?i)no\s+", marker[0]) is not None  # "no fever": denied
        for named in others:  # "a skin check um no, a new patient visit": the new patient visit
            if not bare_no and named(_clauses(tail)):
                for piece in named(kept):
                    kept = re.sub(rf"\b{re.escape(piece)}\b", " ", kept)
                    dropped = True
        if dropped:
            return " ".join(f"{kept} , {tail}".split())
    return text
