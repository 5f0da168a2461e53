"""Who is speaking, said with the request: "hi this is Maria Lopez born 3/3/82, I need to cancel
my appointment", "Maria Lopez here, DOB March 3rd 1982 - ...", "me llamo José Hernández, nací el
quince de julio de mil novecientos setenta y cinco y quiero cancelar mi cita".

`introduction` finds the name and the date of birth (either may be missing) and the request
without them: the dialogue verifies the patient with what was said (asking only what is
missing) and reads the request from the rest; the NLU leaves the introduction out of the words
it classifies. A name alone counts only after a clear wrapper ("my name is", "this is", "soy",
"me llamo"); "I'm" or "it's" and a name only with a date of birth.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from assistant.datetimes import parse_date_of_birth
from assistant.datetimes.dob import MONTHS
from assistant.datetimes.numbers import ORDINALS_EN, TENS_EN, TENS_ES, UNITS_EN, UNITS_ES
from assistant.identity.names import (
    REQUEST_WORDS,
    fold,
    has_full_name,
    name_correction,
)


@dataclass(frozen=True)
class Introduction:
    name: str | None  # as said: "Maria Lopez"
    date_of_birth: str | None  # the words of the date of birth as said: "3/3/82"
    spans: tuple[tuple[int, int], ...]  # where the introduction is in the text (characters)
    rest: str  # the request without it

    @property
    def complete(self) -> bool:
        return self.name is not None and self.date_of_birth is not None


@dataclass(frozen=True)
class _Word:
    start: int
    end: int
    text: str  # as said, without the punctuation around it
    folded: str
    stop: bool  # a comma, a full stop ... ends the phrase here


def _words(text: str) -> list[_Word]:
    found: list[_Word] = []
    for match in re.finditer(r"\S+", text):
        raw = match.group()
        core = raw.strip(',.;:!?¿¡()"“”')
        if not fold(core).strip():  # a dash, a bracket: the word before ends a phrase
            if found:
                found[-1] = replace(found[-1], stop=True)
            continue
        start = match.start() + raw.index(core)
        folded = " ".join(fold(core).split()).strip("'")
        stop = raw.rstrip() != raw.rstrip(",.;:!?)") or raw in ("-", "–", "—")
        found.append(_Word(start, start + len(core), core, folded, stop))
    return found


# Wrappers before a name: strong ones are enough alone; weak ones need a date of birth too.
_STRONG = (
    ("my", "name", "is"), ("my", "name's"), ("my", "names"), ("name", "is"), ("this", "is"),
    ("me", "llamo"), ("mi", "nombre", "es"), ("soy",), ("le", "habla"), ("les", "habla"),
    ("habla",), ("a", "nombre", "de"), ("el", "nombre", "es"), ("the", "name", "is"),
)  # fmt: skip
_WEAK = (("it's",), ("its",), ("it", "is"), ("i'm",), ("im",), ("i", "am"))
# Words that say a date of birth follows (with "my" / "mi" / "and" before, "is" / "es" after).
_BIRTH = (
    ("date", "of", "birth"), ("dob",), ("d", "o", "b"), ("born", "on"), ("born",),
    ("birthday",), ("birth", "date"), ("birthdate",), ("bday",), ("b", "day"),
    ("fecha", "de", "nacimiento"), ("naci", "el"), ("naci",), ("nacido", "el"), ("nacido",),
    ("nacida", "el"), ("nacida",), ("cumpleanos",),
)  # fmt: skip
_BEFORE_BIRTH = {"my", "mi", "and", "y", "with", "con", "su", "her", "his"}
_AFTER_BIRTH = {"is", "es", "on", "el", "was", "fue", "of"}
_GREETINGS = {
    "hi", "hello", "hey", "hola", "buenas", "buenos", "dias", "tardes", "noches", "good",
    "morning", "afternoon", "evening", "yes", "yeah", "si", "um", "uh", "oh", "ok", "okay",
    "mire", "oiga", "este", "pues", "bueno", "ah", "eh", "so", "well",
}  # fmt: skip
# Words that are not a name's (besides request words): what people say around their name.
_NOT_NAME = REQUEST_WORDS | _GREETINGS | {
    "here", "calling", "llamando", "running", "late", "new", "patient", "paciente", "nuevo",
    "nueva", "trying", "wondering", "looking", "going", "gonna", "just", "also", "again",
    "hoping", "texting", "writing", "reaching", "about", "regarding", "sorry", "really",
    "i", "i'm", "im", "it's", "its", "and", "born", "dob", "birthday", "date", "fecha",
    "naci", "nacido", "nacida", "cumpleanos", "mom", "dad", "mother", "father", "son",
    "daughter", "wife", "husband", "madre", "padre", "hijo", "hija", "esposa", "esposo",
    "mama", "papa", "sick", "feeling", "having", "not", "still", "stuck", "on", "at", "out", "y",
    "name", "nombre", "desde",
}  # fmt: skip
_NUMBER_WORDS = (
    set(UNITS_EN) | set(TENS_EN) | set(ORDINALS_EN) | set(UNITS_ES) | set(TENS_ES)
    | {"hundred", "thousand", "mil", "novecientos", "ochocientos", "dos", "cien", "ciento",
       "twenty", "nineteen", "oh", "o"}
)  # fmt: skip
_DATE_GLUE = {"of", "the", "de", "del", "el", "y", "and", "on"}
_DATE_TOKEN = re.compile(
    r"\d{1,4}(?:\s*[/.\-]\s*\d{1,4}){0,2}(?:st|nd|rd|th|º)?|'\d{2}|\d{1,2}(?:st|nd|rd|th)"
)


def _date_word(word: _Word) -> bool:
    folded = word.folded
    if _DATE_TOKEN.fullmatch(word.text.lower()) or _DATE_TOKEN.fullmatch(folded):
        return True
    return folded in MONTHS or folded in _NUMBER_WORDS or folded in _DATE_GLUE


def _match(words: list[_Word], i: int, phrases) -> int:
    """The length of the longest phrase said at word i (0: none)."""
    best = 0
    for phrase in phrases:
        n = len(phrase)
        said = tuple(w.folded for w in words[i : i + n])
        if said == phrase and not any(w.stop for w in words[i : i + n - 1]):
            best = max(best, n)
    return best


_NUMERIC_DATE = re.compile(r"\d{1,4}\s*[/.\-]\s*\d{1,2}\s*[/.\-]\s*'?\d{2,4}")


def _date_at(words: list[_Word], i: int, language: str) -> int:
    """How many words from i say a date of birth (0: none): the longest run of date words that
    is a full date with a year. A comma ends it once it is one ("March 3, 1982, and ..."); a
    date written in digits ends it ("3/3/82 and 10 minutes late")."""
    n = 0
    while i + n < len(words) and n < 14 and _date_word(words[i + n]):
        n += 1
        if _NUMERIC_DATE.fullmatch(words[i + n - 1].text):
            break
        if words[i + n - 1].stop and _parses(words[i : i + n], language):
            break
    while n > 0:
        while n > 0 and words[i + n - 1].folded in _DATE_GLUE:
            n -= 1
        if n and len(words[i : i + n]) and _parses(words[i : i + n], language):
            return n
        n -= 1
    return 0


def _parses(said: list[_Word], language: str) -> bool:
    return parse_date_of_birth(" ".join(w.text for w in said), language) is not None


def _name_at(words: list[_Word], i: int) -> int:
    """How many words from i are a name (2 to 4 name-like words; 0: none)."""
    n = 0
    while i + n < len(words) and n < 6:
        word = words[i + n]
        j = i + n
        while n > 0 and j < len(words) and j - (i + n) < 2 and words[j].folded in _PARTICLES:
            j += 1  # "Ana María de la Cruz"
        if j > i + n and j < len(words) and _name_word(words[j]):
            if any(w.stop for w in words[i + n : j]):
                break
            n = j - i
            continue
        if not (_name_word(word) or (n == 0 and _titled_first_name(words, i))):
            break
        if _match(words, i + n, _BIRTH) or _starts_date(words, i + n):
            break
        if n >= 2 and word.folded in _NUMBER_WORDS - {"o", "oh"}:
            break  # "habla José Hernández quince de julio ...": the date of birth starts
        n += 1
        if word.stop:
            break
    return n if n >= 2 and has_full_name(" ".join(w.text for w in words[i : i + n])) else 0


_PARTICLES = {"de", "del", "la", "las", "los", "van", "von", "da", "di", "du", "le"}


def _name_word(word: _Word) -> bool:
    return word.folded not in _NOT_NAME and bool(re.fullmatch(r"[^\W\d_][\w'’-]*", word.text))


def _titled_first_name(words: list[_Word], i: int) -> bool:
    """A first name that is also a word of requests ("Will", "May", "Grace"), written as a name
    and followed by one ("Will Cancell here, dob ..."): a name, not "will"."""
    word, following = words[i], words[i + 1] if i + 1 < len(words) else None
    titled = len(word.text) > 1 and word.text[0].isupper() and word.text[1:].islower()
    if not titled or word.stop or word.folded not in REQUEST_WORDS - _GREETINGS:
        return False
    if following is None or not following.text[:1].isupper() or not _name_word(following):
        return False
    after = i + 2  # the name ends there: "here", a comma, the date of birth
    ends = after >= len(words) or following.stop or words[after].folded in ("here", "aqui")
    return ends or bool(_match(words, after, _BIRTH)) or _date_word(words[after])


def _starts_date(words: list[_Word], i: int) -> bool:
    """A month named before a number ("... march 3 1982", "... marzo tres"): a date starts."""
    following = words[i + 1] if i + 1 < len(words) else None
    return words[i].folded in MONTHS and following is not None and _date_word(following)


def _name_before(words: list[_Word], end: int) -> int:
    """The first word of a name said just before word `end` ("..., José Hernández fecha de
    nacimiento ...", "Maria Lopez here, DOB ..."), or -1."""
    if end and words[end - 1].folded in ("here", "aqui"):
        end -= 1
    for size in (4, 3, 2):
        start = end - size
        if start < 0 or any(w.stop for w in words[start : end - 1]):
            continue
        if _name_at(words, start) == size and (start == 0 or _before_ok(words, start)):
            return start
    return -1


_NAME_LABELS = {"and", "y", "name", "nombre", "patient", "paciente"}
_RELATIVES = {
    "son", "daughter", "child", "kid", "wife", "husband", "mom", "mother", "dad", "father",
    "hijo", "hija", "esposa", "esposo", "mama", "papa", "madre", "padre", "nieto", "nieta",
}  # fmt: skip


def _before_ok(words: list[_Word], start: int) -> bool:
    """What may stand before a name with no wrapper: a comma, a greeting, "and", or who the
    patient is ("my wife Ana Lopez, born ...": the patient's name)."""
    previous = words[start - 1]
    return previous.stop or previous.folded in _GREETINGS | _RELATIVES | _NAME_LABELS


_THIRD_PERSON = {"he", "she", "he's", "she's", "hes", "shes", "his", "her", "el", "ella"}
_POSSESSIVES = {"my", "mi", "our", "nuestro", "nuestra"}


def _someone_else_between(words: list[_Word], name: tuple[int, int] | None, at: int) -> bool:
    """Whether, between the caller's name and a birth date, someone else is spoken of ("... my
    son, he was born ...", "... for my daughter Sophia, she's nine, born ..."): the date is
    theirs."""
    if name is None:
        return False
    between = words[name[1] : at]
    for k, word in enumerate(between):
        if word.folded in _THIRD_PERSON:
            return True
        if word.folded in _RELATIVES and k and between[k - 1].folded in _POSSESSIVES:
            return True
    return False


def introduction(text: str, language: str = "en") -> Introduction | None:
    """The name and date of birth said in `text` and the request without them (None: none)."""
    words = _words(text)
    name: tuple[int, int] | None = None  # (first word, end word) of the name
    name_span: tuple[int, int] | None = None  # words to leave out for it
    dob: tuple[int, int] | None = None
    dob_span: tuple[int, int] | None = None
    strong = False
    i = 0
    while i < len(words):
        wrapper = _match(words, i, _STRONG) or _match(words, i, _WEAK)
        if name is None and wrapper and not words[i + wrapper - 1].stop:
            size = _name_at(words, i + wrapper)
            if size:
                name = (i + wrapper, i + wrapper + size)
                name_span = (i, i + wrapper + size)
                strong = bool(_match(words, i, _STRONG)) and words[i].folded != "habla"
                i = name[1]
                continue
        birth = _match(words, i, _BIRTH) if dob is None else 0
        if birth and _someone_else_between(words, name, i):
            birth = 0  # "this is Maria Lopez, my son ... was born 5/9/2015": the son's
        if birth:
            lead = i - 1 if i and words[i - 1].folded in _BEFORE_BIRTH else i
            at = i + birth
            if at < len(words) and words[at].folded in _AFTER_BIRTH and not words[at - 1].stop:
                at += 1
            size = _date_at(words, at, language)
            if size:
                dob, dob_span = (at, at + size), (lead, at + size)
                if name is None:
                    start = _name_before(words, lead)
                    if start >= 0:
                        here = lead - (words[lead - 1].folded in ("here", "aqui"))
                        name, name_span = (start, here), (start, lead)
                i = at + size
                continue
        i += 1
    if dob is None and name is not None:  # "Maria Lopez 03-03-1982 ..."
        size = _date_at(words, name[1], language)
        if size:
            dob = dob_span = (name[1], name[1] + size)
    if name is None and dob is None:
        name, name_span, dob, dob_span = _leading_name(words, language)
        strong = name is not None and dob is None  # "Maria Lopez here, ..."
    if name is None and dob is None:
        name, dob = name_span, dob_span = _name_and_date_after_stop(words, language)
    if name is not None and name_span is not None and words[name[0]].text[:1].isupper():
        # "le habla Gustavo Peña desde el celular ...": the name is its capitalised words
        end = _capitalised_end(words, name)
        if end is not None and end < name[1]:
            name, name_span = (name[0], end), (name_span[0], min(name_span[1], end))
    if name is not None and name_span is not None and dob is None and not strong:
        # "I'm Maria Lopez" alone: maybe not a name at all; "habla José Hernández le hablo
        # del teléfono de mi hija ...": the capitalised words opening the message are
        end = _capitalised_end(words, name)
        if end is not None and _capitalised_opening(words, (name[0], end)):
            name, name_span = (name[0], end), (name_span[0], end)
        else:
            name = name_span = None
    if name is None and dob is None:
        return None
    said = _finish(text, words, name, name_span, dob, dob_span)
    if name is None:
        return said
    fixed = name_correction(text, said.name)
    if fixed is not None and fixed[1] == words[name[1] - 1].end:  # "mario lopez, i mean maria"
        again, _, end = fixed
        start = words[(name_span or name)[0]].start
        blank = text[:start] + " " * (end - start) + text[end:]  # the name and its correction
        fixed_said = _finish(blank, words, None, None, dob, dob_span)
        return replace(fixed_said, name=again, spans=(*fixed_said.spans, (start, end)))
    return said


_Span = tuple[int, int]


def _capitalised_end(words: list[_Word], name: _Span) -> int | None:
    """Where the name's capitalised words end (particles between them kept: "Ana de la Cruz");
    None: fewer than two."""
    end, last = name[0], None
    for k in range(name[0], name[1]):
        if words[k].text[:1].isupper():
            end = last = k + 1
        elif words[k].folded not in _PARTICLES:
            break
        if words[k].stop:
            break
    if last is None or not has_full_name(" ".join(w.text for w in words[name[0] : end])):
        return None
    return end


def _capitalised_opening(words: list[_Word], name: _Span) -> bool:
    """ "hi it's Maria Lopez I'm running late": a name written with capitals right after the
    opening words (as a call's transcript writes it) is the caller's, without a birth date."""
    said = words[name[0] : name[1]]
    opening = all(w.folded in _OPENING_WORDS for w in words[: name[0]])  # "habla José ..."
    return opening and all(w.text[:1].isupper() for w in said)


_WEAK_WORDS = {word for phrase in _WEAK for word in phrase}
_OPENING_WORDS = _GREETINGS | _WEAK_WORDS | {word for phrase in _STRONG for word in phrase}
# Capitalised openings that are no one's name ("Happy Monday, ...", "Quick question, ...").
_NOT_OPENING_NAMES = {
    "happy", "dear", "quick", "question", "thank", "thanks", "good", "great", "sorry", "hey",
    "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "feliz",
    "lunes", "martes", "miercoles", "jueves", "viernes", "sabado", "domingo", "doctor", "dr",
    "doctora", "dra", "nurse", "enfermera", "office", "oficina", "clinic", "clinica", "urgent",
    "urgente", "important", "importante", "reminder", "recordatorio", "appointment", "cita",
    "street", "avenue", "road", "suite", "building", "calle", "avenida", "edificio",
}  # fmt: skip


def _name_then_request(words: list[_Word], start: int, here: int) -> bool:
    """ "Socorro Mercado, quiero confirmar mi cita": a name written with capitals opening the
    message, closed by a comma or a full stop, then a request."""
    said, after = words[start:here], words[here:]
    if not said[-1].stop or any(w.stop for w in said[:-1]) or len(after) < 2:
        return False
    capitalised = all(w.text[:1].isupper() and not w.text.isupper() for w in said)
    if not capitalised or any(w.folded in _NOT_OPENING_NAMES for w in said):
        return False
    return any(w.folded in REQUEST_WORDS for w in after)


def _name_and_date_after_stop(
    words: list[_Word], language: str
) -> tuple[_Span | None, _Span | None]:
    """ "confirmando cita. Jose Hernandez 15/7/75": a name starting a sentence and a full date
    of birth right after it, anywhere in the message. (name, date of birth)."""
    for i in range(1, len(words)):
        if not words[i - 1].stop:
            continue
        size = _name_at(words, i)
        if not size:
            continue
        date_size = _date_at(words, i + size, language)
        if date_size:
            return (i, i + size), (i + size, i + size + date_size)
    return None, None


def _leading_name(
    words: list[_Word], language: str
) -> tuple[_Span | None, _Span | None, _Span | None, _Span | None]:
    """A name opening the message with no wrapper: "Maria Lopez here, ...", or followed by a
    full date ("Maria Lopez 03-03-1982 ..."). (name, its span, date of birth, its span)."""
    start = 0
    while start < len(words) and words[start].folded in _GREETINGS:
        start += 1
    size = _name_at(words, start)
    here = start + size
    if not size or here >= len(words):
        return None, None, None, None
    if words[here].folded in ("here", "aqui"):
        return (start, here), (start, here + 1), None, None
    date_size = _date_at(words, here, language)
    if date_size:
        dob = (here, here + date_size)
        return (start, here), (start, here), dob, dob
    if _name_then_request(words, start, here):
        return (start, here), (start, here), None, None
    return None, None, None, None


def _finish(
    text: str,
    words: list[_Word],
    name: _Span | None,
    name_span: _Span | None,
    dob: _Span | None,
    dob_span: _Span | None,
) -> Introduction:
    spans = tuple(
        (words[a].start, words[b - 1].end) for a, b in (s for s in (name_span, dob_span) if s)
    )
    rest = text
    for start, end in sorted(spans, reverse=True):
        rest = rest[:start] + " " + rest[end:]
    rest = re.sub(r"\s+([,.;:!?])", r"\1", " ".join(rest.split()))
    rest = re.sub(r"\(\s*\)|\[\s*\]", " ", rest)
    rest = re.sub(r"([,.;:\-–—])(?:\s*[,.;:\-–—])+", r"\1", " ".join(rest.split()))
    return Introduction(
        name=" ".join(w.text for w in words[name[0] : name[1]]) if name else None,
        date_of_birth=" ".join(w.text for w in words[dob[0] : dob[1]]) if dob else None,
        spans=spans,
        rest=rest.strip(" ,;:-–—"),
    )
