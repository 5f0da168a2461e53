"""Replaying the spool into the database, on SQLite and PostgreSQL: what each kind of item
becomes, exactly once, and what happens to items that cannot be replayed."""

from __future__ import annotations

import logging
import shutil
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from sqlalchemy import select

from assistant import idempotency
from assistant.db.models import (
    AuditEvent,
    Conversation,
    ConversationTurn,
    OutboundMessage,
    SmsOptOut,
    StaffTask,
    WebhookEvent,
)
from assistant.spool import Spool, keep_sms, keep_status, keep_voicemail
from assistant.spool.replay import DUPLICATE, REPLAYED, replay, sms_event_key
from assistant.unit_of_work import UnitOfWork
from tests import factories
from tests.factories.webhooks import closed_port_url

PATIENT = "+15555550123"
PRACTICE = "+15555550100"
WORDS = "Can someone call me about my knee? The pain is worse"
REPLY = "Thanks, we got your message. A staff member will follow up soon."
ANSWER = f"<?xml version='1.0' encoding='UTF-8'?><Response><Message>{REPLY}</Message></Response>"


def _sms(sid: int = 1, body: str = WORDS, sender: str = PATIENT) -> dict[str, str]:
    return {"MessageSid": f"SM{sid:032d}", "From": sender, "To": PRACTICE, "Body": body}


def _keep_sms(spool: Spool, form: dict[str, str], **context) -> None:
    context = {"reply": REPLY, "response": ANSWER, "language": "en", **context}
    assert keep_sms(spool, form, **context)


@pytest.fixture
def clinic(db_url: str) -> dict[str, int]:
    with UnitOfWork(db_url) as uow:
        practice = factories.practice(uow.session)
        maria = factories.patient(uow.session, practice)
        uow.commit()
        return {"practice": practice.id, "maria": maria.id}


@pytest.fixture
def spool(tmp_path: Path) -> Spool:
    return Spool(tmp_path / "spool")


def _all(url: str, model) -> list:
    with UnitOfWork(url) as uow:
        order = model.__mapper__.primary_key[0]
        rows = list(uow.session.execute(select(model).order_by(order)).scalars())
        uow.session.expunge_all()
    return rows


def test_a_text_becomes_a_turn_and_a_staff_task_once(db_url, clinic, spool, caplog) -> None:
    caplog.set_level(logging.DEBUG)
    _keep_sms(spool, _sms())
    assert replay(UnitOfWork.factory(db_url), spool) == {REPLAYED: 1}
    assert spool.is_empty()
    [task] = _all(db_url, StaffTask)
    assert task.summary == f"Text received while our system was down: {WORDS}"
    assert task.kind == "message" and task.department == "front_desk" and task.status == "open"
    assert task.callback_number == PATIENT and task.patient_id == clinic["maria"]
    [conversation] = _all(db_url, Conversation)
    assert conversation.id == task.conversation_id and conversation.channel == "sms"
    assert conversation.status == "closed" and conversation.outcome == "message_taken"
    turns = [(t.direction, t.text) for t in _all(db_url, ConversationTurn)]
    assert turns == [("in", WORDS), ("out", REPLY)]
    [audit] = [a for a in _all(db_url, AuditEvent) if a.entity == "staff_task"]
    assert (audit.actor, audit.action, audit.entity_id) == ("system:spool", "create", task.id)
    assert audit.patient_id == clinic["maria"]
    with UnitOfWork(db_url) as uow:  # a Twilio retry now gets the answer the texter got
        assert uow.session.get(WebhookEvent, sms_event_key(_sms()["MessageSid"])).response == ANSWER
    # the same text spooled again (a retry after the file was gone) is not a second task
    _keep_sms(spool, _sms())
    assert replay(UnitOfWork.factory(db_url), spool) == {DUPLICATE: 1}
    assert len(_all(db_url, StaffTask)) == 1 and spool.is_empty()
    assert "knee" not in caplog.text and PATIENT not in caplog.text


def test_a_crash_between_the_commit_and_the_removal_makes_no_second_task(
    db_url, clinic, spool, monkeypatch
) -> None:
    _keep_sms(spool, _sms())
    status = {"MessageSid": "SM" + "9" * 32, "MessageStatus": "delivered"}
    keep_status(spool, status)
    voicemail = {
        "CallSid": "CA1",
        "From": PATIENT,
        "To": PRACTICE,
        "RecordingUrl": "https://api.twilio.com/rec/RE1",
        "RecordingSid": "RE1",
    }
    keep_voicemail(spool, voicemail, language="en")
    saved = {p.name: p.read_bytes() for p in spool.paths()}
    assert replay(UnitOfWork.factory(db_url), spool) == {REPLAYED: 3}
    for name, content in saved.items():  # as if the process died before the unlinks
        (spool.directory / name).write_bytes(content)
    assert replay(UnitOfWork.factory(db_url), spool) == {DUPLICATE: 3}
    assert len(_all(db_url, StaffTask)) == 2 and spool.is_empty()
    assert len([t for t in _all(db_url, ConversationTurn) if t.text == "[voicemail]"]) == 1


def test_a_spanish_text_from_a_shared_phone_names_no_patient(db_url, clinic, spool) -> None:
    with UnitOfWork(db_url) as uow:
        practice = uow.session.get(factories.Practice, clinic["practice"])
        factories.patient(uow.session, practice, first="Ana", phone=PATIENT)  # same phone
        uow.commit()
    _keep_sms(spool, _sms(body="hola, quiero cambiar mi cita"), language="es")
    replay(UnitOfWork.factory(db_url), spool)
    [task] = _all(db_url, StaffTask)
    assert task.patient_id is None and task.callback_number == PATIENT
    assert _all(db_url, Conversation)[0].language == "es"


def test_an_unknown_number_is_a_task_with_its_number(db_url, clinic, spool) -> None:
    _keep_sms(spool, _sms(sender="+15555550199"))
    replay(UnitOfWork.factory(db_url), spool)
    [task] = _all(db_url, StaffTask)
    assert task.patient_id is None and task.callback_number == "+15555550199"


def test_stop_and_start_change_consent_and_make_no_task(db_url, clinic, spool) -> None:
    _keep_sms(spool, _sms(1, "STOP"), keyword="stop", reply=None)
    assert replay(UnitOfWork.factory(db_url), spool) == {REPLAYED: 1}
    [opt_out] = _all(db_url, SmsOptOut)
    assert opt_out.number == PATIENT
    assert _all(db_url, StaffTask) == [] and _all(db_url, ConversationTurn) == []
    consent = [a for a in _all(db_url, AuditEvent) if a.entity == "sms_consent"]
    assert [a.detail["change"] for a in consent] == ["opt_out"]
    # a START sent before a STOP that is on record does not undo it ...
    earlier = datetime.now(timezone.utc) - timedelta(hours=1)
    with UnitOfWork(db_url) as uow:
        uow.session.get(SmsOptOut, PATIENT).opted_out_at = datetime.now(timezone.utc)
        uow.commit()
    spool.put(
        "sms",
        f"SM{2:032d}",
        _sms(2, "START"),
        context={"keyword": "start", "response": "<Response/>"},
        received_at=earlier,
    )
    replay(UnitOfWork.factory(db_url), spool)
    assert len(_all(db_url, SmsOptOut)) == 1
    # ... a later one does
    _keep_sms(spool, _sms(3, "START"), keyword="start", reply=None)
    replay(UnitOfWork.factory(db_url), spool)
    assert _all(db_url, SmsOptOut) == [] and _all(db_url, StaffTask) == []


def test_a_text_the_normal_path_answered_after_the_outage_is_not_replayed(
    db_url, clinic, spool
) -> None:
    """Twilio retried the text once the database was back, before the replay."""
    with UnitOfWork(db_url) as uow:
        idempotency.claim(uow.session, sms_event_key(_sms()["MessageSid"]))
        idempotency.remember_response(uow.session, sms_event_key(_sms()["MessageSid"]), "<R/>")
        uow.commit()
    _keep_sms(spool, _sms())
    assert replay(UnitOfWork.factory(db_url), spool) == {DUPLICATE: 1}
    assert _all(db_url, StaffTask) == [] and spool.is_empty()


def test_a_text_whose_turn_was_stored_before_the_outage_joins_its_conversation(
    db_url, clinic, spool
) -> None:
    """The database went away between storing the turn and answering: the task goes on that
    conversation, and the words are not stored twice."""
    from assistant.messaging import inbound

    with UnitOfWork(db_url) as uow:
        idempotency.claim(uow.session, sms_event_key(_sms()["MessageSid"]))
        outcome = inbound.receive(
            uow.session,
            from_number=PATIENT,
            to_number=PRACTICE,
            body=WORDS,
            num_media=0,
            session_minutes=30,
        )
        uow.commit()
    _keep_sms(spool, _sms(), conversation_uid=outcome.conversation_uid)
    assert replay(UnitOfWork.factory(db_url), spool) == {REPLAYED: 1}
    [conversation] = _all(db_url, Conversation)
    [task] = _all(db_url, StaffTask)
    assert task.conversation_id == conversation.id and WORDS in task.summary
    assert [t.text for t in _all(db_url, ConversationTurn) if t.direction == "in"] == [WORDS]


def test_a_voicemail_joins_the_calls_task_with_its_recording(db_url, clinic, spool) -> None:
    from assistant.conversations import sessions
    from assistant.conversations.messages import take_message

    with UnitOfWork(db_url) as uow:  # the call: words heard, the dialogue down, a task made
        conversation = sessions.voice_conversation(
            uow.session, practice_id=clinic["practice"], call_sid="CA7", phone=PATIENT
        )
        sessions.add_turn(uow.session, conversation, "in", "I need a refill")
        take_message(uow.session, conversation, reason="assistant unavailable on a call")
        uow.commit()
    form = {
        "CallSid": "CA7",
        "From": PATIENT,
        "To": PRACTICE,
        "RecordingSid": "RE7",
        "RecordingUrl": "https://api.twilio.com/rec/RE7",
        "RecordingDuration": "14",
    }
    keep_voicemail(spool, form, language="en")
    assert replay(UnitOfWork.factory(db_url), spool) == {REPLAYED: 1}
    [task] = _all(db_url, StaffTask)
    assert task.summary == (
        "Voicemail left while our system was down (14 s): https://api.twilio.com/rec/RE7"
        " | VOICE message (assistant unavailable on a call): I need a refill"
    )
    assert task.patient_id == clinic["maria"] and task.callback_number == PATIENT
    [voicemail] = [t for t in _all(db_url, ConversationTurn) if t.text == "[voicemail]"]
    assert voicemail.meta["recording_url"] == form["RecordingUrl"]
    assert voicemail.meta["seconds"] == "14"


def test_a_voicemail_of_a_call_never_stored_is_a_task_of_its_own(db_url, clinic, spool) -> None:
    form = {
        "CallSid": "CA8",
        "From": "+15555550177",
        "To": PRACTICE,
        "RecordingUrl": "https://api.twilio.com/rec/RE8",
    }
    keep_voicemail(spool, form, language="es")
    replay(UnitOfWork.factory(db_url), spool)
    [task] = _all(db_url, StaffTask)
    assert task.summary.startswith("Voicemail left while our system was down (? s)")
    assert task.callback_number == "+15555550177" and task.patient_id is None
    [conversation] = _all(db_url, Conversation)
    assert conversation.call_sid == "CA8" and conversation.language == "es"


def test_status_callbacks_only_move_forward(db_url, clinic, spool) -> None:
    sid = "SM" + "5" * 32
    with UnitOfWork(db_url) as uow:
        uow.session.add(
            OutboundMessage(
                practice_id=clinic["practice"],
                to_number=PATIENT,
                body="Reminder",
                purpose="reminder",
                status="sent",
                twilio_sid=sid,
            )
        )
        uow.commit()
    later = datetime.now(timezone.utc)
    spool.put(
        "status",
        f"{sid}-delivered",
        {"MessageSid": sid, "MessageStatus": "delivered"},
        received_at=later,
    )
    spool.put(
        "status",
        f"{sid}-sent",
        {"MessageSid": sid, "MessageStatus": "sending"},
        received_at=later - timedelta(seconds=5),
    )
    assert replay(UnitOfWork.factory(db_url), spool) == {REPLAYED: 2}
    [message] = _all(db_url, OutboundMessage)
    assert message.status == "delivered"
    keep_status(spool, {"MessageSid": sid, "MessageStatus": "delivered"})
    assert replay(UnitOfWork.factory(db_url), spool) == {DUPLICATE: 1}


def test_nothing_is_lost_while_the_database_is_still_down(spool) -> None:
    url = closed_port_url().replace("http://", "postgresql://postgres@") + "/assistant"
    _keep_sms(spool, _sms(1))
    _keep_sms(spool, _sms(2))
    assert replay(UnitOfWork.factory(url), spool) == {"kept": 2}
    assert len(spool.paths()) == 2


def test_an_item_that_fails_is_kept_and_logged_without_its_content(db_url, spool, caplog) -> None:
    """No practice in the database yet: the replay fails, the item waits for the next pass."""
    caplog.set_level(logging.DEBUG)
    _keep_sms(spool, _sms())
    (spool.directory / "sms-unreadable.json").write_text("{")
    assert replay(UnitOfWork.factory(db_url), spool) == {"failed": 1, "unreadable": 1}
    assert len(spool.paths()) == 2
    assert "knee" not in caplog.text and PATIENT not in caplog.text
    assert "NoPractice" in caplog.text
    with UnitOfWork(db_url) as uow:
        factories.patient(uow.session, factories.practice(uow.session))
        uow.commit()
    assert replay(UnitOfWork.factory(db_url), spool) == {REPLAYED: 1, "unreadable": 1}
    assert len(_all(db_url, StaffTask)) == 1


def test_an_empty_spool_costs_no_database_connection(tmp_path) -> None:
    url = closed_port_url().replace("http://", "postgresql://postgres@") + "/assistant"
    assert replay(UnitOfWork.factory(url), Spool(tmp_path / "missing")) == {}
    (tmp_path / "empty").mkdir()
    assert replay(UnitOfWork.factory(url), Spool(tmp_path / "empty")) == {}
    shutil.rmtree(tmp_path / "empty")


def test_a_voicemail_the_normal_path_kept_after_the_outage_is_not_kept_twice(
    db_url, clinic, spool
) -> None:
    """Twilio retried the recording callback once the database was back: one turn, one task.
    A claim of the normal path without its turn (its request failed) does not hide the
    recording."""
    from assistant.conversations import sessions
    from assistant.spool.replay import voicemail_event_key

    url = "https://api.twilio.com/rec/RE9"
    with UnitOfWork(db_url) as uow:
        conversation = sessions.voice_conversation(
            uow.session, practice_id=clinic["practice"], call_sid="CA9", phone=PATIENT
        )
        idempotency.claim(uow.session, voicemail_event_key("CA9", "RE9"))
        sessions.add_turn(uow.session, conversation, "in", "[voicemail]", {"recording_url": url})
        idempotency.claim(uow.session, voicemail_event_key("CA10", "RE10"))  # orphaned
        uow.commit()
    for call in ("CA9", "CA10"):
        form = {
            "CallSid": call,
            "From": PATIENT,
            "To": PRACTICE,
            "RecordingSid": f"RE{call[2:]}",
            "RecordingUrl": url if call == "CA9" else "https://api.twilio.com/rec/RE10",
        }
        keep_voicemail(spool, form, language="en")
    assert replay(UnitOfWork.factory(db_url), spool) == {DUPLICATE: 1, REPLAYED: 1}
    [task] = _all(db_url, StaffTask)
    assert "RE10" in task.summary
    assert len([t for t in _all(db_url, ConversationTurn) if t.text == "[voicemail]"]) == 2
