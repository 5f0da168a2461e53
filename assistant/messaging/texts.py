"""Fixed texts the edge sends without the dialogue. Minimum necessary: no appointment details."""

from __future__ import annotations

_TEXTS: dict[str, dict[str, str]] = {
    "opted_out": {
        "en": "{practice}: you will no longer receive texts from us. Reply START to opt back in.",
        "es": "{practice}: ya no recibira mensajes de nosotros. Responda START para volver.",
    },
    "opted_in": {
        "en": "{practice}: you will receive texts from us again. Reply STOP to opt out.",
        "es": "{practice}: volvera a recibir nuestros mensajes. Responda STOP para cancelarlos.",
    },
    "help": {
        "en": "{practice}: appointment texts. Call {phone} for help. Msg&data rates may apply."
        " Reply STOP to opt out.",
        "es": "{practice}: mensajes de citas. Llame al {phone} para ayuda. Responda STOP para"
        " no recibir mas.",
    },
    "text_only": {
        "en": "Sorry, we can only read text messages here. Please type your message.",
        "es": "Lo sentimos, solo podemos leer mensajes de texto. Escriba su mensaje, por favor.",
    },
    "message_taken": {
        "en": "Thanks, we got your message. A staff member will follow up soon.",
        "es": "Gracias, recibimos su mensaje. Alguien de nuestro personal le respondera pronto.",
    },
    "care_question_taken": {
        "en": "Thanks, I've passed your question to our nurses. A nurse will get back to you"
        " {when}. If it gets worse or feels urgent, call 911.",
        "es": "Gracias, le pase su pregunta a nuestras enfermeras. Una enfermera le respondera"
        " {when}. Si empeora o es urgente, llame al 911.",
    },
}

# When the nurse line answers a care question, unless the practice says otherwise
# (`practice.settings["nurse_reply_time_<language>"]`).
NURSE_REPLY_TIME = {"en": "within one business day", "es": "en un dia habil"}


def text(key: str, language: str = "en", **values: str) -> str:
    variants = _TEXTS[key]
    return variants.get(language, variants["en"]).format(**values)
