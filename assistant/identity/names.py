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
