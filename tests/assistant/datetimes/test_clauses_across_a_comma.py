"""'monday, what about wednesday morning': the recognizer returns one unresolved span across the
comma; each clause keeps its own day (it came out as a morning with no day)."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from assistant.datetimes.recognizer import recognize

NOW = datetime(2026, 6, 1, 9, 0)  # a Monday, naive local time


@pytest.mark.parametrize(
    ("text", "language", "first", "second", "part"),
    [
        ("yeah so i can't make it on monday, what about wednesday morning", "en",
         "monday", "wednesday morning", "morning"),
        ("monday, wednesday morning", "en", "monday", "wednesday morning", "morning"),
        ("el lunes no puedo, que tal el miercoles en la tarde", "es",
         "lunes", "miercoles en la tarde", "afternoon"),
    ],
)  # fmt: skip
def test_each_clause_keeps_its_day(text, language, first, second, part):
    old, new = recognize(text, language, NOW)
    assert text[old.start : old.end] == first and old.date == date(2026, 6, 1)
    assert text[new.start : new.end] == second
    assert new.date == date(2026, 6, 3) and new.part_of_day == part
