"""An inbound SMS, before and after the dialogue: keywords, opt-outs, the conversation record,
and taking a message for staff when the dialogue cannot answer."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from assistant import audit
from assistant.conversations import sessions
from assistant.conversations.messages import take_message
from assistant.db.models import Patient, PatientPhone, SmsOptOut
from assistant.db.types import utcnow
from assistant.messages import translate
from assistant.messaging import keywords
from assistant.messaging.language import detect_language
from assistant.phones import InvalidPhoneNumber, to_e164
from assistant.practices import practice_for_number
from assistant.reminders import offers
from assistant.reminders.replies import reminder_menu_intent


@dataclass(frozen=True)
class InboundOutcome:
    """What to do with an inbound text: answer directly (`reply`), or ask the dialogue."""

    conversation_uid: str | None
    language: str
    reply: str | None = None
    to_dialogue: bool = False
    # What the dialogue receives: the patient's words, or an explicit intent ("/intent") when
    # the words are a numbered answer to the reminder menu ("1" confirm, "2" reschedule, ...).
    dialogue_text: str | None = None


def receive(
    session: Session,
    *,
    from_number: str,
    to_number: str | None,
    body: str,
    num_media: int,
    session_minutes: int,
    now: datetime | None = None,
) -> InboundOutcome:
    now = now or utcnow()
    practice = practice_for_number(session, to_number)
    phone = sender_phone(from_number)
    language = language_of(session, phone, body)
    opted_out = session.get(SmsOptOut, phone) is not None
    word = keywords.keyword(body, opted_out=opted_out)

    if word == keywords.STOP:
        opt_out(session, phone, body, now)
        return InboundOutcome(
            None, language, translate(language, "sms.opted_out", practice=practice.name)
        )
    if word == keywords.START:
        opt_in(session, phone)
        return InboundOutcome(
            None, language, translate(language, "sms.opted_in", practice=practice.name)
        )
    if word == keywords.HELP:
        return InboundOutcome(
            None,
            language,
            translate(language, "sms.help", practice=practice.name, phone=practice.phone),
        )

    conversation = sessions.sms_conversation(
        session,
        practice_id=practice.id,
        phone=phone,
        session_minutes=session_minutes,
        language=language,
        now=now,
    )
    language = conversation.language  # a session keeps the language it started in
    sessions.add_turn(
        session, conversation, "in", body, {"media": num_media} if num_media else None
    )
    if opted_out:
        # We may not text back; a person calls instead. Nothing the patient said is lost.
        take_message(session, conversation, reason="texted after opting out")
        return InboundOutcome(conversation.uid, language, None)
    if num_media and not body.strip():
        return InboundOutcome(conversation.uid, language, translate(language, "sms.text_only"))
    offer_answer = offers.offer_reply(session, phone, body, now)
    if offer_answer is not None:  # "1" to a waitlist offer: booked, or why not
        return InboundOutcome(conversation.uid, language, offer_answer)
    first_message = len([t for t in conversation.turns if t.direction == "in"]) == 1
    menu = reminder_menu_intent(session, phone, body, now) if first_message else None
    return InboundOutcome(
        conversation.uid, language, None, to_dialogue=True, dialogue_text=menu or body
    )


def sender_phone(from_number: str) -> str:
    """The texter's number as stored: E.164, or as given (short codes, alphanumeric senders)."""
    try:
        return to_e164(from_number)
    except InvalidPhoneNumber:
        return from_number[:20]


def language_of(session: Session, phone: str, body: str) -> str:
    """The words of this text first ("hola, quiero cambiar mi cita" from an unknown number is
    answered in Spanish), then the patients' stated preference."""
    return detect_language(body) or _language_for(session, phone)


def opt_out(session: Session, phone: str, body: str, now: datetime) -> None:
    """STOP: this number is not texted again (recorded once, audited each time)."""
    if session.get(SmsOptOut, phone) is None:
        session.add(SmsOptOut(number=phone, keyword=body.strip()[:20], opted_out_at=now))
    _audit_consent(session, phone, "opt_out")


def opt_in(session: Session, phone: str) -> None:
    """START: texts to this number again."""
    opted_out = session.get(SmsOptOut, phone)
    if opted_out is not None:
        session.delete(opted_out)
    _audit_consent(session, phone, "opt_in")


def record_reply(
    session: Session, conversation_uid: str, reply: str, meta: dict | None = None
) -> None:
    conversation = sessions.by_uid(session, conversation_uid)
    if conversation is not None:
        sessions.add_turn(session, conversation, "out", reply, meta)


def _language_for(session: Session, phone: str) -> str:
    """Spanish when every patient on this number prefers Spanish; English otherwise."""
    languages = set(
        session.execute(
            select(Patient.preferred_language)
            .join(PatientPhone, PatientPhone.patient_id == Patient.id)
            .where(PatientPhone.number == phone)
        ).scalars()
    )
    return "es" if languages == {"es"} else "en"


def _audit_consent(session: Session, phone: str, what: str) -> None:
    patient_ids = session.execute(
        select(PatientPhone.patient_id).where(PatientPhone.number == phone)
    ).scalars()
    for patient_id in patient_ids:
        audit.record(
            session,
            actor="patient",
            channel="sms",
            action="update",
            entity="sms_consent",
            patient_id=patient_id,
            detail={"change": what},
        )
