"""Which language a text is written in, when the words make it plain.

A patient texting from a number we do not know (or a family number with mixed preferences)
should be answered in the language they wrote. Only clear cases decide: "1", "yes", "ok" or a
name say nothing, and the patient's stated preference stands.
"""

from __future__ import annotations

import re
import unicodedata

# Words that are Spanish and not English (accents optional: texters drop them).
_SPANISH_WORDS = """
    hola buenos buenas dias tardes noches gracias quiero quisiera necesito puedo puede pueden
    podria tengo tiene cita citas manana cancelar cambiar confirmar confirmo favor ayuda senor
    senora senorita hablar persona cuando donde que como esta estoy estare soy llamo mi mis
    llegar tarde receta medicina resultados factura pagar cuenta horario direccion voy ir venir
    hoy semana lunes martes miercoles jueves viernes sabado domingo el la los las del para con
    una por pero tambien ahora despues antes hora llamar llamada doctora pastillas dolor hijo
    hija esposo esposa nombre fecha nacimiento si claro vale bueno adios
"""
# Common English words, so that a mixed message ("my cita is tomorrow") is not called Spanish.
_ENGLISH_WORDS = """
    i i'm im my me the a an to is are am can could would you your please need want have has
    appointment appt cancel change reschedule confirm tomorrow today what when where how why
    this that it and or but for with on at in of be will yes yeah no not thanks thank hi hello
"""
_SPANISH = frozenset(_SPANISH_WORDS.split())
_ENGLISH = frozenset(_ENGLISH_WORDS.split())
_WORD = re.compile(r"[a-z']+")


def _plain(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def detect_language(text: str) -> str | None:
    """The language ("es" or "en") when the text makes it plain; None when it does not."""
    words = _WORD.findall(_plain(text))
    spanish = sum(w in _SPANISH for w in words)
    english = sum(w in _ENGLISH for w in words)
    if spanish >= 2 and spanish > english or spanish == 1 and english == 0 and len(words) <= 3:
        return "es"
    if english >= 2 and english > spanish:
        return "en"
    return None
