"""Number words in English and Spanish, as voice transcripts spell them."""

from __future__ import annotations

import re

UNITS_EN = {
    "zero": 0,
    "oh": 0,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "thirteen": 13,
    "fourteen": 14,
    "fifteen": 15,
    "sixteen": 16,
    "seventeen": 17,
    "eighteen": 18,
    "nineteen": 19,
}
TENS_EN = {
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fifty": 50,
    "sixty": 60,
    "seventy": 70,
    "eighty": 80,
    "ninety": 90,
}
ORDINALS_EN = {
    "first": 1,
    "second": 2,
    "third": 3,
    "fourth": 4,
    "fifth": 5,
    "sixth": 6,
    "seventh": 7,
    "eighth": 8,
    "ninth": 9,
    "tenth": 10,
    "eleventh": 11,
    "twelfth": 12,
    "thirteenth": 13,
    "fourteenth": 14,
    "fifteenth": 15,
    "sixteenth": 16,
    "seventeenth": 17,
    "eighteenth": 18,
    "nineteenth": 19,
    "twentieth": 20,
    "thirtieth": 30,
}
UNITS_ES = {
    "cero": 0,
    "uno": 1,
    "un": 1,
    "una": 1,
    "primero": 1,
    "dos": 2,
    "tres": 3,
    "cuatro": 4,
    "cinco": 5,
    "seis": 6,
    "siete": 7,
    "ocho": 8,
    "nueve": 9,
    "diez": 10,
    "once": 11,
    "doce": 12,
    "trece": 13,
    "catorce": 14,
    "quince": 15,
    "dieciséis": 16,
    "dieciseis": 16,
    "diecisiete": 17,
    "dieciocho": 18,
    "diecinueve": 19,
    "veinte": 20,
    "veintiuno": 21,
    "veintiún": 21,
    "veintidós": 22,
    "veintidos": 22,
    "veintitrés": 23,
    "veintitres": 23,
    "veinticuatro": 24,
    "veinticinco": 25,
    "veintiséis": 26,
    "veintiseis": 26,
    "veintisiete": 27,
    "veintiocho": 28,
    "veintinueve": 29,
}
TENS_ES = {
    "treinta": 30,
    "cuarenta": 40,
    "cincuenta": 50,
    "sesenta": 60,
    "setenta": 70,
    "ochenta": 80,
    "noventa": 90,
}
HUNDREDS_ES = {"cien": 100, "ciento": 100, "novecientos": 900, "ochocientos": 800}

_ORDINAL_SUFFIX = re.compile(r"^(\d{1,2})(st|nd|rd|th|º|°|o|a)?$")


def small_number(words: str) -> int | None:
    """0-59 from digits, "twenty one", "twenty-first", "veintiuno", "treinta y uno"; or None."""
    words = words.strip().replace("-", " ")
    m = _ORDINAL_SUFFIX.match(words)
    if m:
        return int(m.group(1))
    parts = [p for p in words.split() if p not in ("y", "and")]
    if not parts:
        return None
    total = 0
    for i, part in enumerate(parts):
        if part in TENS_EN or part in TENS_ES:
            if i != 0:
                return None
            total += TENS_EN.get(part) or TENS_ES[part]
        elif part in UNITS_EN or part in UNITS_ES or part in ORDINALS_EN:
            value = UNITS_EN.get(part, UNITS_ES.get(part, ORDINALS_EN.get(part)))
            assert value is not None
            if i > 0 and (total == 0 or total % 10 or value >= 10):
                return None
            total += value
        else:
            return None
    return total


def year_from_words(words: str) -> int | None:
    """A year spoken or written: "1982", "82", "nineteen eighty two", "two thousand five",
    "mil novecientos ochenta y dos", "dos mil cinco". Two-digit results stay two-digit."""
    words = words.strip().replace("-", " ").replace(",", "")
    if re.fullmatch(r"'?\d{2}|\d{4}", words):
        return int(words.lstrip("'"))
    parts = [p for p in words.split() if p not in ("and", "y")]
    if not parts:
        return None
    # Spanish: [dos] mil [novecientos] [ochenta y dos]
    if "mil" in parts:
        i = parts.index("mil")
        thousands = 1 if i == 0 else small_number(" ".join(parts[:i]))
        if thousands is None:
            return None
        rest = parts[i + 1 :]
        total = thousands * 1000
        if rest and rest[0] in HUNDREDS_ES:
            total += HUNDREDS_ES[rest[0]]
            rest = rest[1:]
        if rest:
            tail = small_number(" ".join(rest))
            if tail is None:
                return None
            total += tail
        return total
    # English: two thousand [and] five
    if "thousand" in parts:
        i = parts.index("thousand")
        thousands = small_number(" ".join(parts[:i]))
        tail = small_number(" ".join(parts[i + 1 :])) if parts[i + 1 :] else 0
        if thousands is None or tail is None:
            return None
        return thousands * 1000 + tail
    # English: nineteen eighty two, nineteen oh five, nineteen hundred [and] eighty two
    for split in range(1, len(parts)):
        head = small_number(" ".join(parts[:split]))
        tail_words = parts[split:]
        if head is None or not 10 <= head <= 20:
            continue
        if tail_words == ["hundred"]:
            return head * 100
        if tail_words[0] == "hundred":  # ("and" is already left out)
            tail_words = tail_words[1:]
        if tail_words[0] in ("oh", "o") and len(tail_words) == 2:
            tail = small_number(tail_words[1])
            tail = tail if tail is not None and tail < 10 else None
        else:
            tail = small_number(" ".join(tail_words))
        if tail is not None and tail < 100:
            return head * 100 + tail
    value = small_number(" ".join(parts))
    return value if value is not None and value < 100 else None
