"""Replaying the spool once the database is back: each item becomes what the normal path would
have made of it, as far as that is safe hours later, exactly once.

* An inbound text: its turn in a conversation of its own (with what the texter was answered),
  and a staff task "Text received while our system was down: <the words>", the patient matched
  by phone when one patient of the practice has that number. It is not sent to the dialogue:
  the texter was told a staff member would follow up. A STOP or START it was taken for changes
  the number's consent, as the normal path does (and makes no task).
* A voicemail (also one left after a transfer nobody took): the "[voicemail]" turn with the
  recording's URL in the call's conversation, and that conversation's staff task (its open
  one, whose summary is kept after the recording's line, or a new one), as the normal path
  does.
* A status callback: applied through the same forward-only service as the webhook.

Exactly once: each item claims an idempotency key in the same transaction as its effects
(`webhook_events`; the text's and the voicemail's keys are the ones the normal path claims, so
a Twilio retry served after the database came back and the replay never both act). A crash
between the commit and the file's removal only leaves a file whose next replay finds its key
taken and removes it. An item that fails is kept for the next pass; the log names its kind,
file and error type, never its content. While the database is still unavailable a pass stops
at the first item and keeps everything.
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Callable
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from assistant import audit, idempotency
from assistant.conversations import sessions
from assistant.conversations.messages import take_message
from assistant.db.faults import database_unavailable
from assistant.db.models import (
    Conversation,
    Patient,
    PatientPhone,
    SmsOptOut,
    StaffTask,
    WebhookEvent,
)
from assistant.messaging import inbound, keywords, status_callbacks
from assistant.practices import practice_for_number
from assistant.routing import department_for
from assistant.spool.store import SMS, STATUS, VOICEMAIL, Spool, SpoolItem, recording_id
from assistant.unit_of_work import UnitOfWork

log = logging.getLogger(__name__)

ACTOR = "system:spool"
SMS_SUMMARY = "Text received while our system was down: {words}"
VOICEMAIL_SUMMARY = "Voicemail left while our system was down ({seconds} s): {url}"

# Outcomes (the counts a pass returns, beside "failed", "unreadable" and "kept")
REPLAYED = "replayed"  # turned into a turn/task, a consent change or a status change
DUPLICATE = "duplicate"  # already done (by an earlier pass, or by a Twilio retry)


def sms_event_key(message_sid: str) -> str:
    """The normal SMS path's key (`sms:<MessageSid>`): the first to claim it acts."""
    return idempotency.key("sms", message_sid)


def voicemail_event_key(call_sid: str, recording: str) -> str:
    """The normal voicemail path's key (`voicemail:<CallSid>:<RecordingSid>`)."""
    return idempotency.key("voicemail", call_sid, recording)


def replay(unit_of_work: Callable[[], UnitOfWork], spool: Spool) -> dict[str, int]:
    """One pass over the spool, oldest first, one transaction per item (a unit of work from
    `unit_of_work`). Returns counts (empty when nothing waits)."""
    if spool.is_empty():
        return {}
    spool.remove_stale_temporaries()
    counts: Counter[str] = Counter()
    items: list[SpoolItem] = []
    for path in spool.paths():
        try:
            items.append(spool.load(path))
        except (OSError, ValueError) as error:
            counts["unreadable"] += 1
            log.error("spool: item %s unreadable (%s), kept", path.name, type(error).__name__)
    items.sort(key=lambda item: (item.received_at, str(item.path)))
    for index, item in enumerate(items):
        name = item.path.name if item.path else item.kind
        try:
            with unit_of_work() as uow:
                outcome = HANDLERS[item.kind](uow.session, item)
                uow.commit()
        except Exception as error:  # noqa: BLE001 - an item that fails is kept, not lost
            if database_unavailable(error):
                counts["kept"] += len(items) - index
                log.warning(
                    "spool: database unavailable (%s); %d item(s) kept for the next pass",
                    type(error).__name__,
                    len(items) - index,
                )
                break
            counts["failed"] += 1
            log.error("spool: replay of %s failed (%s), kept", name, type(error).__name__)
            continue
        spool.remove(item)  # after the commit: a crash in between only leaves a duplicate
        counts[outcome] += 1
    if counts:
        log.info("spool: %s", dict(counts))  # counts only
    return dict(counts)


# --- inbound texts ------------------------------------------------------------------------------


def _claim_item(session: Session, kind: str, *parts: str) -> bool:
    """Claim this item's replay (`spool:<kind>:...`); False: it was replayed before.

    A plain INSERT, deliberately the first statement of the item's transaction: it opens the
    transaction on SQLite too (pysqlite starts one only before a write, and a SAVEPOINT issued
    outside one, as `idempotency.claim` does, is committed on its RELEASE: a failed replay
    would leave its claim behind and the item would be dropped as done). A concurrent replay
    of the same item fails on the primary key and keeps the file; its next pass finds the key."""
    key = idempotency.key("spool", kind, *parts)
    if session.get(WebhookEvent, key) is not None:
        return False
    session.add(WebhookEvent(key=key))
    session.flush()
    return True


def _patient_by_phone(session: Session, practice_id: int, phone: str | None) -> int | None:
    """The patient with this number, when exactly one of the practice's patients has it (a
    family phone names no one: staff see the number and ask)."""
    if not phone:
        return None
    ids = (
        session.execute(
            select(Patient.id)
            .join(PatientPhone, PatientPhone.patient_id == Patient.id)
            .where(Patient.practice_id == practice_id, PatientPhone.number == phone)
            .distinct()
            .limit(2)
        )
        .scalars()
        .all()
    )
    return ids[0] if len(ids) == 1 else None


def _audit_task(session: Session, task: StaffTask, channel: str, kind: str) -> None:
    session.flush()
    audit.record_task(
        session,
        task,
        actor=ACTOR,
        channel=channel,
        action="create",
        detail={"source": "spool", "kind": kind},
    )


def _replay_sms(session: Session, item: SpoolItem) -> str:
    data, context = item.data, item.context
    sid = data.get("MessageSid") or data.get("SmsSid") or item.key
    if not _claim_item(session, SMS, sid):
        return DUPLICATE  # replayed before; the file outlived the commit
    key = sms_event_key(sid)
    earlier = idempotency.claim(session, key)
    if earlier is not None and earlier.response is not None:
        return DUPLICATE  # Twilio's retry was answered by the normal path after the outage
    response = str(context.get("response") or "")
    phone = inbound.sender_phone(data.get("From", ""))
    received = item.received_at
    if earlier is None and _replay_consent(session, item, phone):
        idempotency.remember_response(session, key, response)
        return REPLAYED
    practice = practice_for_number(session, data.get("To"))
    conversation = None
    if earlier is not None and context.get("conversation_uid"):
        # the normal path stored the turn before the database went away: the task joins it
        conversation = sessions.by_uid(session, str(context["conversation_uid"]))
    own = conversation is None
    if own:
        conversation = _own_sms_conversation(session, item, practice.id, phone)
    if context.get("reply"):
        reply = str(context["reply"])
        sessions.add_turn(session, conversation, "out", reply, {"spooled": True}, now=received)
    department = department_for(None, practice.settings)
    task = take_message(session, conversation, reason="system down", department=department)
    task.summary = SMS_SUMMARY.format(words=data.get("Body", ""))
    task.patient_id = (
        task.patient_id
        or conversation.verified_patient_id
        or _patient_by_phone(session, practice.id, phone)
    )
    if own:
        # its own conversation, closed: a live conversation with the dialogue is not mixed up
        # with a text the dialogue never saw, and a later text starts afresh
        sessions.close(conversation, outcome="message_taken", now=received)
    idempotency.remember_response(session, key, response)
    _audit_task(session, task, "sms", SMS)
    return REPLAYED


def _replay_consent(session: Session, item: SpoolItem, phone: str) -> bool:
    """A STOP or START the text was taken for changes the number's consent (no task)."""
    word, body, received = item.context.get("keyword"), item.data.get("Body", ""), item.received_at
    if word == keywords.STOP:
        inbound.opt_out(session, phone, body, received)
        return True
    if word == keywords.START:
        opted_out = session.get(SmsOptOut, phone)
        # a STOP recorded after this START was sent stands
        if opted_out is None or opted_out.opted_out_at <= received:
            inbound.opt_in(session, phone)
        return True
    return False


def _own_sms_conversation(
    session: Session, item: SpoolItem, practice_id: int, phone: str
) -> Conversation:
    """A conversation of the text's own, holding the patient's words."""
    data, body = item.data, item.data.get("Body", "")
    language = str(item.context.get("language") or inbound.language_of(session, phone, body))
    conversation = sessions.new_sms_conversation(
        session, practice_id=practice_id, phone=phone, language=language, now=item.received_at
    )
    try:
        media = int(data.get("NumMedia") or 0)
    except ValueError:
        media = 0
    meta = {"spooled": True, **({"media": media} if media else {})}
    sessions.add_turn(session, conversation, "in", body, meta, now=item.received_at)
    return conversation


# --- voicemails ---------------------------------------------------------------------------------


def _replay_voicemail(session: Session, item: SpoolItem) -> str:
    data = item.data
    call_sid = data.get("CallSid", "")
    url = data.get("RecordingUrl", "")
    recording = recording_id(data)
    if not _claim_item(session, VOICEMAIL, call_sid, recording):
        return DUPLICATE  # replayed before
    # the normal path's key: taken when Twilio's retry was served after the outage (then the
    # turn below exists); taken without the turn, it is a claim whose request failed: go on
    idempotency.claim(session, voicemail_event_key(call_sid, recording))
    practice = practice_for_number(session, data.get("To"))
    conversation = sessions.voice_conversation(
        session,
        practice_id=practice.id,
        call_sid=call_sid,
        phone=data.get("From"),
        language=str(item.context.get("language") or "en"),
        now=item.received_at,
    )
    if any((t.meta or {}).get("recording_url") == url for t in conversation.turns):
        return DUPLICATE  # kept by the normal path (Twilio's retry after the outage)
    seconds = data.get("RecordingDuration")
    meta = {"recording_url": url, "seconds": seconds, "spooled": True}
    sessions.add_turn(session, conversation, "in", "[voicemail]", meta, now=item.received_at)
    session.flush()
    open_task = session.execute(
        select(StaffTask).where(
            StaffTask.conversation_id == conversation.id, StaffTask.status == "open"
        )
    ).scalar_one_or_none()
    earlier = open_task.summary if open_task is not None else None
    department = department_for(None, practice.settings)
    # the call's open task (the dialogue was down, a transfer nobody took ...) or a new one
    task = take_message(session, conversation, reason="voicemail", department=department)
    summary = VOICEMAIL_SUMMARY.format(seconds=seconds or "?", url=url)
    if earlier:
        task.summary = f"{summary} | {earlier}"
    else:
        heard = [t.text for t in conversation.turns if t.direction == "in"]
        said = [words for words in heard if words != "[voicemail]"][-5:]
        task.summary = summary + (f" Caller said: {' | '.join(said)}" if said else "")
    task.patient_id = (
        task.patient_id
        or conversation.verified_patient_id
        or _patient_by_phone(session, practice.id, conversation.phone)
    )
    _audit_task(session, task, "voice", VOICEMAIL)
    return REPLAYED


# --- status callbacks ---------------------------------------------------------------------------


def _replay_status(session: Session, item: SpoolItem) -> str:
    data = item.data
    sid = data.get("MessageSid") or data.get("CallSid") or ""
    status = data.get("CallStatus") or data.get("MessageStatus") or ""
    if not _claim_item(session, STATUS, sid, status):
        return DUPLICATE
    applied = status_callbacks.apply(
        session,
        message_sid=data.get("MessageSid") or None,
        call_sid=data.get("CallSid") or None,
        status=status,
        error_code=data.get("ErrorCode") or None,
        answered_by=data.get("AnsweredBy") or None,
    )
    return REPLAYED if applied else DUPLICATE


HANDLERS: dict[str, Callable[[Session, SpoolItem], str]] = {
    SMS: _replay_sms,
    VOICEMAIL: _replay_voicemail,
    STATUS: _replay_status,
}


def replay_pending(unit_of_work: Callable[[], UnitOfWork], spool_dir: Path | str) -> dict[str, int]:
    """The worker's tick: a pass when anything waits (an empty spool costs one `scandir`)."""
    return replay(unit_of_work, Spool(spool_dir))


__all__ = [
    "DUPLICATE",
    "REPLAYED",
    "replay",
    "replay_pending",
    "sms_event_key",
    "voicemail_event_key",
]
