"""Name matching that tolerates accents, case, punctuation, word order and filler words."""

from __future__ import annotations

import re
import unicodedata

# Words people wrap their name in ("my name is ...", "soy ...", "it's for ...").
_FILLERS = frozenset(
    {
        "my", "name", "is", "its", "it's", "this", "i", "am", "im", "i'm", "the", "patient",
        "for", "of", "and", "me", "llamo", "soy", "mi", "nombre", "es", "el", "la", "paciente",
        "para", "de", "del", "y", "hi", "hello", "hola", "yes", "si", "um", "uh",
    }
)  # fmt: skip


# Letters that no accent decomposition turns into plain ones (Bjørn, Ødegård, Łukasz, Straße,
# Đặng, Æsa): written the way a keyboard without them spells them.
_PLAIN_LETTERS = str.maketrans({
    "ø": "o", "Ø": "O", "æ": "ae", "Æ": "Ae", "œ": "oe", "Œ": "Oe", "ß": "ss", "đ": "d",
    "Đ": "D", "ł": "l", "Ł": "L", "ð": "d", "Ð": "D", "þ": "th", "Þ": "Th", "ı": "i",
    "’": "'", "‘": "'", "`": "'", "´": "'",
})  # fmt: skip


def fold(text: str) -> str:
    """Lower case, accents removed (José -> jose, Bjørn -> bjorn), punctuation turned into
    spaces."""
    decomposed = unicodedata.normalize("NFKD", text.translate(_PLAIN_LETTERS))
    plain = "".join(c for c in decomposed if not unicodedata.combining(c)).lower()
    return re.sub(r"[^a-z0-9' ]+", " ", plain.replace("-", " "))


def tokens(text: str) -> list[str]:
    """The words of a name, folded, without filler words."""
    return [t.strip("'") for t in fold(text).split() if t.strip("'") and t not in _FILLERS]


def has_full_name(text: str) -> bool:
    """At least a first and a last name (words with letters: "12/12/1968" is no name)."""
    return len([t for t in tokens(text) if any(c.isalpha() for c in t)]) >= 2


# The other way these letters are written without them (Bjørn as "Bjoern", Müller as "Mueller").
_ALTERNATE_LETTERS = str.maketrans({
    "ø": "oe", "Ø": "Oe", "å": "aa", "Å": "Aa", "ä": "ae", "Ä": "Ae", "ö": "oe", "Ö": "Oe",
    "ü": "ue", "Ü": "Ue",
})  # fmt: skip


def _spellings(first_name: str, last_name: str) -> set[tuple[str, str]]:
    return {
        (first_name, last_name),
        (first_name.translate(_ALTERNATE_LETTERS), last_name.translate(_ALTERNATE_LETTERS)),
    }


def matches(said: str, first_name: str, last_name: str) -> bool:
    """Did the caller say this patient's first and last name (as the record spells it, or
    with its letters written the other way: "Bjoern" for Bjørn)?"""
    return any(_matches(said, first, last) for first, last in _spellings(first_name, last_name))


def _matches(said: str, first_name: str, last_name: str) -> bool:
    """Did the caller say this patient's first and last name?

    The first word of the first name and one word of the last name must be among the words
    said (Spanish speakers often give only the first of two surnames). Words may be said apart
    or together ("O Connor", "OConnor", "Van der Berg", "Vanderberg", "mac donald") or spelled
    out letter by letter on the phone ("a o i f e murphy").
    """
    units = said_units(said)
    firsts, lasts = _first_keys(first_name), _last_keys(last_name)
    if not firsts or not lasts:
        return False
    if one_name(first_name, last_name):  # "Wirayuda" recorded as first and last name
        return any(f in units for f in firsts)
    return any(f in units for f in firsts) and any(k in units for k in lasts - firsts)


def one_name(first_name: str, last_name: str) -> bool:
    """A patient with a single name, recorded twice (first and last name the same): saying it
    once is saying the whole name (the date of birth is still checked)."""
    return _name_words(first_name) == _name_words(last_name) != []


def matches_closely(said: str, first_name: str, last_name: str) -> bool:
    """`_matches_closely` with either spelling of the record's letters."""
    return any(
        _matches_closely(said, first, last) for first, last in _spellings(first_name, last_name)
    )


def _matches_closely(said: str, first_name: str, last_name: str) -> bool:
    """One name as said, the other with a slip of the keyboard or of the ear: one letter
    wrong, missing, extra or two swapped, in a word of 6 letters or more that begins with the
    right letter ("Catherine Dubios"). Short names are not stretched: "Lopes" is not "Lopez",
    "Mario" not "Maria"."""
    units = said_units(said)
    firsts, lasts = _first_keys(first_name), _last_keys(last_name) - _first_keys(first_name)
    if one_name(first_name, last_name):
        return any(_close(f, units) for f in firsts)
    if not firsts or not lasts:
        return False
    first_said = any(f in units for f in firsts)
    last_said = any(k in units for k in lasts)
    if first_said and last_said:
        return True
    if first_said:
        return any(_close(k, units) for k in lasts)
    if last_said:
        return any(_close(f, units) for f in firsts)
    return False


def _close(key: str, units: set[str]) -> bool:
    if len(key) < 6:
        return False
    return any(
        u[:1] == key[:1] and abs(len(u) - len(key)) <= 1 and edit_distance(u, key, 1) <= 1
        for u in units
    )


# Particles and suffixes of surnames: never enough on their own ("Van" is not "van der Berg",
# "Jr." not "Hayes Jr.").
_PARTICLES = frozenset(
    {
        "de", "del", "la", "las", "los", "el", "y", "i", "van", "von", "der", "den", "ter", "da",
        "das", "do", "dos", "di", "du", "le", "st", "saint", "jr", "sr", "ii", "iii", "iv",
    }
)  # fmt: skip


def _name_words(text: str) -> list[str]:
    return [w.replace("'", "") for w in fold(text).split() if w.replace("'", "")]


def said_units(said: str) -> set[str]:
    """The words said, every run of two to four of them written together ("o connor" ->
    "oconnor") and every run of letters spelled one by one ("m a r t a" -> "marta"); on the
    phone "apostrophe" and "dash" are no part of the name ("o apostrophe n e i l l")."""
    spoken = re.sub(r"\b(?:apostrophe|apostrofe|dash|hyphen|guion)\b", " ", fold(said))
    words = _name_words(spoken)  # "o apostrophe neill", "anne dash sophie": words apart
    units = set(words)
    for size in (2, 3, 4):
        units.update("".join(words[i : i + size]) for i in range(len(words) - size + 1))
    start = 0
    while start < len(words):  # letters spelled: every stretch of a run of single letters
        end = start
        while end < len(words) and len(words[end]) == 1 and words[end].isalpha():
            end += 1
        for i in range(start, end):
            for j in range(i + 2, end + 1):
                units.add("".join(words[i:j]))
        start = max(end, start + 1)
    return units


def _first_keys(first_name: str) -> set[str]:
    """Its first word ("Mary" of "Mary-Kate", "Juan" of "Juan Pablo") and the whole name
    written as one word ("marykate", "dangelo")."""
    words = [w for w in _name_words(first_name) if w not in _FILLERS] or _name_words(first_name)
    return {words[0], "".join(_name_words(first_name))} if words else set()


def _last_keys(last_name: str) -> set[str]:
    """Each word of a surname but its particles, and every stretch of it written together that
    ends in a word that is no particle ("delacruz", "vanderberg", "garciamarquez"). A surname
    made of particles only ("Le", "Do") is itself."""
    words = _name_words(last_name)
    if all(w in _PARTICLES or w in _FILLERS for w in words):
        return {"".join(words)} if words else set()
    keys = {w for w in words if w not in _PARTICLES and w not in _FILLERS}
    for i in range(len(words)):
        for j in range(i + 2, len(words) + 1):
            if words[j - 1] not in _PARTICLES:
                keys.add("".join(words[i:j]))
    return keys


def edit_distance(a: str, b: str, limit: int) -> int:
    """Edit distance with transpositions (optimal string alignment), cut at `limit` + 1."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    previous2: list[int] = []
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        row = [i] + [0] * len(b)
        for j, cb in enumerate(b, 1):
            cost = 0 if ca == cb else 1
            row[j] = min(previous[j] + 1, row[j - 1] + 1, previous[j - 1] + cost)
            if i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                row[j] = min(row[j], previous2[j - 2] + 1)
        if min(row) > limit:
            return limit + 1
        previous2, previous = previous, row
    return previous[-1]


# Words that show a message asks or says something (a request, a question), not only a name.
REQUEST_WORDS = frozenset(
    {
        "a", "al", "algo", "an", "and", "are", "at", "ayuda", "back", "be", "but", "call",
        "cambiar", "can", "cancel", "cancelar", "change", "cita", "como", "con", "confirm",
        "confirmar", "could", "cuando", "de", "del", "did", "do", "doctor", "does", "donde", "dr",
        "el", "en", "es", "esta", "favor", "for", "from", "get", "give", "go", "gracias", "had",
        "has", "have", "hay", "help", "here", "how", "if", "in", "is", "it", "just", "know", "la",
        "las", "let", "like", "lo", "los", "make", "may", "me", "mi", "move", "my", "necesito",
        "need", "no", "not", "now", "of", "ok", "okay", "on", "or", "our", "para", "pero", "please",
        "por", "puede", "puedo", "que", "quiero", "reschedule", "se", "see", "should", "si", "so",
        "some", "su", "tengo", "thank", "thanks", "that", "the", "there", "this", "to", "today",
        "tomorrow", "too", "un", "una", "up", "want", "was", "we", "what", "when", "where", "which",
        "who", "why", "will", "with", "would", "yes", "yo", "you", "your",
    }
)  # fmt: skip


def is_only_a_name(text: str) -> bool:
    """ "Maria Lopez", "José Hernández-Ruiz": two to four words that are all a name's, nothing
    asked or said besides (a message to take for staff needs more than that)."""
    words = fold(text).split()
    if not 2 <= len(words) <= 4 or any(not w.replace("'", "").isalpha() for w in words):
        return False
    return not any(w.strip("'") in REQUEST_WORDS for w in words)


def names_instead(text: str) -> bool:
    """A full name said where something else was asked ("Maria Lopez", "perdón, mi nombre legal
    es Guadalupe Cortez"), not a question ("hang on, is that the office on Main Street, what's
    the number?", "y una pregunta, cobran algo si uno cancela tarde")."""
    if not has_full_name(text) or "?" in text or "¿" in text:
        return False
    words = [w.strip("'") for w in fold(text).split()]
    while words[:1] and words[0] in _LEAD_INS:
        words = words[1:]
    opens_a_question = len(words) > 3 and words[0] in _ASKING_FIRST  # not "Will Brennan"
    return not (set(words) & _ASKING or opens_a_question or _ASKS_YOU.search(" ".join(words)))


# Words that ask, anywhere in a sentence; and those that ask when they open it ("is that ...").
_ASKING = frozenset({
    "what", "whats", "what's", "where", "wheres", "where's", "when", "how", "why", "which",
    "question", "wondering", "que", "donde", "cuando", "como", "cual", "cuanto", "cuanta",
    "pregunta", "preguntar", "tienen", "hay", "cobran", "aceptan",
})  # fmt: skip
_ASKS_YOU = re.compile(r"\b(do|does|can|could|is|are|will|would) (you|there|it|that|they)\b")
_ASKING_FIRST = frozenset({
    "is", "are", "do", "does", "can", "could", "will", "would", "should", "puedo", "es", "esta",
})  # fmt: skip
_LEAD_INS = frozenset({
    "hang", "hold", "on", "wait", "oh", "ah", "and", "also", "so", "um", "uh", "y", "oiga",
    "oye", "pues", "este", "actually", "sorry", "btw",
})  # fmt: skip


def is_one_name(text: str) -> bool:
    """ "Grace", "O'Connor", "Mary-Kate": one word that can be a name (nothing asked or said)."""
    word = text.strip()
    if not word or " " in word:
        return False
    parts = fold(word).split()  # "Mary-Kate": two parts of one word
    plain = "".join(parts).replace("'", "")
    return plain.isalpha() and not any(p in REQUEST_WORDS or p in _FILLERS for p in parts)


# Words around a name spelled again ("oops, it's O'Shaughnessy with a g"): none is a name.
_RESPELLING_WORDS = frozenset(
    {"oops", "sorry", "typo", "spelled", "spelt", "spell", "letter", "meant", "actually",
     "wait", "perdon", "disculpe", "ay", "dob", "born", "nacimiento", "fecha", "nacio", "naci"}
)  # fmt: skip


_SPELLING_HINT = re.compile(r"(?i)\b(?:with|con|spelled|spelt|like|como)\b")


def renamed(before: str, said: str) -> str | None:
    """The name said before with the name words of a correction ("marykate oshaunessy", then
    "oops, it's O'Shaughnessy with a g"): one word replaces the last name, two or more the
    whole name. None: the correction holds no name word."""
    named = _SPELLING_HINT.split(said, maxsplit=1)[0]  # not "with two Ls", "con z"
    found = [
        word.strip(" .,;:!?")
        for word in named.split()
        if (name := fold(word).strip(" '"))
        and len(name.replace(" ", "")) > 1
        and not set(name.split()) & (_FILLERS | REQUEST_WORDS | _RESPELLING_WORDS)
    ]
    if not found:
        return None
    if len(found) >= 2:
        return " ".join(found)
    first = before.split()[:1]
    return " ".join([*first, found[0]]) if first else None


# Where a name said takes itself back: "Mario Lopez, I mean Maria", "it's Ana— sorry, Anna
# Kowalski", "Garcia no, Garza", "Ibarra, perdón, es Ybarra".
_NAME_TAKEN_BACK = re.compile(
    r"(?i)(?:[\s,.;:!\-–—]+)(?:(?:no|nope|sorry|oops|wait|actually|i mean|i meant|perd[oó]n"
    r"|quise decir|digo|mejor dicho|it'?s|its|es|that'?s|thats)\b[\s,.;:!\-–—]*)*"
    r"(?:no|sorry|oops|i mean|i meant|perd[oó]n|quise decir|digo|mejor dicho)\b"
    r"(?:[\s,.;:!\-–—]+(?:no|sorry|wait|actually|it'?s|its|es|i mean|i meant)\b)*[\s,.;:!\-–—]*"
)


def _plain_name_words(text: str) -> list[str]:
    """The words of a clause that can be a name's (2 letters or more, no request word)."""
    found = []
    for word in _SPELLING_HINT.split(text, maxsplit=1)[0].split():
        name = fold(word).strip(" '")
        if not name or len(name) < 2 or not name.replace("'", "").replace(" ", "").isalpha():
            continue
        if set(name.split()) & (_FILLERS | REQUEST_WORDS | _RESPELLING_WORDS):
            continue
        found.append(word.strip(" .,;:!?-–—"))
    return found


def corrected_name(said: str) -> str | None:
    """A name that takes itself back, corrected: "Mario Lopez, I mean Maria" (Maria Lopez),
    "Garcia no, Garza", "it's Ana— sorry, Anna Kowalski" (Anna Kowalski). One word said again
    replaces the word of the name it is closest to; two or more the whole name. None: no name
    taken back."""
    found = name_correction(said)
    return found[0] if found else None


def name_correction(said: str, name: str | None = None) -> tuple[str, int, int] | None:
    """(the name corrected, where the taking back starts, where the name said again ends) in
    `said` (see `corrected_name`); `name`: the name said before it, when known."""
    for marker in reversed(list(_NAME_TAKEN_BACK.finditer(said))):
        if re.fullmatch(r"(?i)[\s,.;:!\-–—]*no\s+", marker[0]):
            continue  # a bare "no" denies what follows ("no rush"); "Garcia no, Garza" corrects
        head = re.split(r"[,.;:!?]|\s[-–—]\s", said[: marker.start()])[-1]
        tail = re.split(r"[,.;:!?]", said[marker.end() :])[0]
        before = (name or "").split() or _plain_name_words(head)[-3:]
        now = _plain_name_words(tail)[:3]
        if not before or not now:
            continue
        end = marker.end() + tail.find(now[-1]) + len(now[-1])
        if len(now) >= 2:
            return " ".join(now), marker.start(), end
        word = fold(now[0]).replace("'", "")
        nearest = min(
            range(len(before)),
            key=lambda i: (edit_distance(fold(before[i]).replace("'", ""), word, 9), -i),
        )
        again = " ".join([*before[:nearest], now[0], *before[nearest + 1 :]])
        return again, marker.start(), end
    return None


_OPENING_WRAPPER = re.compile(
    r"(?i)^\W*(?:(?:hi|hello|hola|yes|yeah|si|ok|okay|um|uh)\W+)*"
    r"(?:(?:my name is|my name's|name is|this is|it'?s|its|it is|i'?m|i am|me llamo|soy"
    r"|mi nombre es)\s+)?"
)


def name_opening(said: str) -> str | None:
    """The full name a reply opens with before it says something else ("it's Maria Lopez and
    scratch that, Friday morning": Maria Lopez); None: it opens with no name."""
    opening = _OPENING_WRAPPER.sub("", said)
    words: list[str] = []
    for word in opening.split():
        plain = fold(word).strip(" '")
        if not plain.replace("'", "").replace(" ", "").isalpha() or plain in REQUEST_WORDS:
            break
        if plain in _FILLERS | _RESPELLING_WORDS or plain in ("scratch", "wait", "no"):
            break
        words.append(word.strip(" .,;:!?-–—"))
        if word.rstrip()[-1:] in ",.;:!?" or len(words) == 4:
            break
    name = " ".join(words)
    return name if 2 <= len(words) <= 4 and has_full_name(name) else None
