"""Detecting the language of a text: only clear cases decide."""

from __future__ import annotations

import pytest

from assistant.messaging.language import detect_language


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("hola quiero una cita", "es"),
        ("Necesito cambiar mi cita para el viernes", "es"),
        ("me puede cambiar la cita", "es"),
        ("gracias", "es"),
        ("buenos días", "es"),
        ("no puedo ir mañana", "es"),
        ("I need to reschedule my appointment", "en"),
        ("can you cancel it please", "en"),
        ("my cita is tomorrow can i change it", "en"),
        ("1", None),
        ("yes", None),
        ("ok", None),
        ("C", None),
        ("Maria Lopez", None),
        ("3/3/82", None),
    ],
)
def test_detect_language(text: str, expected: str | None) -> None:
    assert detect_language(text) == expected
