"""What a reminder says: the minimum necessary (HIPAA) and, where possible, one GSM-7 segment.

Practice, date and time, place, how to reply. Never the provider, their specialty, the type or
reason of the visit. Replies are numbered: STOP/CANCEL mean opting out and nothing else (FCC
2024), so the only keyword named is STOP, for that. Procedure prep instructions are appended to
the one reminder chosen to carry them (that message is then longer than one segment).
The words are in the message catalogs (`reminders.po` in assistant/messages/locales).
"""

from __future__ import annotations

from collections.abc import Iterable

from assistant.db.models import Location
from assistant.messages import translate
from assistant.messaging.segments import gsm_friendly, is_gsm7
from assistant.timefmt import format_when

SMS_LIMIT = 160


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
    when = format_when(when_utc, time_zone, language=language, channel="sms")
    head = translate(language, "reminders.sms_head", practice=practice, when=when, place=place)
    base = gsm_friendly(f"{head} {translate(language, 'reminders.sms_menu')}")
    body = base + gsm_friendly(f" {translate(language, 'reminders.sms_opt_out')}")
    if not prep and not link and len(body) > SMS_LIMIT and is_gsm7(base):
        body = base
    if prep:
        body += gsm_friendly(f" {translate(language, 'reminders.sms_prep', prep=prep.strip())}")
    if link:
        body += f" {translate(language, 'reminders.sms_link', link=link)}"
    return body


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
    when = format_when(when_utc, time_zone, language=language, channel="voice")
    said = translate(language, "reminders.call_head", practice=practice, when=when, place=place)
    if menu:
        return f"{said} {translate(language, 'reminders.call_menu')}"
    digits = (phone or "").removeprefix("+1").lstrip("+")
    if digits:
        return f"{said} {translate(language, 'reminders.call_back_at', phone=' '.join(digits))}"
    return f"{said} {translate(language, 'reminders.call_back')}"
