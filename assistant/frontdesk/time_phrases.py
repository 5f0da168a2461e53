"""What the patient said about a new time, as a `TimePreference` for availability search.

`assistant.datetimes.resolve` understands dates and times; the keywords here cover what it
does not: "as soon as possible", parts of the day, weekdays, "any provider", clock-ish parts
of the day ("late morning", "after school"), hours in words ("around two", "before ten"), and
wishes about the visit being moved ("same time a week later", "two hours later", "earlier the
same day").
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta

from assistant.datetimes import resolve, to_time_preference
from assistant.datetimes.model import Resolved
from assistant.frontdesk import week_windows
from assistant.frontdesk.denials import PART, WEEKDAY, Reading, read_times
from assistant.frontdesk.short_answers import HOURS_SAID, WEEKDAY_NAMES, weekdays_in, words
from assistant.scheduling.clock import zone
from assistant.scheduling.preferences import PARTS_OF_DAY, PartOfDay, TimePreference

_ASAP = (
    "asap",
    "soon",
    "soonest",
    "earliest",
    "earlier",
    "first available",
    "moved up",
    "move me up",
    "mas temprano",
    "mas pronto",
    "lo antes",
    "pronto",
    "cuanto antes",
)
_ANY_PROVIDER = (
    "any provider", "any doctor", "anyone", "anybody", "whoever", "any one", "cualquier doctor",
    "cualquier medico", "cualquier doctora", "cualquiera", "otro doctor", "otra doctora",
    "different doctor", "another doctor",
)  # fmt: skip
# "I don't care which doctor", "doesn't matter who", "con quien sea", "no importa el doctor".
_WHO = (
    r"(?:who|whom|which (?:doctor|provider|physician|one of (?:them|you))"
    r"|(?:the )?(?:doctor|provider|physician))"
)
_ANYONE = re.compile(
    rf"\b(?:do ?n'?t|does ?n'?t|do not|does not|wont|won'?t) (?:care|matter|mind)"
    rf"(?: (?:about|seeing|who|which|if it'?s))? {_WHO}\b|\bno matter {_WHO}\b"
    r"|\bany (?:of (?:the|your) |available )?(?:doctors?|physicians?|providers?)\b"
    r"|\b(?:con )?quien sea\b|\bno (?:me )?importa (?:con )?(?:quien|que doctor|que medico"
    r"|cual doctor|el doctor|el medico|la doctora)\b|\bcon cualquier(?:a| doctor| medico)\b"
)
# Clock-ish parts of the day: (part of day, earliest, latest) on the local start. "After work"
# is about 5 PM: most offices close at 5, so the latest times from 3 PM are offered, latest
# first (`_NEAR_PARTS`).
_ClockPart = tuple[re.Pattern[str], PartOfDay | None, time | None, time | None, time | None]
_CLOCK_PARTS: tuple[_ClockPart, ...] = (
    (re.compile(r"\b(first thing|(a )?primera hora|temprano en la manana|bien temprano"
                r"|early (in the )?morning|very early)\b"
                r"(?! (de|en) la tarde| in the afternoon)"), "morning", None, time(9), None),
    (re.compile(r"\b(late (in the )?morning|(a )?media manana|tarde en la manana"
                r"|al final de la manana)\b"), "morning", time(10), time(12), None),
    (re.compile(r"\b(early (in the )?afternoon|temprano en la tarde|(a )?primera hora de la tarde"
                r"|al principio de la tarde|(al )?comienzo de la tarde)\b"),
     "afternoon", time(12), time(15), None),
    (re.compile(r"\b(late (in the )?afternoon|al final de la tarde|(a )?ultima hora de la tarde"
                r"|tarde en la tarde|ya tarde)\b"), "afternoon", time(15), time(17), None),
    (re.compile(r"\b(after (work|my shift|i get off)|(despues|saliendo|al salir) del? (trabajo"
                r"|turno)|cuando salga del trabajo)\b"), None, time(15), None, time(17)),
    (re.compile(r"\b(after school|(despues|saliendo|al salir) de (la )?escuela"
                r"|despues del colegio)\b"), None, time(15), None, None),
    (re.compile(r"\b(after (lunch|lunchtime|noon|midday)|(despues|luego) de(l| la)? (comida"
                r"|comer|almuerzo|almorzar|mediodia))\b"), "afternoon", time(12), None, None),
    # the end of the day: the latest times, latest first
    (re.compile(r"\b(as late as (possible|you can|you have)|(the )?latest (you have|possible"
                r"|time|one|appointment|slot)|last (appointment|time|slot|one) of the day"
                r"|end of the day|lo mas tarde (posible|que (se pueda|tenga|haya))"
                r"|(a )?ultima hora|al final del dia)\b"), None, time(15), None, time(17)),
    # about noon: lunchtime, "a la hora del almuerzo"
    (re.compile(r"\b(lunch ?time|(around|at|over|during|near) (my )?lunch( break)?|noon ?time"
                r"|midday|mediodia|(la )?hora del? (almuerzo|comida|lonche))\b"),
     None, time(11), time(14), time(12)),
)  # fmt: skip
_HOUR_WORDS = {word: hour for hour, said in enumerate(HOURS_SAID, 1) for word in said}
_HOUR_WORDS["uno"] = 1
_HOUR_ALTERNATIVES = "|".join(_HOUR_WORDS)
HOURS_SAID_FLAT = tuple(_HOUR_WORDS)
_CLOCK_SAID = r"(\d{1,2})(?:h(\d{2}))?\s*(am|pm|a m|p m)?\b"  # "2", "2h30 pm" (see _clock_folded)
# "Around two", "at one", "a eso de las dos": about that clock time (read in office hours).
_AROUND = re.compile(
    r"\b(around|about|at|(como|mas o menos|a eso de|cerca de)( a)? las?|a las?"
    # "move it to 4 the same day": a number moved to, with the day it is on, is a clock time
    r"|to(?= (\d{1,2}|" + "|".join(HOURS_SAID_FLAT) + r")(h\d{2})?( ?(am|pm|a m|p m))?"
    r" (the same day|same day|that day|that same day|instead|tomorrow|today|on \w+day)\b))"
    r" (?P<h>\d{1,2}|" + _HOUR_ALTERNATIVES + r")(?:h(?P<m>\d{2}))?"
    r"(?: ?(?P<s>am|pm|a m|p m))?(?! (day|week|dia|semana|hour|hora|minute|minuto)s?\b| of\b)\b"
)
_ONWARDS = re.compile(
    r"\b(?:at|from|a las?|desde las?) (?P<h>\d{1,2}|" + _HOUR_ALTERNATIVES + r")"
    r"(?:h(?P<m>\d{2}))?(?: ?(?P<s>am|pm|a m|p m))?"
    r" (?:or later|or after|onwards?|o mas tarde|o despues|en adelante)\b"
)
# "At 2:40 or 3", "a las 9 o 9 y media": not earlier than the first time named.
_EITHER = re.compile(
    r"\b(?:at|around|about|a las?|como a las?) (?P<h>\d{1,2})(?:h(?P<m>\d{2}))?"
    r"(?: ?(?P<s>am|pm|a m|p m))? (?:or|o) (?:at |a las? )?\d{1,2}(?:h\d{2})?\b"
)
# Hours said in words after a clock cue, as digits: "after nine thirty" -> "after 9h30",
# "después de las nueve y media" -> "despues de las 9h30", "at one p m" -> "at 1 p m".
_CLOCK_CUE = r"(?:at|around|about|after|before|from|by|until|till|or|to|and|between|las?|de)"
_MINUTE_WORDS = {
    "oh five": 5, "o five": 5, "fifteen": 15, "twenty": 20, "thirty": 30, "forty five": 45,
    "forty": 40, "fifty": 50, "y media": 30, "y cuarto": 15, "y quince": 15, "y veinte": 20,
    "y treinta": 30, "y cuarenta y cinco": 45, "y cuarenta": 40, "y diez": 10,
}  # fmt: skip
_WORD_CLOCK = re.compile(
    r"\b(?P<cue>"
    + _CLOCK_CUE
    + r") (?P<h>uno|"
    + "|".join(w for p in HOURS_SAID for w in p)
    + r")(?: (?P<m>"
    + "|".join(sorted(_MINUTE_WORDS, key=len, reverse=True))
    + r"))?\b"
    r"(?! (?:day|week|dia|semana|hour|hora|minute|minuto|month|mes)s?\b| of\b)"
)
# "Next week", "la semana que entra": that calendar week (Monday to Sunday).
_NEXT_WEEK = re.compile(
    r"\b(next week|next wk|the coming week|coming week|semana que viene|semana que entra"
    r"|semana entrante|proxima semana|semana proxima|siguiente semana)\b"
)
_WEEKDAY_WORD = (
    r"(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday|mon|tue|tues|wed|thu|thur"
    r"|thurs|fri)"
)
# "Next Tuesday" is the Tuesday of next week (as the recognizer reads it), "next Monday or
# Tuesday" both of that week's.
_NEXT_WEEKDAY = re.compile(rf"\bnext {_WEEKDAY_WORD}\b")
_DIA = r"(?:lunes|martes|miercoles|jueves|viernes|sabado|domingo)"
# "El próximo lunes", "el lunes que viene": the coming one, never today.
_COMING_WEEKDAY = re.compile(
    rf"\b(?:proximo|siguiente) {_DIA}\b|\b{_DIA} (?:proximo|que viene|que entra)\b"
)
# A part of the day said alone ("en la tarde"): the recognizer dates it today; it is any day.
_BARE_PART = re.compile(
    r"^(?:in|on|at|por|en|de|a)?\s*(?:the|la|el)?\s*(?:morning|afternoon|evening|night"
    r"|mañana|manana|tarde|noche)s?$"
)
_MAS = re.compile(r"\bm[aá]s\s+$", re.IGNORECASE)
# "Can't do before 11", "doesn't work after 3", "no puedo antes de las 11": the other side.
_CANNOT = (
    r"(?:not|no|nothing|can'?t|cannot|can not|couldn'?t|unable to|won'?t|doesn'?t|don'?t)"
    r"(?: (?:do|make it|come|come in|go|be there|work|manage))?(?: anything| any time| it)?"
)
_NEGATED_BOUNDS = (
    (rf"\b{_CANNOT} (before|earlier than)\b", "after"),
    (rf"\b{_CANNOT} (after|later than)\b", "before"),
    (
        r"\bno (?:puedo |podria |me queda |me sirve |llego )?(?:ir |llegar )?antes de\b",
        "despues de",
    ),
    (r"\bno (?:puedo |podria |me queda |me sirve )?(?:ir |quedarme )?despues de\b", "antes de"),
)
_COUNTED = re.compile(r"\s+of\b", re.IGNORECASE)
_BOUND = re.compile(
    r"\b(?P<way>after|before|despues de las?|antes de las?)"
    r" (?P<h>" + _HOUR_ALTERNATIVES + r")(?! (day|week|dia|semana)s?\b)\b"
)
# Relative to the visit being moved: same clock time a week on; some hours later / earlier.
_SAME_TIME = re.compile(r"\b(same time|misma hora|same hour)\b")
# The week after the visit's: "the week after (that)", "the following week", "a week later",
# "la semana siguiente / que sigue / de después", "a la otra semana".
_FOLLOWING_WEEK = (
    # not "next week after 10" (a clock bound)
    r"week later|week after(?! (?:\d+|"
    + "|".join(w for pair in HOURS_SAID for w in pair)
    + r"|noon|lunch|work|school)\b)|following week|week following|week from then|semana siguiente"
    r"|semana que sigue|semana de despues|semana despues|semana mas tarde|otra semana"
    r"|siguiente semana"
)
_WEEK_ON = re.compile(
    r"\b(" + _FOLLOWING_WEEK + r"|next week|semana que viene|proxima semana"
    r"|semana que entra)\b"
)
_HOURS_SHIFT = re.compile(
    r"\b(?P<n>\d{1,2}|an?|one|two|three|four|una|dos|tres|cuatro|un par de|a couple( of)?|couple"
    r"( of)?|a few|few|unas cuantas|unas pocas|unas)(?: more)? (hour|hr|hora)s?\b"
)
# "Una hora" asked for is a time for the visit ("¿tiene una hora más temprano?"), not an hour.
_A_TIME_ASKED = re.compile(
    r"\b(quisiera|quiero|queria|necesito|busco|hay|habra|tiene|tienen|tendra|tendran|tendria"
    r"|me da|me das|deme|dame|me puede dar|conseguir|otra|alguna)\s+$"
)
_SAME_DAY = re.compile(
    r"\b(same (day|date|morning|afternoon)|mismo dia|misma (fecha|manana|tarde)"
    r"|(later|earlier|sooner) (on |in )?(that|that same|the same) (day|morning|afternoon)"
    r"|(later|earlier) in the day|(on )?the day of (my|the|our) (appointment|appt|visit)"
    r"|that (day|morning|afternoon) but (a bit |a little )?(later|earlier)"
    r"|(mas tarde|mas temprano) (ese|el|en el) dia"
    r"|(mas tarde|mas temprano) (esa|la) (manana|tarde)"
    r"|(ese|el) dia pero (un poco )?mas (tarde|temprano)"
    r"|(esa|la) (manana|tarde) pero (un poco )?mas (tarde|temprano)"
    r"|el dia de (mi|la|su) (cita|consulta)"
    r"|that same day|that day but|ese dia pero)\b"
)
# "I can't do that day", "no puedo ese mismo día", "that day doesn't work": not a wish for it
# (the denial said just before or just after the day, not anywhere in the message).
_DENIED_BEFORE = re.compile(
    r"\b(can'?t|cannot|can not|not|won'?t|no puedo|no me (queda|sirve)|no|ni)( \w+){0,2} $"
)
_DENIED_AFTER = re.compile(
    r"^ (\w+ )?(doesn'?t|does not|won'?t|isn'?t|is not|is bad|no (puedo|me queda|me sirve"
    r"|funciona))\b"
)
_EARLIER_WORDS = re.compile(
    r"\b(earlier|sooner|before|mas temprano|mas tempranito|antes|(?<!mas )adelant\w*"
    r"|(move|bump)(ed)? (it |me |\w+ )?up)\b"
)
_LATER_WORDS = re.compile(
    r"\b(later|after|back|push\w*|mas tarde|mas tardecito|despues|atras\w*|pospon\w*)\b"
)
_PARTS: dict[PartOfDay, tuple[str, ...]] = {
    "morning": ("morning", "por la manana", "en la manana", "de la manana", "temprano"),
    "afternoon": ("afternoon", "tarde", "after lunch"),
    "evening": ("evening", "noche", "after work"),
}


# "Una mañana", "cualquier mañana", "las mañanas": a morning, not tomorrow.
_A_MORNING = re.compile(r"(?i)\b(?:una|alguna|cualquier|otra|las|unas|algunas) ma[nñ]anas?\b")
# "I have two appointments", "mis tres citas": a count of visits, no time.
_VISITS_COUNTED = re.compile(
    r"(?i)\b(?:two|three|2|3|dos|tres)\s+(?:appointments|appts|visits|citas|consultas)\b"
)
_WEEK_AFTER_NEXT = re.compile(
    r"\b(week after next|week after (?:the )?next(?: one| week)?|(?:in )?two weeks from now"
    r"|(?:in )?2 weeks from now|in two weeks|in 2 weeks|dentro de dos semanas|en dos semanas"
    r"|en 2 semanas|(?:la )?semana despues de la (?:proxima|que viene|que entra|entrante"
    r"|siguiente)|semana subsiguiente)\b"
)
# "Push it back a few days", "the week after", "posponer": later than the visit being moved.
_LATER = re.compile(
    r"\b((push|move|set)(ed)? (it |my \w+ |me |them )?(back|out)|bump(ed)? (it |my \w+ )?back"
    r"|(?<!no )(?<!not )(?<!nothing )later than|delay"
    r"|postpone|the week after|week later|posponer|pospon\w*|atrasar|atrase|aplazar|mas adelante"
    r"|la semana siguiente|la otra semana|same time|misma hora"
    r"|" + _FOLLOWING_WEEK + r"|(un|una|dos|tres|\d+) (dia|dias|semana|semanas)"
    r" (despues|mas tarde))\b"
)
# A move by a count of weeks, without "later": "move it out two weeks", "bump it 2 wks", "me la
# puede recorrer dos semanas" (not "in two weeks" / "en dos semanas", counted from today, nor
# "two weeks ago", nor a move up: "move it up two weeks").
_WEEKS_MOVED = re.compile(
    r"(?<!\bin )(?<!\ben )(?<!\bwithin )(?<!\bdentro de )(?<!\bfor )(?<!\bpor )"
    r"\b(?P<n>\d{1,2}|a|an|one|two|three|four|un|una|dos|tres|cuatro) (?:more )?"
    r"(?:week|wk|semana)s?\b(?! (?:ago|earlier|sooner|before|antes|atras)\b)"
    r"(?! ?(?:follow|check|post|visit|appointment|appt|old|supply|pregnant|de embarazo)\w*)"
)
_SPAN = re.compile(
    r"\b(?:(?P<n>\d{1,2}|a|an|one|two|three|four|un|una|dos|tres|cuatro)"
    r" (?P<unit>day|week|dia|semana)s?"
    r"|(?P<few>a few|a couple( of)?|couple( of)?|few|unos|unos pocos|un par de)"
    r" (?P<unit2>day|week|dia|semana)s?)\b"
)
_SPAN_NUMBERS = {"a": 1, "an": 1, "one": 1, "un": 1, "una": 1, "two": 2, "dos": 2, "three": 3,
                 "tres": 3, "four": 4, "cuatro": 4}  # fmt: skip


def weeks_moved(folded: str) -> int | None:
    """How many weeks a move shifts the visit when said as a count of weeks ("move it out two
    weeks", "dos semanas más adelante", "a week later"); None when no count of weeks is said,
    or the move is an earlier one."""
    found = _WEEKS_MOVED.search(folded)
    if found is None or _EARLIER_WORDS.search(folded):
        return None
    n = found["n"]
    return int(n) if n.isdigit() else _SPAN_NUMBERS.get(n, 1)


def later_than_visit(text: str, visit: date, weeks: int | None = None) -> date | None:
    """First day a "later" wish allows, counted from the visit it is about (not from today):
    "push it back a few days" = 3 days after the visit, "a week later" / "the week after" = the
    Monday of the visit's following week, "move it out two weeks" = the Monday two weeks on;
    None when the wish is not about later. `weeks`: the count of weeks read from the whole
    reply ("two weeks out" reads as a denial of the rest of it)."""
    folded = " ".join(words(text))
    if not _LATER.search(folded):
        weeks = weeks if weeks is not None else weeks_moved(folded)
        return None if weeks is None else visit + timedelta(days=7 * weeks - visit.weekday())
    span = _SPAN.search(folded)
    if (
        span is None
        or "week" in (span["unit"] or span["unit2"] or "")
        or "semana" in (span["unit"] or span["unit2"] or "")
    ):
        count = 1
        if span is not None and span["n"]:
            count = int(span["n"]) if span["n"].isdigit() else _SPAN_NUMBERS.get(span["n"], 1)
        return visit + timedelta(days=7 * count - visit.weekday())
    if span["n"]:
        days = int(span["n"]) if span["n"].isdigit() else _SPAN_NUMBERS.get(span["n"], 1)
    else:
        days = 2 if "couple" in span["few"] or "par" in span["few"] else 3
    return visit + timedelta(days=days)


def carries_details(text: str, *, now: datetime, time_zone: str, language: str) -> bool:
    """Does a request say when (or with whom) as well? "Move my appointment to Thursday
    afternoon", "anything sooner?", "push it back a few days", "later that same day", "the
    week after", "two hours later"."""
    folded = " ".join(words(text))
    if _LATER.search(folded) or about_the_visit_day(text) or _WEEK_ON.search(folded):
        return True
    if weeks_moved(folded) is not None:  # "move it out two weeks"
        return True
    if _HOURS_SHIFT.search(folded) and (_EARLIER_WORDS.search(folded) or _LATER_WORDS.search(
        folded)):  # fmt: skip
        return True
    wish = read_wish(text, now=now, time_zone=time_zone, language=language)
    pref = wish.preference
    return bool(
        wish.any_provider
        or wish.date_from
        or pref.asap
        or pref.part_of_day
        or pref.weekdays
        or pref.on_date
        or pref.earliest
        or pref.latest
    )


@dataclass(frozen=True)
class Wish:
    preference: TimePreference
    any_provider: bool = False
    date_from: date | None = None
    date_to: date | None = None  # last day asked ("next week": its Sunday)


# A greeting is no part of the day wished: "buenas tardes, necesito una cita", "good morning".
_GREETING = re.compile(
    r"(?i)\b(good\s+(morning|afternoon|evening)|buen[oa]s\s+(d[ií]as|tardes|noches))\b"
)
# When a symptom began is no time wished: "fever since Saturday", "tos desde anoche", "desde
# hace una semana" ("desde las 3", from three on, is one).
# When something happened is no time wished either: "I hurt myself at the gym yesterday", "me
# caí la semana pasada", "twisted it last weekend", "hace dos días".
_DAYS = (
    r"monday|tuesday|wednesday|thursday|friday|saturday|sunday|lunes|martes|mi[eé]rcoles|jueves"
    r"|viernes|s[aá]bado|domingo"
)
_PAST = re.compile(
    rf"(?i)\b(?:yesterday|last\s+(?:night|week|weekend|month|{_DAYS})\b(?!\s+of\b)"
    r"|the other day|this past (?:week|weekend|few days)"
    r"|(?:\d+|a|an|one|two|three|four|five|a few|a couple of|couple of|several)\s+"
    r"(?:days?|weeks?|months?)\s+ago"
    rf"|ayer|anoche|anteayer|antier|(?:la|el)\s+(?:semana|mes|fin de semana|{_DAYS})\s+pasad[oa]"
    r"|hace\s+(?:unos\s+|unas\s+)?(?:\w+\s+)?(?:d[ií]as|semanas|meses|un rato))\b"
)
# When it began, said as a clause: "since I moved a couch on Saturday", "desde que me caí el
# domingo", "ever since we got back Friday".
_SINCE_CLAUSE = re.compile(
    r"(?i)\b(?:ever\s+since|since|desde\s+que)\s+(?:[\w']+\s+){1,8}?(?:on\s+|el\s+|last\s+)?"
    rf"(?:{_DAYS}|yesterday|ayer|anoche|the\s+weekend|el\s+fin\s+de\s+semana)\b"
)
_ONSET = re.compile(
    r"(?i)\b(?:since|desde(?!\s+(?:las?|a\s+las?)\s+\w)(?:\s+hace)?)\s+"
    r"(?:(?:el|la|los|las|last|this|the|past|about|like|around|un|una|unos|unas|\d+)\s+)*"
    r"[^\W\d_]+(?:\s+(?:night|week|weekend|morning|afternoon|evening|pasad[oa]|de semana"
    r"|d[ií]as?|semanas?|noche|ma[nñ]ana|tarde))?"
)

# A day told in a past event ("I moved a couch on Saturday", "me caí el sábado"): when it
# happened, not when to come. The verb is a past form (not one of wishing: "I was hoping for
# Tuesday", "wanted to ask about Friday" stay wishes) and no wish word comes between.
_PAST_EVENT = re.compile(
    r"(?i)(?P<lead>\b(?!(?:hoped|wanted|wondered|needed|asked|planned|liked|preferred|requested"
    r"|figured|guessed|called|booked|scheduled|mentioned|offered)\b)(?:[a-z]+ed|fell|broke|hurt"
    r"|got|went|did|saw|took|ate|came|began|slipped|tripped|sprained|twisted|me ca[ií]"
    r"|se cay[oó]|me lastim[eé]|se lastim[oó]|me golpe[eé]|se golpe[oó]|empez[oó]|empec[eé]"
    r"|comenz[oó]|me torc[ií]|se torci[oó])\b(?:\s+(?!(?:can|could|would|will|want|need|like"
    r"|to|and|but|so|puedo|quiero|necesito|pero|y|para)\b)[\w']+){0,6}?\s+)"
    rf"(?:(?:on|el|this past)\s+)?(?P<day>{_DAYS})\b(?:\s+(?:morning|afternoon|evening|night"
    r"|(?:por|en) la (?:ma[nñ]ana|tarde|noche)))?"
)


# A clock bound said with a negation ("no earlier than eleven", "not before 10", "no antes de las
# 10", "no más tarde de las 11") is said plainly before denials are read: its "no" denies no day
# ("Thursday of next week no earlier than eleven" keeps Thursday).
_CLOCK_AHEAD = (
    r"(?=\s+(?:(?:las?|the)\s+)?(?:\d+|"
    + "|".join(w for pair in HOURS_SAID for w in pair)
    + r"|uno|noon|midday|mediod[ií]a)\b)"
)
_NEGATED_CLOCK_BOUNDS = (
    (re.compile(r"(?i)\b(?:no|not|nothing|none)\s+(?:earlier|sooner)\s+than" + _CLOCK_AHEAD),
     "after"),
    (re.compile(r"(?i)\b(?:no|not|nothing|none)\s+before" + _CLOCK_AHEAD), "after"),
    (re.compile(r"(?i)\b(?:no|not|nothing|none)\s+later\s+than" + _CLOCK_AHEAD), "before"),
    (re.compile(r"(?i)\b(?:no|not|nothing|none)\s+after" + _CLOCK_AHEAD), "before"),
    (re.compile(r"(?i)\b(?:no|nada)\s+(?:antes|m[aá]s\s+temprano)\s+(?:de|que)" + _CLOCK_AHEAD),
     "después de"),
    (re.compile(r"(?i)\b(?:no|nada)\s+(?:despu[eé]s|m[aá]s\s+tarde)\s+(?:de|que)" + _CLOCK_AHEAD),
     "antes de"),
)  # fmt: skip


def _bounds_said_plainly(text: str) -> str:
    for negated, plain in _NEGATED_CLOCK_BOUNDS:
        text = negated.sub(plain, text)
    return text


def read_wish(
    text: str,
    *,
    now: datetime,
    time_zone: str,
    language: str,
    visit: date | None = None,
    visit_time: time | None = None,
) -> Wish:
    """A search wish from free text; what is not understood is simply not constrained.

    `visit` / `visit_time`: the local date and clock time of the appointment being moved;
    "later" wishes ("push it back a week", "the week after") count from it, not from today,
    and "same time a week later", "two hours later", "earlier the same day" are read from it.
    """
    text = _bounds_said_plainly(text)  # "no earlier than eleven": after eleven
    text = _A_MORNING.sub("por la mañana", text)  # "una mañana" is a morning, not tomorrow
    text = _VISITS_COUNTED.sub(" ", text)  # "tengo dos citas": no 2 o'clock
    when = _SINCE_CLAUSE.sub(" ", _GREETING.sub(" ", text))  # "since I fell on Saturday"
    when = _PAST.sub(" ", _ONSET.sub(" ", when))  # no past, no onset
    when = _PAST_EVENT.sub(lambda m: m["lead"], when)  # "I fell on Saturday": no wish
    said = read_times(when, language)  # "tues aft" written out
    whole = " ".join(words(text))  # with what was denied: "not this week", "not before Monday"
    text = said.kept()  # what was denied ("mornings I work", "not Tuesday") is no wish
    folded = " ".join(words(text))
    today = now.astimezone(zone(time_zone)).date()
    # "más tarde" is "later", not "afternoon"; "más temprano", "earlier", not "morning"
    parts_text = re.sub(r"\b(mas|muy|poco) (tarde|temprano|tardecito|tempranito)\b", "", folded)
    pref = TimePreference(asap=any(k in folded for k in _ASAP), part_of_day=_part_said(parts_text))
    weekdays = weekdays_in(text)  # "Tuesday or Wednesday"; not those denied
    if weekdays:
        pref = replace(pref, weekdays=frozenset(weekdays))
    else:  # "early next week", "a finales de la semana": those days
        pref = replace(pref, weekdays=week_windows.part_of_week(folded))
    date_from = date_to = None
    if re.search(r"\b(day after tomorrow|pasado manana)\b", folded):
        pref = replace(pref, on_date=today + timedelta(days=2))
    elif re.search(r"\b(tomorrow|manana)\b", folded) and not re.search(
        r"\b(por|en|de|la) manana\b", folded
    ):
        pref = replace(pref, on_date=today + timedelta(days=1))
    elif (
        _NEXT_WEEK.search(folded) or (visit is None and _OTHER_WEEK.search(folded))
    ) and not _SAME_TIME.search(folded):
        date_from = today + timedelta(days=7 - today.weekday())
        date_to = date_from + timedelta(days=6)
    bound = week_windows.weekday_bound(whole, today)
    if bound is not None:  # "not before Wednesday", "after Wednesday": from then, any day
        date_from = max(bound[0], date_from or bound[0])
        pref = replace(pref, weekdays=pref.weekdays - {bound[1]})  # a bound, not the only day
    elif date_from is None:
        date_from = week_windows.not_this_week(whole, today)  # "not this week": next week's
    if date_from is None and pref.weekdays and pref.on_date is None:
        if _NEXT_WEEKDAY.search(folded):  # "next Monday or Tuesday": next week's (as resolved)
            date_from = today + timedelta(days=7 - today.weekday())
            date_to = date_from + timedelta(days=6)
        elif _COMING_WEEKDAY.search(folded):  # "el lunes que viene": not today's
            date_from = today + timedelta(days=1)
    clock = _clock_folded(text)
    after = re.search(
        r"\b(after|despues de las?)\s+(\d{1,2})(?:h(\d{2}))?\s*(am|pm|a m|p m)?\b", clock
    )
    if after:
        pref = replace(pref, earliest=_clock(after[2], after[3], after[4]))
    before = re.search(
        r"\b(before|antes de las?)\s+(\d{1,2})(?:h(\d{2}))?\s*(am|pm|a m|p m)?\b", clock
    )
    if before:
        pref = replace(pref, latest=_clock(before[2], before[3], before[4]))
    either = _EITHER.search(clock)
    if either:  # "at 2:40 or 3": from the first time named, nearest it first
        first = _clock(either["h"], either["m"], either["s"])
        pref = replace(pref, earliest=first, latest=None, near=first)
    pref = _clock_words(pref, clock)
    pref, resolved_from = _with_resolved(
        pref, text, now=now, time_zone=time_zone, language=language
    )
    pref = _around_said(pref, clock)
    pref = _part_over_other_clock(pref)
    if bound is not None and pref.on_date is not None and pref.on_date.weekday() == bound[1]:
        pref = replace(pref, on_date=None)  # "a partir del miércoles": not that day only
    if date_from and pref.on_date and not date_from <= pref.on_date <= (date_to or pref.on_date):
        pref = replace(pref, on_date=None)  # "next week": not a day the recognizer guessed
    if pref.on_date and _OR_LATER.search(folded):  # "tomorrow or the next open day": from then
        date_from, pref = pref.on_date, replace(pref, on_date=None)
    anyone = any(k in folded for k in _ANY_PROVIDER) or bool(_ANYONE.search(folded))
    if _WEEK_AFTER_NEXT.search(folded):  # two weeks on: its Monday (or later days named)
        monday = today + timedelta(days=14 - today.weekday())
        return Wish(replace(pref, asap=False, on_date=None), anyone, monday)
    pref = _without_denied(pref, said)
    weeks = weeks_moved(whole)  # "2 weeks out": not a denial of weeks
    if visit is not None:
        moved = _from_visit(pref, folded, visit, visit_time, weeks)
        if moved is not None:
            return Wish(moved, anyone)
    later = later_than_visit(text, visit, weeks) if visit is not None else None
    if later is not None:  # later than the visit: relative words count from it
        # from that day on (not "as soon as possible", which the search reads as from today)
        pref = replace(pref, asap=False, on_date=None)
        return Wish(pref, anyone, max(later, today))
    if date_from:
        pref = replace(pref, asap=False)
    return Wish(pref, anyone, date_from or resolved_from, date_to)


def _part_over_other_clock(pref: TimePreference) -> TimePreference:
    """ "The afternoon, I finish my night shift at 8am", "mornings, my shift starts at 2pm": a
    clock time outside the part of the day wished tells of the patient's day, not the visit's
    time; the part of the day is the wish."""
    if pref.part_of_day is None or pref.near is None:
        return pref
    start, end = PARTS_OF_DAY[pref.part_of_day]
    if start <= pref.near and (end is None or pref.near < end):
        return pref
    earliest = None if pref.earliest is not None and pref.earliest <= pref.near else pref.earliest
    latest = None if pref.latest is not None and pref.latest >= pref.near else pref.latest
    return replace(pref, near=None, earliest=earliest, latest=latest)


# A reason given for a wish ("... because my sister drives me and she works mornings") says
# nothing about the wish itself: the part of the day is read before it when it names one.
_BECAUSE = re.compile(r"\b(because|since|cause|cuz|porque|ya que|pues)\b.*$")
# "Tomorrow or the next open day", "mañana o el siguiente día que tengan": from then on.
_OR_LATER = re.compile(
    r"\b(or|o) (the |el |al )?(next|siguiente|following|first|primer|proximo) ?(open |available"
    r" |libre |disponible )?(day|dia|one|opening|que tengan|que haya)?\b|\bor after\b|\bo despues\b"
)
# "La otra semana" with no visit to move: the coming week (with one, later than the visit).
_OTHER_WEEK = re.compile(r"\b(la otra semana|the following week)\b")


def _part_said(parts_text: str) -> PartOfDay | None:
    """The part of the day wished, read before any reason given for it: the first one said
    ("la tarde o la mañana" is the afternoon; those denied are no longer in the text)."""

    def part_in(text: str) -> PartOfDay | None:
        found = [
            (m.start(), part)
            for part, keys in _PARTS.items()
            for key in keys
            for m in re.finditer(rf"\b{re.escape(key)}", text)
        ]
        return min(found)[1] if found else None

    return part_in(_BECAUSE.sub("", parts_text)) or part_in(parts_text)


_ALL_PARTS: tuple[PartOfDay, ...] = ("morning", "afternoon", "evening")


def _without_denied(pref: TimePreference, said: Reading) -> TimePreference:
    """Only a denial said ("mornings are bad for me", "fridays I work", "any day but Monday"):
    the other parts of the day, the other weekdays. A part said or a clock window wins."""
    denied_parts = set(said.denied(PART))
    if denied_parts and pref.part_of_day is None and (pref.earliest, pref.latest) == (None, None):
        allowed = [_ALL_PARTS.index(p) for p in _ALL_PARTS if p not in denied_parts]
        if allowed:
            if allowed != list(range(allowed[0], allowed[-1] + 1)):
                allowed = allowed[:1]  # "not afternoons": mornings (evenings are rare)
            lo = PARTS_OF_DAY[_ALL_PARTS[allowed[0]]][0]
            hi = PARTS_OF_DAY[_ALL_PARTS[allowed[-1]]][1]
            pref = replace(pref, earliest=None if lo == time(0) else lo, latest=hi)
    denied_days = {WEEKDAY_NAMES.index(d) for d in said.denied(WEEKDAY)}
    if denied_days and not pref.weekdays and pref.on_date is None:
        pref = replace(pref, weekdays=frozenset(set(range(7)) - denied_days))
    return pref


def _clock_words(pref: TimePreference, folded: str) -> TimePreference:
    """Clock-ish parts of the day and clock hours said in words ("late morning", "after
    school", "around two", "before ten"): a start window; they win over a bare part of day."""
    for pattern, part, earliest, latest, near in _CLOCK_PARTS:
        if pattern.search(folded):
            return replace(pref, part_of_day=part, earliest=earliest, latest=latest, near=near)
    onwards = _ONWARDS.search(folded)
    if onwards:  # "at 3 or later", "a las 3 o más tarde": from then on, not about then
        hour = onwards["h"] if onwards["h"].isdigit() else str(_HOUR_WORDS[onwards["h"]])
        pref = replace(pref, earliest=_clock(hour, onwards["m"], onwards["s"]))
    for bound in _BOUND.finditer(folded):
        bound_at = _clock(str(_HOUR_WORDS[bound["h"]]), None, None)
        if bound["way"].startswith(("after", "despues")):
            pref = replace(pref, earliest=bound_at)
        else:
            pref = replace(pref, latest=bound_at)
    return pref


def _around_said(pref: TimePreference, folded: str) -> TimePreference:
    """ "Around two", "at one", "around 2": about that clock time, when nothing else (the
    resolver's reading of "two thirty", a bound such as "before ten") set a clock window."""
    if pref.earliest is None and pref.latest is None:
        around = _AROUND.search(folded)
        if around:
            hour = around["h"] if around["h"].isdigit() else str(_HOUR_WORDS[around["h"]])
            at = _clock(hour, around["m"], around["s"])
            if not around["s"] and pref.part_of_day in ("afternoon", "evening") and at.hour < 12:
                at = at.replace(hour=at.hour + 12)  # "at 7 in the evening"
            elif not around["s"] and pref.part_of_day == "morning" and at.hour > 12:
                at = at.replace(hour=at.hour - 12)  # "a las 6 de la mañana"
            # the clock says when: the part of the day said with it adds nothing
            pref = _around(replace(pref, earliest=at, latest=None, part_of_day=None))
    return pref


# Days counted from the visit being moved: "a day later", "two days after", "un día después",
# "the next day", "al día siguiente" (not "the day after tomorrow", counted from today).
_DAYS_ON = re.compile(
    r"\b(?P<n>\d{1,2}|a|an|one|two|three|four|un|una|dos|tres|cuatro) (?:more )?(?:day|dia)s?"
    r" (?:later|after|afterwards|despues|mas tarde)\b(?! (?:tomorrow|manana)\b)"
    r"|\b(?:the )?(?:next|following) day\b|\b(?:el|al) dia (?:siguiente|despues)\b"
    r"|\bthe day after\b(?! (?:tomorrow|manana|next)\b)"
)
# The visit's weekday a week on: "same day next week", "same day of the week", "el mismo día de
# la semana que viene", "same weekday the following week".
_SAME_WEEKDAY = re.compile(
    r"\b(same (week ?)?day|mismo dia)\b(?=.*\b(of the week|next week|following week|week after"
    r"|de la semana|semana que viene|proxima semana|semana proxima|semana siguiente"
    r"|siguiente semana|semana que entra|otra semana)\b)"
    r"|\b(next week|following week|semana que viene|proxima semana|semana siguiente)\b"
    r"(?=.*\b(same (week ?)?day|mismo dia)\b)"
)


def _visit_day_shift(folded: str, visit: date) -> date | None:
    """The day a wish counts from the visit: its weekday a week on, or some days after it."""
    if _SAME_WEEKDAY.search(folded):
        return visit + timedelta(days=7)
    days = _DAYS_ON.search(folded)
    if days is None:
        return None
    n = days["n"]
    if n is None:
        return visit + timedelta(days=1)
    return visit + timedelta(days=int(n) if n.isdigit() else _SPAN_NUMBERS.get(n, 1))


def _from_visit(
    pref: TimePreference,
    folded: str,
    visit: date,
    visit_time: time | None,
    weeks: int | None = None,
) -> TimePreference | None:
    """Wishes about the visit being moved: "same time a week later" (that clock time, 7 days
    on), "two hours later" / "push it back two hours" (about that much later the same day),
    "earlier the same day" (that day, before the visit). None when the text says none."""
    plain = replace(pref, asap=False, on_date=None, part_of_day=None, weekdays=frozenset())
    earlier = bool(_EARLIER_WORDS.search(folded))
    shifted = _visit_day_shift(folded, visit)
    if _SAME_TIME.search(folded) and visit_time is not None:
        weeks = weeks or weeks_moved(folded) or (1 if _WEEK_ON.search(folded) else None)
        day = shifted or (visit + timedelta(days=7 * weeks) if weeks else pref.on_date)
        window = _around(replace(plain, earliest=visit_time, latest=None))
        return replace(window, on_date=day, weekdays=frozenset() if day else pref.weekdays)
    if shifted is not None:  # "a day later", "same day next week": that day, at any time said
        return replace(pref, asap=False, on_date=shifted, weekdays=frozenset())
    shift = _HOURS_SHIFT.search(folded)
    if shift and _A_TIME_ASKED.search(folded, 0, shift.start()):
        shift = None  # "quisiera una hora más temprano": an earlier time, not an hour earlier
    if shift and visit_time is not None and (earlier or _LATER_WORDS.search(folded)):
        n = shift["n"]
        if n.isdigit():
            hours = int(n)
        elif "few" in n or "unas" in n:
            hours = 3
        else:
            hours = 2 if "couple" in n or "par" in n else _SPAN_NUMBERS.get(n, 1)
        at = datetime.combine(visit, visit_time)
        target = at - timedelta(hours=hours) if earlier else at + timedelta(hours=hours)
        lo, hi = (
            (target - timedelta(hours=1), target)
            if earlier
            else (target, target + timedelta(hours=1))
        )
        if target.date() != visit:
            return None
        return replace(plain, on_date=visit, earliest=lo.time(), latest=_plus_minute(hi.time()))
    if _visit_day_said(folded):  # keeps a part of the day or clock said with it
        that_day = replace(pref, asap=False, on_date=visit, weekdays=frozenset())
        if visit_time is None:
            return that_day
        if earlier:
            return replace(that_day, latest=min(that_day.latest or visit_time, visit_time))
        if _LATER_WORDS.search(folded):
            after = _plus_minute(visit_time)
            return replace(
                that_day, earliest=max(that_day.earliest or time(0), after or time(23, 59))
            )
        return that_day
    return None


def about_the_visit_day(text: str) -> bool:
    """ "A bit earlier the same morning", "más tarde ese mismo día": the day of the visit being
    moved (not a wish for that day when denied: "I can't do that day")."""
    return _visit_day_said(" ".join(words(text)))


def same_day_as_visit(text: str) -> bool:
    """ "The same day but later", "el mismo día", "the day of my appointment": said with
    "same", the visit's day even after offers on another single day ("later that day" there
    is the offers' day)."""
    folded = " ".join(words(text))
    return about_the_visit_day(text) and bool(_SAME_WORDS.search(folded))


_SAME_WORDS = re.compile(
    r"\b(same (day|date)|mismo dia|misma fecha|the day of (my|the|our) (appointment|appt|visit))\b"
)


# "That day" / "ese día" is the visit's only with earlier or later close by ("that day works
# but later", "ese día sí puedo pero más tarde como a las cuatro", "that morning, a bit
# earlier"); "any mornings that day?" after "Tuesday afternoon" is that Tuesday.
_THAT_DAY = re.compile(r"\b(that|ese|esa) (day|morning|afternoon|dia|manana|tarde)\b")
_ON_THAT_DAY = re.compile(
    r"\b(later|earlier|sooner|mas tarde|mas temprano|mas tardecito|mas tempranito|antes"
    r"|despues)\b"
)


def _visit_day_said(folded: str) -> bool:
    """The visit's own day named as a wish (not denied just before or after it)."""
    found = list(_SAME_DAY.finditer(folded)) + [
        m for m in _THAT_DAY.finditer(folded) if _ON_THAT_DAY.search(_around_words(folded, m, 6))
    ]
    for said in found:
        before, after = f"{folded[: said.start()]}", f" {folded[said.end() :].strip()}"
        if not _DENIED_BEFORE.search(before) and not _DENIED_AFTER.search(after):
            return True
    return False


def _around_words(folded: str, match: re.Match[str], n: int) -> str:
    """The `n` words on each side of a match."""
    before = folded[: match.start()].split()[-n:]
    after = folded[match.end() :].split()[:n]
    return " ".join([*before, "|", *after])


def _plus_minute(value: time) -> time | None:
    later = datetime.combine(date(2000, 1, 3), value) + timedelta(minutes=1)
    return later.time() if later.date() == date(2000, 1, 3) else None


# Minutes said in words after an hour in digits: "3 y media", "las 4 y cuarto", "2 and a half".
_DIGIT_AND_MINUTES = (
    (re.compile(r"\b(\d{1,2}) (?:y media|y treinta|and a half|thirty)\b"), r"\1h30"),
    (re.compile(r"\b(\d{1,2}) (?:y cuarto|y quince|and a quarter|fifteen)\b"), r"\1h15"),
    (re.compile(r"\b(\d{1,2}) (?:forty five|y cuarenta y cinco)\b"), r"\1h45"),
)
# Bounds said the other way round: "no más tarde de las 11", "a más tardar a las 10", "11 at the
# latest" (before), "no más temprano de las 9", "9 at the earliest" (after); noon as a bound.
_BOUNDS_REWORDED = (
    (r"\bno (?:mas tarde|despues) (?:de|que) (las?|la una)\b", r"antes de \1"),
    (r"\ba (?:mas|lo mas) tardar (?:a )?(las?)\b", r"antes de \1"),
    (r"\bno (?:mas temprano|antes) (?:de|que) (las?|la una)\b", r"despues de \1"),
    (r"\b(\d{1,2}(?:h\d{2})?(?: ?(?:am|pm|a m|p m))?) at the latest\b", r"before \1"),
    (r"\b(\d{1,2}(?:h\d{2})?(?: ?(?:am|pm|a m|p m))?) at the earliest\b", r"after \1"),
    (r"\b(?:antes del?|antes de las) (?:mediodia|medio dia|las doce del dia)\b", "antes de las 12"),
    (r"\b(?:before|by) (?:noon|midday|lunch ?time)\b", "before 12"),
)


def _clock_folded(text: str) -> str:
    """Folded text that keeps clock minutes: "2:30" becomes "2h30" (folding drops colons)."""
    folded = " ".join(words(re.sub(r"(\d):(\d{2})", r"\1h\2", text)))
    for said, meant in _DIGIT_AND_MINUTES:  # "después de las 3 y media": 3h30
        folded = said.sub(meant, folded)
    folded = _WORD_CLOCK.sub(_digits, folded)
    for reworded, meant in _BOUNDS_REWORDED:
        folded = re.sub(reworded, meant, folded)
    for negated, meant in _NEGATED_BOUNDS:  # "not before ten" is from ten on
        folded = re.sub(negated, meant, folded)
    return folded


def _digits(match: re.Match[str]) -> str:
    hour = _HOUR_WORDS.get(match["h"], 1)
    minutes = f"h{_MINUTE_WORDS[match['m']]:02d}" if match["m"] else ""
    return f"{match['cue']} {hour}{minutes}"


def _clock(hour: str, minute: str | None, suffix: str | None) -> time:
    h = int(hour) % 24
    suffix = suffix.replace(" ", "") if suffix else None
    if suffix == "pm" and h < 12:
        h += 12
    elif suffix is None and 1 <= h <= 6:
        h += 12  # "after 3" at a clinic means 3 PM
    return time(h, int(minute or 0))


_NO_DAY = ("the day", "that day", "el dia", "del dia", "a day", "ultima hora", "primera hora")
_DAY_NUMBER = re.compile(r"\b\d{1,2}(?:st|nd|rd|th)?\b|\b(?:first|second|third|fourth|fifth)\b")


def _dated(item: Resolved, pref: TimePreference) -> bool:
    """Whether a date the recognizer resolved is the day wished: always without a weekday said,
    and with one only when the day of the month was said too ("Wednesday the 16th")."""
    if not pref.weekdays:
        return True
    day = item.date
    return bool(
        day is not None and day.weekday() in pref.weekdays and _DAY_NUMBER.search(item.text)
    )


def _with_resolved(
    pref: TimePreference, text: str, *, now: datetime, time_zone: str, language: str
) -> tuple[TimePreference, date | None]:
    """Merge what `assistant.datetimes` resolved into the keyword preference: keywords win
    where both speak; a date range ("next week") becomes the search's first day."""
    date_from = None
    clock_said = pref.earliest is not None or pref.latest is not None  # by keywords: they win
    if pref.asap:  # the recognizer reads "as soon as possible" as "now": keep our reading
        return pref, None
    for item in resolve(text, now=now, time_zone=time_zone, language=language):
        if item.kind == "date_range":
            date_from = item.date
            continue
        if item.kind == "time" and _COUNTED.match(text, item.end_char):
            continue  # "at one of your offices": a count, not a clock time
        if " ".join(words(item.text)) in _NO_DAY:
            continue  # "as late as possible in the day", "a última hora": no day said
        found = to_time_preference(item)
        if found is None:
            continue
        early = item.kind == "part_of_day" and item.text.lower().strip() in ("early", "late")
        too = re.search(r"\btoo\s+$", text[: item.start_char].lower())  # "too early for me"
        if early and (too or week_windows.EARLY_OF_A_WEEK.search(" ".join(words(text)))):
            found = replace(found, part_of_day=None)  # "early next week": no mornings
        if item.kind == "part_of_day" and _MAS.search(text, 0, item.start_char):
            found = replace(found, part_of_day=None)  # "más tarde" is "later", not "afternoon"
        if item.kind == "part_of_day" and _BARE_PART.match(item.text.lower().strip()):
            found = replace(found, on_date=None)  # "en la tarde": any day's afternoon
        if item.kind in ("time", "datetime") and found.earliest is not None:
            found = _around(found)
        pref = replace(
            pref,
            on_date=pref.on_date or (found.on_date if _dated(item, pref) else None),
            earliest=pref.earliest if clock_said else pref.earliest or found.earliest,
            latest=pref.latest if clock_said else pref.latest or found.latest,
            part_of_day=pref.part_of_day or found.part_of_day,
            near=pref.near if clock_said else pref.near or found.near,
        )
    return _clock_over_part(pref, text), date_from


# A clock time the visit is moved to or booked at: "move it to three o'clock", "cámbiela a
# las 4", "book me for 2".
_MOVED_TO_CLOCK = re.compile(
    r"\b(move|moving|change|switch|reschedul\w*|push|bump|make it|book|put me|cambi\w*|pas\w*"
    r"|mov\w*|muev\w*|agend\w*|could it be|can it be|how about|what about|puede ser"
    r"|podria ser)\b(\s+\S+){0,5}?\s+(to|for|at|a las?|para las?)\s+(\d{1,2}"
    r"|" + _HOUR_ALTERNATIVES + r")\b"
)


def _clock_over_part(pref: TimePreference, text: str) -> TimePreference:
    """ "Move it to three o'clock the same day, I drop the kids off in the morning": the clock
    time the visit is moved to is the wish, and a part of the day it is not in tells of the
    patient's day (the other way round, "an afternoon, my shift ends at 7am": the part is the
    wish, see `_part_over_other_clock`)."""
    if pref.near is None or pref.part_of_day is None:
        return pref
    if not _MOVED_TO_CLOCK.search(" ".join(words(text))):
        return pref
    lo, hi = PARTS_OF_DAY[pref.part_of_day]
    if lo <= pref.near and (hi is None or pref.near < hi):
        return pref
    return replace(pref, part_of_day=None)


def _around(found: TimePreference) -> TimePreference:
    """ "At 3" asks for about 3, not exactly 3:00: offer starts from an hour before to two
    hours after, nearest 3:00 first, so that a taken 3:00 still yields nearby options."""
    assert found.earliest is not None
    anchor = datetime.combine(date(2000, 1, 3), found.earliest)
    return replace(
        found,
        near=found.earliest,
        earliest=(anchor - timedelta(hours=1)).time(),
        latest=min((anchor + timedelta(hours=2)).time(), time(23, 59)),
    )
