"""What the caller hears from the edge itself (the dialogue's words come from the Rasa domain).

Written to be spoken: no abbreviations, no URLs, short sentences.
"""

from __future__ import annotations

# One digit at the greeting's menu: the main choices (later in the call a digit answers the
# dialogue's question, e.g. 1 for the first time offered). The greeting also takes 2 for Spanish.
KEYPAD_SHORTCUTS = {
    "1": "/confirm_appointment",
    "3": "/cancel_appointment",
    "4": "/reschedule_appointment",
    "0": "/request_human",
}
YES_WORDS = {
    "yes",
    "yeah",
    "yep",
    "correct",
    "right",
    "that's right",
    "si",
    "sí",
    "correcto",
    "eso",
}

PROMPTS: dict[str, dict[str, str]] = {
    "greeting": {
        "en": "Thank you for calling {practice}. {notice} How can I help you today? You can also"
        " press 1 to confirm an appointment, 3 to cancel, 4 to reschedule, or 0 for our staff.",
        "es": "Gracias por llamar a {practice}. {notice} ¿En qué le puedo ayudar? También puede"
        " oprimir 1 para confirmar una cita, 3 para cancelar, 4 para cambiarla, o 0 para hablar"
        " con nuestro personal.",
    },
    "language_choice": {"en": "Para español, oprima dos.", "es": ""},
    # Said before the first answer when the caller is heard speaking Spanish.
    "switched_to_spanish": {
        "en": "I'll continue in Spanish.",
        "es": "Muy bien, le atiendo en español.",
    },
    "reprompt": {
        "en": "Sorry, I didn't hear anything. How can I help you?",
        "es": "Perdón, no escuché nada. ¿En qué le puedo ayudar?",
    },
    "still_silent": {
        "en": "I still can't hear you. After the tone, please leave your name, date of birth and a"
        " short message, and our staff will call you back.",
        "es": "Sigo sin escucharle. Después del tono, deje su nombre, fecha de nacimiento y un"
        " mensaje breve, y nuestro personal le devolverá la llamada.",
    },
    "did_you_say": {
        "en": "I think you said: {heard}. If that's right, say yes or press 1. Otherwise, please"
        " say it again.",
        "es": "Creo que dijo: {heard}. Si es correcto, diga sí u oprima 1. Si no, repítalo por"
        " favor.",
    },
    "unavailable": {
        "en": "I'm sorry, I can't help with that right now. Please leave your name, date of birth"
        " and a short message after the tone, and our staff will call you back.",
        "es": "Lo siento, no puedo ayudarle en este momento. Deje su nombre, fecha de nacimiento"
        " y un mensaje breve después del tono, y le devolveremos la llamada.",
    },
    "handoff": {
        "en": "Let me get you to our staff.",
        "es": "Le comunico con nuestro personal.",
    },
    "leave_message": {
        "en": "Please leave your name, date of birth and a short message after the tone, and we"
        " will call you back.",
        "es": "Deje su nombre, fecha de nacimiento y un mensaje breve después del tono, y le"
        " devolveremos la llamada.",
    },
    "transfer_ringing": {
        "en": "I'm calling our {department} team now. Please stay on the line.",
        "es": "Estoy llamando a nuestro personal. Por favor, no cuelgue.",
    },
    "transfer_hold": {
        "en": "Thank you for waiting. We are still trying to reach someone for you.",
        "es": "Gracias por esperar. Seguimos tratando de comunicarle con alguien.",
    },
    "transfer_closed": {
        "en": "Our office is closed right now.",
        "es": "Nuestra oficina está cerrada en este momento.",
    },
    "transfer_on_call": {
        "en": "Our office is closed. I'm connecting you to the clinician on call.",
        "es": "Nuestra oficina está cerrada. Le comunico con el médico de guardia.",
    },
    "transfer_nobody": {
        "en": "I'm sorry, nobody can take your call right now.",
        "es": "Lo siento, nadie puede atender su llamada en este momento.",
    },
    "voicemail_thanks": {
        "en": "Thank you. Our staff will call you back. Goodbye.",
        "es": "Gracias. Nuestro personal le devolverá la llamada. Adiós.",
    },
    # The database was down: the recording waits in the spool and becomes a task when it is back
    "voicemail_kept": {
        "en": "Thank you, we got your message and will call you back. Goodbye.",
        "es": "Gracias, recibimos su mensaje y le devolveremos la llamada. Adiós.",
    },
}


def prompt(key: str, language: str, **values: str) -> str:
    variants = PROMPTS[key]
    template = variants[language] if language in variants else variants["en"]
    return template.format(**values)
