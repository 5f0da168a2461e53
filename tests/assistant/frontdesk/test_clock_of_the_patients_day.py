"""A clock time that tells of the patient's day, not of the visit (issue "understand whole
requests", class 3): "evenings, I'm at work until 2pm" wishes the evening; a time inside the
part of the day said still narrows it."""

from __future__ import annotations

from datetime import datetime, time, timezone

import pytest

from assistant.frontdesk.time_phrases import read_wish

NOW = datetime(2027, 3, 2, 15, tzinfo=timezone.utc)


def _wish(text: str):
    return read_wish(text, now=NOW, time_zone="America/New_York", language="en").preference


@pytest.mark.parametrize(
    ("said", "part"),
    [
        ("could we do an afternoon, my overnight shift ends at 7am", "afternoon"),
        ("morning works best, I start work at 1 pm", "morning"),
    ],
)
def test_the_part_of_the_day_is_the_wish(said: str, part: str) -> None:
    wish = _wish(said)
    assert wish.part_of_day == part
    assert wish.near is None and wish.earliest is None and wish.latest is None


def test_a_time_inside_the_part_still_counts() -> None:
    wish = _wish("afternoon if possible, ideally around 2 pm")
    assert wish.near == time(14)
    assert wish.earliest is not None and wish.earliest <= time(14)
