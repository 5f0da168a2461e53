"""What the caller hears from the edge itself (the dialogue's words come from the Rasa domain).

The words are in the message catalogs (`assistant/messages/locales/*/LC_MESSAGES/voice.po`);
here are the keypad shortcuts and the words that mean yes.
"""

from __future__ import annotations

from assistant.messages import translate

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


def prompt(key: str, language: str, **values: str) -> str:
    """What the edge says: message `voice.<key>` of the catalogs (assistant/messages)."""
    return translate(language, f"voice.{key}", **values)
