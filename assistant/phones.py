"""Phone numbers in E.164, the one form stored and compared everywhere."""

from __future__ import annotations

import phonenumbers


class InvalidPhoneNumber(ValueError):
    pass


def to_e164(raw: str, default_region: str = "US") -> str:
    """Normalise '(555) 123-4567', '555.123.4567', '+1 555 123 4567' ... to '+15551234567'."""
    try:
        parsed = phonenumbers.parse(raw.strip(), default_region)
    except phonenumbers.NumberParseException as exc:
        raise InvalidPhoneNumber(f"not a phone number: {exc}") from None
    # "Possible" alone accepts local-only numbers (7 digits, no area code): not callable back.
    reason = phonenumbers.is_possible_number_with_reason(parsed)
    if reason != phonenumbers.ValidationResult.IS_POSSIBLE:
        raise InvalidPhoneNumber("not a complete phone number (area code missing?)")
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)


def last_four(e164: str) -> str:
    """What may be shown or logged of a number: its last four digits."""
    return f"***{e164[-4:]}" if e164 else ""
