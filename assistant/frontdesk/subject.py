"""Is a reply to the assistant's question the answer, or a real change of subject?

An answer to the assistant's own question is that answer whatever the classifier says: "Mark
Person", "Faith Staff" or "Hope Church" answer "What is your name?" even when the classifier
hears `request_human` or `out_of_scope`. The classifier's intent only *proposes* a change of
subject (an emergency, asking for a person, a question about the office); these deterministic
checks decide it. Emergencies err on the side of the emergency: only a reply that is clearly the
expected answer and has no red-flag word stays an answer.
"""

from __future__ import annotations

import re
from typing import Literal

from assistant.frontdesk import alarm
from assistant.frontdesk.provider_words import without_providers
from assistant.frontdesk.short_answers import is_emergency, question_topic, words, yes_no

Expecting = Literal["name", "date", "yes_no", "choice", "free"]
Change = Literal["emergency", "human", "question"]

EMERGENCY, HUMAN, OFFICE = "medical_emergency", "request_human", "office_info"
DIGRESSIONS = frozenset({EMERGENCY, HUMAN, OFFICE})

# What each form slot expects (anything else: free text).
EXPECTING: dict[str, Expecting] = {
    "patient_name": "name",
    "new_patient_name": "name",
    "patient_dob": "date",
    "new_patient_dob": "date",
    "cancel_confirm": "yes_no",
    "rebook_answer": "yes_no",
    "reschedule_confirm": "yes_no",
    "waitlist_answer": "yes_no",
    "book_confirm": "yes_no",
    "late_reschedule": "yes_no",
    "appointment_choice": "choice",
    "slot_choice": "choice",
    "book_type_choice": "choice",
    "provider_preference": "choice",
    "book_patient_status": "choice",
}

# Red-flag words (a compact form of the classifier's regex features in nlu/data/emergency.yml).
_RED_FLAGS = re.compile(
    r"\b(chest|pecho|heart attack|infarto|stroke|derrame|embolia|seizure|convuls|overdos"
    r"|sobredosis|suicid|kill (myself|me)|matarme|bleed|sangr|hemorrag|unconscious|inconsciente"
    r"|passed out|desmay|fainted|collapsed|not breathing|no respira|breath|respirar|ahog|chok"
    r"|anaphyla|allergic reaction|reaccion alergica|emergency|emergencia|911|ambulanc|poison"
    r"|veneno|bleach|cloro|want to die|quiero morir|numb|droop|slurr)"
)
# Asking for a person: a verb of asking with a person, or the person said on its own.
_PERSON = (
    r"(person|human|humano|someone|somebody|anyone|anybody|representative|rep|agent|operator"
    r"|operadora?|receptionist|recepcion(ista)?|front desk|staff|nurse|enfermer[ao]|doctor"
    r"|doctora|alguien|persona|agente|representante|ser humano|people)"
)
_ASKS_FOR_PERSON = re.compile(
    r"\b(talk|speak|speaking|transfer|connect|put me through|get me|give me|let me|need|want"
    r"|can i (get|have)|hablar|comunicar|comuniqueme|paseme|pasame|quiero|necesito)\b"
    r".{0,30}\b" + _PERSON + r"\b"
    r"|^(a |an |the |un |una )?(real |live |actual )?" + _PERSON + r"( please| por favor)?$"
    r"|\b(real|live|actual) (person|human)\b|\bpersona real\b"
)
_QUESTION_START = re.compile(
    r"^(what|when|where|how|are you|do you|is (it|the|there)|can i park|which|que|cual|donde"
    r"|cuando|a que hora|como|estan|tienen|hay)\b"
)
_OFFICE_WORDS = re.compile(
    r"\b(hours?|open|opens|close|closes|closed|address|located|location|parking|park"
    r"|directions|horario|abren|abierto|cierran|cerrado|direccion|estacionamiento|ubicad[oa]s?)\b"
)
# Words that are not part of a name: function words and request verbs in English and Spanish.
_NOT_NAME = frozenset(
    {
        "i", "i'm", "im", "me", "my", "you", "your", "we", "a", "an", "the", "to", "with", "and",
        "or", "but", "please", "pls", "can", "could", "would", "will", "want", "need", "talk",
        "speak", "get", "give", "let", "put", "through", "what", "when", "where", "how",
        "why", "who", "is", "are", "am", "do", "does", "don't", "dont", "not", "no", "yes", "ok",
        "okay", "hi", "hello", "hey", "thanks", "thank", "about", "for", "of", "in", "on", "at",
        "appointment", "appt", "someone", "somebody", "anyone", "real", "live", "now", "today",
        "tomorrow", "quiero", "necesito", "hablar", "con", "una", "un", "por", "favor", "que",
        "cual", "donde", "cuando", "como", "hola", "gracias", "cita", "ayuda", "alguien", "si",
        "open", "hours", "closed", "emergency", "emergencia", "pain", "dolor", "hurts", "hurt",
    }
)  # fmt: skip
# Wrappers around a name ("my name is ...", "soy ...").
_NAME_WRAPPER = re.compile(
    r"^(?:(?:uh|um|yes|yeah|si|hi|hello|hola)\s+)*(?:my name is|my name's|name is|the name is"
    r"|this is|it's|its|it is|i am|i'm|im|me llamo|mi nombre es|soy|el nombre es|a nombre de)\s+"
)
_MONTHS = re.compile(
    r"\b(jan|january|feb|february|mar|march|apr|april|may|jun|june|jul|july|aug|august|sep|sept"
    r"|september|oct|october|nov|november|dec|december|enero|febrero|marzo|abril|mayo|junio"
    r"|julio|agosto|septiembre|setiembre|octubre|noviembre|diciembre)\b"
)
_CHOICE_WORDS = frozenset(
    {
        "first", "second", "third", "last", "one", "two", "three", "1st", "2nd", "3rd",
        "primera", "primero", "segunda", "segundo", "tercera", "tercero", "ultima", "ultimo",
        "uno", "dos", "tres", "new", "existing", "nuevo", "nueva", "any", "cualquier",
        "cualquiera", "monday", "tuesday", "wednesday", "thursday", "friday", "lunes", "martes",
        "miercoles", "jueves", "viernes",
    }
)  # fmt: skip


def _folded(text: str) -> str:
    return " ".join(words(text))


# An emergency that is no one's health: "a family emergency out of town", "an emergency came
# up at work", "una emergencia familiar" (a reason to cancel, not a 911 call).
_NOT_MEDICAL = re.compile(
    r"\b(family|work|personal|job|house|home|car|pet|dog|cat|childcare|school|babysitter"
    r"|business|plumbing|flooding) emergenc\w*"
    r"|\bemergenc\w* (familiar|personal|(at|with|from|for) (work|home|my job|the house"
    r"|my (kid|son|daughter|family|mom|dad|husband|wife|pet|dog|cat|car|house))"
    r"|came up|en (el|la) (trabajo|casa|familia)|de (trabajo|familia)|con mi (familia|carro"
    r"|casa|perro|gato))"
)


# Where emergencies are treated: a question about those is never an office question.
_EMERGENCY_CARE = re.compile(r"\b(er|e r|hospital|urgencias|urgent care|ambulanc\w*)\b")


def red_flag(text: str) -> bool:
    """A word of a medical emergency (not "a family emergency": no one's health)."""
    return bool(_RED_FLAGS.search(_NOT_MEDICAL.sub(" ", _folded(text))))


def not_medical(text: str) -> bool:
    """An emergency named that is no one's health, and no red flag besides it."""
    return bool(_NOT_MEDICAL.search(_folded(text))) and not red_flag(text)


def false_alarm(text: str) -> bool:
    """The classifier's emergency explained by something that is no one's health ("I have to
    cancel, my car broke down", "the bill almost gave me a heart attack, what is this charge"),
    with no red flag, sign of acute illness or injury, or poisoning said besides. Recall first:
    an alarm nothing explains is an emergency."""
    if is_emergency(text):
        return False
    rest = alarm.explained(text)
    return rest is not None and not (red_flag(rest) or alarm.danger(rest))


def asks_for_person(text: str) -> bool:
    """ "Can I talk to a real person", "representative", "hablar con alguien" (not "Mark
    Person": a person word with no asking around it is a name; nor "I want Dr. Okafor": a
    provider)."""
    return bool(_ASKS_FOR_PERSON.search(_folded(without_providers(text))))


def is_question(text: str) -> bool:
    folded = _folded(without_providers(text))  # "is Dr. Park free then?" asks no parking
    return (
        text.strip().endswith("?")
        or bool(_QUESTION_START.search(folded))
        or bool(_OFFICE_WORDS.search(folded))
    )


def looks_like_name(text: str) -> bool:
    """Two to five name-like words, optionally wrapped ("it's Hope Church", "soy Ana Ruiz")."""
    folded = _NAME_WRAPPER.sub("", _folded(text))
    said = folded.split()
    if not 2 <= len(said) <= 5 or text.strip().endswith("?"):
        return False
    return all(re.fullmatch(r"[a-z][a-z']*", w) and w not in _NOT_NAME for w in said)


def looks_like(text: str, expecting: Expecting) -> bool:
    """Does the reply have the shape of the answer asked for?"""
    folded = _folded(text)
    said = folded.split()
    if expecting == "name":
        return looks_like_name(text)
    if expecting == "date":
        return bool(re.search(r"\d", folded) or _MONTHS.search(folded))
    if expecting == "yes_no":
        return len(said) <= 4 and yes_no(text) is not None
    if expecting == "choice":
        return len(said) <= 5 and (
            any(w in _CHOICE_WORDS for w in said) or bool(re.search(r"\d", folded))
        )
    return False


def change_of_subject(text: str, intent: str | None, expecting: Expecting) -> Change | None:
    """None when `text` answers the question; else the kind of change the patient made.

    Only a change the classifier proposes (emergency, a person, an office question) is
    considered, and it must be confirmed by the wording itself.
    """
    if intent not in DIGRESSIONS or not text.strip():
        return None
    if intent == EMERGENCY:
        if red_flag(text) or is_emergency(text):
            return "emergency"
        if looks_like(text, expecting) or not_medical(text):
            return None
        # "oiga y dónde se puede parquear allá" heard as an emergency: no red flag, an office
        # question, answered in place (the form's repair) and the question asked again
        office = question_topic(text) is not None and not _EMERGENCY_CARE.search(_folded(text))
        return None if office else "emergency"
    if intent == HUMAN:
        return "human" if asks_for_person(text) else None
    if is_question(text) and not looks_like(text, expecting):
        return "question"
    return None
