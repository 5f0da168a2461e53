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
from assistant.identity.names import has_full_name
from dialogues.actions.common import language, text_of

# Only to tell whether a request names a time (the search itself uses the location's zone).
PRACTICE_TIME_ZONE = "America/New_York"


_PROVIDER_WORDS = re.compile(r"(?i)\b(dr|dra|doctor|doctora|np|pa|nurse practitioner)\b")


def said_when(tracker: Tracker, text: str) -> bool:
    """Does `text` say when?"""
    return time_phrases.carries_details(
        text, now=utcnow(), time_zone=PRACTICE_TIME_ZONE, language=language(tracker)
    )


# Words about the visit being moved, not the new time: "my 3pm appointment", "my Thursday
# visit", "instead of Thursday", "mi cita del jueves".
_CURRENT_VISIT = re.compile(
    r"(?i)\b(?:my|the|mi|la)\s+(?:[\w:]+\s+){1,3}(?:appointment|appt|visit|cita)\b"
    r"|\b(?:instead of|rather than|from|en vez del?|en lugar del?)\s+(?:(?:my|the|on)\s+)?"
    r"[\w:]+(?:\s+(?:at\s+)?\d[\w:]*)?"
    r"|\b(?:cita|appointment|appt|visit)\s+(?:del?|of|on|for)\s+(?:el\s+)?[\w:]+"
    r"(?=.*\b(?:to|for|al?|para)\b)"
)


def said_details(tracker: Tracker) -> str | None:
    """The request's own words when they say when (or with whom) the new visit should be:
    used as the answer. What names the visit being moved ("my 3pm appointment") is left out."""
    text = _CURRENT_VISIT.sub(" ", text_of(tracker))
    text = " ".join(text.split())
    if _PROVIDER_WORDS.search(text) or said_when(tracker, text):
        return text
    return None


def slot_now(events: list[EventType], tracker: Tracker, name: str) -> Any:
    """A slot's value counting the events this action is about to return."""
    for event in reversed(events):
        if event.get("event") == "slot" and event.get("name") == name:
            return event.get("value")
    return tracker.get_slot(name)


# "... my name is Ana Ruiz, date of birth March 3 1982", "me llamo José Pérez, nací el ...".
_NAME_SAID = re.compile(
    r"(?i)\b(?:my name is|my name's|this is|i am|i'm|me llamo|mi nombre es|soy)\s+"
    r"(?P<name>[^\W\d_][\w'’-]*(?:\s+[^\W\d_][\w'’-]*){1,3}?)"
    r"(?=\s*(?:,|\.|;|\band\b|\by\b|\bdate\b|\bdob\b|\bborn\b|\bbirthday\b|\bfecha\b"
    r"|\bnac[ií]\b|$))"
)
_DOB_SAID = re.compile(
    r"(?i)\b(?:date of birth|dob|d\.o\.b\.?|born(?: on)?|birthday(?: is)?|birth date"
    r"|fecha de nacimiento|nac[ií](?: el)?)\s*(?:is\s+|es\s+|:)?\s*(?P<dob>.+)$"
)


def identity_said(tracker: Tracker) -> dict[str, str]:
    """Name and date of birth said with the request: the identity form's answers (it validates
    them when it starts). Both or nothing."""
    text = text_of(tracker)
    name, dob = _NAME_SAID.search(text), _DOB_SAID.search(text)
    if name is None or dob is None or not has_full_name(name["name"]):
        return {}
    if parse_date_of_birth(dob["dob"], language(tracker)) is None:
        return {}
    return {"patient_name": name["name"], "patient_dob": dob["dob"]}
