"""A question about the patient's own visit, or word that they are coming to it, read from the
words whatever the classifier heard ("which doctor am I seeing next time?", "tengo cita esta
semana o la otra?", "sí voy a ir a mi cita"): a check or a confirmation, never a message for the
nurse or a booking. A question about care, a department, the office's preparation or insurance,
a move, a cancellation or a late arrival is none of these (other readers decide those).
"""

from __future__ import annotations

import re

from assistant.frontdesk.emergency import is_emergency
from assistant.frontdesk.short_answers import folded_text, question_topic

CHECK, CONFIRM = "check", "confirm"

_VISIT = r"(appointments?|appts?|apts?|visits?|citas?|consultas?|check ?ups?|physicals?)"
_FILLER = r"(?:still |even |actually |ever |really |already |definitely )*"
# Is there a visit at all: "do I have an appointment", "did I ever get scheduled", "am I booked",
# "¿tengo cita?", "¿me agendaron?", "¿estoy anotada?".
_EXISTS = re.compile(
    rf"\b(do|did|don'?t|didn'?t) i {_FILLER}(have|get|got) (an? |any |my |the |another )?"
    rf"(\w+ ){{0,4}}?{_VISIT}\b"
    rf"|\b(am|was) i {_FILLER}(scheduled|booked|signed up|put (in|down)|on (the|your) "
    r"(schedule|books|calendar|list))\b"
    rf"|\bdid (i|you|they|she|he|someone|somebody) {_FILLER}(get me |put me |get |got |)"
    r"(scheduled|booked"
    r"|put (me )?(in|down)|schedule me|book me|sign me up|make (me )?an? (appointment|appt))\b"
    rf"|\b(is|was) there (an? |any )?{_VISIT} (for me|under my name|on (file|the books))\b"
    rf"|\b(tengo|tenemos|tiene|hay) (una |alguna |mi |la |otra )?{_VISIT}\b"
    r"|\b(estoy|quede|quedo|quedamos) (ya )?(agendad|programad|anotad|apuntad|citad|registrad)\w*"
    r"|\bme (agendaron|anotaron|programaron|apuntaron|registraron|dieron (la |una )?cita"
    r"|hicieron (la |una )?cita|pusieron (la |una )?cita)\b"
)
# What about it: "when / which day / which doctor / who with / where ... my appointment",
# "all the appointments I have", "¿con quién es mi cita?".
_ASKED = (
    r"(when|what day|what date|what time|which day|which date|what doctor|which doctor|what"
    r" provider|which provider|who|where|how many|cuando|que dia|que fecha|a que hora|con quien"
    r"|con que doctor|que doctor|cual doctor|donde|cuantas)"
)
_ABOUT = re.compile(
    rf"\b{_ASKED}\b\S*(\s+\S+){{0,8}}?\s+(my|mi|mis|the|la|las|el|next|upcoming|proxima)\s+"
    rf"(\w+\s+){{0,2}}?{_VISIT}\b"
    rf"|\b{_ASKED}\b\S*(\s+\S+){{0,6}}?\s+(next time|la proxima vez|la siguiente vez)\b"
    # "when am I scheduled to come in next", "¿cuándo me toca venir?"
    r"|\b(when|what day|what time|which day|cuando|que dia|a que hora) (am i|i'?m|im|i am|are we"
    r"|we'?re|do i|should i|me toca|tengo que|debo|estoy) (\w+ )?(scheduled|booked|supposed to"
    r"|due|expected|coming in|come in|come back|venir|regresar|volver|citad\w*|agendad\w*)\b"
    # "is my appt with Dr. Chen still happening?", "¿mi cita sigue en pie?"
    rf"|\b(is|was|are) (my|the|our) (\w+ ){{0,4}}?{_VISIT}\b(\s+\S+){{0,5}}?\s+(still "
    r"(on|happening|scheduled|booked|going|a go|good)|happening|cancell?ed)\b"
    rf"|\b(mi|la) {_VISIT}\b(\s+\S+){{0,4}}?\s+(sigue|todavia|aun)\b"
    rf"|\b(all (of )?(the|my)|every|which|what|how many|any|cuantas|que|las) {_VISIT} (do i "
    r"(still )?have|i have|i've got|ive got|i got|coming up|que tengo|pendientes?)\b"
    rf"|\b(tell|remind|give|send|show|list|read|check) me (all |what |which |when )?(of )?"
    rf"(my|the) (\w+ ){{0,2}}?{_VISIT}\b"
)
# Something asked (a typed question mark, or a call's words for asking).
_ASKING = re.compile(
    r"\b(could you|can you|would you|tell me|let me know|remind me|wondering|want to know"
    r"|wanted to know|need to know|check|double check|make sure|quiero saber|queria saber"
    r"|necesito saber|me (puede|podria|pueden) decir|digame|a ver si|saber si|si tengo)\b"
)
_QUESTION_LEAD = re.compile(
    r"^(\w+ ){0,3}?(do|did|am|was|is|are|when|what|which|who|where|how|tengo|cuando|que|donde"
    r"|con quien|cual|estoy|me)\b"
)
# Saying they are coming: "I'll be there", "we're still coming", "sí voy a ir a mi cita".
_COMING = re.compile(
    r"\b(i|we)( will| ll|'ll| am going to| m going to|'m going to| are going to|'re going to"
    r"| m gonna|'m gonna| am| m|'m| are|'re) (still |definitely |totally |for sure |be )?"
    r"(be there|make it|be coming|coming|come|attend|attending|show up|be in)\b"
    r"|\b(si )?(voy|vamos|vengo|venimos|ire|iremos|asistire|asistiremos|llegare|estare"
    r"|estaremos)( a (ir|venir|estar|asistir|llegar))?( a (mi|la|nuestra) (cita|consulta)"
    r"| ahi| alli| alla| sin falta)\b"
    r"|\bsi (voy|vamos|vengo|asisto|ire|llego)\b"
    r"|\b(ahi|alli|alla) (estare|estaremos|voy a estar|vamos a estar|llegare|llego)\b"
)
# Where the visit is (not where to park): "where is my appointment", "¿dónde es mi cita?".
_PLACE_OF_VISIT = re.compile(
    rf"\b(where|donde|which office|what office|que oficina|cual oficina) (is|es|will|sera|queda"
    rf"|are)( be)? (my|mi|mis|the|la) (\w+ )?{_VISIT}\b"
)
# A question about one's health that names the visit only as a time.
_ASKS_CARE = re.compile(
    r"\b(is (that|it|this) (normal|ok|okay|bad|serious|safe)|should i|es normal|debo|pasa algo)\b"
)
_NEGATED = re.compile(
    r"\b(no|not|won'?t|wont|can'?t|cant|cannot|never|nunca|unable|doubt|maybe|might|probably"
    r"|tal vez|quizas|a lo mejor)\b"
)
_LATE = re.compile(r"\b(late|tarde|behind|retras\w*|running|traffic|trafico|minutes|minutos)\b")
_VISIT_OR_THERE = re.compile(rf"\b({_VISIT}|there|ahi|alli|alla|sin falta|tomorrow|manana)\b")


def asks_about_own_visit(text: str) -> bool:
    """ "Which doctor am I seeing at my next appointment", "could you list all the visits I
    have coming up", "did I ever get scheduled?", "¿tengo cita esta semana?": a question about
    the patient's own visits (not what to bring, insurance, or a care question)."""
    folded = folded_text(text)
    asked = "?" in text or "¿" in text or _QUESTION_LEAD.search(folded) or _ASKING.search(folded)
    if not asked or is_emergency(text) or _ASKS_CARE.search(folded):
        return False
    if question_topic(text) in ("prep", "insurance"):
        return False
    if question_topic(text) == "office" and not _PLACE_OF_VISIT.search(folded):
        return False  # "where do I park for my appointment?": the office's answer
    return bool(_EXISTS.search(folded) or _ABOUT.search(folded))


def says_coming(text: str) -> bool:
    """ "Just letting you know we'll be there", "sí voy a ir a mi cita": the patient says they
    are coming to their visit (not "I won't make it", "voy a llegar tarde", nor a question)."""
    folded = folded_text(text)
    said = _COMING.search(folded)
    if said is None or "?" in text or "¿" in text or _LATE.search(folded):
        return False
    if _NEGATED.search(folded[: said.end()]):  # "no voy a ir", "I won't make it"
        return False
    return bool(_VISIT_OR_THERE.search(folded)) or len(folded.split()) <= 6


def own_visit_task(text: str) -> str | None:
    """The appointment task the words ask for about the patient's own visit: "check" or
    "confirm"; None: neither."""
    if says_coming(text):
        return CONFIRM
    if asks_about_own_visit(text):
        return CHECK
    return None


# A confirmation said not to have come ("nobody confirmed anything", "no me han confirmado",
# "I never got a confirmation"): no confirmation asked for.
_CONFIRM_DENIED = re.compile(
    r"\b(no|not|nobody|no one|never|haven'?t|hasn'?t|didn'?t|nadie|nunca|ni)\b(\s+\S+){0,3}?\s+"
    r"(confirm\w*|confirmo|confirmaron|confirmado|confirmada)\b"
)


def confirmation_denied(text: str) -> bool:
    return bool(_CONFIRM_DENIED.search(folded_text(text)))


# A visit mentioned as a time, not asked for: "... or wait until I see the doctor?", "hasta que
# me vea la doctora", "at my next appointment".
_LATER_VISIT = re.compile(
    r"\b(until|till|til|before|when|next time|once|after) (i|we|he|she|they) (get to |go )?(see"
    r"|sees|come in|am seen|get seen|visit|go in)\b[^.?!,;]*"
    r"|\bhasta (que|la proxima vez que) (vea|veamos|me vea|lo vea|la vea|vaya|venga)\b[^.?!,;]*"
    r"|\b(at|in|during|before|until|till) (my|the|his|her|our) next (appointment|appt|visit)\b"
    r"|\b(en|hasta|antes de) (mi|la|su) (proxima|siguiente) (cita|consulta|visita)\b",
    re.IGNORECASE,
)


def without_visit_times(text: str) -> str:
    """The message without a visit named as a time ("... or wait until I see the doctor?",
    "which doctor do I have next time I come in"): what it asks for, read from the rest."""
    return _LATER_VISIT.sub(" ", text)


# A new visit asked for in so many words ("I'd like to book a new appointment", "sacar una
# cita"): no question about the one they have.
_BOOKS_A_VISIT = re.compile(
    r"\b(book|schedule|make|set up|get|need|want|like)\b(\s+\S+){0,3}?\s+(an?|another|new|one"
    r" more)\s+(\w+\s+)?(appointment|appt|visit|physical|check ?up)\b"
    r"|\b(agendar|sacar|hacer|pedir|quiero|necesito)(me)? (una|otra|nueva) (\w+ )?(cita|consulta)\b"
)


def checks_rather_than_books(text: str) -> bool:
    """ "When am I scheduled to come in next?" heard as a booking (its "come in"): a check,
    unless a new visit is asked for in so many words."""
    return own_visit_task(text) == CHECK and not _BOOKS_A_VISIT.search(folded_text(text))


# The reminded visit turned down or pointed at ("can't do that day", "that time is no good",
# "ese día no puedo"): a reply to the reminder about that visit.
_ABOUT_THE_REMINDED = re.compile(
    r"\b(can'?t|cannot|cant|won'?t|wont|not able to|unable to) (do|make|go|come|be there|work)\b"
    r"|\b(doesn'?t|does not|won'?t|wont|will not|not going to) work\b|\bno good\b|\bbad for me\b"
    r"|\b(that|this) (day|date|time|one|slot)\b|\bno (puedo|podre|voy a poder|me queda|me sirve"
    r"|me conviene)\b|\b(ese|esa|este|esta) (dia|fecha|hora|horario)\b"
)


def about_the_reminded_visit(text: str) -> bool:
    return bool(_ABOUT_THE_REMINDED.search(folded_text(text)))
