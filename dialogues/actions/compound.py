"""Several requests in one message ("move me to Monday, and what's the address?", "cancel my
appointment and I need a refill"): each part is handled, in order, and none is dropped.

The classifier names one intent per message. The task in the message (cancel, move, confirm,
check, book) is found from its words as well, whatever intent won; the other parts are answered
first (an office question: the answer; a refill, a bill, results, records, a complaint: a
message for that department), then the task runs.
"""

from __future__ import annotations

import re

from rasa_sdk import Tracker
from rasa_sdk.events import EventType, FollowupAction
from rasa_sdk.executor import CollectingDispatcher

from assistant.conversations.messages import take_message_from_dialogue
from assistant.frontdesk.insurance import answer_insurance, asks_if_taken
from assistant.frontdesk.late import minutes_late
from assistant.frontdesk.move_or_book import asks_openings, says_late
from assistant.frontdesk.service import office_info_for
from assistant.frontdesk.short_answers import (
    asks_to_cancel,
    asks_to_reschedule,
    folded_text,
    is_emergency,
    question_topic,
    replaces_visit,
)
from assistant.frontdesk.time_phrases import about_the_visit_day
from assistant.frontdesk.which_visit import reference, without_places
from dialogues.actions.common import language, request_text
from dialogues.actions.context import conversation_uid, unit_of_work

# Where one request ends and the next begins.
_SPLIT = re.compile(
    # not after a title: "with Dr. Chen to go over my bloodwork" is one request
    r"(?<=[.?!;])(?<!\bdr\.)(?<!\bdra\.)(?<!\bmr\.)(?<!\bmrs\.)(?<!\bms\.)(?<!\bsr\.)"
    r"(?<!\bsra\.)(?<!\bst\.)\s+|[¿¡]|,\s*(?=(?:and|also|plus|oh|btw|y|tambi[eé]n|adem[aá]s)\b)"
    # a question after a comma: "yes I'll be there, do you validate parking"
    r"|,\s*(?=(?:do you|does|is there|are there|can i|could i|where|what|how|which|hay"
    r"|d[oó]nde|cu[aá]l|qu[eé]|tienen|aceptan)\b)"
    r"|\s(?:and also|and i also|also|plus|as well as|btw|by the way|y tambi[eé]n|tambi[eé]n"
    r"|adem[aá]s"
    r"|aparte)\s|\sand\s(?=(?:i|i'd|i'm|can|could|what|whats|where|wheres|how|is|do|my|please"
    r"|to know|to ask|to find out|find out|ask|(?:remind|tell|give|send|text) me)\b)"
    # "... and while I have you, I'm low on my inhaler", "... while you're at it"
    r"|,?\s(?:and )?while (?:i have you|i'?m at it|you'?re at it|i'?m here)\b,?"
    r"|\sy\s(?=(?:(?:a|hasta|en|para) )?(?:qu[eé]|d[oó]nde|cu[aá]l|c[oó]mo|cu[aá]ndo)\b"
    r"|(?:necesito|quiero|me|mi|hay|tambi[eé]n|saber"
    r"|preguntar"
    r"|a ver si|tengo una|tengo otra|otra cosa|una pregunta|una duda)\b)"
    # a question about the office said straight after the request (a voice transcript has no
    # punctuation): "confirming my appointment tomorrow is there parking"
    r"|\s(?=(?:is there|are there|where (?:is|are|do|can|should)|where'?s|what'?s (?:the|your)"
    r"|what is (?:the|your)|what are (?:the|your)|how do i (?:get|find)|do you (?:take|accept)"
    r"|do you have parking|can i park|hay estacionamiento|tienen estacionamiento"
    r"|d[oó]nde (?:est[aá]n|queda|me estaciono|puedo)|cu[aá]l es (?:la|su) direcci[oó]n"
    r"|aceptan)\b)"
    r"|\s(?=(?:i )?(?:wanted|want|would like|wanna|need) to (?:ask|know)"
    r" (?:about|if|whether|where|what|how)\b)",
    re.IGNORECASE,
)
# A part that asks something, and what about (answered from the practice's information).
_ASKS = re.compile(
    r"\?|^\s*(what|whats|where|wheres|when|how|is|are|do|does|can i park|which|d[oó]nde|cu[aá]l"
    r"|qu[eé]|c[oó]mo"
    r"|hay|a qu[eé]|hasta qu[eé]|tienen|est[aá]n|abren|to know|to ask|to find out|find out|ask"
    r"|saber"
    r"|(?:i )?(?:wanted|want|would like|wanna|need) to (?:ask|know)|quer[ií]a (?:saber|preguntar)"
    r"|preguntar|a ver si"
    # "remind me the address", "text me the suite number", "recuérdeme la dirección"
    r"|(?:please )?(?:remind|tell|give|send|text) me|rec[uo]erd\w*|d[ií]game|me (?:da|puede dar"
    r"|manda|pasa))\b",
    re.IGNORECASE,
)
_OFFICE = re.compile(
    r"\b(address|located|location|where (are|is) (you|the)|directions|parking|hours|open"
    # "where do I park" (not the provider "Emily Park", "Dr. Park", "the Oak Park office")
    r"|(?<!\boak )(?:(?:to|i|we|you|can|where|should|do|and|or) park)(?! (?:office|center))"
    r"|close|fax|phone number|floor|bus|direccion|donde (estan|queda)|estacionamiento"
    r"|estacionar\w*|estaciono|parqueo|parquear|horario|abren|cierran|abiert[oa]s?|piso"
    r"|street (?:number|address)|what street|which street|suite|building|calle|edificio"
    r"|consultorio)\b"
)
# Requests for a department, by their words (the classifier may have named the task instead).
_DEPARTMENT_WORDS: tuple[tuple[str, re.Pattern[str]], ...] = (
    # a referral to a specialist is arranged by the front desk ("refer me to a cardiologist")
    ("referral_request", re.compile(
        r"\b(referrals?|refer me|referencias?|referid[oa]s?|remision|refiera|refieran"
        r"|me refiere|me refieran|referir(me|la|lo)?|pase (al|para el|para la"
        r"|con el|con la) (especialista|cardiologo|dermatologo|ortopedista|ginecologo)\w*"
        r"|contrarreferencia)\b")),
    ("prescription_refill", re.compile(
        r"\b(refill\w*|prescription|meds|medication|medicine|pharmacy|recetas?|medicinas?"
        r"|medicamentos?|resurt\w*|surt\w*|farmacia|renew\w*|renov\w* (la |mi )?receta"
        # "running low on my inhaler", "I ran out of my pills", "se me acabaron las pastillas"
        r"|(running|run|ran|getting) (low|out) (on|of)|almost out of|se me (acab|termin)\w*"
        r"|me (quedan|queda) (pocas|poco|pocos))\b")),
    ("billing_question", re.compile(
        r"\b(bill|billed|billing|charge[ds]?|invoice|copay|statement|balance|factura|cobro"
        r"|cobraron|cobrado|cuenta|pago)\b")),
    ("lab_results", re.compile(r"\b(results?|labs?|bloodwork|resultados?|analisis)\b")),
    ("request_medical_records", re.compile(
        r"\b(records?|chart|immunization|vaccination record|shot record|expediente"
        r"|historial|registros?|cartilla de vacunacion)\b")),
    ("complaint", re.compile(
        r"\b(complain\w*|complaint|manager|supervisor|unacceptable|rude|queja|quejarme"
        r"|gerente|encargad[oa])\b")),
    ("care_question", re.compile(
        r"\b(stitches|bandage|incision|wound|dose|dosage|dosis|side effects?|how often should"
        r"|should i take|can i take|puntos|vendaje|herida|efectos secundarios|cada cuanto)\b")),
)  # fmt: skip
# A question for the nurse rather than a visit: "should I come in or can the nurse tell me?"
_ASKS_NURSE = re.compile(
    r"\b(nurse(?! practitioner)|enfermer[ao](?! (practicante|especializad)))\b"
    r"|\b(do i need to|should i|do i have to) (come in|be seen|see (a|the) doctor)\b"
    r"|\bor (at least )?talk to (someone|somebody|a nurse)\b|\bshould i wait\b"
    r"|\bwhat can i (give|take)\b|\bque (le|me) puedo (dar|tomar)\b"
    r"|\b(le doy|le puedo dar|lo traigo|la traigo|should i bring (him|her|them)( in)?"
    r"|do i (need to |have to )?bring (him|her|them) in)\b"
    r"|\b(doctor'?s|doctors|his|her|my|the|medication|medicine|meds|follow ?-?up|discharge"
    r"|home) instruction|\b(forgot|forget|don'?t remember|can'?t remember|cant remember"
    r"|not sure( about)?|don'?t know) what (the doctor|the doc|dr \w+|my doctor|my doc|he|she"
    r"|they) (said|told|wanted)|\b(make sure|ensure|double check|verify( that)?) i (got"
    r"|understood|understand|heard)|\b(don'?t|didn'?t)( think i)? (totally |really |fully )?"
    r"understand"
    r"|\bindicaciones\b|\bno (entendi|me acuerdo (de )?(lo )?que)\b"
    # "remind me what Dr Kim said", "taking my meds wrong", "how often do I put the cream on"
    r"|\b(remind me|tell me|recordar|recuerda) (of )?(what|lo que|que) (the doctor|the doc"
    r"|dr \w+|my doctor|my doc|he|she|el doctor|la doctora) (said|told|wanted|dijo)"
    r"|\b(taking|take|using|use) (my|the|this|these|those) (meds|medicine|medication"
    r"|medications|pills|cream|inhaler|drops) (wrong|right|correctly|properly)\b"
    r"|\bdoing (it|this|them|the instructions) (wrong|right|correctly)\b"
    r"|\bhow (often|many times|much|many) (?!(does|do|would|will) \w+ cost\b)(\w+ ){0,3}"
    r"(do i|should i|am i supposed to|i'?m supposed to|to) (take|use|apply|put|give)\b"
    r"|\b(cada cuanto|cuantas veces) (me )?(tomo|tomar|pongo|poner|uso|usar|aplico)\b"
    # a medicine's directions are its instructions, not the way to the office
    r"|\bdirections (on|for|of|from) (my |the |this |these )?(\w+ )?(prescription|medicine"
    r"|medication|meds|pills|doctor|dr|visit|appointment|cream|drops|inhaler|bottle|label)\b"
    r"|\b(doctor'?s|medicine|medication|meds|prescription|dosing) directions\b"
    # how far apart the doses are: "how many hours between doses?", "cada cuantas horas"
    r"|\bhow (many hours|long|far|much time) (apart|between)\b( \w+){0,5}? (doses?|pills?"
    r"|tablets?|capsules?|shots?|puffs?|drops|inhalers?|meds|medicines?|medications?"
    r"|antibiotics?|them|it)\b|\bcada cuantas horas\b"
    r"|\b(hours|hrs|time|wait) (apart )?between (the |my |each |two )?(\w+ ){0,2}?(doses|pills"
    r"|tablets|capsules|shots|puffs|inhalers|meds)\b"
    # whether a medicine is safe for them: "is it okay to take Zyrtec", "es seguro tomar ..."
    r"|\b(ok|okay|safe|alright|all right|fine|bad) (for me |for him |for her |for them )?to"
    r" (take|use|keep taking|give|mix)\b(?!( \w+){0,3} (appointment|appt|slot|time|one|visit))"
    r"|\b(es|esta) (seguro|bien|malo) (tomar|usar|darle"
    r"|que (tome|use|le de))\b|\bpuedo (seguir )?tomar\b"
)
# A message for the doctor ("I need to get a message to Dr. Lee", "let my doctor know the rash
# is gone"), when no visit is asked for in the same words.
_FOR_THE_DOCTOR = re.compile(
    r"\b(message|msg|note|word) (to|for) (my |the |dr |doctor )?(doctor|doc|dr|doctora|physician)\b"
    r"|\blet (dr \w+|my doctor|my doc|the doctor) know\b"
    r"|\bmensaje (a|para) (mi |el |la )?(doctor|doctora|medico|medica)\b"
    r"|\b(contact|reach|get in (touch|contact) with|get a ?hold of|get ahold of|get hold of)"
    r" (dr \w+|doctor \w+"
    r"|my doctor|my doc|the doctor|my physician)\b"
    r"|\bcomunicarme con (mi |el |la )?(doctor|doctora|medico|medica)\b"
)
# Asking to talk to the doctor, or for the doctor to call: the care team takes the message
# (a doctor is not put through), when no visit is asked for in the same words.
_TO_THE_DOCTOR = re.compile(
    r"\b(talk|speak|speaking|talking|chat) (to|with) (dr \w+|doctor \w+|my doctor|my doc"
    r"|the doctor|my physician|his doctor|her doctor)\b"
    r"|\b(put me through|transfer me|connect me|patch me through) (to|with) (dr \w+|doctor \w+"
    r"|my doctor|the doctor)\b"
    r"|\b(dr \w+|doctor \w+|my doctor|my doc|the doctor) (to )?(call|ring|phone) me\b"
    r"|\bhablar con (mi |el |la )?(doctor|doctora|medico|medica)\b"
    r"|\bque me (llame|hable) (mi |el |la )?(doctor|doctora|medico|medica)\b"
)
# The care itself asked about, not a visit: the doctor's orders, going over the treatment,
# checking in after a visit, what the doctor recommended.
_ABOUT_THE_CARE = re.compile(
    r"\b(doctor'?s|doctors|dr \w+'?s|his|her|my) orders\b|\bwhat (the|my) (doctor|doc) ordered\b"
    r"|\bwhat did (the doctor|the doc|dr \w+|my doctor|my doc|he|she|they) (say|tell|want"
    r"|recommend|prescribe|order|mean)\b"
    r"|\bgo (over|through) (my|the) (treatment|instructions|meds|medication|medications"
    r"|medicine|prescription|care plan|treatment plan|plan|discharge)\b"
    r"|\bcheck(ing)? in (with (the|my) (doctor|doc|nurse) )?(about|after|on|regarding|from)"
    r" (my|the) (last |recent )?(visit|appointment|appt|procedure|surgery|treatment)\b"
    r"|\b(understand|explain) (my|the|this|these) (prescription|medication|medications|meds"
    r"|medicine|pills|treatment|dose|dosage|schedule)\b"
    r"|\b(pills|meds|medicine|medication) (are|is|isn'?t|aren'?t) (not )?(helping|working)\b"
    r"|\b(took|take|taking) (my|the) (pills|meds|medicine|medication) (wrong|the wrong way"
    r"|the right way|right|correctly)\b"
)
# Going over what the doctor said ("I need to go over what Dr. Ruiz told me"), when no visit is
# asked for ("do what my doctor said and come back in a month" is a booking).
_WHAT_THE_DOCTOR_SAID = re.compile(
    r"\bwhat (the doctor|the doc|dr \w+|my doctor|my doc) (said|told me|wanted me|recommended)\b"
    r"|\blo que (me )?(dijo|explico|recomendo) (el doctor|la doctora|mi doctor|mi doctora"
    r"|el medico|la medica)\b"
)
# A visit already had, and nothing new asked for: "Hi, I'm Mark and I had an appointment with
# Dr. Lee", "tuve cita con la doctora ayer" (the question about it comes next).
_PAST_VISIT = re.compile(
    r"\b(i|we) (just )?(had|finished|saw|was seen( by)?|went to( see)?) (an |my |the |a )?"
    r"(appointment|appt|visit|procedure|surgery|dr|doctor|doc|nurse)\b"
    r"|\b(tuve|fui a|fui al|fui con|vi a|vi al) (la |mi |una |el )?(cita|consulta|doctor"
    r"|doctora|medico)\b"
)
_ASKS_A_VISIT = re.compile(
    r"\b(another|new|next|again|back|missed|miss|scheduled|booked|cancel\w*|reschedul\w*"
    r"|move|change|instead|book|schedule|make|set up|get in(?! touch| contact)|come in"
    r"|see (him|her|the doctor|dr \w+)|(need|want|like|get) (an|a|another|one|my)|one for"
    r"|tomorrow|asap|as soon as"
    r"|available|opening|soonest|otra|nueva|agendar|sacar|volver|regresar|falte|cambiar"
    r"|cancelar|(quiero|necesito) (una )?cita|cita para)\b"
)
# "I need a follow-up with Dr. Lee": a question for the care team unless a visit is asked for
# ("schedule a follow-up appointment", "sacar la cita de seguimiento", "que volviera", or a day
# for it: "a follow up with Dr. Okafor on a Tuesday").
_FOLLOW_UP = re.compile(r"\bfollow ?-?up\b|\bseguimiento\b")
_VISIT_ASKED = re.compile(
    r"\b(schedule|book|make|set up|come in|come back|get in(?! touch| contact)"
    r"|see (him|her|the doctor|dr \w+)"
    r"|follow ?-?up (appointment|appt|visit|exam)|next week|cita|agendar|volver|volviera"
    r"|regresar|regresara|consulta|visit|monday|tuesday|wednesday|thursday|friday|morning"
    r"|afternoon|tomorrow|lunes|martes|miercoles|jueves|viernes|manana|tarde|this week"
    r"|esta semana|appointment|appt|telehealth|video|virtual)\b"
)
# A visit asked for with a nurse ("book with the nurse", "con la enfermera Park").
_WITH_THE_NURSE = re.compile(r"\b(with|con) (the |a |la |el |una |un )?(nurse|enfermer[ao])\b")
# "¿Tengo que ir?" asks whether to come in; "porque tengo que ir en ayunas" says why a morning.
_MUST_I_GO = re.compile(r"\btengo que ir\b(?! en ayunas)")
# Preparation named with a booking ("mornings, I have to fast"): asked in the read-back.
_PREP = re.compile(
    r"\b(fast|fasting|ayunas|ayuno|ayunar|without eating|sin comer|bloodwork first"
    r"|prepar\w*|bring|traer|llevar)\b"
)


def asks_the_nurse(text: str) -> bool:
    """A booking request that is really a question for the care team (issue #16 class 6): the
    doctor's instructions, "should I come in?", a follow-up with no visit asked for. A booking
    that mentions preparation ("... in the morning, I have to fast") is a booking."""
    folded = folded_text(text)
    if books(text) and mentions_prep(text):
        return False
    if books(text) and _WITH_THE_NURSE.search(folded):
        return False  # "una consulta por video con la enfermera Park": a visit with her
    asked = "?" in text or "¿" in text
    if _ASKS_NURSE.search(folded) or (asked and _MUST_I_GO.search(folded)):
        return True
    if _FOR_THE_DOCTOR.search(folded) and not books(text):
        return True
    if _TO_THE_DOCTOR.search(folded) and not books(text) and not _VISIT_ASKED.search(folded):
        return True  # "can I talk to Dr. Nguyen", not "talk to dr chen over video next week"
    if _ABOUT_THE_CARE.search(folded) and not books(text):
        return True
    said = _WHAT_THE_DOCTOR_SAID.search(folded)
    if said and not books(text) and not _ASKS_A_VISIT.search(folded):
        return True
    if _PAST_VISIT.search(folded) and not _ASKS_A_VISIT.search(folded):
        return True
    # "cancel my follow up": the visit they hold, not a question about it
    if asks_to_cancel(text) or moves(text) or _CONFIRM.search(folded):
        return False
    # "I just finished my appointment. I need a followup": the visit named is the one had
    rest = _PAST_VISIT.sub(" ", folded)
    return bool(_FOLLOW_UP.search(rest)) and not _VISIT_ASKED.search(rest)


def mentions_prep(text: str) -> bool:
    """Preparation (fasting, what to bring) mentioned with a request."""
    return bool(_PREP.search(folded_text(text)))


_CONFIRM = re.compile(
    r"\b(confirm\w*|confirmar|confirmo|confirmando|still on|see you then|see you (tomorrow"
    r"|on \w+)|i'?ll be there|i will be there|count me in|ahi estare|alli estare|nos vemos"
    r"|sigue en pie|ahi nos vemos)\b"
)


def says_confirm(text: str) -> bool:
    """Confirm words anywhere ("... mejor confírmela que sí voy"): at a cancellation's
    read-back, the visit kept and confirmed."""
    return bool(_CONFIRM.search(folded_text(text)))


_CHECK = re.compile(
    r"\b(when is my (appointment|appt|visit)|what time is my|cuando es mi cita|a que hora es mi"
    # "when's my physical", "when do I have my checkup", "¿qué día tengo la consulta?"
    r"|(when|what day|what time|which day)(?:'s| is|s| do i have)? my (next |upcoming )?"
    r"(appointment|appt|apt|visit|physical|check ?up|exam|follow ?up)"
    r"|(cuando|que dia|a que hora) (es|tengo) (mi|la)"
    r" (proxima )?(cita|consulta|examen|chequeo|revision)"
    r"|(is|if|whether) (my|the|it|our) ?(\w+ ){0,3}still on"
    r"|(saber|ver|pregunt\w*) si (mi cita |la cita )?sigue en pie"
    r"|(address|location|where) (for|of) my (appointment|appt|visit)|where is my (appointment"
    r"|appt|visit)|donde es mi cita|(what|which) (type|kind) of (appointment|appt|visit)"
    r"|que tipo de (cita|consulta)|who is my (appointment|appt|visit) with|con quien es mi cita"
    r"|(date|day|time|doctor|provider|address|location)( and (the )?\w+)? (of|for) my (appointment"
    r"|appt|visit)|(fecha|hora|doctor|doctora|direccion) de mi cita"
    r"|what (my )?(appointment|appt|visit) is for|para que es mi cita"
    # what day: "¿qué día es mi cita?", "cuando tengo la cita", "que dia me toca ir"
    r"|(what|which) (day|date|time) (is|was|s) (my|the) (next )?(appointment|appt|visit)"
    r"|when (is|was|s) (my|the) next (appointment|appt|visit)|remind me (when|what day)"
    r"|que (dia|fecha) (es|era|seria|queda|quedo)( mi| la) (cita|consulta)"
    r"|que (dia|fecha)( y a que hora)? (tengo|me toca)\b"
    r"|(cuando|para cuando) (es|era|tengo|me toca|queda|quedo|seria)( mi| la| una)?"
    r" (cita|consulta)|(dia|fecha|hora) (de|para) (mi|la) (cita|consulta)"
    r"|(recordar|recuerda|recuerde|decir|dice|diga)( \w+){0,2} (el dia|la fecha|que dia|cuando)"
    r")\b"
)
_BOOK = re.compile(
    r"\b(book|schedule|make an? (appointment|appt)|set up an? (appointment|appt)|new patient"
    r"|hacer una cita|sacar una cita|agendar|programar una cita|quiero una cita"
    r"|necesito una cita|(necesito|quiero|quisiera|ocupo) cita"
    r"|(me |le )?(puede|pueden|podria|podrian) (dar|hacer|conseguir)(me)? (una )?cita"
    r"|(deme|denme|dame|hagame) (una )?cita)\b"
)
# A medicine's schedule (a noun), not a visit scheduled.
_MEDICINE_SCHEDULE = re.compile(
    r"\b(medication|medications|medicine|meds|pill|pills|dosing|dose|dosage|insulin"
    r"|antibiotic|antibiotics|inhaler) schedule\b"
)
# A new visit asked for without a booking verb: "can I get a video visit", "necesito una cita".
_NEW_VISIT = re.compile(
    r"\b(get|need|want|like|book|schedule|set up|make|come in for|squeeze in|do|request"
    r"|arrange)\s+(a|an|another"
    r"|new|one more)\s+(\w+\s+){0,3}?(appointment|appt|visit|physical|check ?up|follow ?up"
    r"|video call|video chat|telehealth|telemedicine|televisit)\b"
    r"|\b(quiero|necesito|quisiera|gustaria|hacer|sacar|pedir|agendar|programar|tener)\s+"
    r"(una|un|otra|nueva)\s+(\w+\s+){0,2}?(cita|consulta|revision|chequeo)\b"
    r"|\b(new|another) (appointment|appt|visit)\b|\b(cita|consulta) nueva\b|\bnueva cita\b"
    r"|\b(time for|due for|overdue for|(me|ya me) toca) (my |a |an |the |mi |el |la )?(\w+ ){0,2}?"
    r"(physical|check ?up|chequeo|examen|fisico|follow ?up|seguimiento)\b"
    r"|\b(hacer|sacar|agendar|pedir|programar|reservar)(me|le)? (la |mi |el |un |una )?(cita"
    r"|consulta|examen|chequeo|fisico|revision)\b"
    r"|\b(volv\w*|regres\w*|come back|return|see (me|him|her) again)\b.{0,40}"
    r"\b(seguimiento|follow ?up|check ?up|chequeo|revision)\b"
    r"|\b(cita|consulta|appointment|visit) (de|por|for a|for) (seguimiento|video|follow ?up)\b"
    r"|^\s*(a|an|una|un)\s+(\w+\s+){0,3}?(appointment|visit|cita|consulta)\b"
)
# A move said by what it keeps or where it goes, naming the visit they have: "same time but
# another day", "switch it over to Dr. Okafor", "anything sooner than my current appointment?",
# "¿algo más pronto que mi cita?".
_MOVE_SAID = re.compile(
    r"\b(same time (but )?(on )?(a |an )?(different|another|other) (day|week)"
    r"|(a )?(different|another|other) (day|week) (but )?(at )?(the )?same time"
    r"|(misma hora|mismo horario) (pero )?(en |para )?(otro|otra) (dia|semana)"
    r"|(otro|otra) (dia|semana) (pero )?(a la misma hora|al mismo horario)"
    r"|(switch|swap|transfer)\w* (it |my (appointment|appt|visit) |me |that )?(over )?(to|with)"
    r" (dr|dra|doctor|doctora|np|nurse practitioner|the nurse practitioner|another|a different)\b"
    r"|(sooner|earlier) than (my|the) (current |existing |scheduled |next )?(appointment|appt"
    r"|visit|one)|(mas pronto|mas temprano|antes) (que|de) (mi|la) (cita|consulta)"
    r"|(mi|la) (cita|consulta) (actual|de ahora))\b"
)
# More ways of asking to move a visit than the short answers know ("pásela al jueves").
_MOVES_TOO = re.compile(
    r"\b(pas(ar|e|ela|arla|armela|armelo)|reprogram\w*|muev\w*|cambi(e|a)(me|la|le|mela|sela)"
    r"|cambiar(la|me|mela)|instead of (my|the|that|it|on)"
    # "I'd like to see Dr. Okafor instead": another provider for the visit they have
    r"|(see|with|have|get) (dr|doctor|nurse|np) \w+ instead"
    r"|mejor con (el|la) (doctor|doctora|dr|dra)"
    r"|(en vez|en lugar) de (mi|la|esa)"
    r"|(new|different|another) (time|day|date) for (my|the) (appointment|appt|visit)"
    r"|(otro|otra|nuevo|nueva|diferente|distint[oa]) (dia|fecha|hora|horario) (para|de|en)"
    r" (mi|la|su) (cita|consulta)"
    # "push my appt back", "bump my physical out", "move the visit up", "bring it forward"
    r"|(push|pushed|bump|bumped|kick|kicked|shift|move|bring|pull)\w* (back |out |up )?(it|my|the"
    r"|this|that)( \w+){0,2}? (back|out|up|forward|ahead))\b"
    r"|" + _MOVE_SAID.pattern
)
# "not booking anything new", "I don't want another appointment", "no quiero sacar otra cita".
_NOT_BOOKING = re.compile(
    r"\b(not|no|dont|don't|do not|isnt|isn't|without|nada de)\s+(\w+\s+){0,3}?"
    r"(book\w*|schedul\w*|anything new|something new|new (one|appointment|visit)"
    r"|another (one|appointment|visit)|agendar|sacar|hacer|otra cita|una cita nueva"
    r"|una nueva|cita nueva)\b|\bnothing new\b"
)


# Asking to be seen without naming a visit ("can I come in", "can someone look at my ankle",
# "que me vea un doctor"), or for a kind of visit ("talk to Dr. Chen over video"); not about a
# visit they hold ("come in earlier for my appointment", "do I fast for my physical?").
_TO_BE_SEEN = re.compile(
    r"\b(come in|get in(?! touch| contact)|be seen|get seen|squeeze me in|fit me in"
    r"|see (a |the |some |any |your )?(skin |family |foot |women'?s |kids'? |primary care )?"
    r"(doctor|doc|dr|provider|physician|dermatologist|someone|somebody|nurse practitioner"
    r"|specialist|pediatrician|gp|pcp)"
    r"|get (it|this|that|them|me|him|her|my \w+) (in|looked at|checked|seen)"
    r"|(have|get) (\w+ ){1,6}?(looked at|checked out)|take a look at (it|this|my)"
    # "can I get my daughter Lucia Lopez in?", "can you fit my husband in"
    r"|(get|fit|squeeze) (me|him|her|them|us|(my|our) (son|daughter|child|kid|boy|girl"
    r"|baby|wife|husband|mom|mother|dad|father|grandson|granddaughter|partner))( \w+){0,3}? in\b"
    # "I want it looked at", "need this mole checked"
    r"|(want|need|like|wanted|needed) (it|this|that|these|them|him|her|my|the)( \w+){0,5}?"
    r" (looked at|checked|seen|examined)"
    # a kind of doctor asked for: "do you guys have a skin doctor?", "¿tienen dermatólogo?"
    r"|(do|does) (you|y'?all|your (office|practice|clinic)|the (office|practice|clinic))"
    r"( guys| all)? (\w+ )?have (a |an |any )?(\w+ ){0,2}?(doctor|dermatologist|pediatrician"
    r"|physician|specialist|provider)s?"
    r"|tienen (un |una |algun |alguna )?(\w+ )?(doctor|doctora|dermatolog[oa]|pediatra"
    r"|medic[oa]|especialista)s?"
    r"|(need|want|get|book|make) (appointment|appt)s?"
    r"|(someone|somebody|a doctor|the doctor|a dermatologist|dr \w+) (to )?(see|check|look at)"
    r"( (me|him|her|them|it|this|that|my|his)\b|$)"
    r"|que (me|lo|la|los|las) (vean|revisen|atiendan|vea|revise|atienda|chequen)"
    r"|(me|lo|la) (pueden|puede|podrian|podria) (ver|atender|revisar)"
    r"|ver (a |al )(un |una |el |la )?(doctor|doctora|medico|medica|dermatolog[oa])"
    r"|(find|need|looking for|want|establish with|busco|necesito) (a |an |un |una )?(new |nuevo )?"
    r"(doctor|primary care|pcp|family doctor|dermatologist|physician|medico|doctora?)(?!'))\b"
)
_VISIT_KIND = re.compile(
    r"\b(video|virtual(ly)?|telehealth|telemedicine|tele ?visit|zoom|facetime|videollamada"
    r"|videoconsulta|videocita|teleconsulta|telemedicina|en linea)\b"
)
_ASKING_FOR = re.compile(
    r"\b(can|could|may|like|want|need|would|looking for|possible|please|quiero|quisiera|necesito"
    r"|se puede|puedo|gustaria|busco|por favor)\b"
)
_THEIR_VISIT = re.compile(
    r"\b(my|mi|our|the|la|el|su)\s+(\w+\s+){0,2}?(appointment|appt|visit|cita|physical"
    r"|check ?up|exam|examen|chequeo|consulta)\b|\binstead\b|\ben (vez|lugar)\b"
)


def moves(text: str) -> bool:
    """Move words: "move", "change", "push back", "earlier", "reschedule", "cambiar", "pasar"
    ("cancel the earlier one": there "earlier" names a visit); or a time wished on the visit's
    own day ("can I come in later that same day", "el mismo día pero más tarde"): only the
    visit they have has that day."""
    text = without_places(text)
    moved = asks_to_reschedule(text) or bool(_MOVES_TOO.search(folded_text(text)))
    return moved or about_the_visit_day(text)


def books(text: str) -> bool:
    """A new visit asked for ("book a follow up", "can I get a video visit", "una cita")."""
    folded = _MEDICINE_SCHEDULE.sub(" ", folded_text(text))  # "explain my pill schedule"
    kind = _VISIT_KIND.search(folded) and _ASKING_FOR.search(folded)
    to_be_seen = (_TO_BE_SEEN.search(folded) or kind) and not _THEIR_VISIT.search(folded)
    asked = _BOOK.search(folded) or _NEW_VISIT.search(folded) or to_be_seen
    return bool(asked) and not _NOT_BOOKING.search(folded)


def book_or_move(text: str, task: str) -> str:
    """Book or move, decided by the words whatever the classifier said (a safety rule): asking
    to book never moves a visit (a move needs move words); "not booking anything new, just
    moving the one I have" is a move."""
    folded = folded_text(text)
    if task == "reschedule" and books(text) and not moves(text):
        return "book"
    if task == "book" and says_late(text) and not books(text) and not moves(text):
        return "late"  # "running late, at 5th and 73rd now, be there in 10": no visit asked
    if task == "book" and _NOT_BOOKING.search(folded) and moves(text):
        return "reschedule"
    if task == "book" and about_the_visit_day(text) and not _NEW_VISIT.search(folded):
        return "reschedule"  # "can I come in later on the same day": only their visit has it
    return task


# A visit dropped in other words than "cancel", when the words name the visit.
_DROP = re.compile(r"\b(scratch|call off|drop|nix)\b")


def move_or_book_unsaid(text: str) -> bool:
    """A free time asked for with neither move nor book words ("anything Thursday morning?",
    "¿tienen algo el jueves en la tarde?"): the patient is asked which they mean."""
    return asks_openings(text) and not moves(text) and not books(text)


_VISIT = re.compile(
    r"\b(appointment|appt|apt|visit|cita|consulta|it|cambiela|cambiarla|moverla|muevala)\b"
)
TASK_INTENTS = {
    "cancel": "cancel_appointment",
    "reschedule": "reschedule_appointment",
    "confirm": "confirm_appointment",
    "check": "check_appointment",
    "book": "book_appointment",
    "late": "running_late",
}


# Joining words and a speaker's fillers before a part ("and uh what's the address").
_LEADING = re.compile(
    r"^(?:(?:and|also|plus|oh|btw|y|tambien|también|ademas|además|um+|uh+|uhm|er|hm+|like|so"
    r"|well|you know|eh|pues|bueno|o sea)(?:\s+|$))+",
    re.IGNORECASE,
)


def parts(text: str) -> list[str]:
    """The message's parts, in order ("move me to Monday", "what's the address?")."""
    found = (_LEADING.sub("", p.strip(" ,")) for p in _SPLIT.split(text or "") if p)
    return [p for p in found if p]


def task_in(text: str) -> str | None:
    """The appointment task a part of the message asks for, by its words."""
    for part in parts(text):
        folded = folded_text(part)
        if replaces_visit(text):  # "cancel it and give me another one Wednesday": a move
            return "reschedule"
        if asks_to_cancel(part) or (_DROP.search(folded) and reference(part).words):
            return "cancel"  # "scratch the later appointment" (not "scratch Tuesday": a time)
        # "the one with Dr. Chen"; "that same day but later": only their visit has that day
        names_visit = _VISIT.search(folded) or reference(part).words or about_the_visit_day(part)
        said_moved = bool(_MOVE_SAID.search(folded) or _MOVE_ME.search(folded))
        moved = said_moved or (moves(part) and bool(names_visit))
        if moved:  # not "the doctor changed my dose"
            return "reschedule"
        if _CONFIRM.search(folded) and not _CONFIRM_ASKS.search(folded):
            return "confirm"
        if _CHECK.search(folded):
            return "check"  # also "¿me confirma qué día quedó mi cita?": it asks the day
        if books(part) or (asks_openings(part) and department_request(part) is None):
            # "anything Thursday?": the router asks which (not "are my results available?")
            return "book"
        if says_late(part) and (minutes_late(part) is not None or _LATE_WORD.search(folded)):
            return "late"  # "taking the 12 bus, should be there in about 10 min"
    return None


# The patient moved, their visit meant: "can you move me to the week after next", "bump me to
# Friday", "cámbieme al jueves", "páseme para la otra semana".
_MOVE_ME = re.compile(
    r"\b(move|moving|switch|push|bump|shift|reschedule|change) me (to|back|out|up|for|into|over"
    r"|forward|ahead|later|earlier)\b"
    # "I need to reschedule to next Tuesday": only a visit they have is rescheduled
    r"|\b(need|want|like|have|got|going|trying|wanted|hoping|wish|can i|could i|would like) to"
    r" (reschedule|reprogramar)\b|\b(necesito|quiero|quisiera|tengo que|puedo) reprogramar\b"
    r"|\b(cambieme|cambiame|muevame|mueveme|paseme|pasame|reprogrameme|recorrame|recorreme"
    r"|atraseme|adelanteme)\b"
)
# "¿Me confirma qué día es mi cita?", "can you confirm what time it is": a check, not a yes.
_CONFIRM_ASKS = re.compile(
    r"\b(confirm\w*|verifi\w*)( me| for me)? (que|cuando|a que hora|what|when|which|the (day"
    r"|date|time))\b"
    # asking whether it is still on: a check ("I'm dying to know if my appointment is still on")
    r"|\b(is|if|whether) (my|the|it|our) ?(\w+ ){0,3}still on\b"
    r"|\b(saber|ver|pregunt\w*) si (mi cita |la cita )?sigue en pie\b"
)
_LATE_WORD = re.compile(r"\b(late|tarde|behind|retras\w*)\b")


def department_request(text: str) -> str | None:
    """The department intent a message's words ask for (refill, bill, results, records,
    complaint), whatever the classifier said; None: none of them."""
    folded = folded_text(text)
    named = next((intent for intent, words in _DEPARTMENT_WORDS if words.search(folded)), None)
    if named == "prescription_refill" and not _REFILL.search(folded) and asks_the_nurse(text):
        return "care_question"  # "explain my medication schedule": how to take it, no refill
    return named


# A refill asked for, not only a medicine named.
_REFILL = re.compile(
    r"\b(refill\w*|renew\w*|pharmacy|ran out|run out|running out|resurt\w*|farmacia|se me acab\w*"
    r"|surt\w*|renov\w*)\b"
)


def words_ask_for(intent: str | None, text: str) -> bool:
    """Whether the message's words ask for that department at all (False too for an intent
    that is no department's)."""
    pattern = dict(_DEPARTMENT_WORDS).get(intent or "")
    return pattern is not None and pattern.search(folded_text(text)) is not None


def a_department_intent(intent: str | None) -> bool:
    return intent in dict(_DEPARTMENT_WORDS)


def other_parts(text: str) -> list[tuple[str, str]]:
    """(kind, part) of the parts besides the task: ("office", "what's the address?") or
    (a department intent, "I also need a refill")."""
    found: list[tuple[str, str]] = []
    for part in parts(text):
        folded = folded_text(part)
        task = task_in(part)
        if task is None and _ASKS.search(part) and _OFFICE.search(folded):
            found.append(("office", part))
        elif task == "book":  # "book a video visit to go over my bloodwork": the visit's reason
            if asks_if_taken(part):  # "... if you take Medicaid before I book": answered first
                found.append(("insurance", part))
        elif (intent := department_request(part)) is not None:
            found.append((intent, part))
        elif task is None and question_topic(part) == "insurance":  # "do you take Aetna?"
            found.append(("insurance", part))
    return found


def task_words(text: str) -> str:
    """The message without its other parts ("move me to Monday" of "move me to Monday, and
    what's the address?"): what the task's details are read from."""
    others = {part for _, part in other_parts(text)}
    kept = [part for part in parts(text) if part not in others]
    return " ".join(kept) if kept else text


def reason_of_a_booking(text: str) -> bool:
    """A booking request and nothing else, whatever department the classifier heard: its
    department words are the visit's reason ("a visit to go over my results", "the doctor told
    me to come back for a follow-up"), not a message; no other part asks a department."""
    if task_in(text) != "book":
        return False
    asked = [part for part in parts(text) if department_request(part) is not None]
    return all(task_in(part) == "book" for part in asked)


def handle_other_parts(
    dispatcher: CollectingDispatcher, tracker: Tracker, text: str, *, offices_only: bool = False
) -> None:
    """Answer the office questions and take the departments' messages of a compound request
    (before its task runs): nothing the patient asked for is dropped."""
    uid = conversation_uid(tracker)
    if uid is None:
        return
    taken = False
    for kind, part in other_parts(text):
        if kind == "office":
            info = office_info_for(unit_of_work(), uid, language(tracker), question=part)
            if info:
                dispatcher.utter_message(response="utter_office_info", info=info)
        elif kind == "insurance":  # the practice's plans, or a message for billing
            dispatcher.utter_message(
                text=answer_insurance(unit_of_work(), uid, language(tracker), part)
            )
        elif not taken and not offices_only:  # one message per conversation (it holds the words)
            dispatcher.utter_message(text=take_message_from_dialogue(unit_of_work(), uid, kind))
            taken = True


def task_follows(tracker: Tracker) -> list[EventType]:
    """After answering or routing one part of a message outside any form: the appointment task
    the message also asks for, run next by the router (none: nothing)."""
    said = request_text(tracker)
    if tracker.active_loop_name or is_emergency(said) or task_in(said) is None:
        return []  # (an emergency: 911 / 988 was said, and nothing else)
    return [FollowupAction("action_route_task")]


def confirm_by_words(text: str, intent: str | None) -> str | None:
    """The task the words ask for when the classifier heard a move or a check they do not ask:
    "Confirming my appointment, do I need to fast before it?" read as a move, "still on for my
    appt, see you then!" as a check: confirm; "cancele mi cita, ya me siento mejor" read as a
    move: cancel. Confirm and cancel are never taken for each other against the words: "nomás
    llamaba para confirmar mi cita" heard as a cancel is a confirmation."""
    asked = intent in (
        "reschedule_appointment",
        "check_appointment",
        "cancel_appointment",
        "confirm_appointment",
    )
    if intent == "book_appointment" and not (books(text) or moves(text)):
        said = task_in(text)  # "wen is my appt n wat do i need to bring" heard as a booking
        return TASK_INTENTS[said] if said in ("check", "confirm", "cancel") else intent
    if intent == "check_appointment" and moves(text) and task_in(text) == "reschedule":
        return TASK_INTENTS["reschedule"]  # "I need a new time for my appointment" heard as a check
    said = task_in(text) if asked and not moves(text) else None
    if said == "check" and intent in ("reschedule_appointment", "confirm_appointment"):
        return TASK_INTENTS[said]  # "me puede recordar el día de mi cita" asks no move
    return TASK_INTENTS[said] if said in ("confirm", "cancel") else intent


_APPOINTMENT_WORDS = re.compile(
    r"\b(appointment|appt|book|schedule|visit|come in|be seen|cita|consulta|agendar|sacar)\b"
)


def asks_only_a_referral(text: str) -> bool:
    """A referral asked for, and no visit ("... before I see the dermatologist" is why)."""
    folded = folded_text(text)
    return department_request(text) == "referral_request" and not _APPOINTMENT_WORDS.search(folded)


def a_message_not_a_task(text: str) -> bool:
    """ "Can you send my records to my new doctor? Their fax is ..." read as a move: the words
    ask a department (records, a bill, a refill, a complaint) and name no appointment task.
    "I need a referral to a cardiologist" asks for a referral, not a visit here, unless it
    asks for an appointment in words ("book me in to get a referral")."""
    named = department_request(text)
    if asks_only_a_referral(text):
        return True
    if named in (None, "care_question") or task_in(text) is not None:
        return False
    return not (moves(text) or books(text) or asks_to_cancel(text))
