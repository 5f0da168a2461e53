"""Booking a new appointment from a conversation: for a verified patient or a new one.

The practice's rules decide what may be booked (types bookable by phone, new-patient-only types,
notice and horizon, the providers' templates); the dialogue only asks and reads back. A new
patient is created in the same transaction as their first booking; someone who says they are new
but matches a patient of the practice by name and date of birth is verified as that patient.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from assistant import audit
from assistant.actor import Actor
from assistant.conversations import sessions
from assistant.datetimes import parse_date_of_birth
from assistant.datetimes.dob import MONTHS
from assistant.datetimes.numbers import ORDINALS_EN, TENS_EN, TENS_ES, UNITS_EN, UNITS_ES
from assistant.db.models import (
    KEPT_STATUSES,
    Appointment,
    AppointmentType,
    Conversation,
    Location,
    Patient,
    PatientPhone,
    Practice,
    Provider,
    ProviderSchedule,
)
from assistant.db.types import utcnow
from assistant.frontdesk import summaries
from assistant.frontdesk.corrections import self_corrected, takes_back
from assistant.frontdesk.offers import OfferedTime
from assistant.frontdesk.provider_words import last_mention
from assistant.frontdesk.service import DONE, TAKEN, UNAVAILABLE, ChangeResult
from assistant.frontdesk.short_answers import choose, words
from assistant.frontdesk.time_phrases import read_wish
from assistant.frontdesk.views import describe, offered_times, prep_text
from assistant.identity.names import fold, has_full_name, tokens
from assistant.identity.verification import MAX_ATTEMPTS, failed_attempts, verify
from assistant.messages import localized
from assistant.phones import InvalidPhoneNumber, to_e164
from assistant.scheduling import operations, rules
from assistant.scheduling.availability import SearchRequest, search
from assistant.scheduling.errors import SchedulingError, SlotTaken, SlotUnavailable
from assistant.unit_of_work import UnitOfWork

OPTIONS_OFFERED = 3
CALLER = "caller"  # the new patient's callback number is the one they call or text from
NEW_PATIENT_TYPE = "new_patient"  # the first visit: not offered to someone already seen
ALREADY_REGISTERED = "already_registered"  # a "new" patient who is in the records: verified

# Words that name a type, by type code (the type's own name counts too). Symptoms point at a
# sick visit only when no other type is named ("a follow-up for my cough" is a follow-up).
_TYPE_WORDS: dict[str, tuple[str, ...]] = {
    "new_patient": ("new patient", "nuevo", "nueva", "first visit", "primera vez", "establish"),
    "follow_up": ("follow", "seguimiento", "revision", "check on", "recheck"),
    "annual_physical": (
        "physical", "annual", "yearly", "check up", "checkup", "chequeo", "fisico", "wellness",
        "examen anual", "examen general",
    ),
    "sick_visit": (
        "sick", "ill", "fever", "cough", "flu", "cold", "enferm", "gripe", "fiebre", "tos",
        "calentura", "earache", "ear infection", "vomit", "diarrhea", "diarrea", "vomito",
        "dolor", "pain", "hurt", "infection",
    ),
    "telehealth": (
        "tele", "video", "virtual", "online", "zoom", "llamada", "facetime", "por internet",
        "en linea", "remot",
    ),
    "skin_biopsy": ("biopsy", "biopsia"),
}  # fmt: skip
_ANYONE = (
    "any", "anyone", "anybody", "whoever", "no preference", "doesn't matter", "doesnt matter",
    "don't care", "dont care", "first available", "cualquier", "cualquiera", "me da igual",
    "no importa", "el que sea", "la que sea", "no", "nope", "no one", "nobody",
)  # fmt: skip
_EXISTING = ("before", "existing", "already", "seen", "yes", "si", "ya", "antes", "paciente")
_NEW = ("new", "first", "never", "nuevo", "nueva", "primera", "nunca", "no")
# Reason categories (staff see the category, never a diagnosis), by words said at the start of
# a word of the folded request, in this order: what only the dermatologists see; an injury; an
# illness (a rash and an itch too: a sick visit); a part of the body (an injury); the skin in
# general; a check-up or a new doctor; an ongoing condition.
_SKIN_SPECIFIC = (
    "mole", "acne", "eczema", "psoriasis", "wart", "derm", "skin check", "skin cancer",
    "lunar", "lunares", "granos", "barros", "espinillas", "verruga", "mancha",
)  # fmt: skip
_INJURY = (
    "injur", "sprain", "strain", "twist", "rolled my", "turned my", "pulled a", "pulled my",
    "threw out my", "fell", "a fall", "broke", "broken", "fractur", "swoll", "swelling", "bruis",
    "cut my", "cut myself", "burn", "bite", "bitten", "whiplash", "concussion", "back pain",
    "backache", "back hurts", "torc", "esguince", "lesion", "lastim", "golpe", "me cai",
    "se cayo", "quebr", "fractura", "hinchad", "inflamad", "moreton", "cortad", "quemad",
    "mordi",
)  # fmt: skip
# A part of the body named: an injury too, unless an illness was said ("a rash on my neck").
_BODY_PARTS = (
    "ankle", "wrist", "knee", "shoulder", "elbow", "my back", "lower back", "upper back",
    "neck", "my hip", "my foot", "my toe", "my finger", "my hand", "tobillo", "muneca",
    "rodilla", "hombro", "codo", "espalda", "cuello", "cadera", "mi pie", "el pie", "dedo",
)  # fmt: skip
_ILLNESS = (
    "sick", "ill", "fever", "feverish", "temperature", "cough", "flu", "influenza", "cold",
    "sore", "throat", "strep", "sinus", "congest", "stuffy", "runny nose", "sneez", "headache",
    "migraine", "stomach", "tummy", "belly", "nause", "vomit", "throwing up", "threw up",
    "diarrhea", "dizz", "earache", "ear infection", "ear pain", "my ear", "pink eye",
    "eye infection", "uti", "urinary", "bladder", "infection", "rash", "hives", "itch",
    "allerg", "bronchitis", "pneumonia", "wheez", "chills", "aches", "achy", "body ache",
    "not feeling well", "not feeling good", "feel awful", "feeling awful", "under the weather",
    "covid", "pain", "hurt", "ache",
    "enferm", "fiebre", "calentura", "temperatura", "tos", "gripe", "gripa", "resfri",
    "catarro", "garganta", "anginas", "dolor", "duele", "duelen", "malestar", "me siento mal",
    "sentirme mal", "mareo", "maread", "nausea", "vomit", "diarrea", "estomago", "panza",
    "barriga", "infeccion", "oido", "sarpullido", "salpullido", "ronchas", "comezon",
    "picazon", "pica", "alergia", "escalofrio", "congestion", "mocos", "flema", "sinusitis",
    "bronquitis",
)  # fmt: skip
_SKIN_GENERAL = ("skin", "piel")
_CHECK_UP = (
    "check", "physical", "annual", "yearly", "wellness", "well visit", "preventive", "routine",
    "chequeo", "fisico", "revision", "examen", "establish", "new doctor", "primary care",
    "nuevo medico", "family doctor", "family medicine", "family practice",
    "general practitioner", "regular doctor", "pcp", "medico de familia", "medico familiar",
    "medico de cabecera", "medico general",
)  # fmt: skip
_ONGOING = (
    "diabetes", "blood pressure", "presion", "asthma", "asma", "thyroid", "tiroides",
    "cholesterol", "colesterol", "medication", "medicina", "refill",
)  # fmt: skip
_REASONS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("skin", _SKIN_SPECIFIC),
    ("injury", _INJURY),
    ("illness", _ILLNESS),
    ("injury", _BODY_PARTS),
    ("skin", _SKIN_GENERAL),
    ("check-up", _CHECK_UP),
    ("ongoing condition", _ONGOING),
)
# What a sick visit is for: these categories point at one when no type is named.
SICK = ("illness", "injury")


def _says(keys: tuple[str, ...], folded: str) -> bool:
    """Whether one of `keys` starts a word of `folded` (not after an apostrophe: "i'll" is no
    "ill")."""
    return any(re.search(rf"(?<![\w']){re.escape(k)}", folded) for k in keys)


# Which specialties see a reason category (matched against the providers' specialty names).
_SPECIALTY_WORDS: dict[str, tuple[str, ...]] = {
    "skin": ("dermatolog",),
    "illness": ("family", "internal", "primary", "general"),
    "injury": ("family", "internal", "primary", "general"),
    "check-up": ("family", "internal", "primary", "general"),
    "ongoing condition": ("family", "internal", "primary", "general"),
}


def fits_reason(specialty: str | None, reason: str | None) -> bool:
    """Whether a provider of this specialty sees this reason (no reason: anyone does)."""
    keys = _SPECIALTY_WORDS.get(reason or "")
    if not keys:
        return True
    return any(k in (specialty or "").lower() for k in keys)


@dataclass(frozen=True)
class NewPatient:
    """What a new patient told us: kept in the dialogue until the booking is made."""

    name: str
    date_of_birth: date
    phone: str  # E.164, or CALLER
    reason: str

    def to_json(self) -> dict[str, str]:
        return {
            "name": self.name,
            "date_of_birth": self.date_of_birth.isoformat(),
            "phone": self.phone,
            "reason": self.reason,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any] | None) -> NewPatient | None:
        if not data:
            return None
        return cls(
            str(data["name"]),
            date.fromisoformat(str(data["date_of_birth"])),
            str(data["phone"]),
            str(data.get("reason") or "other"),
        )


def patient_status(text: str, intent: str | None) -> str | None:
    """ "I've been there before" -> existing; "I'm a new patient" / "no" -> new."""
    said = words(text)
    if intent == "affirm":
        return "existing"
    if intent == "deny":
        return "new"
    new = any(w in _NEW for w in said)
    existing = any(w in _EXISTING for w in said)
    if new and ("never" in said or "nunca" in said or "new" in said or "nuevo" in said):
        return "new"
    if new != existing:
        return "new" if new else "existing"
    return None


# What a booking request says about the patient ("I'm a new patient", "I've been there before").
_SAYS_NEW = re.compile(
    r"\b(new patient|new here|first (time|visit|appointment)|never (been|seen|come)"
    r"|not (yet )?a patient|(haven'?t|have not|never) been (there|here|seen|to (your|the|you))"
    r"|want to become"
    r"|paciente nuev[oa]|primera (vez|cita|consulta)|nunca (he|ha|hemos) (ido|venido|estado)"
    r"|no soy paciente)\b"
)
_SAYS_EXISTING = re.compile(
    r"\b(existing patient|already a patient|(been|seen) (there|here|you) before|current patient"
    r"|returning patient|i'?m a patient (of|there|with)|ya soy paciente|ya he ido"
    r"|soy paciente de)\b"
)
# A kind of provider asked for ("a family doctor", "a dermatologist"): which specialty, not who.
_KIND = re.compile(
    r"\b(family (doctor|medicine|practice|physician)|primary care|general practitioner|gp|pcp"
    r"|regular doctor|dermatolog\w*|skin doctor|medic[oa] (de familia|familiar|general"
    r"|de cabecera)|dermat[oó]log[oa])\b"
)
_ANYONE_SAID = re.compile(
    r"\b(anyone|anybody|any (doctor|provider|one)|whoever|first available|no preference"
    r"|cualquier (doctor|medico|persona)|el que (sea|este)|quien sea)\b"
)


# Any of the times offered will do: "whenever", "any time is fine", "me da igual".
_ANY_TIME = re.compile(
    r"\b(whenever|any ?time|any day|any of (them|those)|either (one|is fine|works)|whichever"
    r"|doesn'?t matter|does not matter|no preference|don'?t care|whatever (works|you have|is first)"
    r"|cualquier (dia|hora|momento|horario)|cualquiera|cuando sea|a la hora que sea|me da igual"
    r"|no importa|la que sea|el que sea|lo que (tenga|haya))\b"
)


def any_time(text: str) -> bool:
    """Whether a reply to the times offered says any of them will do."""
    return bool(_ANY_TIME.search(" ".join(words(text))))


def request_status(text: str) -> str | None:
    """ "new" / "existing" when a booking request says so, else None (then it is asked)."""
    folded = " ".join(words(text.replace("’", "'")))
    new, existing = bool(_SAYS_NEW.search(folded)), bool(_SAYS_EXISTING.search(folded))
    if new != existing:
        return "new" if new else "existing"
    return None


def names_a_kind(text: str) -> bool:
    """A kind of provider ("a family doctor") or anyone at all: the provider is not asked."""
    folded = " ".join(words(text))
    return bool(_KIND.search(folded) or _ANYONE_SAID.search(folded))


def type_for_request(text: str, types: list[dict[str, Any]]) -> dict[str, Any] | None:
    """The listed type a booking request points at: named ("a physical"), or from the reason:
    for a new patient symptoms are a sick visit and a check-up, a new doctor or the skin the
    first visit; for an established one the visit for that reason. None: asked."""
    by_code = {str(t["code"]): t for t in types}
    named, reason = named_type(text), reason_category(text)
    if named == NEW_PATIENT_TYPE and reason in SICK and "sick_visit" in by_code:
        return by_code["sick_visit"]  # "new patient, a rash that won't go away": who, not what
    if named in by_code:
        return by_code[named]
    if reason == "other":
        return None
    if NEW_PATIENT_TYPE not in by_code:  # an established patient: the visit for the reason
        return by_code.get(_ESTABLISHED_VISIT_FOR[reason])
    if reason in SICK:
        return by_code.get("sick_visit")
    return by_code[NEW_PATIENT_TYPE]


# An established patient's visit for a reason said with the request ("a mole on my back": the
# dermatologists' follow-up visit, searched among those whose specialty sees the skin).
_ESTABLISHED_VISIT_FOR = {
    "illness": "sick_visit",
    "injury": "sick_visit",
    "skin": "follow_up",
    "check-up": "annual_physical",
    "ongoing condition": "follow_up",
}


def reason_category(text: str) -> str:
    folded = " ".join(words(text))
    return next((category for category, keys in _REASONS if _says(keys, folded)), "other")


def phone_from(text: str, caller_known: bool, yes: bool | None) -> str | None:
    """The callback number: a number said (E.164), or `CALLER` when "yes" / "this one" keeps the
    number they use (resolved only when booking, so that it never enters the dialogue's store)."""
    digits = re.sub(r"\D", "", text)
    if len(digits) >= 10:
        try:
            return to_e164(digits[-11:] if len(digits) > 10 else digits)
        except InvalidPhoneNumber:
            return None
    folded = " ".join(words(text))
    same = yes or any(k in folded for k in ("this", "same", "este", "mismo", "that one"))
    return CALLER if same and caller_known else None


# What comes before a name: "his name is", "it's for my son", "se llama", "mi hija es".
_NAME_LEAD = re.compile(
    r"(?i)^.*?\b(?:name is|name'?s|names|se llama|me llamo|nombre es|called|named|this is"
    r"|i am|i'?m|soy)\s+"
)
_RELATION_LEAD = re.compile(
    r"(?i)^\W*(?:(?:it'?s|its|it is|es|is|for|para|my|mi|our|nuestr[oa]|the)\s+)+"
    r"(?:son|daughter|child|kid|boy|girl|baby|wife|husband|mom|mother|dad|father|grandson"
    r"|granddaughter|hij[oa]|ni[nñ][oa]|beb[eé]|espos[oa]|mam[aá]|pap[aá]|madre|padre"
    r"|niet[oa])'?s?\b(?:\s+(?:is|es))?[\s,:-]*"
)
# Words between a name and the date of birth said with it ("Ana Ruiz, born 3/3/82").
_BIRTH_GLUE = re.compile(
    r"(?i)^(?:[\s,;.-]|and\b|y\b|born\b|on\b|dob\b|d\.o\.b\.?|date of birth\b"
    r"|birthday\b|birth date\b|fecha de nacimiento\b|nac[ií][oó]?\b|nacid[oa]\b|el\b|is\b"
    r"|es\b)*"
)


_GLUE_AFTER_NAME = re.compile(
    r"(?i)(?:[\s,;.]+(?:born|on|the|el|dob|d\.o\.b|and|y|is|es|date of birth|birthday"
    r"|nacid[oa]|nac[ií][oó]?))+[\s,;.]*$"
)


def clean_name(text: str) -> str:
    """The name alone: "his name is Mateo Lopez" -> "Mateo Lopez", "my son Caleb Novak" ->
    "Caleb Novak"."""
    said = text.strip()
    said = _NAME_LEAD.sub("", said, count=1) if _NAME_LEAD.search(said) else said
    return _RELATION_LEAD.sub("", said, count=1).strip(" ,.;") or text.strip()


def name_and_birth(text: str, language: str) -> tuple[str, str] | None:
    """(name, date of birth as said) when both come in one answer ("Tessa Lindqvist,
    04/29/1989", "maria lopez march third nineteen eighty two"); None otherwise."""
    said = clean_name(text).split()
    for cut in range(2, len(said)):  # the longest tail that starts like a date and is one
        name, birth = " ".join(said[:cut]), _BIRTH_GLUE.sub("", " ".join(said[cut:]))
        first = fold(birth).split()[:1]
        starts = bool(first) and (first[0][:1].isdigit() or first[0] in _DATE_WORDS)
        if starts and parse_date_of_birth(birth, language) is not None:
            name = _GLUE_AFTER_NAME.sub("", name).strip(" ,;")
            return (name, birth) if has_full_name(name) else None
    return None


# Words a date of birth starts with: a month, a day said in words.
_DATE_WORDS = frozenset(
    [*MONTHS, *UNITS_EN, *TENS_EN, *ORDINALS_EN, *UNITS_ES, *TENS_ES, "primero"]
)


def split_name(text: str) -> tuple[str, str]:
    """First and last name from "my name is John Smith" (the spelling the patient used)."""
    wanted = tokens(text)
    said = [w for w in re.split(r"[\s,.]+", text.strip()) if w]
    # a word is kept when each of its parts is a name word ("Okonkwo-Reyes", "O'Shaughnessy")
    kept = [w for w in said if tokens(w) and all(t in wanted for t in tokens(w))]
    kept = kept or said
    first, last = kept[0], " ".join(kept[1:])
    return _capital(first), " ".join(_capital(p) for p in last.split())


def _capital(word: str) -> str:
    """ "anne-sophie" -> "Anne-Sophie" (the patient's own spelling otherwise)."""
    return "-".join(part[:1].upper() + part[1:] for part in word.split("-"))


def caller_known(uow: UnitOfWork, uid: str) -> bool:
    """Whether the number the caller uses is known (caller ID or the texting number)."""
    with uow:
        conversation = sessions.by_uid(uow.session, uid)
        return bool(conversation and conversation.phone)


def _conversation(session: Session, uid: str) -> Conversation:
    conversation = sessions.by_uid(session, uid)
    if conversation is None:
        raise LookupError("unknown conversation")
    return conversation


def _patient_is_new(session: Session, conversation: Conversation) -> bool:
    patient_id = conversation.verified_patient_id
    return patient_id is None or rules.is_new_patient(session, patient_id)


def _type_name(atype: AppointmentType, language: str) -> str:
    return localized(atype, "name", language) or atype.name


def types_for(uow: UnitOfWork, uid: str, language: str) -> list[dict[str, Any]]:
    """The types this caller may book by phone or text, in the practice's order."""
    with uow:
        conversation = _conversation(uow.session, uid)
        new = _patient_is_new(uow.session, conversation)
        found = uow.session.execute(
            select(AppointmentType)
            .where(AppointmentType.practice_id == conversation.practice_id)
            .order_by(AppointmentType.id)
        ).scalars()
        return [
            {"id": t.id, "code": t.code, "name": _type_name(t, language)}
            for t in found
            if t.bookable_by_phone
            and (t.new_patients_allowed if new else t.code != NEW_PATIENT_TYPE)
        ]


def not_bookable_here(uow: UnitOfWork, uid: str, code: str) -> bool:
    """A type of the practice that is never booked by phone or text (a biopsy): staff book it."""
    with uow:
        conversation = _conversation(uow.session, uid)
        found = uow.session.execute(
            select(AppointmentType.bookable_by_phone).where(
                AppointmentType.practice_id == conversation.practice_id,
                AppointmentType.code == code,
            )
        ).scalar_one_or_none()
        return found is False


def named_type(text: str) -> str | None:
    """The code of the one type these words point at (offered or not), else None."""
    folded = " ".join(words(text))
    hits = [code for code, keys in _TYPE_WORDS.items() if _says(keys, folded)]
    if "sick_visit" in hits and len(hits) > 1 and NEW_PATIENT_TYPE not in hits:
        hits.remove("sick_visit")  # "a follow-up for my cough", "a video visit, I have the flu"
    if "telehealth" in hits and len(hits) == 2 and "follow_up" in hits:
        return "telehealth"  # "a video visit to follow up": the video visit is how
    return hits[0] if len(hits) == 1 else None


def visit_words(text: str) -> list[str]:
    """The words of a folded text that name a visit type or a reason ("physical", "skin
    check", "sinus"): the slot a request can take back ("a physical.. no sorry a sick
    visit")."""
    keys = {k for ks in _TYPE_WORDS.values() for k in ks} | {k for _, ks in _REASONS for k in ks}
    found = [m[0] for k in keys for m in re.finditer(rf"(?<![\w']){re.escape(k)}\w*", text)]
    return sorted(set(found), key=len, reverse=True)


def request_meant(text: str) -> str:
    """A booking request without the visit type, reason or time it took back ("can I book a
    physical.. no sorry a sick visit": a sick visit)."""
    return self_corrected(text, (visit_words,))


def pick_type(text: str, types: list[dict[str, Any]]) -> dict[str, Any] | None:
    """ "the second one", "a physical", "I'm sick" among the types offered."""
    index = choose(text, [date.min] * len(types))
    if index is not None:
        return types[index]
    folded = " ".join(words(text))
    hits = [
        t
        for t in types
        if fold(str(t["name"])).strip() in folded or _says(_TYPE_WORDS.get(t["code"], ()), folded)
    ]
    if len(hits) == 1:
        return hits[0]
    if not hits and reason_category(text) in SICK:  # "I sprained my wrist": a sick visit
        return next((t for t in types if t["code"] == "sick_visit"), None)
    return None


def providers_for(
    uow: UnitOfWork, uid: str, type_id: int, reason: str | None = None
) -> list[dict[str, Any]]:
    """Active providers whose templates take this type (and, given the reason category of a
    new patient's visit, whose specialty sees it: a check-up is not booked in dermatology)."""
    with uow:
        conversation = _conversation(uow.session, uid)
        atype = uow.session.get(AppointmentType, type_id)
        rows = uow.session.execute(
            select(Provider, ProviderSchedule.appointment_types, Location.name)
            .join(ProviderSchedule, ProviderSchedule.provider_id == Provider.id)
            .join(Location, Location.id == ProviderSchedule.location_id)
            .where(Provider.practice_id == conversation.practice_id, Provider.active.is_(True))
            .order_by(Provider.id)
        ).all()
        out: dict[int, dict[str, Any]] = {}
        for provider, codes, place in rows:
            if not fits_reason(provider.specialty, reason):
                continue
            if codes is None or (atype is not None and atype.code in codes):
                found = out.setdefault(provider.id, {
                    "id": provider.id,
                    "name": provider.display_name,
                    "words": tokens(f"{provider.first_name} {provider.last_name}"),
                    "title": provider.title or "",
                    "places": [],
                })  # fmt: skip
                if fold(place).strip() not in found["places"]:
                    found["places"].append(" ".join(fold(place).split()))
        return list(out.values())


# A provider named with a title ("doctor Okafor", "la doctora Chen", "NP Park", "la enfermera
# Park").
_TITLED = re.compile(
    r"\b(?:dr|dra|doctor|doctora|doc|np|pa|nurse practitioner|nurse|enfermer[ao])\s+(\w+)"
)


def _without_places(folded: str, providers: list[dict[str, Any]]) -> str:
    """Folded words without the places the providers work at ("Oak Park" names no Park)."""
    for place in {p for provider in providers for p in provider.get("places", ())}:
        short = re.sub(r"\s+(office|center|centre|clinic|medical|dermatology)\b.*$", "", place)
        for phrase in sorted({place, short}, key=len, reverse=True):
            folded = re.sub(rf"\b{re.escape(phrase)}\b", " ", folded) if phrase else folded
    return folded


def _provider_hits(text: str, providers: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The providers these words name. The places they work are not names ("the Oak Park
    office" names no NP Park), and a name said with a title wins over a bare word."""
    folded = _without_places(" ".join(words(text)), providers)
    titled = set(_TITLED.findall(folded))
    hits = [p for p in providers if titled & set(p["words"])]
    if hits:
        return hits
    said = set(tokens(folded)) | set(folded.split())
    hits = [p for p in providers if said & set(p["words"])]
    if hits:
        return hits
    kinds = [kind for kind, words_ in _TITLE_KINDS if words_.search(folded)]
    return [p for p in providers if _title_kind(str(p.get("title") or "")) in kinds]


# A kind of provider asked for by their title ("the nurse practitioner", "un asistente médico").
_TITLE_KINDS = (
    ("np", re.compile(
        r"\b(nurse practitioner|(the|an|a|la|el|with|con|see|ver a( la| el)?) np"
        r"|enfermer[ao]s? (practicante|especializad[ao]|de practica avanzada))\b")),
    ("pa", re.compile(
        r"\b(physician'?s? assistant|(the|a|la|el|with|con|see|ver al?) pa"
        r"|asistente (medico|del medico|de medico))\b")),
)  # fmt: skip


def _title_kind(title: str) -> str | None:
    """ "NP" -> "np", "PA-C" -> "pa"; a doctor's title: None."""
    folded = " ".join(words(title))
    return next((kind for kind in ("np", "pa") if folded.split()[:1] == [kind]), None)


def named_provider(text: str, providers: list[dict[str, Any]]) -> dict[str, Any] | None:
    """The one provider a request names ("with Dr. Chen"), or None. Two named with a
    correction between them ("with Doctor Okafor, no wait, with Emily Park"): the one said
    last and not turned down."""
    hits = _provider_hits(text, providers)
    folded = _without_places(" ".join(words(text)), providers)
    said = set(tokens(folded)) | set(folded.split())
    named = [p for p in providers if said & set(p["words"][-1:])]
    if len(named) > 1 and takes_back(text):
        last = last_mention(folded, {int(p["id"]): p["words"][-1:] for p in named})
        return next((p for p in named if int(p["id"]) == last), None)
    return hits[0] if len(hits) == 1 else None


def pick_provider(text: str, providers: list[dict[str, Any]]) -> dict[str, Any] | str | None:
    """A provider dict, "any" for no preference, or None when not understood."""
    hits = _provider_hits(text, providers)
    if len(hits) == 1:
        return hits[0]
    index = choose(text, [date.min] * len(providers))
    if index is not None and not hits:
        return providers[index]
    folded = " ".join(words(text))
    if not hits and any(re.search(rf"(^|\s){re.escape(k)}($|\s)", folded) for k in _ANYONE):
        return "any"
    return None


def options_for(
    uow: UnitOfWork,
    uid: str,
    type_id: int,
    provider_id: int | None,
    preference_text: str,
    language: str,
    channel: str,
    *,
    new_patient: bool,
    after: str | None = None,
    reason: str | None = None,
) -> ChangeResult:
    """Up to three bookable times for the type (and provider) the caller asked for. With no
    provider named, only providers whose specialty sees the `reason` category are searched."""
    with uow:
        conversation = _conversation(uow.session, uid)
        now = utcnow()
        wish = read_wish(
            preference_text, now=now, time_zone=_practice_zone(uow.session, conversation),
            language=language,
        )  # fmt: skip
        chosen = None if wish.any_provider else provider_id
        request = SearchRequest(
            practice_id=conversation.practice_id,
            appointment_type_id=type_id,
            provider_id=chosen,
            date_from=wish.date_from,
            preference=wish.preference,
            patient_id=conversation.verified_patient_id,
            new_patient=True if new_patient else None,
            channel=conversation.channel,
            limit=OPTIONS_OFFERED,
            not_before=datetime.fromisoformat(after) + timedelta(minutes=1) if after else None,
        )
        fitting = _fitting_providers(uow.session, conversation.practice_id, reason)
        if fitting is None and conversation.verified_patient_id is not None:
            fitting = _their_kind_of_providers(uow.session, conversation.verified_patient_id)
        try:
            if chosen is None and fitting is not None:  # anyone of the right specialty
                found = []
                for provider_id_ in fitting:
                    found += search(
                        uow.session, replace(request, provider_id=provider_id_), now=now
                    )
                by_time = {o.starts_at: o for o in sorted(found, key=lambda o: -o.provider_id)}
                found = sorted(by_time.values(), key=lambda o: o.starts_at)[:OPTIONS_OFFERED]
            else:
                found = search(uow.session, request, now=now)
        except SchedulingError:
            return ChangeResult(UNAVAILABLE)
        options = offered_times(uow.session, found, language, channel, preference=wish.preference)
        return ChangeResult(DONE, options=options)


def _fitting_providers(session: Session, practice_id: int, reason: str | None) -> list[int] | None:
    """Ids of the active providers whose specialty sees `reason`; None: no restriction."""
    if not _SPECIALTY_WORDS.get(reason or ""):
        return None
    providers = session.execute(
        select(Provider).where(Provider.practice_id == practice_id, Provider.active.is_(True))
    ).scalars()
    fitting = [p.id for p in providers if fits_reason(p.specialty, reason)]
    return fitting or None


def _their_kind_of_providers(session: Session, patient_id: int) -> list[int] | None:
    """Ids of the active providers of the specialties the patient is seen in (a follow-up with
    no reason said is booked where they are followed, never in dermatology by chance); None:
    no visit held or past (no restriction)."""
    specialties = set(
        session.execute(
            select(Provider.specialty)
            .join(Appointment, Appointment.provider_id == Provider.id)
            .where(Appointment.patient_id == patient_id, Appointment.status.in_(KEPT_STATUSES))
        ).scalars()
    )
    if not specialties:
        return None
    found = session.execute(
        select(Provider.id).where(
            Provider.practice_id == Patient.practice_id,
            Patient.id == patient_id,
            Provider.active.is_(True),
            Provider.specialty.in_(specialties),
        )
    ).scalars()
    return list(found) or None


def _practice_zone(session: Session, conversation: Conversation) -> str:
    practice = session.get(Practice, conversation.practice_id)
    return practice.time_zone if practice else "America/New_York"


def find_registered(uow: UnitOfWork, uid: str, name: str, dob: date) -> str | None:
    """A "new" patient who is already in the records is verified as that patient (name and date
    of birth are the two identifiers). Returns their first name, or None.

    A miss against a patient born that day counts as a failed verification, so that the new
    patient path cannot be used to try names and dates without the lock of three failures.
    """
    with uow:
        conversation = _conversation(uow.session, uid)
        if failed_attempts(uow.session, conversation) >= MAX_ATTEMPTS:
            return None
        candidates = uow.session.execute(
            select(Patient.id).where(
                Patient.practice_id == conversation.practice_id, Patient.date_of_birth == dob
            )
        ).first()
        if candidates is None:
            return None  # nobody born that day: certainly new, nothing to audit
        patient = verify(uow.session, conversation, name, dob)
        uow.commit()
        return patient.first_name if patient is not None else None


def book_for(
    uow: UnitOfWork,
    uid: str,
    option: OfferedTime,
    new_patient: NewPatient | None,
    language: str,
    channel: str,
) -> ChangeResult:
    """Book the chosen option for the verified patient, or create the new patient and book."""
    with uow:
        session = uow.session
        conversation = _conversation(session, uid)
        if conversation.verified_patient_id is not None:
            patient = session.get(Patient, conversation.verified_patient_id)
            is_new = None
        elif new_patient is not None:
            patient = _create_patient(session, conversation, new_patient, language)
            is_new = True
        else:
            return ChangeResult(UNAVAILABLE)
        actor = Actor.patient(patient.id, conversation.channel, conversation.id)
        try:
            appointment = operations.book(
                session, option.request(patient.id), actor=actor, new_patient=is_new
            )
        except (SlotTaken, SlotUnavailable) as exc:
            uow.rollback()
            found = exc.alternatives[:OPTIONS_OFFERED]
            return ChangeResult(TAKEN, options=offered_times(session, found, language, channel))
        except SchedulingError:
            return ChangeResult(UNAVAILABLE)
        session.flush()
        reason = new_patient.reason if new_patient else None
        summary = summaries.booked(patient, appointment, reason)
        sessions.set_outcome(conversation, "booked", summary)
        view = describe(appointment, language, channel)
        uow.commit()
        return ChangeResult(DONE, view)


def _create_patient(
    session: Session, conversation: Conversation, new: NewPatient, language: str
) -> Patient:
    first, last = split_name(new.name)
    patient = Patient(
        practice_id=conversation.practice_id,
        first_name=first[:100],
        last_name=last[:100] or "-",
        date_of_birth=new.date_of_birth,
        preferred_language=language,
        sms_consent=False,
    )
    session.add(patient)
    session.flush()
    number = conversation.phone if new.phone == CALLER else new.phone
    session.add(PatientPhone(patient_id=patient.id, number=number, kind="mobile"))
    audit.record_patient(
        session,
        patient.id,
        **Actor.patient(patient.id, conversation.channel, conversation.id).fields(),
        action="create",
        detail={"source": "new patient booking", "reason_category": new.reason},
    )
    return patient


def prep_for(uow: UnitOfWork, type_id: int, language: str) -> str | None:
    """The preparation instructions of an appointment type (no patient data)."""
    with uow:
        atype = uow.session.get(AppointmentType, type_id)
        return prep_text(atype, language) if atype else None
