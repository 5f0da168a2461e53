"""Alarming words that are no one's health: a car that died, a bill, traffic, "dying to know".

The classifier hears an emergency in "I have to cancel, my car broke down" or "the bill almost
gave me a heart attack". These word lists (assistant/messages/locales/<lang>/alarms.yml, every
language at once: an emergency is read whatever the conversation's language) say what explains
such an alarm. They never decide alone: an emergency stands when any red flag, sign of acute
illness or injury, or poisoning is said besides (see `subject.false_alarm`).

* `figures`: idioms ("dying to know", "my back is killing me", "almost gave me a heart attack"),
  removed before the emergency words are read;
* `things`: a car, the road, a bill: they explain the alarm, never hide a red flag;
* `danger`: signs of an acute illness or injury (the emergency stands with any of them);
* `reassurance`: "nobody got hurt", "estoy bien": not a danger word said;
* `poisoning`: something swallowed that should not be: an emergency in any wording.
"""

from __future__ import annotations

import re
from functools import cache

from assistant.identity.names import fold
from assistant.messages import LANGUAGES, lexicon

_KINDS = ("figures", "things", "danger", "reassurance", "poisoning")


@cache
def _pattern(kind: str) -> re.Pattern[str] | None:
    """Every language's expressions of one kind, as one pattern on whole words."""
    found = [p for lang in LANGUAGES for p in lexicon(lang, "alarms").get(kind) or []]
    if not found:
        return None
    return re.compile("|".join(f"(?<![a-z0-9])(?:{p})(?![a-z0-9])" for p in found))


def _folded(text: str) -> str:
    """Lower case, no accents, punctuation and apostrophes as spaces ("won't" -> "won t")."""
    return " ".join(fold(text).replace("'", " ").split())


def _removed(kind: str, folded: str) -> str:
    pattern = _pattern(kind)
    return " ".join(pattern.sub(" ", folded).split()) if pattern else folded


def _says(kind: str, folded: str) -> bool:
    pattern = _pattern(kind)
    return bool(pattern and pattern.search(folded))


def without_figures(text: str) -> str:
    """The text without its idioms ("the bill almost gave me a heart attack" -> "the bill"),
    folded (lower case, no accents); apostrophes kept (for the emergency phrases)."""
    folded = " ".join(fold(text).split())
    pattern = _pattern("figures")
    return " ".join(pattern.sub(" ", folded).split()) if pattern else folded


def poisoning(text: str) -> bool:
    """ "My son swallowed a battery", "she got into my pills", "se tragó unas pastillas"."""
    return _says("poisoning", _folded(text))


def explained(text: str) -> str | None:
    """What is left of the message once its non-medical alarms are taken out, or None when it
    names none (nothing explains the alarm)."""
    folded = _folded(text)
    rest = _removed("things", _removed("figures", folded))
    return rest if rest != folded else None


def danger(text: str) -> bool:
    """A sign of acute illness or injury said ("not responding", "sangrando"), reassurances
    ("nobody got hurt", "estoy bien") left out."""
    folded = _removed("reassurance", _folded(text))
    return _says("danger", folded) or _says("poisoning", folded)
