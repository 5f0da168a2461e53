"""Lowercasing and SMS/voice spelling fixes that keep a map back to the original offsets."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

Replacement = tuple[re.Pattern[str], str | Callable[[re.Match[str]], str]]

_COMMON: list[Replacement] = [
    (
        re.compile(r"\b([ap])\s?\.\s?m\b\.?|\b([ap]) m\b"),
        lambda m: (m.group(1) or m.group(2)) + "m",
    ),
    (re.compile(r"[’`´]"), "'"),
    (re.compile(r"\bo\s?[\"']\s?clock\b|\boclock\b"), "o'clock"),
]
_EN: list[Replacement] = [
    (
        re.compile(r"\b(?:tmrw|tmw|tmr|tmrow|tomorow|tommorow|tommorrow|2morrow|2moro|2mrw)\b"),
        "tomorrow",
    ),
    (re.compile(r"\b(?:tdy|2day)\b"), "today"),
    (re.compile(r"\b(?:2nite|tonite)\b"), "tonight"),
    (re.compile(r"\bnxt\b"), "next"),
    (re.compile(r"\bwk\b"), "week"),
    (re.compile(r"\baftn\b|\baftnoon\b"), "afternoon"),
    (re.compile(r"\bmorn\b"), "morning"),
    (re.compile(r"@"), " at "),
]
_ES: list[Replacement] = [
    (re.compile(r"\bmanana\b"), "mañana"),
    (re.compile(r"\bpr[oó]xim([oa])\b"), lambda m: "próxim" + m.group(1)),
    (re.compile(r"\bdespues\b"), "después"),
    (re.compile(r"\bmiercoles\b"), "miércoles"),
    (re.compile(r"\bsabado\b"), "sábado"),
    (re.compile(r"\bmediodia\b"), "mediodía"),
    (re.compile(r"\bdia\b"), "día"),
    # "mie 6", "mié. 6", "mier 6": a day abbreviation only when a day number follows;
    # a bare "mi" stays the possessive ("mi cita").
    (re.compile(r"\bmi[eé]r?\b\.?(?=\s*\d)"), "miércoles"),
    (re.compile(r"@"), " a las "),
]


@dataclass(frozen=True)
class Normalized:
    text: str
    starts: list[int]  # original start of each character of `text`
    ends: list[int]  # original end (exclusive) of each character of `text`

    def original_span(self, start: int, end: int) -> tuple[int, int]:
        if end <= start:
            return self.starts[start], self.starts[start]
        return self.starts[start], self.ends[end - 1]


def _lower(text: str) -> str:
    lowered = text.lower()
    if len(lowered) == len(text):
        return lowered
    return "".join(c.lower() if len(c.lower()) == 1 else c for c in text)


def _apply(norm: Normalized, replacements: list[Replacement]) -> Normalized:
    for pattern, repl in replacements:
        pieces: list[str] = []
        starts: list[int] = []
        ends: list[int] = []
        pos = 0
        for m in pattern.finditer(norm.text):
            new = repl if isinstance(repl, str) else repl(m)
            pieces.append(norm.text[pos : m.start()])
            starts.extend(norm.starts[pos : m.start()])
            ends.extend(norm.ends[pos : m.start()])
            orig_start, orig_end = norm.original_span(m.start(), m.end())
            pieces.append(new)
            starts.extend([orig_start] * len(new))
            ends.extend([orig_end] * len(new))
            pos = m.end()
        if not pieces:
            continue
        pieces.append(norm.text[pos:])
        starts.extend(norm.starts[pos:])
        ends.extend(norm.ends[pos:])
        norm = Normalized("".join(pieces), starts, ends)
    return norm


_BY_LANGUAGE = {"en": _EN, "es": _ES}


def normalize(text: str, language: str) -> Normalized:
    """Lowercase, expand SMS spellings, restore Spanish accents the recognizer needs."""
    lowered = _lower(text)
    norm = Normalized(lowered, list(range(len(text))), list(range(1, len(text) + 1)))
    return _apply(norm, _COMMON + _BY_LANGUAGE.get(language, _EN))


def blank(text: str, spans: list[tuple[int, int]]) -> str:
    """`text` with the given spans replaced by spaces (offsets unchanged)."""
    chars = list(text)
    for start, end in spans:
        chars[start:end] = " " * (end - start)
    return "".join(chars)
