"""Requests as patients text them: "cn u move my appt to latr that day", "wat r ur hrs",
"kiero cambiar mi sita", "nesesito cancelar ... el horaro".

`respelled` writes such words out so that the rules that read a whole request (which task,
which question, when) only have to know the right spelling. As in `spelling` (weekdays and
parts of the day), shorthand is a closed list per language and typos are matched by edit
distance (one edit from 5 letters, two from 8) against a small vocabulary of request words,
only when one word is nearest; real words that sit near the vocabulary ("cancer", "packing",
"chance", "ayudas") are left alone, and so are capitalised words inside a sentence (names).
"""

from __future__ import annotations

import re

from assistant.identity.names import edit_distance, fold
from assistant.messages import LANGUAGES, lexicon

# Shorthand ("u", "appt", "q", "porfa") and the request words a typo may stand for, per
# language: assistant/messages/locales/<language>/respelling.yml.
_SHORTHAND: dict[str, dict[str, str]] = {
    lang: lexicon(lang, "respelling").get("shorthand") or {} for lang in LANGUAGES
}
_VOCABULARY: dict[str, list[str]] = {
    lang: lexicon(lang, "respelling").get("request_words") or [] for lang in LANGUAGES
}
_ONE_LETTER_CASE = re.compile(r"^[a-z]$")
# Real words one or two edits from the vocabulary: never "corrected".
_NOT_TYPOS = frozenset({
    "cancer", "candle", "conform", "packing", "barking", "marking", "parting", "perking",
    "larking", "harking", "mourning", "morphing", "earliest", "locates", "vocation",
    "allocated", "relocated", "schedules", "preparer", "semanal", "semanas", "ayudas",
    "cambio", "cambian", "quieres", "quieren", "necesita", "necesitan", "addresses",
    "instant", "reparar",
})  # fmt: skip
_WORD = re.compile(r"[^\W\d_]+|\d+[^\W\d_]+", re.UNICODE)


def _languages(language: str | None) -> tuple[str, ...]:
    return (language,) if language in _SHORTHAND else tuple(_SHORTHAND)


_EVERY_WORD = tuple(word for words in _VOCABULARY.values() for word in words)


def nearest(word: str) -> str | None:
    """The request word a typo means ("apointment" -> "appointment", "nesesito" ->
    "necesito"), in any language (a Spanish word in an English conversation is no typo of an
    English one), None when none is near or two are equally near."""
    vocab = _EVERY_WORD
    if len(word) < 5 or word in _NOT_TYPOS or word in vocab:
        return None
    limit = 2 if len(word) >= 8 else 1
    scored = sorted((edit_distance(word, v, limit), v) for v in vocab)
    best = [v for d, v in scored if d == scored[0][0] and d <= limit]
    return best[0] if len(best) == 1 else None


def _named(text: str, match: re.Match[str]) -> bool:
    """A capitalised word inside a sentence: a name ("... this is Cancel Ruiz")."""
    word = match[0]
    if not word[:1].isupper() or word.isupper():
        return False
    before = text[: match.start()].rstrip()
    return bool(before) and before[-1] not in ".?!¿¡:;"


def _joined(text: str, match: re.Match[str]) -> bool:
    """Part of a longer token: "x-ray", "I'd", "e-mail" (no shorthand there)."""
    before = text[match.start() - 1] if match.start() else " "
    after = text[match.end()] if match.end() < len(text) else " "
    return before in _JOINERS or after in _JOINERS


_JOINERS = frozenset("-'’/@.")


def respelled(text: str, language: str | None = None) -> str:
    """`text` with the shorthand and typos of request words written out."""
    pieces, at = [], 0
    for match in _WORD.finditer(text):
        word = match[0]
        folded = fold(word).strip()
        new = None
        for lang in () if _joined(text, match) else _languages(language):
            short = _SHORTHAND[lang].get(folded)
            if short and (not _ONE_LETTER_CASE.match(folded) or word.islower()):
                new = short
                break
        if new is None and not _named(text, match):
            new = nearest(folded)
        if new is None:
            continue
        pieces += [text[at : match.start()], new]
        at = match.end()
    return "".join([*pieces, text[at:]])
