"""What the portal texts to a patient: the sign-in code (no patient data, GSM-7)."""

from __future__ import annotations

_CODE = {
    "en": "{practice}: your sign-in code is {code}. It expires in {minutes} minutes."
    " Do not share it with anyone.",
    "es": "{practice}: su codigo para entrar es {code}. Vence en {minutes} minutos."
    " No lo comparta con nadie.",
}


def code_message(practice: str, code: str, minutes: int, language: str = "en") -> str:
    return _CODE.get(language, _CODE["en"]).format(practice=practice, code=code, minutes=minutes)
