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


def fold(text: str) -> str:
    """Lower case, accents removed (José -> jose), punctuation turned into spaces."""
    decomposed = unicodedata.normalize("NFKD", text)
    plain = "".join(c for c in decomposed if not unicodedata.combining(c)).lower()
    return re.sub(r"[^a-z0-9' ]+", " ", plain.replace("-", " "))


def tokens(text: str) -> list[str]:
    """The words of a name, folded, without filler words."""
    return [t.strip("'") for t in fold(text).split() if t.strip("'") and t not in _FILLERS]


def has_full_name(text: str) -> bool:
    """At least a first and a last name."""
    return len(tokens(text)) >= 2


def matches(said: str, first_name: str, last_name: str) -> bool:
    """Did the caller say this patient's first and last name?

    The first word of the first name and one word of the last name must be among the words
    said (Spanish speakers often give only the first of two surnames).
    """
    words = set(tokens(said))
    first = tokens(first_name)
    last = tokens(last_name)
    if not first or not last:
        return False
    return first[0] in words and any(w in words for w in last if w != first[0])


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
