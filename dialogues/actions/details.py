"""Details said with the request ("move it to Thursday afternoon", "with Dr. Chen"): kept so
that the form that follows does not ask for them again."""

from __future__ import annotations

import re
from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.events import EventType

from assistant.datetimes import parse_date_of_birth
from assistant.db.types import utcnow
from assistant.frontdesk import time_phrases
from assistant.frontdesk.provider_words import asks_another, names_provider
from assistant.frontdesk.short_answers import words
from assistant.identity.introduction import introduction
from assistant.identity.names import has_full_name
from assistant.identity.relative import relative_said
from dialogues.actions.common import language, request_text, text_of

# Only to tell whether a request names a time (the search itself uses the location's zone).
PRACTICE_TIME_ZONE = "America/New_York"


_PROVIDER_WORDS = re.compile(r"(?i)\b(dr|dra|doctor|doctora|np|pa|nurse practitioner)\b")


def said_when(tracker: Tracker, text: str) -> bool:
    """Does `text` say when?"""
    return time_phrases.carries_details(
        text, now=utcnow(), time_zone=PRACTICE_TIME_ZONE, language=language(tracker)
    )


# Words about the visit being moved, not the new time: "my 3pm appointment", "my Thursday
# visit", "instead of Thursday", "mi cita del jueves" (not "the day of my appointment", "the
# week after my appointment": the new time, counted from the visit; nor "the last appointment
# of the day").
_CURRENT_VISIT = re.compile(
    r"(?i)\b(?:my|the|mi|la)\s+(?:(?!(?:of|after|before|following|than|from|de|del|despues"
    r"|antes)\b)[\w:]+\s+){1,3}(?:appointment|appt|visit|cita)\b"
    r"(?!\s+(?:of the day|available|open|you have|del d[ií]a|disponible))"  # a time wished
    r"|\b(?:instead of|rather than|from|en vez del?|en lugar del?)\s+(?:(?:my|the|on)\s+)?"
    r"[\w:]+(?:\s+(?:at\s+)?\d[\w:]*)?"
    r"|\b(?:cita|appointment|appt|visit)\s+(?:del?|of|on|for)\s+(?:el\s+)?[\w:]+"
    r"(?=.*\b(?:to|for|al?|para)\b)"
)


def said_details(tracker: Tracker, text: str | None = None) -> str | None:
    """The request's own words (or `text`, a part of them) when they say when (or with whom)
    the new visit should be: used as the answer. What names the visit being moved ("my 3pm
    appointment") is left out."""
    text = _CURRENT_VISIT.sub(" ", request_text(tracker) if text is None else text)
    text = " ".join(text.split())
    if _PROVIDER_WORDS.search(text) or names_provider(text) or asks_another(text):
        return text
    if said_when(tracker, text):
        return text
    return None


def slot_now(events: list[EventType], tracker: Tracker, name: str) -> Any:
    """A slot's value counting the events this action is about to return."""
    for event in reversed(events):
        if event.get("event") == "slot" and event.get("name") == name:
            return event.get("value")
    return tracker.get_slot(name)


def identity_said(tracker: Tracker) -> dict[str, str]:
    """The name and the date of birth said with the request ("hi this is Maria Lopez born
    3/3/82, I need to cancel"): the identity form's answers (it validates them when it starts,
    and asks only what is missing)."""
    found = introduction(text_of(tracker), language(tracker))
    if found is None:
        return {}
    said = {"patient_name": found.name, "patient_dob": found.date_of_birth}
    return {slot: value for slot, value in said.items() if value}


def without_introduction(tracker: Tracker, text: str) -> str:
    """The request without the name and date of birth said with it (a birth date is no time
    wished for the visit)."""
    found = introduction(text, language(tracker))
    return found.rest if found is not None else text


# Who a booking is for, said with it: "my son ... Lucas Lopez, dob 4/18/2015", "para mi hija
# Valeria Hernández, nació el tres de mayo del dos mil doce". The name is the words just before
# the date of birth (relation words dropped); the date of birth, the words just after it.
_BIRTH = (
    r"(?:date of birth|birth ?date|birthday|dob|d\.o\.b\.?|born(?: on)?|fecha de nacimiento"
    r"|nac(?:i[oó]|[ií])(?: el)?|nacid[oa](?: el)?)"
)
# Letters spelled one by one after a name on a call ("Wren Lopez W R E N"): not name words.
_SPELLED_LETTERS = re.compile(r"(?<!\S)(?:[A-Z](?:\s+|$)){2,}|(?<!\S)(?:[a-z]\s+){3,}(?=\S)")

_NAME_BEFORE_BIRTH = re.compile(
    r"(?i)(?P<name>[^\W\d_][\w'’-]*(?:\s+[^\W\d_][\w'’-]*){1,4}?)\s*[,.;:(]?\s*(?:(?:is|was|es)\s+)?"
    rf"(?:his|her|su|the|la|y)?\s*{_BIRTH}\s*(?:is\s+|es\s+|:)?\s*(?P<dob>.+)$"
)
# ... or a name followed at once by a date written in digits: "for my husband, he's new.
# Rafael Soto 2/8/1979, a new patient visit".
_DIGIT_DATE = re.compile(r"\d{1,4}\s*[/.\-]\s*\d{1,2}\s*[/.\-]\s*\d{2,4}\b")
_NAME_THEN_DATE = re.compile(
    rf"(?P<name>[^\W\d_][\w'’-]*(?:\s+[^\W\d_][\w'’-]*){{1,2}}?)\s*,?\s*"
    rf"(?P<dob>{_DIGIT_DATE.pattern}.*)$"
)
_NOT_NAME = {
    "my", "mi", "our", "nuestro", "nuestra", "for", "para", "a", "an", "the", "el", "la", "y",
    "and", "son", "daughter", "child", "kid", "boy", "girl", "baby", "wife", "husband", "mom",
    "mother", "dad", "father", "grandson", "granddaughter", "hijo", "hija", "nino", "nina",
    "bebe", "esposa", "esposo", "mama", "papa", "madre", "padre", "nieto", "nieta", "name",
    "named", "nombre", "is", "es", "se", "llama", "called", "he", "she", "his", "her", "su",
    "i'm", "im", "soy", "me", "llamo", "this",
}  # fmt: skip


_DATE_WITH_YEAR = re.compile(r"\b\d{1,4}[/.-]\d{1,2}[/.-]\d{2,4}\b")


def _unless_born(said: str, language: str) -> str:
    """A written date, or nothing when it is a birth date (a year or more ago): "maria lopez
    here 3/3/82, my boy ..." wishes no visit in 1982."""
    born = parse_date_of_birth(said, language)
    return " " if born is not None and (utcnow().date() - born).days > 366 else said


_INTRODUCING = _NOT_NAME - {"la", "el", "y", "a"}


def _leading_name(words_: list[str]) -> str | None:
    folded = [fold_word(w) for w in words_]
    # the name follows the last word that introduces it ("can my boy Milo Lopez", "her name is
    # Ana Ruiz", "nunca ha venido, se llama Ana Ruiz"); particles may sit inside it ("de la")
    last = max((i for i, w in enumerate(folded[:-1]) if w in _INTRODUCING), default=-1)
    kept = list(words_[last + 1 :])
    while kept and fold_word(kept[0]) in _NOT_NAME:
        kept.pop(0)
    return " ".join(kept) if has_full_name(" ".join(kept)) and len(kept) <= 3 else None


def fold_word(word: str) -> str:
    return " ".join(words(word))


_JOINING = {"and", "y", "e", "in", "en", "at", "a", "on", "el", "por", "para", "for"}


def _date_of_birth_at(text: str, language: str) -> tuple[str, str] | None:
    """(the words that are the date of birth, what follows them) at the start of `text`."""
    said = text.strip()
    digits = _DIGIT_DATE.match(said)  # "4/18/2015 for a sick visit": the date, then the reason
    if digits and parse_date_of_birth(digits[0], language) is not None:
        return digits[0], said[digits.end() :]
    first = re.split(r"[,;?!()]|\.(?:\s|$)", said, maxsplit=1)[0].strip()  # "5/30/2014? she ..."
    if parse_date_of_birth(first, language) is not None:
        return first, said[len(first) :]
    tokens_ = said.split()
    for n in range(min(len(tokens_), 12), 0, -1):
        chunk = " ".join(tokens_[:n]).rstrip(",.;?")
        if fold_word(tokens_[n - 1]) in _JOINING:  # "June fifth twenty nineteen and ..."
            continue
        if parse_date_of_birth(chunk, language) is not None:
            return chunk, " ".join(tokens_[n:])
    return None


def someone_said(text: str, language: str) -> tuple[str, str, str] | None:
    """(name, date of birth as said, the request without them) when a booking request names
    who the visit is for with their date of birth ("... my son Lucas Lopez, dob 4/18/2015, ear
    infection, Thursday 3:30"); None otherwise."""
    text = _SPELLED_LETTERS.sub(" ", text)  # "Wren Lopez W R E N": the name said, then spelled
    relative = relative_said(text, language, utcnow().date())  # "my son <name> ... born <date>"
    if relative is not None:
        return relative.name, relative.date_of_birth, relative.rest
    found = _NAME_BEFORE_BIRTH.search(text) or _NAME_THEN_DATE.search(text)
    if found is None:
        return None
    name = _leading_name(found["name"].split())
    dob = _date_of_birth_at(found["dob"], language)
    if name is None or dob is None:
        return None
    born = parse_date_of_birth(dob[0], language)
    if born is None or born >= utcnow().date():
        return None
    before = text[: found.start("name")]
    speaker = introduction(before, language)  # "this is Maria Lopez 3/3/82. my son ...": theirs
    before = speaker.rest if speaker is not None else before
    before = _DATE_WITH_YEAR.sub(lambda m: _unless_born(m[0], language), before)
    rest = f"{before} {found['name'].split(name.split()[0])[0]} {dob[1]}"
    return name, dob[0], " ".join(rest.split())


# A visit for someone else than the one speaking: "my son", "for my daughter", "para mi hija".
_FOR_SOMEONE_ELSE = re.compile(
    r"\b(my|mi|our|nuestr[oa])\s+(son|daughter|child|kid|boy|girl|baby|wife|husband|mom|mother"
    r"|dad|father|grandson|granddaughter|hijo|hija|nino|nina|bebe|esposa|esposo|mama|papa"
    r"|madre|padre|nieto|nieta)s?\b"
)


def for_someone_else(text: str) -> bool:
    """Whether a booking request is for a family member ("can I also get my son in?")."""
    return bool(_FOR_SOMEONE_ELSE.search(" ".join(words(text))))
