"""Understanding short answers: yes/no, "the second one", "Thursday", "anything later?"."""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date

from assistant.frontdesk.denials import DAY, PART, WEEK, WEEKDAY, read_times
from assistant.frontdesk.emergency import is_emergency
from assistant.frontdesk.provider_words import names_provider, without_providers
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
    "too early", "muy temprano", "demasiado temprano",
)  # fmt: skip
_ORDINALS = {
    1: ("first", "1st", "primera", "primero", "primer"),
    2: ("second", "2nd", "segunda", "segundo"),
    3: ("third", "3rd", "tercera", "tercero", "tercer"),
}
_CARDINALS = {1: ("one", "uno", "una"), 2: ("two", "dos"), 3: ("three", "tres")}
# An item by its number with an article or "option" before it ("la uno", "el dos", "number
# three"): never a clock time ("la una" and "las dos" are).
_ITEM_BY_NUMBER = re.compile(
    r"(?:(?:la|el|the|option|opcion|number|numero)\s+)?(?P<n>uno|one|two|dos|three|tres)"
    r"(?:\s+(?:please|por favor|porfa))?"
)
_LAST = ("last", "latest", "ultima", "ultimo")
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
    """The folded words, a stretched yes or no written plainly ("siii", "yesss", "nooo")."""
    return [_unstretched(word) for word in fold(text).split()]


def _squeezed(word: str) -> str:
    return re.sub(r"(.)\1+", r"\1", word)


def _unstretched(word: str) -> str:
    if not re.search(r"(.)\1", word) or word in _SHORT_ANSWERS:
        return word
    return _STRETCHABLE.get(_squeezed(word), word)


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


WEEKDAY_NAMES = tuple(english for english, _ in WEEKDAYS)


def weekdays_in(text: str) -> set[int]:
    """The weekdays named and not denied ("Tuesday or Wednesday"; "el lunes no puedo, mejor el
    martes" is Tuesday; "not Monday", "mon doesnt work" are none), abbreviations and typos
    included."""
    return {WEEKDAY_NAMES.index(day) for day in read_times(text).wished(WEEKDAY)}


def weekday_of(text: str) -> int | None:
    """The one weekday named (None: none, or several)."""
    found = weekdays_in(text)
    return next(iter(found)) if len(found) == 1 else None


_CLOCK_WINDOW = re.compile(
    r"\b(after|before|past|later than|earlier than|no earlier than|no later than|antes de"
    r"|despues de|desde|a partir de)\s+(the\s+|las?\s+)?(\d|noon|midday|lunch|mediodia"
    r"|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|una|dos|tres|cuatro"
    r"|cinco|seis|siete|ocho|nueve|diez|once|doce)\b"
)


def choose(
    text: str,
    local_dates: Sequence[date],
    hours: Sequence[int] = (),
    minutes: Sequence[int] = (),
) -> int | None:
    """Index of the item meant by "the second one", "2", "Thursday", "the 26th", "2 pm", "the
    one at one o'clock", "la de la una y media", "the earliest one". A clock time that matches
    none of the items (or several) is not a choice; nor is one turned down ("not the first
    one", "3 pm doesn't work"), nor a day whose part of day said is not the item's ("Thursday
    morning" is not the Thursday afternoon one)."""
    said = words(text)
    count = len(local_dates)
    folded = " ".join(said)
    reading = read_times(text)
    named = _named_items(text)
    for number, names in _ORDINALS.items():
        if any(w in names for w in named) and number <= count:
            return number - 1
    if count and hours and _has(folded, _EARLIEST):
        return min(range(count), key=lambda i: (local_dates[i], hours[i], _at(minutes, i)))
    if any(w in _LAST for w in named) and count:
        return count - 1
    if _CLOCK_WINDOW.search(folded):  # "after 3 pm", "antes de las 11": a window, a new wish
        return None
    item = _ITEM_BY_NUMBER.fullmatch(folded)  # "la uno", "option two": an item, not one o'clock
    if item and count:
        number = next(n for n, names in _CARDINALS.items() if item["n"] in names)
        return number - 1 if number <= count else None
    clocks = said_clocks(reading.kept(), count)
    if clocks and hours:
        weekday = weekday_of(text)
        found = [
            i for i in range(count)
            if any(_same_clock(c, hours[i], _at(minutes, i)) for c in clocks)
            and (weekday is None or local_dates[i].weekday() == weekday)
        ]  # fmt: skip
        return found[0] if len(found) == 1 else None
    kept = " ".join(words(reading.kept()))  # "3pm doesnt work" names no item 3
    digits = [int(w) for w in re.findall(r"(?<![\d:])(\d{1,2})(?![\d:])", kept)]
    numbers = [int(w) for w in named if re.fullmatch(r"\d{1,2}", w)]  # "3 not 1": 3
    others = [w for w in named if not w.isdigit() and w not in _AROUND_A_NUMBER]
    if len(numbers) == 1 and 1 <= numbers[0] <= count and (len(said) <= 3 or not others):
        return numbers[0] - 1  # "2", "oops i meant #3", "option 2 instead"
    weekday = weekday_of(text)
    parts = reading.wished(PART)
    if weekday is not None:
        found = [
            i for i, d in enumerate(local_dates)
            if d.weekday() == weekday
            and not (parts and i < len(hours) and part_of_hour(hours[i]) not in parts)
        ]  # fmt: skip
        if len(found) == 1:
            return found[0]
    for number, names in _CARDINALS.items():
        if any(w in names for w in named) and number <= count and len(said) <= 3 and not weekday:
            return number - 1
    if digits:
        found = [i for i, d in enumerate(local_dates) if d.day in digits]
        if len(found) == 1:
            return found[0]
    return None


def part_of_hour(hour: int) -> str:
    """The part of the day of a local start hour (as `PARTS_OF_DAY`)."""
    return "morning" if hour < 12 else "afternoon" if hour < 17 else "evening"


def names_another_time(
    text: str,
    local_dates: Sequence[date],
    hours: Sequence[int] = (),
    minutes: Sequence[int] = (),
) -> bool:
    """Does a reply to offered times name a weekday, a part of the day or a clock time that none
    of them has, or turn one down ("Thursday morning instead", "mornings are bad for me", "how
    about 3 pm")? Then it is a new wish, not "anything later?" of the same one."""
    reading = read_times(text)
    if reading.denies or reading.wished(WEEK) or reading.wished(DAY):
        return True  # "tues doesnt work", "next week instead", "tomorrow?"
    if _CLOCK_BOUND.search(folded_text(text)):
        return True  # "I can't do before 11", "anything after 3?": a window on the clock
    days = {d.weekday() for d in local_dates}
    if any(WEEKDAY_NAMES.index(day) not in days for day in reading.wished(WEEKDAY)):
        return True
    parts = {part_of_hour(h) for h in hours}
    if hours and any(part not in parts for part in reading.wished(PART)):
        return True
    clocks = said_clocks(reading.kept(), len(local_dates))
    return bool(clocks and hours) and not any(
        _same_clock(c, hours[i], _at(minutes, i)) for c in clocks for i in range(len(hours))
    )


_NOT_ITEM = {"not", "ni", "nope", "nor"}
# Words around an item's number that say nothing else: "oops I meant #3", "option 2 instead".
_AROUND_A_NUMBER = {
    "oops", "i", "meant", "actually", "sorry", "wait", "no", "not", "pls", "please", "the",
    "one", "option", "number", "opcion", "numero", "la", "el", "mejor", "instead", "perdon",
    "quise", "decir", "ok", "okay", "um", "uh", "hmm", "porfa", "make", "it", "nope",
    # a correction's fillers: "no espere, la 3 mejor", "hold on, number 2 better"
    "espere", "espera", "esperese", "esperate", "hold", "on", "oh", "ay", "eh", "oiga", "oye",
    "better", "rather", "disculpe", "perdone", "perdona", "take", "prefer", "prefiero", "por",
    "favor",
}  # fmt: skip
_ARTICLES_ES = {"la", "el", "las", "los"}


def _named_items(text: str) -> list[str]:
    """The words of a reply without the items turned down: "not the first one, the second",
    "no la primera, la segunda" name the second only ("no wait the third one" names the
    third: "no" before an English item is a no to the question)."""
    kept: list[str] = []
    for clause in re.split(r"[,;.!?¿¡]|\b(?:but|pero|sino|mejor|instead)\b", fold(text)):
        said = clause.split()
        for j, word in enumerate(said):
            before = said[max(0, j - 2) : j]
            denied = bool(set(before[-1:]) & _NOT_ITEM) or (
                len(before) == 2
                and (before[0] in _NOT_ITEM or (before[0] == "no" and before[1] in _ARTICLES_ES))
                and before[1] in _ARTICLES_ES | {"the", "that"}
            )
            if not denied:
                kept.append(word)
    return kept


_EARLIEST = ("earliest", "soonest", "la mas temprana", "el mas temprano", "la de mas temprano",
             "la mas pronto", "la que sea primero", "lo mas temprano")  # fmt: skip
HOURS_SAID = (
    ("one", "una"), ("two", "dos"), ("three", "tres"), ("four", "cuatro"), ("five", "cinco"),
    ("six", "seis"), ("seven", "siete"), ("eight", "ocho"), ("nine", "nueve"), ("ten", "diez"),
    ("eleven", "once"), ("twelve", "doce"),
)  # fmt: skip
_HOUR_NAMES = {
    **{word: hour for hour, said in enumerate(HOURS_SAID, 1) for word in said},
    "uno": 1, "noon": 12, "mediodia": 12,
}  # fmt: skip
_MINUTE_NAMES = {
    "oh five": 5, "o five": 5, "ten": 10, "fifteen": 15, "twenty": 20, "thirty": 30,
    "forty five": 45, "forty": 40, "fifty": 50, "media": 30, "cuarto": 15, "quince": 15,
    "veinte": 20, "treinta": 30, "cuarenta y cinco": 45, "cuarenta": 40, "diez": 10,
}  # fmt: skip
_HOUR_ALT = "|".join(sorted(_HOUR_NAMES, key=len, reverse=True))
_MIN_ALT = "|".join(sorted(_MINUTE_NAMES, key=len, reverse=True))
# "at one", "the 1:30", "the two thirty", "la de la una y media", "las nueve de la mañana".
_SAID_CLOCK = re.compile(
    r"(?:\b(?P<cue>at|around|about|for|the|la|las|to)\s+|(?<![\w']))"
    r"(?P<h>\d{1,2}|" + _HOUR_ALT + r")"
    r"(?:h(?P<m>\d{2})|(?![\w'])(?:\s+(?:y\s+)?(?P<mw>" + _MIN_ALT + r")(?![\w']))?)"
    r"(?:\s*(?P<s>am|pm|a m|p m|o'?clock|o clock|de la (?:manana|tarde|noche)"
    r"|in the (?:morning|afternoon|evening))(?![\w']))?"
)


def said_clocks(text: str, count: int = 0) -> list[tuple[int, int, str | None]]:
    """Clock times said in a reply, as (hour, minute, "am"/"pm"/None). A bare number is a
    clock only with a cue ("at 2") and, after "the", only when it cannot be an item number."""
    text = re.sub(r"(?i)(\d)\s*([ap])\.?\s?m\b\.?", r"\1 \2m", text)  # "3pm", "3 p.m."
    folded = " ".join(words(re.sub(r"(\d):(\d{2})", r"\1h\2", text)))
    found = []
    for m in _SAID_CLOCK.finditer(folded):
        hour = int(m["h"]) if m["h"].isdigit() else _HOUR_NAMES[m["h"]]
        minute = int(m["m"]) if m["m"] else _MINUTE_NAMES.get(m["mw"] or "", 0)
        plain = not (m["m"] or m["mw"] or m["s"])
        if m["cue"] is None and plain:
            continue  # "2": an item number, not a clock
        if plain and m["cue"] in ("the", "to") and (not m["h"].isdigit() or hour <= count):
            continue  # "the one", "the 2": an item
        at_la = folded[: m.start()].endswith(("a ", "de "))  # "a la 1", "la de la 1"
        if plain and m["cue"] == "la" and m["h"].isdigit() and hour <= count and not at_la:
            continue  # "la 1": the first item ("la una", "a la 1" are one o'clock)
        if hour > 23 or minute > 59:
            continue
        suffix = m["s"] or ""
        half = "pm" if re.search(r"pm|p m|tarde|noche|afternoon|evening", suffix) else None
        half = "am" if re.search(r"am|a m|manana|morning", suffix) else half
        found.append((hour, minute, half))
    return found


def _same_clock(said: tuple[int, int, str | None], hour: int, minute: int | None) -> bool:
    h, m, half = said
    if minute is not None and m != minute:
        return False
    if minute is None and m:
        return False
    if half is None or h > 12:
        return h % 12 == hour % 12 if h <= 12 else h == hour
    return (h % 12 + (12 if half == "pm" else 0)) == hour


def _at(values: Sequence[int], i: int) -> int | None:
    return values[i] if i < len(values) else None


# --- Repair inside a conversation: stopping, starting over, questions, emergencies ------------

_STOP = (
    "never mind", "nevermind", "forget it", "forget about it", "leave it", "keep it as it is",
    "keep my appointment", "keep it", "stop", "quit", "nothing else", "don't bother",
    "olvidelo", "olvidalo", "olvide", "dejelo", "dejalo", "dejelo asi", "ya no", "mejor no",
    "no se preocupe", "deje la cita",
)  # fmt: skip
_YES_TOO = {
    "perfect", "great", "works", "fine", "good", "alright", "y", "yea", "ya", "k", "perfecto",
    "excelente", "acuerdo", "listo", "mhm", "mhmm", "mmhm", "mmhmm", "andale", "orale",
}  # fmt: skip
_YES_PHRASES = (
    "sounds good", "that works", "works for me", "let's do it", "lets do it", "do it", "book it",
    "go ahead", "please do", "adelante", "hagalo", "esta bien", "me sirve", "me queda bien",
    "uh huh", "mm hmm", "uh hum",
)  # fmt: skip
_RESTART = ("start over", "start again", "from the beginning", "empezar de nuevo",
            "desde el principio", "volver a empezar", "empecemos de nuevo")  # fmt: skip
_BACK = ("go back", "back up", "previous", "regresar", "volver atras", "atras")
_BUT = ("but", "pero", "although", "aunque", "wait", "espere", "hold on", "actually", "en realidad")
_QUESTION_WORDS = (
    "what", "where", "when", "how", "which", "why", "is", "are", "do", "does", "can", "could",
    "will", "should", "que", "donde", "cuando", "como", "cual", "hay", "tienen", "aceptan",
    "puedo", "necesito", "tengo", "debo",
)  # fmt: skip
# Said before a question on a call (no question mark in a transcript): "wait", "oh and", "oiga y".
_LEAD_INS = frozenset({
    "wait", "hold", "hang", "on", "oh", "um", "uh", "umm", "uhh", "hmm", "and", "also", "so", "hey",
    "actually", "sorry", "quick", "question", "one", "more", "thing", "real", "btw", "oiga",
    "oye", "y", "pues", "este", "perdon", "disculpe", "otra", "una", "pregunta", "ah", "ay",
    "tambien", "ok", "okay", "hi", "hello", "hola", "buenas", "buenos", "dias", "tardes",
    "good", "morning", "afternoon", "evening", "yeah", "yes", "si",
})  # fmt: skip
_TOPICS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("insurance", ("insurance", "copay", "co pay", "deductible", "medicaid", "medicare",
                   "seguro", "aseguranza", "aetna", "cigna", "humana", "blue cross",
                   "united healthcare", "unitedhealthcare", "uhc", "tricare", "familycare",
                   "in network", "in-network", "health plan", "plan de salud", "obamacare",
                   "ambetter", "molina", "oscar health", "kaiser", "anthem", "horizon",
                   "amerihealth")),
    ("prep", ("bring", "prepare", "prep", "fast", "fasting", "eat before", "traer", "llevar",
              "preparar", "ayunas", "ayuno", "comer antes")),
    ("office", ("parking", "park", "parquear", "parqueo", "parqueadero", "parking lot",
                "garage", "garaje", "valet", "street number", "building number", "what street",
                "which street", "cross street", "que calle", "cual calle", "zip code",
                "codigo postal",
                "address", "directions", "located", "location", "where are",
                "where is", "hours", "open", "close", "closing", "estacionamiento",
                "estacionar", "direccion", "donde estan", "donde queda", "horario", "abren",
                "cierran", "building", "suite", "what floor", "which floor", "which office",
                "what office", "main street", "edificio", "que piso", "cual oficina",
                "que oficina", "calle main")),
)  # fmt: skip
_MOVE = (
    "move", "moving", "change my", "change the", "push back", "push it", "pushed back",
    "postpone", "earlier", "sooner", "reschedule", "switch my", "bump", "shift my",
    "shift the", "shift it", "shifting my", "switch the", "switch it", "rearrange",
    "cambiar", "cambio", "mover", "adelantar", "atrasar", "posponer", "mas temprano",
    "mas tarde", "recorrer", "recorrerla", "correr mi cita", "correr la cita",
)  # fmt: skip
_LATER = ("later", "after", "push back", "push it back", "pushed back", "move it back", "postpone",
          "mas tarde", "despues", "atrasar", "posponer")  # fmt: skip
_EARLIER = ("earlier", "sooner", "before", "mas temprano", "antes", "adelantar", "cuanto antes")


# Yes and no words, by their letters with no letter doubled ("good" -> "god"): "goood",
# "siii", "okk" are those words stretched.
_SHORT_ANSWERS = frozenset(_YES | _NO | _YES_TOO | {"yea", "yeah", "ya", "no", "please"})
_STRETCHABLE = {_squeezed(w): w for w in sorted(_SHORT_ANSWERS)}


def _has(folded: str, phrases: Sequence[str]) -> bool:
    return any(re.search(rf"(^|\s){re.escape(p)}($|\s)", folded) for p in phrases)


def folded_text(text: str) -> str:
    return " ".join(words(re.sub(r"[?¿!¡.,;:]", " ", text)))


def stops(text: str) -> bool:
    """ "Never mind", "forget it", "olvídelo": stop the task, nothing changed. Not when a time
    is named or turned down, or a provider asked for: "never mind, thursday then", "el viernes
    ya no me queda", "never mind him, my usual doctor is fine" change the wish."""
    folded = folded_text(text)
    if not _has(folded, _STOP):
        return False
    return _has(folded, _KEEP) or not (read_times(text).words or names_provider(text))


_KEEP = ("keep my appointment", "keep it as it is", "keep it", "deje la cita", "dejelo asi")


def restarts(text: str) -> bool:
    return _has(folded_text(text), _RESTART)


def goes_back(text: str) -> bool:
    """ "Go back", "regresar" (not "go back to the original doctor": a provider asked for)."""
    return _has(folded_text(text), _BACK) and not names_provider(text)


def mentions_insurance(text: str) -> bool:
    """Insurance named ("I wanted to see if you accept Medicaid"), asked or not."""
    return _has(folded_text(text), dict(_TOPICS)["insurance"])


_PREPOSITIONS = frozenset({"en", "a", "para", "con", "de", "por", "at", "on", "in", "to", "from"})
# A question asked in the middle of a sentence (only its topic words make it an office one).
_ASKING_ANYWHERE = re.compile(
    r"\b(what'?s|whats|what is|what are|where'?s|wheres|where (is|are|do|can|should)"
    r"|which (one|floor|building|suite|office|street)|how do (i|we) get|do you (have|take"
    r"|accept|validate)|is there|are there|donde|cual es|que (numero|piso|calle|edificio)"
    r"|a que hora)\b"
)


def question_topic(text: str) -> str | None:
    """ "Is there parking?", "what do I need to bring", "¿aceptan mi seguro?": the topic of a
    question asked in the middle of a task (office, insurance, prep), else None."""
    folded = folded_text(without_providers(text))  # "is Dr. Park free?" asks no parking
    said = folded.split()
    while said[:1] and said[0] in _LEAD_INS:  # "wait do you take ...", "oiga y tengo que ..."
        said = said[1:]
    asked = (
        "?" in text
        or "¿" in text
        or (said[:1] and said[0] in _QUESTION_WORDS)
        # "en qué número de suite están", "at what time do you close"
        or (len(said) > 1 and said[0] in _PREPOSITIONS and said[1] in _QUESTION_WORDS)
        # a call's transcript has no question mark: "it's the building on Main Street right
        # what's the number", "y la dirección cuál es"
        or bool(_ASKING_ANYWHERE.search(" ".join(said)))
    )
    if not asked and not _ASKS.search(folded):  # "oh before I pick, do you guys take Cigna"
        return None
    if _PARKING.search(folded_text(text)):  # "where do I park": the verb, not NP Park
        return "office"
    if _asks_policy(folded):
        return "policy"
    for topic, keys in _TOPICS:
        if _has(folded, keys):
            return topic
    return None


# The cancellation / no-show policy: a fee with a cancellation, a late one or a visit missed
# ("is there a fee if I cancel this late?", "¿cobran si uno falta?"), or the policy named; not a
# bill ("a charge on my statement" is billing's).
_POLICY = ("no show", "no-show", "noshow", "cancellation policy", "cancel policy",
           "late cancel", "how much notice", "cuanto aviso", "cuanta anticipacion",
           "politica de cancelacion")  # fmt: skip
_FEE = ("fee", "fees", "charge", "charged", "charges", "penalty", "penalized", "cargo",
        "cargos", "cobran", "cobrar", "cobrarian", "cobraran", "cobra", "multa",
        "penalidad")  # fmt: skip
_CANCEL_LATE = re.compile(
    r"\b(cancel\w*|late|last minute|miss|missed|skip|resched\w*|notice|tarde"
    r"|call(?:ing)? (?:it )?off"
    r"|falt\w*|no (?:llego|llegar|voy|vengo|venir|asisto|asistir)|perder|pierdo|anul\w*"
    r"|(?:don'?t|do not|not|never|can'?t|cannot) (?:show|come|make it))\b"
)
_BILL = re.compile(r"\b(bill|billed|billing|statement|copay|co pay|invoice|factura|cuenta)\b")


def _asks_policy(folded: str) -> bool:
    if _BILL.search(folded):
        return False
    return _has(folded, _POLICY) or (_has(folded, _FEE) and bool(_CANCEL_LATE.search(folded)))


# A question said inside a longer reply on a call (no question mark in a transcript).
_ASKS = re.compile(
    r"\b((do|does|can|could|will|would) (you|u|y ?all|you guys|they|i|we)|(is|are) (there|you)"
    r"|where (is|are|do|can|should)|what time|whats|what is|how (much|long|do)"
    r"|(donde|cual|a que hora|cuanto|como) \w+|aceptan|tienen)\b"
)
_PARKING = re.compile(
    r"\b((where|can|do) (do |can |should )?(i|we|you) park|park (my|the) car|to park"
    r"|estaciono|estacionarme|estacionar|parqueo|parquear|parqueadero)\b"
)


_CANCEL_INSTEAD = re.compile(
    r"\b(cancel|cancell?ed|cancelar|cancele|cancelela|cancelarla|cancelala|cancela|cancelen"
    r"|cancelo|cancelamos|cancelemos|anula|anule|anular|anulela|anulen)\b"
)
_NOT_CANCEL = re.compile(
    r"\b(don'?t|do not|not|no|never|nunca)\s+(want to |quiero |la |lo )?(cancel|cancel\w+)\b"
)


def asks_to_cancel(text: str) -> bool:
    """ "Actually just cancel it", "mejor cancélela" (not "don't cancel it")."""
    folded = folded_text(text)
    return bool(_CANCEL_INSTEAD.search(folded)) and not _NOT_CANCEL.search(folded)


_REPLACEMENT = re.compile(
    r"\b(another one|another appointment|another appt|another time|another day|a new one"
    r"|new appointment|a new time|new appt|reschedul\w*|rebook|re book"
    r"|otra cita|otra para|otra hora|otro dia|otro horario|deme otra|me da otra|dame otra"
    r"|una nueva|nueva cita|reprogram\w*)\b"
)


# A replacement the patient will see to themselves, later: "I'll rebook later", "I'll call to
# reschedule", "no new one for now", "luego hago otra cita", "ya llamo yo para otra".
_LATER_ON_MY_OWN = re.compile(
    r"\b(i'?ll|ill|i will|i'?m going to|im going to|i'?m gonna|gonna|going to|let me"
    r"|will call|call back|call you|call again|llamo|llamare|voy a|vuelvo a|luego|despues"
    r"|mas adelante|yo|cuando|when i|once i)\b(\s+\w+){0,4}\s*$"
)
_LATER_AFTER = re.compile(
    r"^\s*(\w+\s+){0,4}?(later|myself|on my own|some other time|when i|once i|after i|luego"
    r"|despues|mas adelante|yo mism[oa]|cuando (pueda|sepa|regrese|vuelva|tenga))\b"
    r"(?!\s+(in|this|next|that|today|tomorrow|de|en|esta|ese|la|el|on the|that day)\b)"
)
_WANTED = re.compile(r"\b(need|want|take|like|prefer|necesit\w*|quier\w*|querr\w*)\b")
_NO_REPLACEMENT = re.compile(
    r"\b(don'?t|dont|do not|no|not|won'?t|nada de)\s+(\w+\s+){0,2}?(need|want|necesito|quiero"
    r"|hacer|sacar|book\w*|make)?\s*(\w+\s+){0,1}$"
)


def _replacement_now(folded: str, found: re.Match[str]) -> bool:
    """A replacement asked for now, not one the patient will see to later ("I'll rebook
    later", "no quiero otra cita")."""
    before, after = folded[: found.start()], folded[found.end() :]
    mine = _LATER_ON_MY_OWN.search(before)
    if mine and not _WANTED.search(mine[0]):  # not "I'll need a new one next week"
        return False
    if _NO_REPLACEMENT.search(before):
        return False
    return not _LATER_AFTER.search(after)


def replaces_visit(text: str) -> bool:
    """ "Cancel my appointment and give me another one on Wednesday", "cancele la cita y deme
    otra para el miércoles": a move, not a cancellation ("cancel it, I'll rebook later" is a
    cancellation)."""
    folded = folded_text(text)
    if not _CANCEL_INSTEAD.search(folded):
        return False
    return any(_replacement_now(folded, m) for m in _REPLACEMENT.finditer(folded))


# "My appointment time doesn't work anymore", "la hora de mi cita ya no me queda": the visit's
# time, not the visit, is the trouble.
_TIME_NO_GOOD = re.compile(
    r"\b(appointment|appt|visit|cita)( time| date| day)? (doesn'?t|does not|won'?t|will not"
    r"|isn'?t going to|is not going to|no longer|don'?t think it'?ll) work\b"
    r"|\b(hora|fecha|dia) de (mi|la) cita ya no (me )?(queda|sirve|funciona)\b"
)
# "Something came up, I can't make my appointment, can I come in another day?": not coming
# then, coming another time.
_ANOTHER_TIME_INSTEAD = re.compile(
    r"\b(can'?t|cannot|can not|won'?t be able to|unable to|not able to|no puedo|no voy a poder"
    r"|no podre)\b.*\b(another|other|different|otro|otra)\s+(day|time|date|dia|fecha|hora"
    r"|horario)\b"
)
# "¿Me pasa la cita al jueves?", "me la pasa a la misma hora": "pasar" a visit to a time.
_PASAR = re.compile(
    r"\b(me|nos|se) (la )?pas(a|an|aria|arian|e|en)( (la|mi|su) cita)? (a|al|para)\b"
)


def asks_to_reschedule(text: str) -> bool:
    """ "Actually I want to reschedule it", "mejor cámbiela para el lunes", "my appointment time
    doesn't work anymore"."""
    folded = folded_text(text)
    return asks_to_move(text) or bool(
        re.search(
            r"\b(reschedul\w*|reprogram\w*|cambi(ar|e|ela|arla|emela)|mover(la)?"
            r"|muev(a|ala|alo|amela|anla|e|ela)|pas(ela|emela|armela))\b",
            folded,
        )
        or _TIME_NO_GOOD.search(folded)
        or _PASAR.search(folded)
        or _ANOTHER_TIME_INSTEAD.search(folded)
    )


def asks_to_move(text: str) -> bool:
    """ "Can I push back my appointment", "move it earlier", "cambiar mi cita"."""
    return _has(folded_text(text), _MOVE)


# "Before 10", "after nine thirty", "después de las 3", "after work": bounds on the clock time of
# the new visit, not which way to move it.
_CLOCK_BOUND = re.compile(
    r"\b(before|after|antes de las?|despues de las?|antes de la una|despues de la una)"
    r" (\d{1,2}(?:\d{2})?(?: ?[ap] ?m)?|"
    + "|".join(w for pair in HOURS_SAID for w in pair)
    + r"|noon|mediodia"
    r"|work|school|lunch|my shift|i get off|(el|del|la) (trabajo|escuela|almuerzo|comida)"
    r"|comer)\b"
)


_NEGATED_WAYS = (
    (r"\b(not|nothing|no|none) (before|earlier than|sooner than)\b", "after"),
    (r"\b(not|nothing|no|none) (after|later than)\b", "before"),
    (r"\b(no|nada) (mas tarde|despues) (de|que) (las?|la una)\b", "antes de las"),
    (r"\b(no|nada) (mas temprano|antes) (de|que) (las?|la una)\b", "despues de las"),
    (r"\b(no|nada) antes\b", "despues"),
    (r"\b(no|nada) despues\b", "antes"),
)


# A visit pushed back or pulled up, whatever is named between: "push my appt back", "bump my
# physical out", "move the visit up", "bring it forward".
_MOVED_OBJECT = r"(?:it|them|that|this|me|us|(?:my|the|our|this|that) (?:\w+ ){0,2}?\w+)"
_PUSHED_BACK = re.compile(
    rf"\b(?:push|pushed|pushing|bump|bumped|bumping|move|moved|moving|set|shift|shifted|kick"
    rf"|kicked) (?:back |out )?{_MOVED_OBJECT} (?:back|out)\b|\b(?:push|pushed|bump|bumped|kick"
    rf"|kicked) (?:back|out) {_MOVED_OBJECT}\b"
)
_PULLED_UP = re.compile(
    rf"\b(?:move|moved|moving|bump|bumped|bring|brought|pull|pulled) {_MOVED_OBJECT}"
    rf" (?<!follow )(?<!check )(?:up|forward|ahead)\b"  # not "move my follow up"
    rf"|\b(?:move|bump|bring|pull) (?:up|forward) {_MOVED_OBJECT}\b"
)


def direction(text: str) -> str | None:
    """ "later" / "earlier" when the patient said which way, else None ("before 10" and
    "after work" bound the clock time, they say no way)."""
    folded = _CLOCK_BOUND.sub(" ", folded_text(text))
    for negated, meant in _NEGATED_WAYS:  # "nothing before Thursday" is later
        folded = re.sub(negated, meant, folded)
    folded = _CLOCK_BOUND.sub(" ", folded)  # "no later than 10" bounds the clock time too
    later = _has(folded, _LATER) or bool(_PUSHED_BACK.search(folded))
    earlier = _has(folded, _EARLIER) or bool(_PULLED_UP.search(folded))
    if later != earlier:
        return "later" if later else "earlier"
    return None


def strict_yes(text: str, intent: str | None = None) -> bool:
    """An unambiguous yes to a read-back: a yes, and nothing that hedges it ("ok but ..."),
    asks something, names another choice ("ok I'll take the first one") or says no."""
    folded = folded_text(text)
    said = folded.split()
    if not said or "?" in text or "¿" in text:
        return False
    # a yes word or phrase must be there: the classifier's affirm alone is not unambiguous
    yes = bool(set(said) & (_YES | _YES_TOO)) or _has(folded, _YES_PHRASES)
    if not yes or set(said) & _NO or _has(folded, _BUT):
        return False
    if said[0] == "y" and len(said) > 1 and not set(said[1:]) & (_YES | _YES_TOO):
        return False  # Spanish "y ...": "and ...", no yes ("y dónde me estaciono")
    if question_topic(text) is not None:  # "ok, and where do I park?"
        return False
    if stops(text) or restarts(text) or goes_back(text) or is_emergency(text):
        return False
    if any(w in names for names in _ORDINALS.values() for w in said) or set(said) & set(_LAST):
        return False
    if weekday_of(text) is not None or re.search(r"\d", folded) or new_wish(text):
        return False
    return not wants_more(text) and len(said) <= 8


_SAYS_COMING = (
    "i'll be there", "ill be there", "i will be there", "we'll be there", "we will be there",
    "see you then", "see you tomorrow", "confirmed", "confirmado", "confirmada", "ahi estare",
    "alli estare", "ahi estaremos", "alli nos vemos", "ahi nos vemos", "got it",
)  # fmt: skip


# A first word that answers "reply YES to confirm" ("please send my records" is no yes; nor is
# Spanish "ya" = already: "¿ya están los resultados?").
_OPENING_YES = frozenset({
    "yes", "yeah", "yep", "yup", "yea", "sure", "ok", "okay", "k", "absolutely",
    "definitely", "confirm", "confirmed", "perfect", "great", "si", "claro", "vale", "dale",
    "listo", "perfecto", "confirmo", "confirmado", "confirmada",
})  # fmt: skip


def opens_with_yes(text: str) -> tuple[bool, str]:
    """ "Yes definitely, thank you for the reminder!", "si voy. tengo que ir en ayunas?": a yes
    in the first clause (and no no, cancel or move in it), and what follows it."""
    pieces = re.split(r"(?<=[.,!;?])\s*", text.strip(), maxsplit=1)
    first, rest = pieces[0], (pieces[1] if len(pieces) > 1 else "")
    folded = folded_text(first)
    said = folded.split()
    if not said or set(said) & _NO or _has(folded, _BUT) or is_emergency(text):
        return False, rest
    if asks_to_cancel(text) or asks_to_move(text):
        return False, rest
    yes = said[0] in _OPENING_YES or _has(folded, _YES_PHRASES) or _has(folded, _SAYS_COMING)
    return yes, rest


def strict_no(text: str, intent: str | None = None) -> bool:
    """A plain no to a read-back (not a new choice: that is read back instead)."""
    said = folded_text(text).split()
    return bool(said) and (bool(set(said) & _NO) or intent == "deny") and not set(said) & _YES


def has_yes_word(text: str) -> bool:
    """A yes word and no no word ("yes, the first one" when the first one was read back)."""
    said = set(folded_text(text).split())
    return bool(said & (_YES | _YES_TOO)) and not said & _NO and not _has(" ".join(said), _BUT)


_PERSON = (
    "person", "a person", "human", "a human", "agent", "representative", "operator", "staff",
    "someone", "persona", "una persona", "alguien", "operador", "operadora", "recepcion",
)  # fmt: skip


def wants_person(text: str) -> bool:
    """ "Person", "a human please", "persona": the answer to "say person to talk to someone"."""
    folded = folded_text(text)
    said = folded.split()
    return 0 < len(said) <= 4 and _has(folded, _PERSON)
