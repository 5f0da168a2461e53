"""Words that make a message an emergency whatever the classifier said: 911 / 988 at once.

Recall comes first: chest pain, breathing, stroke signs, an overdose, heavy bleeding, wanting to
die or to hurt oneself are emergencies in any turn and any form. One phrase is read in its
sentence: "I hurt myself" said of an accident ("I hurt myself at the gym", "hurt myself lifting
boxes, my back is sore") is an injury to book a visit for, not a 911 call; said with an intent
("I want to hurt myself", "I keep hurting myself", "on purpose") or alone it stays one.
Idioms are read as idioms ("the bill almost gave me a heart attack": assistant/frontdesk/alarm.py)
and a child who swallowed pills or a battery is an emergency in any wording.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from assistant.frontdesk.alarm import poisoning, without_figures
from assistant.identity.names import fold

_EMERGENCY = (
    "chest pain", "chest hurts", "pain in my chest", "can't breathe", "cant breathe",
    "cannot breathe", "not breathing", "isn't breathing", "isnt breathing", "stopped breathing",
    "trouble breathing", "collapsed", "unconscious", "passed out", "won't wake up",
    "wont wake up", "stroke", "heart attack", "seizure", "overdose", "overdosed",
    # too much of a medicine taken: the words back the classifier, which care questions about
    # doses ("I took my pill late") sit close to
    "too much of my medicine", "too much of my medication", "too much of my meds",
    "too much of his medicine", "too much of her medicine", "too many of my pills",
    "too many pills", "too much medicine", "demasiadas pastillas", "demasiada medicina",
    "bleeding a lot", "won't stop bleeding", "wont stop bleeding", "bleeding won't stop",
    "bleeding wont stop", "bleeding will not stop", "can't stop the bleeding",
    "cant stop the bleeding", "no deja de sangrar", "no para la sangre", "kill myself", "suicide",
    "suicidal", "end my life", "harm myself", "harming myself", "self harm", "want to die",
    "dolor en el pecho", "dolor de pecho", "no puedo respirar", "no respira", "se desmayo",
    "inconsciente", "derrame", "ataque al corazon", "convulsion", "sobredosis",
    "sangra mucho", "no para de sangrar", "matarme", "suicidarme", "suicidio", "quitarme la vida",
    "hacerme dano", "quiero morir", "lastimarme", "hacerme algo", "me quiero hacer dano",
    "me voy a hacer dano", "me quiero lastimar", "me voy a lastimar",
    # red flags a receptionist sends to 911 (stroke and aneurysm signs, airway, blood)
    "worst headache", "peor dolor de cabeza", "face is drooping", "face drooping",
    "drooping on one side", "slurred speech", "slurring my words", "slurring his words",
    "slurring her words", "can't move my arm", "cant move my arm", "can't feel my arm",
    "cant feel my arm", "cara caida", "se le cayo la cara", "se me cayo la cara",
    "no puedo mover el brazo", "no puede mover el brazo", "habla arrastrada",
    "arrastrando las palabras", "throat is closing", "throat closing", "throat is swelling",
    "se me cierra la garganta", "se le cierra la garganta", "lips are blue", "lips turning blue",
    "labios morados", "coughing up blood", "vomiting blood", "throwing up blood",
    "tosiendo sangre", "vomitando sangre",
)  # fmt: skip
# Hurting oneself: an emergency unless the sentence tells of an accident.
_HURT_MYSELF = re.compile(r"\b(hurt|hurting|hurted|cut|cutting) (my ?self|myslef)\b")
# ... but never when an intent is said with it (or it is said to be deliberate).
_INTENT = re.compile(
    r"\b(want|wants|wanted|wanna|going to|gonna|about to|thinking|thought|think|feel like"
    r"|feeling like|urge|urges|plan|planning|might|may|will|i ll|ill|could|keep|kept|been"
    r"|start|started|trying|tried|afraid|scared|need to|have to)( \w+){0,3} (hurt|hurting|cut"
    r"|cutting) (my ?self|myslef)\b|\b(my ?self|myslef) (on purpose|deliberately"
    r"|intentionally|again)\b"
)
# What happened, where or doing what: an accident ("at the gym", "lifting boxes", "fell").
_ACCIDENT = (
    "at the gym", "at work", "at practice", "at school", "in the yard", "playing", "working out",
    "workout", "exercising", "lifting", "running", "jogging", "hiking", "biking", "cycling",
    "skiing", "skating", "swimming", "dancing", "moving", "carrying", "climbing", "cooking",
    "shaving",
    "gardening", "shoveling", "fell", "falling", "slipped", "tripped", "on the stairs",
    "down the stairs", "on the ice", "in a game", "soccer", "football", "basketball",
    "baseball", "tennis", "volleyball", "yoga", "accident", "accidentally", "by accident",
    "car accident",
)  # fmt: skip
# A part of the body hurt ("I hurt myself, my knee is swollen"): an injury, for "hurt" only
# (cutting oneself on an arm is how self-harm is often told).
_INJURED = (
    "knee", "ankle", "wrist", "shoulder", "elbow", "my back", "lower back", "neck", "hip",
    "foot", "toe", "sprain", "sprained", "twisted", "pulled a muscle", "strained", "bruise",
    "bruised", "swollen",
)  # fmt: skip


def _has(folded: str, phrases: Sequence[str]) -> bool:
    return any(re.search(rf"(^|\s){re.escape(p)}($|\s)", folded) for p in phrases)


def _folded(text: str) -> str:
    return " ".join(fold(re.sub(r"[?¿!¡.,;:]", " ", text)).split())


def hurts_oneself(folded: str) -> bool:
    """ "I want to hurt myself", "i keep hurting myself", a bare "I hurt myself": yes; "I hurt
    myself at the gym, can I come in?": no (an accident)."""
    said = _HURT_MYSELF.search(folded)
    if said is None:
        return False
    if _INTENT.search(folded.replace("'", " ")):
        return True
    hurt = said[1].startswith("hurt")
    told = _has(folded, _ACCIDENT) or _doing(folded[said.end() :].split(), hurt)
    return not (told or (hurt and _has(folded, _INJURED)))


# Said right after "I hurt myself": what they were doing ("shoveling snow", "doing squats"),
# where ("at softball", "on the trampoline"): an accident. Not "in" / "with" (a room, a knife),
# not "at home" / "at night", not "cutting" / "thinking" ...
_NOT_DOING = {"cutting", "hurting", "harming", "thinking", "feeling", "wanting", "going",
              "trying", "planning", "nothing", "something", "everything", "anything"}  # fmt: skip
_NOT_AT = {"home", "night", "times", "all", "least", "first"}


def _doing(after: list[str], hurt: bool) -> bool:
    """ "Cut myself on my arm" is no accident told: for a cut, only what they were doing or
    where."""
    if not after:
        return False
    first, second = after[0], after[1] if len(after) > 1 else ""
    if len(first) > 4 and first.endswith("ing") and first not in _NOT_DOING:
        return True
    if first == "at" and second and second not in _NOT_AT:
        return True
    objects = ("the", "a", "an", "some", "our") + (("my", "his", "her") if hurt else ())
    third = after[2] if len(after) > 2 else ""
    body = not hurt and third in _SKIN  # "cut myself on the arm"
    return first == "on" and second in objects and not body


_SKIN = {"arm", "arms", "wrist", "wrists", "leg", "legs", "thigh", "thighs", "stomach", "belly",
         "skin", "body", "chest", "hip", "hips"}  # fmt: skip


def is_emergency(text: str) -> bool:
    """Emergency words said (not denied in their own clause: "no trouble breathing or
    swelling, should I stop the antibiotic?" is a question for the nurse)."""
    folded = _folded(without_figures(text))  # not "the bill almost gave me a heart attack"
    if hurts_oneself(folded) or poisoning(text):
        return True
    found = [phrase for phrase in _EMERGENCY if _has(folded, (phrase,))]
    if not found:
        return False
    clauses = [_folded(c) for c in _CLAUSE_BREAK.split(text) if c]
    for phrase in found:
        inside = [c for c in clauses if _has(c, (phrase,))]
        if not inside or any(not _denied(c, phrase) for c in inside):
            return True  # said across a comma, or said plainly at least once
    return False


# Where a denial ends: punctuation and the words that join another statement.
_CLAUSE_BREAK = re.compile(
    r"[.,;:!?¿¡]|\b(?:but|pero|and|y|although|aunque|except|excepto)\b", re.I
)
_DENIALS = frozenset({
    "no", "not", "without", "sin", "never", "nunca", "denies", "dont", "don't", "doesnt",
    "doesn't", "didnt", "didn't", "isnt", "isn't", "wasnt", "wasn't", "havent", "haven't",
    "hasnt", "hasn't", "ni", "ningun", "ninguna", "nada",
})  # fmt: skip
# Words that may stand between the denial and what it denies ("no real chest pain", "not
# having any trouble breathing", "no tengo dolor en el pecho", "no chest pain or trouble
# breathing"); anything else ("I don't know if it's a stroke") keeps the emergency.
_DENIED_SPAN = frozenset({
    "any", "real", "having", "have", "had", "getting", "experiencing", "signs", "sign", "of",
    "symptoms", "or", "nor", "o", "ni", "tengo", "tiene", "tenemos", "hay", "he", "ha", "tenido",
    "ningun", "ninguna", "more", "the", "a", "i", "im", "i'm", "she", "he's", "she's", "is",
    "was", "there", "el", "la", "en", "de", "del", "un", "una", "le", "me",
})  # fmt: skip
_SPAN_WORDS = _DENIED_SPAN | {w for phrase in _EMERGENCY for w in phrase.split()}
_EXCLAIMED = frozenset({"oh", "ay", "god", "dios"})  # "oh no, chest pain": no denial


# The symptoms a patient lists as absent when asking the nurse ("no fever, no chest pain"); a
# seizure, a stroke or an overdose denied is still sent to 911.
_DENIABLE = frozenset({
    "chest pain", "chest hurts", "pain in my chest", "trouble breathing", "dolor en el pecho",
    "dolor de pecho", "bleeding a lot", "slurred speech", "face drooping", "coughing up blood",
    "vomiting blood", "throwing up blood", "tosiendo sangre", "vomitando sangre",
})  # fmt: skip


def without_denials(text: str) -> str:
    """The message without its clauses that list symptoms as absent ("no chest pain or
    trouble breathing", "sin dolor de pecho"): what is left to look for red flags in."""
    kept = []
    for clause in _CLAUSE_BREAK.split(text):
        words = _folded(clause or "").split()
        while words and words[0] in _DENIED_SPAN - _DENIALS:
            words = words[1:]
        if not (words and words[0] in _DENIALS):
            kept.append(clause or "")
    return " ".join(kept)


# A symptom said to be gone was there: recent chest pain is still a 911 call.
_HAD_IT = frozenset({"anymore", "more", "ya", "longer"})


def _denied(clause: str, phrase: str) -> bool:
    """Every time the clause says the phrase (one a patient lists as absent), a denial stands
    before it with only the words of a denial between ("no trouble breathing")."""
    if phrase not in _DENIABLE:
        return False
    said = clause.split()
    if _HAD_IT & set(said):  # "no chest pain anymore", "ya no tengo dolor de pecho": it was there
        return False
    size = len(phrase.split())
    starts = [i for i in range(len(said)) if " ".join(said[i : i + size]) == phrase]
    return bool(starts) and all(_denial_before(said, i) for i in starts)


def _denial_before(said: list[str], start: int) -> bool:
    for back in range(start - 1, max(start - 7, -1), -1):
        word = said[back]
        if word in _DENIALS:
            return not (back and said[back - 1] in _EXCLAIMED)
        if word not in _SPAN_WORDS:
            return False
    return False
