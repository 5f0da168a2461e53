"""Spanish "tarde" as "late", ordinals in addresses and the day a symptom began are no
appointment times: "llego 10 minutos tarde" was read as 10 PM, "voy un poco tarde" as the
afternoon, "4th avenue" as the 4th of the month, "fever since sunday" as next Sunday."""

from __future__ import annotations

from datetime import date, datetime, timezone

import pytest

from assistant.datetimes import resolve

NOW = datetime(2026, 6, 1, 13, 0, tzinfo=timezone.utc)  # Monday 9:00 in New York


def _spans(text: str, language: str) -> list[str]:
    found = resolve(text, now=NOW, time_zone="America/New_York", language=language)
    return [text[r.start_char : r.end_char] for r in found]


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("llego 10 minutos tarde", "es"),
        ("voy a llegar un poco tarde", "es"),
        ("hay trafico, llego tarde", "es"),
        ("se me hizo tarde", "es"),
        ("que tenga buena tarde", "es"),
        ("the cvs on 4th avenue", "en"),
        ("my apartment is on the 2nd floor", "en"),
        ("the pharmacy on 3rd street", "en"),
        ("sore throat and fever since sunday", "en"),
    ],
)
def test_no_time_is_read(text, language):
    assert _spans(text, language) == []


@pytest.mark.parametrize(
    ("text", "language", "span"),
    [
        ("puede ser el lunes en la tarde", "es", "lunes en la tarde"),
        ("mejor esta tarde", "es", "esta tarde"),
        ("tarde", "es", "tarde"),  # the answer to "¿en la mañana o en la tarde?"
        ("can i come on the 2nd", "en", "the 2nd"),
        ("the 4th at 10", "en", "the 4th at 10"),
        ("fever since sunday, could i come in thursday morning", "en", "thursday morning"),
    ],
)
def test_afternoons_and_days_of_the_month_are_kept(text, language, span):
    assert _spans(text, language) == [span]


def test_day_of_the_month_still_resolves():
    [found] = resolve("can i come on the 2nd", now=NOW, time_zone="America/New_York",
                      language="en")  # fmt: skip
    assert found.to_value() == date(2026, 6, 2).isoformat()
