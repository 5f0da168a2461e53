"""SMS segment counting (GSM-7 vs UCS-2) and keeping replies inside one segment when possible.

One character outside the GSM-7 alphabet turns the whole message into UCS-2: 70 characters per
segment instead of 160 (67/153 per part once split). Spanish mostly fits GSM-7 (é, ñ, ¿, ¡ are
in it) but á, í, ó, ú are not, so they are replaced by their plain letters in texts we send.
"""

from __future__ import annotations

import math

GSM7_BASIC = set(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞ ÆæßÉ!\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
GSM7_EXTENDED = set("^{}\\[~]|€\f")  # each counts as two characters (escape + char)

_PLAIN = str.maketrans({
    "á": "a", "í": "i", "ó": "o", "ú": "u", "Á": "A", "Í": "I", "Ó": "O", "Ú": "U",
    "ê": "e", "â": "a", "ô": "o", "ç": "c", "’": "'", "‘": "'", "“": '"', "”": '"', "–": "-",
    "—": "-", "…": "...",
})  # fmt: skip


def is_gsm7(text: str) -> bool:
    return all(ch in GSM7_BASIC or ch in GSM7_EXTENDED for ch in text)


def segments(text: str) -> int:
    """How many segments Twilio bills for this body."""
    if not text:
        return 1
    if is_gsm7(text):
        units = sum(2 if ch in GSM7_EXTENDED else 1 for ch in text)
        return 1 if units <= 160 else math.ceil(units / 153)
    units = sum(2 if ord(ch) > 0xFFFF else 1 for ch in text)  # UTF-16 code units
    return 1 if units <= 70 else math.ceil(units / 67)


def gsm_friendly(text: str) -> str:
    """Replace the few common characters that would force UCS-2; leave others (names) alone."""
    return text.translate(_PLAIN)
