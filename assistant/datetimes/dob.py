"""Dates of birth in every form patients give them: "march third nineteen eighty two", "3/3/82",
"03-03-1982", "the third of march 1982", "tres de marzo de mil novecientos ochenta y dos",
"3 de marzo del 82".

Numeric dates are month first in English and day first in Spanish (swapped when only the
other order is a valid date). A two-digit year takes the latest century that does not put
the birth in the future; births more than 110 years ago are refused.
"""

from __future__ import annotations

import re
from datetime import date

from assistant.datetimes.numbers import small_number, year_from_words

MONTHS = {
    "january": 1,
    "jan": 1,
    "february": 2,
    "feb": 2,
    "march": 3,
    "mar": 3,
    "april": 4,
    "apr": 4,
    "may": 5,
    "june": 6,
    "jun": 6,
    "july": 7,
    "jul": 7,
    "august": 8,
    "aug": 8,
    "september": 9,
    "sept": 9,
    "sep": 9,
    "october": 10,
    "oct": 10,
    "november": 11,
    "nov": 11,
    "december": 12,
    "dec": 12,
    "enero": 1,
    "febrero": 2,
    "marzo": 3,
    "abril": 4,
    "mayo": 5,
    "junio": 6,
    "julio": 7,
    "agosto": 8,
    "septiembre": 9,
    "setiembre": 9,
    "octubre": 10,
    "noviembre": 11,
    "diciembre": 12,
    "ene": 1,
    "abr": 4,
    "ago": 8,
    "dic": 12,
}
MAX_AGE = 110
_NUMERIC = re.compile(r"\b(\d{1,4})\s*[/\-.]\s*(\d{1,2})\s*[/\-.]\s*('?\d{2}|\d{4})\b")
_FILLER = {
    "the",
    "of",
    "on",
    "in",
    "el",
    "de",
    "del",
    "día",
    "dia",
    "year",
    "año",
    "born",
    "nací",
    "naci",
    "my",
    "birthday",
    "is",
    "es",
    "mi",
    "fecha",
    "nacimiento",
    "i",
    "was",
    "and",
    # how a spoken answer opens: "it's three three eighty two", "uh, that's ...", "pues, ..."
    "it",
    "s",
    "its",
    "that",
    "thats",
    "uh",
    "um",
    "umm",
    "uhm",
    "er",
    "eh",
    "este",
    "pues",
    "ok",
    "okay",
    "so",
    "well",
}


def _full_year(year: int, month: int, day: int, today: date) -> int | None:
    if year >= 100:
        return year
    for century in (today.year // 100 * 100, today.year // 100 * 100 - 100):
        candidate = century + year
        try:
            born = date(candidate, month, day)
        except ValueError:
            return None
        if born <= today:
            return candidate
    return None


def _make(year: int, month: int, day: int, today: date) -> date | None:
    full = _full_year(year, month, day, today)
    if full is None:
        return None
    try:
        born = date(full, month, day)
    except ValueError:
        return None
    if born > today or today.year - born.year > MAX_AGE:
        return None
    return born


_DAY_FIRST = {"es"}  # languages that write 03/04 for the 3rd of April


def _numeric(text: str, language: str, today: date) -> date | None:
    m = _NUMERIC.search(text)
    if not m:
        return None
    a, b, c = m.group(1), int(m.group(2)), int(m.group(3).lstrip("'"))
    if len(a) == 4:  # ISO 1982-03-03
        return _make(int(a), b, c, today)
    first = int(a)
    month, day = (b, first) if language in _DAY_FIRST else (first, b)
    if month > 12 and day <= 12:
        month, day = day, month
    return _make(c, month, day, today)


def _words(text: str, today: date) -> date | None:
    tokens = re.findall(r"[a-záéíóúñ]+|\d+(?:st|nd|rd|th|º)?|'\d{2}", text)
    months = [i for i, t in enumerate(tokens) if t in MONTHS]
    if not months:
        return None
    i = months[0]
    month = MONTHS[tokens[i]]
    before = [t for t in tokens[:i] if t not in _FILLER]
    after = [t for t in tokens[i + 1 :] if t not in _FILLER]
    # the year first: "1990 april 12", "nineteen sixty two april thirtieth" (not the "two" of
    # the year as the day)
    year_first = year_from_words(" ".join(before)) if before else None
    value = small_number(" ".join(after)) if 1 <= len(after) <= 2 else None
    if year_first is not None and year_first >= 1000 and value is not None and 1 <= value <= 31:
        return _make(year_first, month, value, today)
    day = None
    for size in (2, 1):  # "the twenty third of march", "3 de marzo"
        if len(before) >= size:
            value = small_number(" ".join(before[-size:]))
            if value is not None and 1 <= value <= 31:
                day = value
                break
    if day is None:  # "march twenty third nineteen eighty two"
        for size in (2, 1):
            if len(after) > size:
                value = small_number(" ".join(after[:size]))
                year = year_from_words(" ".join(after[size:]))
                if value is not None and 1 <= value <= 31 and year is not None:
                    return _make(year, month, value, today)
        return None
    year = year_from_words(" ".join(after))
    return None if year is None else _make(year, month, day, today)


def parse_date_of_birth(
    text: str, language: str = "en", *, today: date | None = None
) -> date | None:
    """The date of birth in `text`, or None unless a full date with a year is there."""
    today = today or date.today()
    lowered = text.lower().replace(",", " ")
    return (
        _numeric(lowered, language, today)
        or _words(lowered, today)
        or _digits(lowered, language, today)
        or _spoken(lowered, language, today)
    )


def _ordered(first: int, second: int, year: int, language: str, today: date) -> date | None:
    month, day = (second, first) if language in _DAY_FIRST else (first, second)
    if month > 12 and day <= 12:
        month, day = day, month
    return _make(year, month, day, today)


def _digits(text: str, language: str, today: date) -> date | None:
    """Keyed in or read out digit by digit: "03031982", "0 3 0 3 8 2" (month first in
    English, day first in Spanish)."""
    if re.search(r"[a-z]", text.replace("x", "")):
        return None
    digits = re.sub(r"\D", "", text)
    if len(digits) == 8:
        return _ordered(int(digits[:2]), int(digits[2:4]), int(digits[4:]), language, today)
    if len(digits) == 6:
        return _ordered(int(digits[:2]), int(digits[2:4]), int(digits[4:]), language, today)
    return None


_ZERO = {"oh", "o", "zero", "cero"}
_DIGIT_WORDS = {
    **dict.fromkeys(_ZERO, 0), "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
    "seven": 7, "eight": 8, "nine": 9, "uno": 1, "dos": 2, "tres": 3, "cuatro": 4, "cinco": 5,
    "seis": 6, "siete": 7, "ocho": 8, "nueve": 9,
}  # fmt: skip


def _spoken(text: str, language: str, today: date) -> date | None:
    """Three numbers said in words: "three three eighty two", "oh three oh three eighty two",
    "quince siete setenta y cinco" (the year last)."""
    tokens = [t for t in re.findall(r"[a-záéíóúñ]+|\d+", text) if t not in _FILLER or t == "y"]
    digits = [_DIGIT_WORDS.get(t) for t in tokens[:4]]
    if len(tokens) > 4 and None not in digits:  # "zero seven one five nineteen seventy five"
        year = year_from_words(" ".join(tokens[4:]))
        if year is not None:
            first, second = digits[0] * 10 + digits[1], digits[2] * 10 + digits[3]  # type: ignore[operator]
            return _ordered(first, second, year, language, today)
    tokens = [t for t in tokens if t not in _ZERO]
    for cut in range(1, len(tokens)):
        year = year_from_words(" ".join(tokens[cut:]))
        if year is None:
            continue
        head = tokens[:cut]
        for split in range(1, len(head)):
            one = small_number(" ".join(head[:split]))
            two = small_number(" ".join(head[split:]))
            if one is not None and two is not None:
                return _ordered(one, two, year, language, today)
    return None


# "Sorry, March third, not thirteenth", "el tres, no el trece": the date affirmed, not the one
# denied; what the correction leaves out (month, year) comes from before it.
_CORRECTS = re.compile(
    r"\b(?:sorry|i mean|i meant|actually|correction|perd[oó]n|digo|quise decir|quiero decir"
    r"|mejor dicho|o sea|perdone|oops|whoops|my bad|me equivoqu[eé]|disculpe)\b"
    r"|^\s*(?:no|nope|nah)\b(?:[\s,]+no\b)*"
)
_DENIED_NUMBER = re.compile(
    # "no wait, I meant the 19th", "no, sorry": a "no" before a correction denies nothing
    r"\b(?:not|no|nope)\s+(?!(?:wait|sorry|i|actually|hold|hang|oops|my|no|it'?s|its|espera"
    r"|espere|perd[oó]n|perdone|digo|quise|quiero)\b)(?:the\s+|el\s+|la\s+|on\s+)?"
    r"(?P<what>[a-z0-9áéíóúñ' ]+?)\s*(?=[,.;!?]|$"
    r"|\b(?:but|pero|sino|it'?s|es)\b)"
)


def _new_year(what: str, previous: str | None) -> bool:
    """Whether the words after a "no" say a year other than the one said before ("no eighty
    two nineteen eighty two" after "... nineteen eighty three"): a no, then the year."""
    year = _year_in(what)
    if year is None or not previous:
        return False
    return _year_in(previous.lower()) != year and str(year) not in previous


_NOT_YEAR = {"no", "not", "sorry", "its", "it's", "is", "es", "the", "year", "el", "ano", "año",
             "del", "de", "oh", "wait", "me", "equivoque", "equivoqué", "perdon", "perdón",
             "i", "meant", "mean", "said", "dije", "quise", "decir", "digo", "um", "uh",
             "my", "bad", "was", "era", "born", "in", "en", "nací", "naci"}  # fmt: skip


def _only_year(tail: str, year: int) -> bool:
    """Whether a correction says a year and nothing else of the date (its last two digits said
    first are the same year: "eighty two, nineteen eighty two")."""
    tokens = [t for t in re.findall(r"[a-záéíóúñ']+|\d+", tail) if t not in _NOT_YEAR]
    rest = " ".join(tokens)
    for phrase in (str(year), *_year_phrases(tokens, year)):
        rest = rest.replace(phrase, " ")
    return not rest.split() or all(t in MONTHS for t in rest.split())


def _year_phrases(tokens: list[str], year: int) -> list[str]:
    """The runs of words that say this year or its last two digits, longest first."""
    found = []
    for size in range(len(tokens), 0, -1):
        for start in range(len(tokens) - size + 1):
            phrase = " ".join(tokens[start : start + size])
            value = year_from_words(phrase)
            if value is not None and value in (year, year % 100):
                found.append(phrase)
    return found


def _year_in(text: str) -> int | None:
    """The year a fragment says ("1975", "nineteen eighty two", "del setenta y cinco")."""
    digits = re.findall(r"\b(19\d{2}|20\d{2})\b", text)
    if digits:
        return int(digits[-1])
    tokens = re.findall(r"[a-záéíóúñ]+", text)
    for start in range(len(tokens)):
        value = year_from_words(" ".join(tokens[start:]))
        if len(tokens) - start >= 2 and value is not None and value >= 1900:
            return value
    return None


def _partial(text: str) -> tuple[int | None, int | None]:
    """(month, day) named in a fragment: "march third", "the 3rd", "el tres"."""
    tokens = re.findall(r"[a-záéíóúñ]+|\d+", text)
    month = next((MONTHS[t] for t in tokens if t in MONTHS), None)
    rest = [t for t in tokens if t not in MONTHS and t not in _FILLER and t not in ("sorry",)]
    for size in (2, 1):
        for i in range(len(rest) - size + 1):
            value = small_number(" ".join(rest[i : i + size]))
            if value is not None and 1 <= value <= 31:
                return month, value
    return month, None


def corrected_date_of_birth(
    text: str, language: str = "en", *, previous: str | None = None, today: date | None = None
) -> date | None:
    """The date of birth a corrected answer affirms; None when `text` is no correction (or
    nothing complete can be made of it). `previous`: the answer it corrects, if any."""
    today = today or date.today()
    lowered = _DENIED_NUMBER.sub(
        lambda m: ", " + m["what"] if _new_year(m["what"], previous) else m[0], text.lower()
    )  # "no eighty two nineteen eighty two": a no, then a year not said before
    denied = _DENIED_NUMBER.search(lowered)
    markers = list(_CORRECTS.finditer(lowered))
    marker = markers[-1] if markers else None
    if denied is None and marker is None:
        return None
    kept = _DENIED_NUMBER.sub(" ", lowered)
    head, tail = (kept[: marker.start()], kept[marker.end() :]) if marker else ("", kept)
    head = _TRAILING_NO.sub("", head)  # "march fourth 1982 no sorry, the third": the date
    base = parse_date_of_birth(head, language, today=today) if head.strip() else None
    if base is None and previous:
        base = parse_date_of_birth(previous, language, today=today)
    year = _year_in(tail) or _short_year(tail, base)
    if base is not None and year is not None and _only_year(tail, year):
        # "es 1975 no 1957", "eighty two, nineteen eighty two": the year, the rest as before
        month, _ = _partial(tail)
        try:
            return _make(year, month or base.month, base.day, today)
        except ValueError:
            return None
    whole = parse_date_of_birth(tail, language, today=today)
    if whole is not None:
        return whole
    said = tail.split()
    for start in range(1, len(said) - 1):  # "julio, quince de julio de 1975": restarted
        whole = parse_date_of_birth(" ".join(said[start:]), language, today=today)
        if whole is not None:
            return whole
    month, day = _partial(tail)
    if base is None or (day is None and month is None):
        return None
    try:  # "the third", "no perdón, de julio": the day or the month, the rest as before
        return base.replace(month=month or base.month, day=day or base.day)
    except ValueError:
        return None


# Said between the date taken back and its correction: "... 1982 no sorry", "... wait no".
_TRAILING_NO = re.compile(r"(?:[\s,.;!-]+(?:no|nope|nah|wait|oh|um|uh|hmm|espere|ay))+[\s,.;!-]*$")


def _short_year(tail: str, base: date | None) -> int | None:
    """A year said by its last two digits alone ("3/3/83 oops 82"): in the century of the date
    it corrects (a number up to 31 could be a day: not a year)."""
    if base is None:
        return None
    numbers = re.findall(r"\b\d{2}\b", tail)
    if len(numbers) != 1 or int(numbers[0]) <= 31 or re.search(r"[a-z]{3,}", tail):
        return None
    return base.year - base.year % 100 + int(numbers[0])
