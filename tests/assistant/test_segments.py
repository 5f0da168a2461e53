from __future__ import annotations

from assistant.messaging.segments import gsm_friendly, is_gsm7, segments


def test_gsm7_limits():
    assert segments("a" * 160) == 1
    assert segments("a" * 161) == 2
    assert segments("a" * 306) == 2
    assert segments("a" * 307) == 3
    assert segments("{" * 80) == 1 and segments("{" * 81) == 2  # extended chars count double


def test_one_non_gsm_character_switches_to_ucs2():
    assert segments("a" * 70 + "") == 1
    assert segments("á" + "a" * 69) == 1
    assert segments("á" + "a" * 70) == 2
    assert segments("😀" * 35) == 1 and segments("😀" * 36) == 2  # surrogate pairs


def test_spanish_reply_fits_one_gsm_segment_after_cleaning():
    text = "¿Cómo está? Su cita del miércoles está confirmada. Mañana recibirá la información."
    assert not is_gsm7(text)
    cleaned = gsm_friendly(text)
    assert is_gsm7(cleaned)  # é, ñ, ¿ stay; á, ó become plain
    assert "Mañana" in cleaned and "miércoles" in cleaned and "está" not in cleaned
    assert segments(cleaned) == 1
