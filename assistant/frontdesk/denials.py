"""The times a reply names, and which of them the patient turns down.

"shoot sorry, tues doesnt work for me anymore. could we try thurs morning" names Tuesday
(denied) and Thursday morning (wished); "¿por la tarde? es que en la mañana no me dan chance"
and "afternoons pls, i work mornings" wish the afternoon and deny the morning. The reply is cut
into clauses at punctuation and at the words a voice transcript turns on ("but", "mejor", "how
about", "could we" ...). In a clause a denial follows what it denies ("Tuesday doesn't work",
"el lunes no puedo", "mornings are bad for me", "en la mañana trabajo") or comes before it
("not Tuesday", "no puedo el lunes", "I can't do mornings", "any day but Monday").
`Reading.kept` is the reply without what was denied (and the words that denied it), for the
readings that know nothing of denials. English and Spanish alike: a reply may mix them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from assistant.frontdesk.spelling import WEEKDAY_WORDS, spelled_out
from assistant.identity.names import fold

WEEKDAY = "weekday"  # value: "monday" .. "sunday"
DAY = "day"  # "today", "tomorrow", "pasado manana"
WEEK = "week"  # "week", "weekend" (with the words around it in the group)
PART = "part"  # "morning", "afternoon", "evening"
CLOCK = "clock"  # the clock time as said: "3", "9:30"

_WEEKDAY_OF = {
    name: english
    for english, spanish in zip(WEEKDAY_WORDS["en"], WEEKDAY_WORDS["es"], strict=True)
    for name in (english, english + "s", spanish, spanish.rstrip("s") + "s")
}
_PART_OF = {
    "morning": "morning", "mornings": "morning", "afternoon": "afternoon",
    "afternoons": "afternoon", "evening": "evening", "evenings": "evening", "night": "evening",
    "nights": "evening", "tonight": "evening", "noche": "evening", "noches": "evening",
    "tarde": "afternoon", "tardes": "afternoon", "mananas": "morning",
}  # fmt: skip
# "mañana" is the morning after these words ("por la mañana"), else tomorrow.
_MORNING_AFTER = {"la", "las", "por", "en", "de", "esta", "cada", "toda", "todas"}
# "tarde" is late, not the afternoon, after these ("más tarde", "llego tarde").
_LATE_AFTER = {"mas", "muy", "poco", "llego", "llegar", "llegare", "voy", "algo", "ya", "bien",
               "demasiado", "un"}  # fmt: skip
_HOUR_WORDS = {"one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
               "eleven", "twelve", "noon", "una", "dos", "tres", "cuatro", "cinco", "seis",
               "siete", "ocho", "nueve", "diez", "once", "doce", "mediodia"}  # fmt: skip
_CLOCK_CUES = {"at", "around", "about", "by", "las", "la"}
_CLOCK_SUFFIXES = {"am", "pm", "oclock"}

# Words that may sit inside one group of time words ("on the tuesday morning", "el lunes por
# la tarde", "next week", "la semana que viene"); the joining ones allow two of a kind
# ("tuesday or wednesday").
_JOINS = {"and", "or", "y", "o", "u", "ni", "nor", "&"}
_GROUP_FILLERS = _JOINS | {
    "on", "the", "in", "at", "el", "la", "los", "las", "en", "por", "de", "del", "a", "this",
    "that", "next", "proxima", "proximo", "siguiente", "que", "viene", "entra", "entrante",
    "any", "every", "all", "todos", "todas", "cada", "of", "around", "about", "early", "late",
    "esta", "este", "those", "these", "fin",
}  # fmt: skip
# Between a denial and what it denies: "can't [do on the] tuesday", "no puedo [ir el] lunes".
_BEFORE_DENIED = _GROUP_FILLERS - _JOINS | {
    "do", "make", "come", "go", "be", "there", "get", "it", "in", "for", "really", "possibly",
    "manage", "again", "ir", "venir", "hacer", "hacerlo", "con", "anything", "something",
    "me", "ese", "esa", "either", "doing", "into", "my", "mi", "appointment", "appt", "visit",
    "cita", "consulta",
}  # fmt: skip
# Between what is denied and its denial: "mornings [are really] bad", "el lunes [ya] no".
_AFTER_DENIED = {
    "is", "are", "s", "just", "really", "also", "then", "actually", "kinda", "pretty",
    "totally", "definitely", "honestly", "es", "son", "esta", "estan", "me", "ya", "si", "pues",
    "realmente", "for", "now", "anymore", "sadly", "unfortunately", "would", "be", "will",
    "probably", "la", "verdad", "lamentablemente", "tambien", "seem", "seems", "to", "r",
    "re", "siempre", "al", "final", "finalmente", "de", "plano", "after", "all", "at", "this",
    "point", "pa", "mi", "para",
}  # fmt: skip

# Denials. After what they deny ("tuesday doesn't work"), before it ("not tuesday"), or either
# way ("i can't do tuesday" / "tuesday i can't"): as words with apostrophes dropped.
_AFTER_ONLY = """
doesnt work|does not work|dont work|do not work|wont work|will not work|not gonna work
|isnt going to work|is not going to work|no longer works|doesnt suit me|doesnt suit|no good
|not good|isnt good|arent good|not great|bad|out|full|taken|impossible|not possible
|isnt possible|tough|hard|difficult|a no|no go|a problem|not an option|not ideal|no way
|is not an option|wont do|doesnt do it|no bueno|are a no|is a no|arent possible
|no me funciona|no me conviene|no me va|no me acomoda|no me da|no me dan permiso
|no me dan chance|no me dan|no me dejan|no me sirven|no me quedan|no me funcionan
|no me convienen|no se puede|no es posible|imposible|dificil
|complicado|complicada|tampoco|no esta bien|no podre|no voy a poder|no alcanzo|no llego
|me toca trabajar|tengo que trabajar|no estoy|no estoy disponible|no me es posible
|se me complica|se me complican|me queda dificil|no me late|no va a poder ser|no puede ser
|no se va a poder|no se va a poder ser|estoy en el trabajo|estoy en la escuela|wont happen
|isnt going to happen|is not going to happen|not going to happen|aint gonna happen
|off the table|is off the table|not happening|no longer possible|no longer good
"""
_EITHER_WAY = """
no|nope|i cant|i cannot|i can not|cant|cannot|can not|i wont be able to|wont be able to
|i couldnt|couldnt|no puedo|no me sirve|no me queda|no me queda bien|busy|im busy|i am busy
|im not free|not free|im not available|i am not available|not available|isnt available
|arent available|estoy ocupado|estoy ocupada|ocupado|ocupada|i work|im working|i am working
|im at work|i have work|i got work|i have class|i have school|trabajo|tengo trabajo
|estoy trabajando|tengo clases|tengo escuela|no quiero|i dont want|dont want|i hate|hate
|never|nunca|not|no longer|i can no longer|can no longer|i no longer can|i have something
|i got something|ive got something|i have a thing|i have plans|i have another appointment
|im out of town|i am out of town|im away|tengo algo|tengo un compromiso|tengo otra cita
|no estoy en la ciudad|voy a estar fuera
"""
_BEFORE_ONLY = """
except|except for|excepto|salvo|menos|other than|anything but|any day but|anytime but
|any time but|everything but|all but|instead of|rather than|en vez de|en lugar de|nothing on
|none on|ni|nor|no more|nada el|nada en|nada por|scratch|scratch that|forget|forget about
|olvida|olvide|olvidese de|olvidate de|cross off|nvm|never mind|nevermind
|no es|no era|no fue|no seria|its not|it is not|it wasnt|it was not
"""
# Said before what they deny even when something precedes them ("tuesday not wednesday").
_BEFORE_FIRST = {"not", "never", "nunca"}
# Words that affirm the time said after them ("dije miércoles no martes", "I said Friday no
# Thursday"): a "no" that follows such a time denies the one after it, not the one affirmed.
_AFFIRMING = {"dije", "decir", "dicho", "said", "meant", "say", "era", "es", "sera", "is", "was"}
# "trabajo" is a denial as a verb ("en la mañana trabajo"), not as a noun ("después del
# trabajo").
_NOUN_BEFORE = {"del", "el", "mi", "al", "de", "su", "tu", "the", "my", "after", "despues"}

# Where a clause starts: the turn of a correction ("but", "mejor", "how about" ...), which a
# voice transcript says without a comma.
_PIVOTS = """
but|pero|mejor|sino|instead|rather|better|prefiero|prefer|preferably|preferiblemente|how about
|what about|que tal|make it|could we|can we|could you|can you|could i|can i|can it|could it
|maybe|perhaps|quizas|quiza|tal vez|podemos|podria|podrian|puede ser|so|entonces|asi que|lets
|let me|do you have|tiene|tienen|what if|y si|would|i would|id|i d|id rather|i prefer
"""
_NOT_PIVOT_AFTER = {"anything", "any", "anytime", "everything", "all", "day", "time"}
_BREAK = re.compile(r"[,;.!?¿¡…:()]|\s-\s")
_TOKEN = re.compile(r"\d{1,2}:\d{2}|\d+|[^\W\d_]+(?:['’][^\W\d_]+)*")


def _phrases(listed: str) -> tuple[tuple[str, ...], ...]:
    found = {tuple(p.split()) for p in listed.replace("\n", "").split("|") if p.strip()}
    return tuple(sorted(found, key=len, reverse=True))


_MARKERS: dict[str, list[tuple[tuple[str, ...], str]]] = {}  # by first word, longest first
for _phrase, _way in sorted(
    [(p, "after") for p in _phrases(_AFTER_ONLY)]
    + [(p, "either") for p in _phrases(_EITHER_WAY)]
    + [(p, "before") for p in _phrases(_BEFORE_ONLY)],
    key=lambda m: len(m[0]),
    reverse=True,
):
    _MARKERS.setdefault(_phrase[0], []).append((_phrase, _way))
_PIVOT_PHRASES = _phrases(_PIVOTS)


@dataclass(frozen=True)
class TimeWord:
    """A time word of the reply: where it is (in `Reading.text`), what it names, and whether
    the patient turned it down."""

    kind: str
    value: str
    start: int
    end: int
    denied: bool = False


@dataclass(frozen=True)
class Reading:
    text: str  # the reply with abbreviations and typos of day words written out
    words: tuple[TimeWord, ...]
    cut: tuple[tuple[int, int], ...]  # the denials: what is denied and the words denying it

    def wished(self, kind: str) -> list[str]:
        """Values of that kind named and not denied, in the order said."""
        return [w.value for w in self.words if w.kind == kind and not w.denied]

    def denied(self, kind: str) -> list[str]:
        return [w.value for w in self.words if w.kind == kind and w.denied]

    @property
    def denies(self) -> bool:
        return any(w.denied for w in self.words)

    def kept(self) -> str:
        """The reply without its denials (each replaced by a comma: a clause ends there)."""
        pieces, at = [], 0
        for start, end in sorted(self.cut):
            if start < at:
                start = at
            pieces += [self.text[at:start], " , "]
            at = max(at, end)
        return "".join([*pieces, self.text[at:]])


@dataclass(frozen=True)
class _Token:
    start: int
    end: int
    word: str
    clause: int


def _tokens(text: str) -> list[_Token]:
    """The words of the reply (folded, apostrophes dropped), each with its clause."""
    found = [
        (m.start(), m.end(), m[0] if ":" in m[0] else fold(m[0].replace("’", "'")).replace("'", ""))
        for m in _TOKEN.finditer(text)
    ]
    words = [word.strip() for _, _, word in found]
    tokens: list[_Token] = []
    clause = 0
    for i, (start, end, _) in enumerate(found):
        if i and (_BREAK.search(text[found[i - 1][1] : start]) or _pivot_at(words, i)):
            clause += 1
        tokens.append(_Token(start, end, words[i], clause))
    return tokens


def _pivot_at(words: list[str], i: int) -> bool:
    if not _starts(words, i, _PIVOT_PHRASES):
        return False
    if words[i] == "but" and words[i - 1] in _NOT_PIVOT_AFTER:
        return False  # "any day but monday": an exception, not a turn
    following = words[i + 1] if i + 1 < len(words) else ""
    return not (words[i] == "instead" and following == "of") and not (
        words[i] == "rather" and following == "than"
    )


def _starts(words: list[str], i: int, phrases: tuple[tuple[str, ...], ...]) -> tuple[str, ...]:
    return next((p for p in phrases if tuple(words[i : i + len(p)]) == p), ())


def _time_word(tokens: list[_Token], i: int) -> tuple[str, str, int] | None:
    """(kind, value, last token index) of a time word starting at token i."""
    word = tokens[i].word
    before = tokens[i - 1].word if i else ""
    after = tokens[i + 1].word if i + 1 < len(tokens) else ""
    if word in _WEEKDAY_OF:
        return WEEKDAY, _WEEKDAY_OF[word], i
    if word == "manana":
        if before == "pasado":
            return DAY, "pasado manana", i
        return (PART, "morning", i) if before in _MORNING_AFTER else (DAY, "tomorrow", i)
    if word in ("tomorrow", "today", "hoy"):
        return DAY, "today" if word == "hoy" else word, i
    if word in ("tarde", "tardes") and before in _LATE_AFTER:
        return None
    if word in _PART_OF:
        return PART, _PART_OF[word], i
    if word in ("week", "weeks", "weekend", "weekends", "semana", "semanas"):
        return WEEK, word, i
    is_hour = bool(re.fullmatch(r"\d{1,2}(:\d{2})?", word)) or word in _HOUR_WORDS
    if is_hour and (before in _CLOCK_CUES or after in _CLOCK_SUFFIXES):
        last = i + 1 if after in _CLOCK_SUFFIXES else i
        return CLOCK, word, last
    return None


@dataclass
class _Group:
    first: int  # token indexes, both included
    last: int
    words: list[int]  # indexes into the reading's time words
    lead: int  # first token of the fillers that lead into it ("on the", "en la")


def _groups(tokens: list[_Token], spans: list[tuple[str, int, int]]) -> list[_Group]:
    """Time words said together ("tuesday morning", "el lunes o el martes"): at most one of a
    kind unless joined by "or" / "and"."""
    groups: list[_Group] = []
    for n, (kind, first, last) in enumerate(spans):
        previous = groups[-1] if groups else None
        if previous is not None:
            between = [t.word for t in tokens[previous.last + 1 : first]]
            same_clause = tokens[previous.last].clause == tokens[first].clause
            joined = bool(set(between) & _JOINS)
            kinds = {spans[k][0] for k in previous.words}
            if (
                same_clause
                and all(w in _GROUP_FILLERS for w in between)
                and (kind not in kinds or joined)
            ):
                previous.last, previous.words = last, [*previous.words, n]
                continue
        lead = first
        while (
            lead > 0
            and tokens[lead - 1].word in _GROUP_FILLERS - _JOINS
            and tokens[lead - 1].clause == tokens[first].clause
            and first - lead < 3
        ):
            lead -= 1
        groups.append(_Group(first, last, [n], lead))
    return groups


_ASKING = {"can", "could", "may", "would", "do", "should", "will", "if", "might", "when"}
# Words a reply may open with before a bare no ("oh no wait, thursday").
# A Spanish voice transcript's fillers too ("este no el viernes mejor": um, no, Friday).
_OPENERS = {"no", "nope", "nah", "oh", "wait", "sorry", "uh", "um", "ah", "ay", "hmm", "ok", "okay",
            "well", "bueno", "pues", "perdon", "espera", "oops", "uy", "este", "eh", "em", "mm",
            "mmm", "mire", "oiga", "fijese", "noo", "nono", "disculpe", "espere"}  # fmt: skip


def _marker_ok(words: list[str], i: int, phrase: tuple[str, ...], opening: bool) -> bool:
    """Whether the words at `i` deny here (`opening`: a bare no may stand there)."""
    before = words[i - 1] if i else ""
    if phrase == ("trabajo",) and before in _NOUN_BEFORE:
        return False
    if phrase[0] in ("not", "no") and before in ("if", "si", "or"):
        return False  # "tuesday, if not wednesday": or else, not a denial
    if phrase[0] == "i" and before in _ASKING:
        return False  # "can I have something tuesday": asked for, not denied
    if phrase == ("no",) and opening:
        return False  # "no thursday", "no no, thursday" opening a reply: a no, then a wish
    return not (phrase == ("menos",) and i + 1 < len(words) and words[i + 1] == "cuarto")


def _group_after(
    tokens: list[_Token], end: int, starting: dict[int, _Group], clause: int
) -> _Group | None:
    """The group a denial ending before token `end` says before ("not [on] tuesday")."""
    i = end
    while i < len(tokens) and i - end <= 6 and tokens[i].clause == clause:
        found = starting.get(i)
        if found is not None:
            return found
        if tokens[i].word not in _BEFORE_DENIED:
            return None
        i += 1
    return None


def _group_before(
    tokens: list[_Token], start: int, ending: dict[int, _Group], clause: int
) -> _Group | None:
    """The group a denial starting at token `start` follows ("tuesday [is] bad")."""
    i = start - 1
    while i >= 0 and start - i <= 4 and tokens[i].clause == clause:
        found = ending.get(i)
        if found is not None:
            return found
        if tokens[i].word not in _AFTER_DENIED:
            return None
        i -= 1
    return None


@lru_cache(maxsize=1024)
def read_times(text: str, language: str | None = None) -> Reading:
    """The time words of a reply, each wished or denied (see the module)."""
    text = spelled_out(text, language)
    tokens = _tokens(text)
    spans: list[tuple[str, int, int]] = []  # (kind, first token, last token)
    values: list[str] = []
    i = 0
    while i < len(tokens):
        found = _time_word(tokens, i)
        if found is None:
            i += 1
            continue
        kind, value, last = found
        spans.append((kind, i, last))
        values.append(value)
        i = last + 1
    groups = _groups(tokens, spans)
    starting, ending = {g.first: g for g in groups}, {g.last: g for g in groups}
    denied: set[int] = set()
    cut: list[tuple[int, int]] = []
    in_time = {k for _, first, last in spans for k in range(first, last + 1)}
    words = [t.word for t in tokens]
    # a reply's first words ("oh no wait ..."), unless "no X sino Y" denies X
    openers = next((k for k, w in enumerate(words) if w not in _OPENERS), len(words))
    openers = 0 if "sino" in words else openers
    i = 0
    while i < len(tokens):
        match = None if i in in_time else _marker_at(tokens, words, i, i < openers)
        if match is None:
            if i < openers and words[i] in _BARE_NOS:  # "sorry no el lunes, el martes"
                _no_then_other(tokens, i, groups, starting, spans, denied, cut)
            i += 1
            continue
        phrase, way = match
        end = i + len(phrase)
        clause = tokens[i].clause
        after = _group_after(tokens, end, starting, clause) if way != "after" else None
        before = _group_before(tokens, i, ending, clause) if way != "before" else None
        first = (
            before is None
            or phrase[0] in _BEFORE_FIRST
            or way == "before"
            or _affirmed(tokens, before, clause)
        )
        if after is not None and first:
            denied.update(after.words)
            cut.append((tokens[i].start, tokens[after.last].end))
            _extend_joined(after, groups, tokens, denied, cut, clause)
        elif before is not None:
            denied.update(before.words)
            cut.append((tokens[before.lead].start, tokens[end - 1].end))
        i = end
    _replaced(tokens, spans, denied, cut)
    _denied_later(tokens, spans, values, denied, cut)
    time_words = tuple(
        TimeWord(kind, value, tokens[first].start, tokens[last].end, n in denied)
        for n, ((kind, first, last), value) in enumerate(zip(spans, values, strict=True))
    )
    return Reading(text, time_words, tuple(cut))


_BARE_NOS = {"no", "nope", "nah", "noo", "nono"}


def _no_then_other(
    tokens: list[_Token],
    i: int,
    groups: list[_Group],
    starting: dict[int, _Group],
    spans: list[tuple[str, int, int]],
    denied: set[int],
    cut: list[tuple[int, int]],
) -> None:
    """A reply's opening no said just before a time ("no el martes, el miércoles", "sorry no
    monday, tuesday"): that time is denied when another of its kind follows in a later
    clause; alone ("no, thursday", "no thursday") it is a no, then a wish."""
    clause = tokens[i].clause
    group = _group_after(tokens, i + 1, starting, clause)
    if group is None:
        return
    kinds = {spans[n][0] for n in group.words}
    later = any(
        tokens[other.first].clause > clause and kinds & {spans[n][0] for n in other.words}
        for other in groups[groups.index(group) + 1 :]
    )
    if later:
        denied.update(group.words)
        cut.append((tokens[i].start, tokens[group.last].end))


def _denied_later(
    tokens: list[_Token],
    spans: list[tuple[str, int, int]],
    values: list[str],
    denied: set[int],
    cut: list[tuple[int, int]],
) -> None:
    """ "Thursday morning, no not Thursday, Friday morning": a value denied after it was
    wished, with another of its kind wished after the denial, is no wish at all."""
    for n, (kind, first, last) in enumerate(spans):
        if n in denied or kind not in (WEEKDAY, DAY):
            continue
        for m in range(n + 1, len(spans)):
            if m not in denied or spans[m][0] != kind or values[m] != values[n]:
                continue
            replaced = any(
                spans[k][0] == kind and k not in denied and values[k] != values[n]
                for k in range(m + 1, len(spans))
            )
            if replaced:
                denied.add(n)
                cut.append((tokens[first].start, tokens[last].end))
                break


def _affirmed(tokens: list[_Token], group: _Group, clause: int) -> bool:
    """Whether the time group is affirmed by the word before it ("dije [el] miércoles")."""
    at = group.lead - 1
    return at >= 0 and tokens[at].clause == clause and tokens[at].word in _AFFIRMING


def _marker_at(
    tokens: list[_Token], words: list[str], i: int, opening: bool
) -> tuple[tuple[str, ...], str] | None:
    for phrase, way in _MARKERS.get(words[i], ()):
        end = i + len(phrase)
        if (
            tuple(words[i:end]) == phrase
            and _marker_ok(words, i, phrase, opening)
            and tokens[end - 1].clause == tokens[i].clause  # not across a comma or a turn
        ):
            return phrase, way
    return None


def _extend_joined(
    group: _Group,
    groups: list[_Group],
    tokens: list[_Token],
    denied: set[int],
    cut: list[tuple[int, int]],
    clause: int,
) -> None:
    """ "not tuesday nor wednesday", "ni el lunes ni el martes": the next one is denied too."""
    at = groups.index(group)
    for following in groups[at + 1 :]:
        between = [t.word for t in tokens[group.last + 1 : following.first]]
        if tokens[following.first].clause != clause or not set(between) & {"ni", "nor"}:
            return
        denied.update(following.words)
        cut.append((tokens[group.last].end, tokens[following.last].end))
        group = following


# A clause with these replaces what another clause named of the same kind: "forgot I have
# something tuesday. friday morning instead?" is Friday; "tuesday, or wednesday" is both.
_REPLACING = {"instead", "mejor", "rather", "better", "sino", "prefer", "prefiero", "meant"}
_ALSO = {"or", "o", "u", "and", "y", "also", "too", "tambien", "either", "plus"}


def _replaced(
    tokens: list[_Token],
    spans: list[tuple[str, int, int]],
    denied: set[int],
    cut: list[tuple[int, int]],
) -> None:
    clause_words: dict[int, set[str]] = {}
    for token in tokens:
        clause_words.setdefault(token.clause, set()).add(token.word)
    kinds_in: dict[int, set[str]] = {}
    for n, (kind, first, _) in enumerate(spans):
        if n not in denied and kind in (WEEKDAY, PART):
            kinds_in.setdefault(tokens[first].clause, set()).add(kind)
    replacing = {c for c in kinds_in if clause_words[c] & _REPLACING}
    if len(replacing) != 1:
        return  # none, or two clauses each "better": nothing says which
    [chosen] = replacing
    for n, (kind, first, last) in enumerate(spans):
        clause = tokens[first].clause
        if n in denied or clause == chosen or kind not in kinds_in[chosen]:
            continue
        if clause_words[clause] & _ALSO:
            continue
        denied.add(n)
        cut.append((tokens[first].start, tokens[last].end))
