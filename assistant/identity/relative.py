"""Who a visit is for when the caller books for a family member and names them with their date
of birth in the same message: "my husband Andrés Lopez wants to become a patient too, dob
11/30/1979", "calling for my daughter Sophia Kowalczyk she's nine born March fourteenth twenty
sixteen", "para mi hijo Kevin Hernández tiene diez años nació el dos de junio del dos mil quince".

Read by structure, not by phrase: a relation word after a possessive ("my son", "mi hija"), the
name straight after it, written with capitals (optionally after "named" / "se llama"; a name
typed in lower case is read elsewhere, only next to its birth date), then the first birth
keyword after the name (or a date straight after it) and the date of birth it introduces. What
stands between the name and the date ("she's nine", "quiere ser paciente nueva") stays part of
the request.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from assistant.datetimes import parse_date_of_birth
from assistant.identity.introduction import (
    _AFTER_BIRTH,
    _BIRTH,
    _PARTICLES,
    _date_at,
    _match,
    _name_at,
    _Word,
    _words,
    introduction,
)
from assistant.identity.names import has_full_name

_POSSESSIVES = {"my", "mi", "our", "nuestro", "nuestra", "mis", "nuestros", "nuestras"}
_RELATIONS = {
    "son", "daughter", "child", "kid", "boy", "girl", "baby", "wife", "husband", "mom", "mother",
    "dad", "father", "grandson", "granddaughter", "partner", "hijo", "hija", "nino", "nina",
    "bebe", "esposa", "esposo", "mama", "papa", "madre", "padre", "nieto", "nieta", "pareja",
    "hijito", "hijita", "chamaco", "chamaca",
}  # fmt: skip
# Words that may stand between the relation and the name: "my son, named Leo Diaz", "mi hija
# que se llama Ana Ruiz", "my wife (her name is Lena Park)".
_NAMING = {
    "named", "called", "name", "is", "his", "her", "their", "se", "llama", "llamado", "llamada",
    "que", "who", "nombre", "su", "es", "de", "the", "patient", "paciente", "he", "she", "he's",
    "she's", "hes", "shes", "name's", "names", "el", "ella",
}  # fmt: skip
# A relative's birth is told in the third person too: "nació el 3 de abril", "was born on".
_BIRTH_SAID = (*_BIRTH, ("nacio", "el"), ("nacio",), ("was", "born", "on"), ("was", "born"))
_DIGIT_DATE = re.compile(r"\b\d{1,4}\s*[/.\-]\s*\d{1,2}\s*[/.\-]\s*\d{2,4}\b")


@dataclass(frozen=True)
class RelativeSaid:
    name: str  # as said: "Sophia Kowalczyk"
    date_of_birth: str  # the words of the date as said: "March fourteenth twenty sixteen"
    rest: str  # the request without the caller's own introduction, the name and the date


def _name_size(words: list[_Word], at: int) -> int:
    """How many words from `at` are the relative's name (0: none)."""
    size = _name_at(words, at)
    if not size:
        return 0
    said = words[at : at + size]
    if not said[0].text[:1].isupper():
        return 0  # "mi hija tiene fiebre": in lower case, words after a relation are no name
    kept = 1
    for word in said[1:]:
        if word.folded not in _PARTICLES and not word.text[:1].isupper():
            break  # "Sophia Kowalczyk she's nine": the name ends at the lower case word
        kept += 1
        if said[kept - 1].stop:
            break
    while kept and said[kept - 1].folded in _PARTICLES:
        kept -= 1
    text = " ".join(w.text for w in said[:kept])
    return kept if kept >= 2 and has_full_name(text) else 0


def _name_after(words: list[_Word], relation: int) -> tuple[int, int] | None:
    """The name said after the relation word at `relation`: (first word, end)."""
    at, skipped = relation + 1, 0
    while at < len(words) and skipped < 4:
        size = _name_size(words, at)
        if size:
            return at, at + size
        if words[at].folded not in _NAMING:
            return None
        skipped += 1
        at += 1
    return None


def _birth_after(
    words: list[_Word], start: int, language: str
) -> tuple[tuple[int, int], tuple[int, int]] | None:
    """The date of birth said after word `start`: ((its words), (its words with the keyword
    before them)), or None. A date straight after the name needs no keyword ("Rafael Soto
    2/8/1979", "Noah Lopez (5/9/2015)")."""
    size = _date_at(words, start, language) if start < len(words) else 0
    if size:
        return (start, start + size), (start, start + size)
    for i in range(start, len(words)):
        if words[i].folded in _RELATIONS and i and words[i - 1].folded in _POSSESSIVES:
            return None  # another relative named: theirs
        birth = _match(words, i, _BIRTH_SAID)
        if not birth or _callers_own(words, i):
            continue  # "... and I was born 3/3/82", "mi fecha de nacimiento": the caller's
        at = i + birth
        if at < len(words) and words[at].folded in _AFTER_BIRTH:
            at += 1
        size = _date_at(words, at, language)
        if size:
            return (at, at + size), (i, at + size)
    return None


_FIRST_PERSON = {"i", "i'm", "im", "my", "mi", "yo", "me"}


def _callers_own(words: list[_Word], at: int) -> bool:
    """A birth date the caller gives as their own: "my dob", "I was born", "nací"."""
    before = {w.folded for w in words[max(0, at - 2) : at]}
    return bool(before & _FIRST_PERSON) or words[at].folded == "naci"


def relative_said(text: str, language: str, today: date) -> RelativeSaid | None:
    """The family member a booking is for, named with their date of birth ("... my daughter
    Sophia Kowalczyk she's nine born March 14 2016 ..."), and the request without them and
    without the caller's own introduction; None when no relative is named that way."""
    words = _words(text)
    for r, word in enumerate(words[1:], start=1):
        if word.folded not in _RELATIONS or words[r - 1].folded not in _POSSESSIVES:
            continue
        name = _name_after(words, r)
        if name is None:
            continue
        found = _birth_after(words, name[1], language)
        if found is None:
            continue
        dob, dob_span = found
        dob_text = " ".join(w.text for w in words[dob[0] : dob[1]])
        born = parse_date_of_birth(dob_text, language)
        if born is None or born >= today:
            continue
        return RelativeSaid(
            name=" ".join(w.text for w in words[name[0] : name[1]]),
            date_of_birth=dob_text,
            rest=_rest(text, words, name, dob_span, language, today),
        )
    return None


def _rest(
    text: str,
    words: list[_Word],
    name: tuple[int, int],
    dob_span: tuple[int, int],
    language: str,
    today: date,
) -> str:
    """The request without the relative's name and date of birth, and without the caller's own
    name and date of birth said before them ("this is Maria Lopez 3/3/82. my son ...")."""
    before = text[: words[name[0]].start]
    speaker = introduction(before, language)
    if speaker is not None and speaker.name is not None:
        before = speaker.rest
    between = text[words[name[1] - 1].end : words[dob_span[0]].start]
    after = text[words[dob_span[1] - 1].end :]

    def unless_born(match: re.Match[str]) -> str:
        born = parse_date_of_birth(match[0], language)
        return " " if born is not None and (today - born).days > 366 else match[0]

    before = _DIGIT_DATE.sub(unless_born, before)
    rest = " ".join(f"{before} {between} {after}".split())
    rest = re.sub(r"\(\s*\)|\[\s*\]", " ", rest)
    rest = re.sub(r"\s+([,.;:!?])", r"\1", " ".join(rest.split()))
    return re.sub(r"([,.;:])(?:\s*[,.;:])+", r"\1", rest).strip(" ,;:")
