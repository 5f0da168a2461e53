"""Understanding short answers: yes/no, "the second one", "Thursday", "anything later?"."""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date

from assistant.identity.names import fold

_YES = {
    "yes", "yeah", "yep", "yup", "sure", "ok", "okay", "correct", "right", "confirm", "please",
    "absolutely", "definitely", "si", "claro", "correcto", "vale", "bueno", "dale", "afirmativo",
}  # fmt: skip
_NO = {
    "no", "nope", "nah", "not", "dont", "don't", "never", "negative", "nunca", "tampoco",
}  # fmt: skip
_MORE = (
    "later", "another", "other", "different", "else", "none", "neither", "more",
    "mas tarde", "otro", "otra", "otros", "otras", "ninguno", "ninguna", "despues",
)  # fmt: skip
_ORDINALS = {
    1: ("first", "1st", "primera", "primero", "primer"),
    2: ("second", "2nd", "segunda", "segundo"),
    3: ("third", "3rd", "tercera", "tercero", "tercer"),
}
_CARDINALS = {1: ("one", "uno", "una"), 2: ("two", "dos"), 3: ("three", "tres")}
_LAST = ("last", "ultima", "ultimo")
WEEKDAYS = (
    ("monday", "lunes"),
    ("tuesday", "martes"),
    ("wednesday", "miercoles"),
    ("thursday", "jueves"),
    ("friday", "viernes"),
    ("saturday", "sabado"),
    ("sunday", "domingo"),
)


def words(text: str) -> list[str]:
    return fold(text).split()


def yes_no(text: str, intent: str | None = None) -> bool | None:
    """True for yes, False for no, None when unclear. The NLU's affirm/deny wins when given."""
    if intent == "affirm":
        return True
    if intent == "deny":
        return False
    said = set(words(text))
    yes, no = bool(said & _YES), bool(said & _NO)
    if yes != no:
        return yes
    return None


def wants_more(text: str) -> bool:
    """ "Anything later?", "something else", "otra hora": the next options, please."""
    folded = " ".join(words(text))
    return any(re.search(rf"\b{re.escape(m)}\b", folded) for m in _MORE)


_WISH = (
    "week", "semana", "tomorrow", "manana", "morning", "afternoon", "evening", "tarde", "noche",
    "next", "proxima", "proximo", "after", "before", "despues", "antes", "month", "mes",
)  # fmt: skip


def new_wish(text: str) -> bool:
    """ "What about next week?", "no, I said Tuesday": a new time preference, not a choice."""
    said = words(text)
    return weekday_of(text) is not None or any(w in _WISH for w in said)


def weekday_of(text: str) -> int | None:
    said = set(words(text))
    found = [i for i, names in enumerate(WEEKDAYS) if said & set(names)]
    return found[0] if len(found) == 1 else None


def choose(text: str, local_dates: Sequence[date], hours: Sequence[int] = ()) -> int | None:
    """Index of the item meant by "the second one", "2", "Thursday", "the 26th", "2 pm"."""
    said = words(text)
    count = len(local_dates)
    for number, names in _ORDINALS.items():
        if any(w in names for w in said) and number <= count:
            return number - 1
    if any(w in _LAST for w in said) and count:
        return count - 1
    digits = [int(w) for w in re.findall(r"(?<![\d:])(\d{1,2})(?![\d:])", " ".join(said))]
    if len(digits) == 1 and 1 <= digits[0] <= count and len(said) <= 3:
        return digits[0] - 1
    weekday = weekday_of(text)
    if weekday is not None:
        found = [i for i, d in enumerate(local_dates) if d.weekday() == weekday]
        if len(found) == 1:
            return found[0]
    for number, names in _CARDINALS.items():
        if any(w in names for w in said) and number <= count and len(said) <= 3:
            return number - 1
    if hours:
        hour = _hour(" ".join(said))
        found = [i for i, h in enumerate(hours) if h == hour]
        if hour is not None and len(found) == 1:
            return found[0]
    if digits:
        found = [i for i, d in enumerate(local_dates) if d.day in digits]
        if len(found) == 1:
            return found[0]
    return None


def _hour(folded: str) -> int | None:
    match = re.search(r"\b(\d{1,2})(?::\d{2})?\s*(am|pm|a m|p m)\b", folded)
    if not match:
        return None
    hour = int(match[1]) % 12
    return hour + 12 if match[2].startswith("p") else hour


# --- Repair inside a conversation: stopping, starting over, questions, emergencies ------------

_STOP = (
    "never mind", "nevermind", "forget it", "forget about it", "leave it", "keep it as it is",
    "keep my appointment", "keep it", "stop", "quit", "nothing else", "don't bother",
    "olvidelo", "olvidalo", "olvide", "dejelo", "dejalo", "dejelo asi", "ya no", "mejor no",
    "no se preocupe", "deje la cita",
)  # fmt: skip
_YES_TOO = {
    "perfect", "great", "works", "fine", "good", "alright", "y", "yea", "ya", "k", "perfecto",
    "excelente", "acuerdo", "listo",
}  # fmt: skip
_YES_PHRASES = (
    "sounds good", "that works", "works for me", "let's do it", "lets do it", "do it", "book it",
    "go ahead", "please do", "adelante", "hagalo", "esta bien", "me sirve", "me queda bien",
)  # fmt: skip
_RESTART = ("start over", "start again", "from the beginning", "empezar de nuevo",
            "desde el principio", "volver a empezar", "empecemos de nuevo")  # fmt: skip
_BACK = ("go back", "back up", "previous", "regresar", "volver atras", "atras")
_BUT = ("but", "pero", "although", "aunque", "wait", "espere", "hold on", "actually", "en realidad")
_QUESTION_WORDS = (
    "what", "where", "when", "how", "which", "why", "is", "are", "do", "does", "can", "could",
    "will", "should", "que", "donde", "cuando", "como", "cual", "hay", "tienen", "aceptan",
    "puedo", "necesito",
)  # fmt: skip
_TOPICS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("insurance", ("insurance", "copay", "co pay", "deductible", "medicaid", "medicare",
                   "seguro", "aseguranza", "aetna", "cigna", "humana", "blue cross")),
    ("prep", ("bring", "prepare", "prep", "fast", "fasting", "eat before", "traer", "llevar",
              "preparar", "ayunas", "ayuno", "comer antes")),
    ("office", ("parking", "park", "address", "directions", "located", "location", "where are",
                "where is", "hours", "open", "close", "closing", "estacionamiento",
                "estacionar", "direccion", "donde estan", "donde queda", "horario", "abren",
                "cierran")),
)  # fmt: skip
# Said in any turn, whatever the classifier thought: 911 / 988 at once.
_EMERGENCY = (
    "chest pain", "chest hurts", "pain in my chest", "can't breathe", "cant breathe",
    "cannot breathe", "not breathing", "isn't breathing", "isnt breathing", "stopped breathing",
    "trouble breathing", "collapsed", "unconscious", "passed out", "won't wake up",
    "wont wake up", "stroke", "heart attack", "seizure", "overdose", "overdosed",
    "bleeding a lot", "won't stop bleeding", "wont stop bleeding", "kill myself", "suicide",
    "suicidal", "end my life", "hurt myself", "harm myself", "want to die",
    "dolor en el pecho", "dolor de pecho", "no puedo respirar", "no respira", "se desmayo",
    "inconsciente", "derrame", "ataque al corazon", "convulsion", "sobredosis",
    "sangra mucho", "no para de sangrar", "matarme", "suicidarme", "suicidio", "quitarme la vida",
    "hacerme dano", "quiero morir",
)  # fmt: skip
_MOVE = (
    "move", "moving", "change my", "change the", "push back", "push it", "pushed back",
    "postpone", "earlier", "sooner", "reschedule", "switch my", "bump",
    "cambiar", "cambio", "mover", "adelantar", "atrasar", "posponer", "mas temprano",
    "mas tarde",
)  # fmt: skip
_LATER = ("later", "after", "push back", "push it back", "pushed back", "move it back", "postpone",
          "mas tarde", "despues", "atrasar", "posponer")  # fmt: skip
_EARLIER = ("earlier", "sooner", "before", "mas temprano", "antes", "adelantar", "cuanto antes")


def _has(folded: str, phrases: Sequence[str]) -> bool:
    return any(re.search(rf"(^|\s){re.escape(p)}($|\s)", folded) for p in phrases)


def folded_text(text: str) -> str:
    return " ".join(words(re.sub(r"[?¿!¡.,;:]", " ", text)))


def stops(text: str) -> bool:
    """ "Never mind", "forget it", "olvídelo": stop the task, nothing changed."""
    return _has(folded_text(text), _STOP)


def restarts(text: str) -> bool:
    return _has(folded_text(text), _RESTART)


def goes_back(text: str) -> bool:
    return _has(folded_text(text), _BACK)


def is_emergency(text: str) -> bool:
    return _has(folded_text(text), _EMERGENCY)


def question_topic(text: str) -> str | None:
    """ "Is there parking?", "what do I need to bring", "¿aceptan mi seguro?": the topic of a
    question asked in the middle of a task (office, insurance, prep), else None."""
    folded = folded_text(text)
    said = folded.split()
    asked = "?" in text or "¿" in text or (said[:1] and said[0] in _QUESTION_WORDS)
    if not asked:
        return None
    for topic, keys in _TOPICS:
        if _has(folded, keys):
            return topic
    return None


_CANCEL_INSTEAD = re.compile(
    r"\b(cancel|cancell?ed|cancelar|cancele|cancelela|cancelarla|cancelala|cancela|cancelen)\b"
)
_NOT_CANCEL = re.compile(
    r"\b(don'?t|do not|not|no|never|nunca)\s+(want to |quiero |la |lo )?(cancel|cancel\w+)\b"
)


def asks_to_cancel(text: str) -> bool:
    """ "Actually just cancel it", "mejor cancélela" (not "don't cancel it")."""
    folded = folded_text(text)
    return bool(_CANCEL_INSTEAD.search(folded)) and not _NOT_CANCEL.search(folded)


def asks_to_reschedule(text: str) -> bool:
    """ "Actually I want to reschedule it", "mejor cámbiela para el lunes"."""
    folded = folded_text(text)
    return asks_to_move(text) or bool(
        re.search(r"\b(reschedul\w*|reprogram\w*|cambi(ar|e|ela|arla)|mover(la)?)\b", folded)
    )


def asks_to_move(text: str) -> bool:
    """ "Can I push back my appointment", "move it earlier", "cambiar mi cita"."""
    return _has(folded_text(text), _MOVE)


def direction(text: str) -> str | None:
    """ "later" / "earlier" when the patient said which way, else None."""
    folded = folded_text(text)
    later, earlier = _has(folded, _LATER), _has(folded, _EARLIER)
    if later != earlier:
        return "later" if later else "earlier"
    return None


def strict_yes(text: str, intent: str | None = None) -> bool:
    """An unambiguous yes to a read-back: a yes, and nothing that hedges it ("ok but ..."),
    asks something, names another choice ("ok I'll take the first one") or says no."""
    folded = folded_text(text)
    said = folded.split()
    if not said or "?" in text or "¿" in text:
        return False
    # a yes word or phrase must be there: the classifier's affirm alone is not unambiguous
    yes = bool(set(said) & (_YES | _YES_TOO)) or _has(folded, _YES_PHRASES)
    if not yes or set(said) & _NO or _has(folded, _BUT):
        return False
    if stops(text) or restarts(text) or goes_back(text) or is_emergency(text):
        return False
    if any(w in names for names in _ORDINALS.values() for w in said) or set(said) & set(_LAST):
        return False
    if weekday_of(text) is not None or re.search(r"\d", folded) or new_wish(text):
        return False
    return not wants_more(text) and len(said) <= 8


def strict_no(text: str, intent: str | None = None) -> bool:
    """A plain no to a read-back (not a new choice: that is read back instead)."""
    said = folded_text(text).split()
    return bool(said) and (bool(set(said) & _NO) or intent == "deny") and not set(said) & _YES


def has_yes_word(text: str) -> bool:
    """A yes word and no no word ("yes, the first one" when the first one was read back)."""
    said = set(folded_text(text).split())
    return bool(said & (_YES | _YES_TOO)) and not said & _NO and not _has(" ".join(said), _BUT)


_PERSON = (
    "person", "a person", "human", "a human", "agent", "representative", "operator", "staff",
    "someone", "persona", "una persona", "alguien", "operador", "operadora", "recepcion",
)  # fmt: skip


def wants_person(text: str) -> bool:
    """ "Person", "a human please", "persona": the answer to "say person to talk to someone"."""
    folded = folded_text(text)
    said = folded.split()
    return 0 < len(said) <= 4 and _has(folded, _PERSON)
