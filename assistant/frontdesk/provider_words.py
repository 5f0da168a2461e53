"""Who a reply asks for: a provider by name, or back to the first one.

"Could I see Dr. Okafor instead?" then "actually no, keep me with Dr. Chen", "the first doctor is
fine", "my usual doctor", "mejor con la doctora de antes": the last provider a reply points at
wins, and "the first / usual / original doctor" points at the provider of the visit being moved
(or, for a new booking, the one asked for first). A provider turned down ("not Dr. Okafor") is
not asked for. Text only: which names are providers is the caller's (`last_mention`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

from assistant.identity.names import fold

# A title and a name: "Dr. Park", "doctor okafor", "la doctora Chen", "NP Park", "la enfermera
# Park" (the next word is a name when it is none of these).
_NOT_A_NAME = (
    r"to|about|for|and|or|please|call|calls|called|me|my|is|was|a|an|the|que|por|para|de|del"
    r"|y|o|who|that|this|on|at|in|said|says|told|will|can|could|would|office|again|today"
    r"|tomorrow|instead|then|is|es|fine|ok|okay|bien|de|antes|siempre|of|you|your|su|mi"
    r"|first|primer|primera|usual|regular|original|same|misma|mismo|anterior|other|otro|otra"
    r"|before|has|have|had|does|do|did|free|available|anything|disponible|tiene|puede|if|si"
    r"|la|el|los|las|le|lo"
)
_TITLED = re.compile(
    r"\b(?:dr|dra|doctor|doctora|np|pa|nurse practitioner|nurse|enfermera practicante"
    r"|enfermero practicante|enfermera|enfermero)\.?\s+"
    rf"(?!(?:{_NOT_A_NAME})\b)([a-z][a-z'-]+)"
)
# Back to the first provider: the visit's own (a move), the one asked for first (a booking).
_BACK_TO_FIRST = re.compile(
    r"\b(?:(?:the|my) (?:first|1st|original|usual|regular|normal|own|old|previous|same|other)"
    r" (?:one i (?:had|asked for|said|wanted)|doctor|doc|provider|physician|dr)"
    r"|(?:first|original|usual|regular) (?:doctor|doc|provider|physician) (?:i|you)"
    r"|(?:keep|stay|stick|leave) (?:me |it )?with (?:my |the (?:first|same|original|usual) )?"
    r"(?:doctor|doc|provider|physician|her|him|them)\b"
    r"|my (?:doctor|doc|provider|physician)\b(?! (?:said|told|wants|asked|is out|is away))"
    r"|(?:doctor|doctora|medico|medica|dra|dr)\.? (?:de antes|de siempre|anterior|original"
    r"|que tenia|que tengo|del principio)"
    r"|(?:la|el) (?:primera|primer|misma|mismo) (?:doctora|doctor|medica|medico)"
    r"|(?:mi|con mi|mis) (?:doctora|doctor|medica|medico)\b(?! (?:me dijo|dijo|quiere))"
    r"|me quedo con (?:la|el|mi)\b"
    r"|(?:la|el) de antes\b(?=(?: \w+){0,3} (?:doctora|doctor)\b)"
    r"|(?:doctora|doctor)\b(?: \w+){0,3} (?:la|el) de antes\b)"
)
_NOT_BEFORE = frozenset(
    {"not", "no", "sin", "dont", "don't", "nothing", "nada", "ni", "nor", "except", "excepto",
     "salvo", "menos"}
)  # fmt: skip
# Two words that turn the next provider down: "other than", "que no sea", "instead of", "en
# vez de", "anyone but".
_NOT_BEFORE_TWO = re.compile(
    r"(?:other|rather|instead) (?:than|of)|no (?:sea|sean)|(?:vez|lugar) del?"
    r"|(?:anyone|anybody|any \w+|someone|somebody|cualquiera|alguien) but"
)
# Someone other than the visit's own provider: "another doctor", "a different provider",
# "someone else", "otro doctor", "una doctora diferente", "alguien más".
_ANOTHER = re.compile(
    r"\b(?:another|(?<!the )(?<!my )other|a different|different|some other|any other|a new)"
    r" (?:doctor|doc|provider|physician|dr|np|nurse practitioner|one than)\b"
    r"|\b(?:someone|somebody|anyone|anybody) else\b"
    r"|\b(?:otr[oa]|cualquier otr[oa]|distint[oa]|diferente) (?:doctor|doctora|medic[oa]|dr|dra"
    r"|enfermer[oa]|proveedor)\b"
    r"|\b(?:doctor|doctora|medic[oa]) (?:diferente|distint[oa])\b"
    r"|\balguien (?:mas|diferente|distinto)\b"
)
_NOT_ANOTHER = re.compile(
    r"\b(?:not|dont|don't|no quiero|no necesito|ni|without|sin)(?: \w+){0,2} (?:another|other"
    r"|a different|different|otr[oa]|distint[oa]|diferente|someone|somebody|alguien)\b"
)
# Between a denial and the provider it turns down: "not [with] [Dr.] Okafor", "no [con el] ...".
_TITLE_WORDS = frozenset(
    {"dr", "dra", "doctor", "doctora", "np", "pa", "nurse", "practitioner", "enfermera",
     "enfermero", "practicante", "with", "con", "el", "la", "the", "to", "a", "al", "see", "ver"}
)  # fmt: skip


def _folded(text: str) -> str:
    return " ".join(fold(re.sub(r"[?¿!¡.,;:]", " ", text)).split())


def back_to_first(text: str) -> bool:
    """ "The first doctor is fine", "keep me with my doctor", "la doctora de antes"."""
    return bool(_BACK_TO_FIRST.search(_folded(text)))


def names_provider(text: str) -> bool:
    """Whether a reply asks for a provider: a title and a name, or back to the first one."""
    folded = _folded(text)
    return bool(_TITLED.search(folded) or _BACK_TO_FIRST.search(folded))


def without_providers(text: str) -> str:
    """The reply without its providers' titles and names ("is Dr Park free" is no question
    about parking; "I want Dr. Okafor" asks for no person)."""
    return " ".join(_TITLED.sub(" ", _folded(text)).split())


def others_named(text: str, own: Iterable[str]) -> str:
    """The providers (title and name) that words about a visit name and that are not its own
    ("mi consulta con el doctor Okafor" of a visit with Dr. Chen): a provider to move to."""
    mine = {w for w in own if w}
    found = _TITLED.finditer(_folded(text))
    return " ".join(m.group(0) for m in found if m.group(1) not in mine)


FIRST = 0  # `last_mention`'s key for "the first one" (the visit's own, the one asked first)


def last_mention(text: str, names: Mapping[int, Iterable[str]]) -> int | None:
    """The key of the provider a reply points at last: `names` maps a key to the folded words
    of a provider's last name; "the first doctor" and the like are `FIRST`. A provider turned
    down ("not Dr. Okafor", "sin el doctor Okafor") is not pointed at. None: nobody."""
    folded = _folded(text)
    said = folded.split()
    found: list[tuple[int, int]] = []
    for key, words in names.items():
        wanted = [w for w in words if w]
        if not wanted:
            continue
        for at, word in enumerate(said):
            if word == wanted[-1] and not _denied(said, at, bare_no=True):
                found.append((at, key))
    for match in _BACK_TO_FIRST.finditer(folded):
        at = len(folded[: match.start()].split())
        if not _denied(said, at, bare_no=False):  # said where its words end
            found.append((len(folded[: match.end()].split()) - 1, FIRST))
    return max(found)[1] if found else None


def turned_down(text: str, names: Mapping[int, Iterable[str]]) -> frozenset[int]:
    """The keys of the providers a reply turns down ("not Dr. Chen", "any doctor but Dr.
    Chen", "otro doctor que no sea la doctora Chen", "en vez del doctor Okafor")."""
    said = _folded(text).split()
    return frozenset(
        key
        for key, words in names.items()
        for last in [w for w in words if w][-1:]
        for at, word in enumerate(said)
        if word == last and _denied(said, at, bare_no=True)
    )


def asks_another(text: str) -> bool:
    """ "Another doctor", "someone else", "otra doctora", "un médico diferente": anyone but
    the visit's own provider (not "I don't want another doctor")."""
    folded = _folded(text)
    return bool(_ANOTHER.search(folded)) and not _NOT_ANOTHER.search(folded)


def _denied(said: list[str], at: int, *, bare_no: bool) -> bool:
    """ "not Dr. Okafor", "sin el doctor Okafor": a denial just before the provider, with only
    titles and articles between ("no, keep me with Dr. Chen" denies nobody). A bare "no" denies
    a name inside a reply ("Dr. Chen, no Dr. Okafor"), never at its start (an answer: "no, the
    first doctor")."""
    i = at - 1
    while i >= 0 and at - i <= 4 and said[i] in _TITLE_WORDS:
        i -= 1
    if i < 0 or at - i > 4:
        return False
    if i > 0 and _NOT_BEFORE_TWO.fullmatch(f"{said[i - 1]} {said[i]}"):
        return True
    if i > 1 and _NOT_BEFORE_TWO.fullmatch(" ".join(said[i - 2 : i + 1])):
        return True  # "any doctor but", "any other than"
    if said[i] not in _NOT_BEFORE:
        return False
    # "no no, con la enfermera Park": a repeated no answers, it denies nobody
    return said[i] != "no" or (bare_no and i > 0 and said[i - 1] not in _TAKING_BACK)


# Before a bare "no", these make it a take-back, not a denial: "okafor, wait no, with Chen".
_TAKING_BACK = frozenset(
    {"no", "wait", "oh", "sorry", "actually", "oops", "hmm", "um", "uh", "perdon", "espere",
     "espera", "ay", "uy"}
)  # fmt: skip
