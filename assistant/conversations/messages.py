"""Taking a message for staff: what the patient said becomes a routed staff task."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from assistant.conversations import sessions
from assistant.db.models import Conversation, Practice, StaffTask
from assistant.messages import translate
from assistant.routing import department_for
from assistant.unit_of_work import UnitOfWork

# A question about care (instructions, a medicine, a non-emergency symptom): the nurse line
# answers it; the patient is told when.
CARE_QUESTION = "care_question"


def take_message(
    session: Session,
    conversation: Conversation,
    *,
    reason: str,
    department: str = "front_desk",
) -> StaffTask:
    """Turn what the patient said into a staff task (dialogue down, opted out, ...).

    One open task per conversation: a later message (a voicemail after "let me take a
    message") updates it rather than giving staff two tasks for one request.
    """
    said = [t.text for t in conversation.turns if t.direction == "in"][-5:]
    summary = f"{conversation.channel.upper()} message ({reason}): " + " | ".join(said)
    task = session.execute(
        select(StaffTask).where(
            StaffTask.conversation_id == conversation.id, StaffTask.status == "open"
        )
    ).scalar_one_or_none()
    if task is None:
        task = StaffTask(
            practice_id=conversation.practice_id,
            kind="message",
            department=department,
            conversation_id=conversation.id,
            callback_number=conversation.phone,
            summary=summary,
        )
        session.add(task)
    else:
        task.summary = summary
    sessions.set_outcome(conversation, "message_taken")
    return task


def take_message_for_uid(
    session: Session, conversation_uid: str, *, reason: str, intent: str | None = None
) -> str:
    """Keep the message for the right department and return what to tell the patient."""
    conversation = sessions.by_uid(session, conversation_uid)
    if conversation is None:
        raise LookupError("unknown conversation")
    practice = session.get(Practice, conversation.practice_id)
    department = department_for(intent, practice.settings if practice else None)
    take_message(session, conversation, reason=reason, department=department)
    language = conversation.language
    if intent == CARE_QUESTION:
        settings = (practice.settings if practice else None) or {}
        when = settings.get(f"nurse_reply_time_{language}") or translate(
            language, "sms.nurse_reply_time"
        )
        return translate(language, "sms.care_question_taken", when=when)
    return translate(language, "sms.message_taken")


def take_message_from_dialogue(uow: UnitOfWork, conversation_uid: str, intent: str | None) -> str:
    """Application service for the dialogue's catch-all: route the request, answer the patient."""
    with uow:
        reply = take_message_for_uid(
            uow.session, conversation_uid, reason=f"request: {intent or 'unclear'}", intent=intent
        )
        uow.commit()
        return reply
