"""What a reminder says: the minimum necessary (HIPAA) and, where possible, one GSM-7 segment.

Practice, date and time, place, how to reply. Never the provider, their specialty, the type or
reason of the visit. Replies are numbered: STOP/CANCEL mean opting out and nothing else (FCC
2024), so the only keyword named is STOP, for that. Procedure prep instructions are appended to
the one reminder chosen to carry them (that message is then longer than one segment).
"""

from __future__ import annotations

from collections.abc import Iterable

from assistant.db.models import Location
from assistant.messaging.segments import gsm_friendly, is_gsm7
from assistant.timefmt import format_when

SMS_LIMIT = 160

_TEMPLATES = {
    "en": (
        "{practice}: appointment {when} at {place}.",
        " Reply 1 to confirm, 2 to reschedule, 3 to talk to us.",
        " STOP to opt out.",
        " Prep: {prep}",
        " Manage it online: {link}",
    ),
    "es": (
        "{practice}: cita el {when} en {place}.",
        " Responda 1 para confirmar, 2 para cambiarla, 3 para hablar con nosotros.",
        " STOP para no recibir textos.",
        " Preparacion: {prep}",
        " En linea: {link}",
    ),
}


def place_name(location: Location, specialties: Iterable[str]) -> str:
    """The location's name, unless it gives away a specialty ("... Dermatology Center"): then
    its street address, which tells the patient where to go and nothing more."""
    name = location.name
    if any(s and s.lower() in name.lower() for s in specialties):
        return f"{location.address_line1}, {location.city}"
    return name


def compose(
    *,
    practice: str,
    when_utc,
    time_zone: str,
    place: str,
    language: str = "en",
    prep: str | None = None,
    link: str | None = None,
) -> str:
    """The reminder text. Without prep or a portal link it keeps to 160 GSM-7 characters when
    it can: the opt-out hint is dropped first if the place name is long."""
    head, menu, opt_out, prep_line, link_line = _TEMPLATES.get(language, _TEMPLATES["en"])
    when = format_when(when_utc, time_zone, language=language, channel="sms")
    base = gsm_friendly(head.format(practice=practice, when=when, place=place) + menu)
    body = base + gsm_friendly(opt_out)
    if not prep and not link and len(body) > SMS_LIMIT and is_gsm7(base):
        body = base
    if prep:
        body += gsm_friendly(prep_line.format(prep=prep.strip()))
    if link:
        body += link_line.format(link=link)
    return body


_SPOKEN = {
    "en": (
        "Hello, this is {practice} with a reminder of your appointment on {when} at {place}.",
        " Press 1 to confirm, 2 to reschedule, or 3 to talk to someone.",
        " To confirm or change it, please call us{phone}. Goodbye.",
        " at",
    ),
    "es": (
        "Hola, le llama {practice} para recordarle su cita el {when} en {place}.",
        " Marque 1 para confirmar, 2 para cambiarla, o 3 para hablar con alguien.",
        " Para confirmarla o cambiarla, llámenos{phone}. Adiós.",
        " al",
    ),
}


def spoken(
    *,
    practice: str,
    when_utc,
    time_zone: str,
    place: str,
    language: str = "en",
    menu: bool = True,
    phone: str | None = None,
) -> str:
    """What a reminder call says: the same minimum necessary as the text, then the keypad menu
    (or, for an answering machine, how to call back: no menu to press)."""
    head, keypad, call_back, at = _SPOKEN.get(language, _SPOKEN["en"])
    when = format_when(when_utc, time_zone, language=language, channel="voice")
    said = head.format(practice=practice, when=when, place=place)
    if menu:
        return said + keypad
    digits = (phone or "").removeprefix("+1").lstrip("+")
    return said + call_back.format(phone=f"{at} {' '.join(digits)}" if digits else "")
