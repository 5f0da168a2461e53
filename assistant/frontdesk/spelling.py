"""Weekdays and parts of the day as patients type and dictate them: "tues aft", "fri pm",
"wendsday aftrenoon", "tomorow mornin", "miercoles en la trade".

`spelled_out` rewrites such words to their dictionary form so that the rest of the reading
(`time_phrases`, `short_answers`) only has to know the right spelling. Abbreviations are a
closed list; typos are matched by edit distance (one edit from 5 letters, two from 8) against
the vocabulary of the conversation's language, and only when one word is nearest. Real words
that sit one edit from the vocabulary ("coche", "banana", "tarda") are left alone.
"""

from __future__ import annotations

import re

from assistant.identity.names import edit_distance, fold

WEEKDAY_WORDS = {
    "en": ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"),
    "es": ("lunes", "martes", "miercoles", "jueves", "viernes", "sabado", "domingo"),
}
_DAY_PARTS = {
    "en": ("morning", "afternoon", "evening", "tomorrow"),
    "es": ("manana", "tarde", "noche", "semana"),
}
# Abbreviations that are never anything else in a scheduling answer.
_ABBREVIATIONS = {
    "mon": "monday", "tue": "tuesday", "tues": "tuesday", "weds": "wednesday",
    "wed": "wednesday", "thu": "thursday", "thur": "thursday", "thurs": "thursday",
    "thrs": "thursday", "fri": "friday", "aft": "afternoon", "aftn": "afternoon",
    "aftnoon": "afternoon", "arvo": "afternoon", "morn": "morning", "mornin": "morning",
    "tmrw": "tomorrow", "tmw": "tomorrow", "tmr": "tomorrow", "tomorow": "tomorrow",
    "2morrow": "tomorrow", "mier": "miercoles", "mie": "miercoles", "juev": "jueves",
    "vier": "viernes", "mnn": "manana", "lun": "lunes", "jue": "jueves", "vie": "viernes",
    "sab": "sabado", "wednes": "wednesday",
}  # fmt: skip
# Abbreviations that are also words ("sat down", "the sun", "on the eve of", "el mar"): only
# next to another day word ("sat am", "sun morning", "wed eve"), or where only a day fits
# (`_DAY_CONTEXT`: "on sat", "sun doesnt work", "el mar no puedo", "el dom en la tarde").
_ONLY_NEXT_TO_DAYS = {
    "sat": "saturday", "sun": "sunday", "eve": "evening", "am": "morning", "pm": "afternoon",
    "mar": "martes", "dom": "domingo",
}  # fmt: skip
_DAY_CONTEXT = {
    "sat": ({"on", "this", "next", "not", "or", "and", "until", "till", "thru", "by", "except",
             "but", "than"},
            {"or", "and", "doesnt", "doesn", "dont", "don", "wont", "won", "isnt", "isn",
             "works", "would", "could", "at", "morning", "afternoon", "evening", "no", "maybe",
             "instead", ""}),
    "mar": ({"el", "los", "ni", "o", "y", "para", "hasta"},
            {"no", "en", "por", "a", "o", "y", "tampoco", "mejor", "me", "temprano", ""}),
}  # fmt: skip
_DAY_CONTEXT["sun"] = _DAY_CONTEXT["sat"]
_DAY_CONTEXT["dom"] = _DAY_CONTEXT["mar"]
_NOT_TYPOS = frozenset({
    "coche", "leche", "banana", "tarda", "tardo", "money", "fridge", "semanal", "trader",
    "lunas", "marte", "moment", "mourn", "sunny", "sundae", "marker", "market", "jueza",
    "other", "noches",
})  # fmt: skip
_WORD = re.compile(r"[^\W\d_]+|\d+[^\W\d_]*", re.UNICODE)


def vocabulary(language: str | None) -> tuple[str, ...]:
    """Weekdays and day words of the language (weekdays of every language when unknown)."""
    if language in WEEKDAY_WORDS:
        return WEEKDAY_WORDS[language] + _DAY_PARTS[language]
    return tuple(w for words in WEEKDAY_WORDS.values() for w in words)


def nearest(word: str, language: str | None) -> str | None:
    """The vocabulary word a typo means ("wendsday" -> "wednesday"), None when none is near
    or two are equally near."""
    if len(word) < 5 or word in _NOT_TYPOS:
        return None
    vocab = vocabulary(language)
    if word in vocab:
        return word
    limit = 2 if len(word) >= 8 else 1
    scored = sorted((edit_distance(word, v, limit), v) for v in vocab)
    best = [v for d, v in scored if d == scored[0][0] and d <= limit]
    return best[0] if len(best) == 1 else None


def _is_day_word(word: str, language: str | None) -> bool:
    return word in vocabulary(language) or word in ("today", "tonight", "hoy")


def spelled_out(text: str, language: str | None = None) -> str:
    """`text` with abbreviated and misspelled weekdays and parts of the day written out."""
    found = list(_WORD.finditer(text))
    folded = [fold(m[0]).strip() for m in found]
    fixed: list[str | None] = []
    for word in folded:
        if word in _ABBREVIATIONS and _ABBREVIATIONS[word] in vocabulary(language) + (
            "tomorrow", "afternoon", "morning", "manana",
        ):  # fmt: skip
            fixed.append(_ABBREVIATIONS[word])
        else:
            fixed.append(nearest(word, language))
    for i, word in enumerate(folded):  # "sat am", "wed eve": only beside a day word
        if fixed[i] is None and word in _ONLY_NEXT_TO_DAYS:
            around = [fixed[j] or folded[j] for j in (i - 1, i + 1) if 0 <= j < len(folded)]
            beside = any(_is_day_word(w, language) for w in around)
            if (beside or _day_fits(folded, i, language)) and not _after_number(text, found[i]):
                fixed[i] = _ONLY_NEXT_TO_DAYS[word]
    pieces, at = [], 0
    for match, word, new in zip(found, folded, fixed, strict=True):
        if new is None or new == word:
            continue
        pieces += [text[at : match.start()], new]
        at = match.end()
    return "".join([*pieces, text[at:]])


def _day_fits(folded: list[str], i: int, language: str | None) -> bool:
    """ "On sat", "sun doesnt work", "el mar no puedo": where only a day fits the word."""
    word = folded[i]
    if word not in _DAY_CONTEXT or _ONLY_NEXT_TO_DAYS[word] not in vocabulary(language):
        return False
    before_words, after_words = _DAY_CONTEXT[word]
    before = folded[i - 1] if i else ""
    after = folded[i + 1].replace("'", "") if i + 1 < len(folded) else ""
    if word in ("mar", "dom"):  # "el mar" is also the sea: "el mar no puedo", "el mar?"
        return before in before_words and after in after_words
    if before in ("i", "we", "he", "she", "they", "you", "the", "a"):
        return False  # "I sat", "the sun"
    return before in before_words or after in after_words


def _after_number(text: str, match: re.Match[str]) -> bool:
    """ "3 pm", "ten am": a clock suffix, not a part of the day."""
    before = text[: match.start()].rstrip()
    return bool(
        re.search(
            r"(\d|\b(one|two|three|four|five|six|seven|eight|nine|ten|eleven"
            r"|twelve|thirty|fifteen|forty five|oclock|o'clock))$",
            before.lower(),
        )
    )
