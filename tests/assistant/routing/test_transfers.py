"""The warm-transfer service on both databases, with a scripted dialer (the edge and Twilio's
API through Prism: tests/webhooks/test_transfer.py)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timezone

from sqlalchemy import select

from assistant.config import load_settings
from assistant.conversations import sessions
from assistant.db.models import (
    CallTransfer,
    Conversation,
    StaffTask,
    StaffTaskNote,
    TransferAttempt,
)
from assistant.demo.staff import seed_staff
from assistant.routing import transfers
from assistant.routing.dialer import NO_ACCOUNT, DialResult, TwilioDialer
from assistant.unit_of_work import UnitOfWork
from tests import factories

CALL_SID = "CA" + "5" * 32
OPEN = datetime(2026, 11, 18, 15, 0, tzinfo=timezone.utc)  # Wednesday 10:00 in New York
CLOSED = datetime(2026, 11, 21, 15, 0, tzinfo=timezone.utc)  # Saturday


@dataclass
class FakeDialer:
    """Answers each placement with a fresh CA sid, unless told to refuse some numbers."""

    refuse: set[str] = field(default_factory=set)
    placed: list[tuple[int, str, int]] = field(default_factory=list)
    voicemail: list[tuple[str, int]] = field(default_factory=list)
    canceled: list[str] = field(default_factory=list)

    def place(self, attempt_id: int, to: str, ring_seconds: int) -> DialResult:
        self.placed.append((attempt_id, to, ring_seconds))
        if to in self.refuse:
            return DialResult(error="21211")
        return DialResult(sid=f"CA{len(self.placed):032x}")

    def send_to_voicemail(self, caller_sid: str, transfer_id: int) -> bool:
        self.voicemail.append((caller_sid, transfer_id))
        return True

    def cancel(self, call_sid: str) -> bool:
        self.canceled.append(call_sid)
        return True


def _call(url: str, *, verified: bool = True) -> None:
    """A practice with the demo departments and staff, and a call from Maria Lopez."""
    with UnitOfWork(url) as uow:
        practice = factories.practice(uow.session)
        patient = factories.patient(uow.session, practice)
        seed_staff(uow.session, practice.id, now=OPEN)
        conversation = sessions.voice_conversation(
            uow.session, practice_id=practice.id, call_sid=CALL_SID, phone="+15555550123"
        )
        conversation.verified_patient_id = patient.id if verified else None
        sessions.add_turn(uow.session, conversation, "in", "I was charged twice in October")
        sessions.add_turn(uow.session, conversation, "in", "/request_human", {"keypad": "0"})
        uow.commit()


def _start(url: str, reason: str, dialer, now: datetime = OPEN) -> transfers.Step:
    with UnitOfWork(url) as uow:
        conversation = uow.session.execute(
            select(Conversation).where(Conversation.call_sid == CALL_SID)
        ).scalar_one()
        step = transfers.start(
            uow.session, conversation, reason=reason, dialer=dialer, commit=uow.commit, now=now
        )
        uow.commit()
    return step


def _end(url: str, attempt_id: int, status: str, dialer) -> transfers.Step | None:
    with UnitOfWork(url) as uow:
        step = transfers.attempt_ended(
            uow.session, attempt_id, status, dialer=dialer, commit=uow.commit
        )
        uow.commit()
    return step


def _state(url: str) -> tuple[CallTransfer, list[TransferAttempt], list[StaffTask]]:
    with UnitOfWork(url) as uow:
        transfer = uow.session.execute(
            select(CallTransfer).where(CallTransfer.call_sid == CALL_SID)
        ).scalar_one()
        attempts = list(transfer.attempts)
        tasks = list(
            uow.session.execute(
                select(StaffTask).where(StaffTask.conversation_id == transfer.conversation_id)
            ).scalars()
        )
        uow.session.expunge_all()
    return transfer, attempts, tasks


def test_open_department_rings_the_first_of_its_hunt_group(db_url: str) -> None:
    _call(db_url)
    dialer = FakeDialer()
    step = _start(db_url, "request_human", dialer)
    assert (step.action, step.call_sid) == ("hold", CALL_SID)
    transfer, attempts, tasks = _state(db_url)
    assert dialer.placed == [(attempts[0].id, "+15555550150", 20)]  # Ana Ruiz, 20 s
    assert (transfer.department, transfer.status) == ("front_desk", "hunting")
    assert [(a.attempt, a.status, a.call_sid) for a in attempts] == [
        (1, "ringing", "CA" + "0" * 31 + "1")
    ]
    assert transfer.summary.startswith("Maria Lopez, identity verified. Wants: request human.")
    assert '"I was charged twice in October"' in transfer.summary
    assert "/request_human" not in transfer.summary
    assert tasks == []
    # a retried webhook does not start a second transfer
    assert _start(db_url, "request_human", dialer).transfer_id == transfer.id
    assert len(dialer.placed) == 1


def test_unverified_caller_is_not_named_to_staff(db_url: str) -> None:
    _call(db_url, verified=False)
    _start(db_url, "billing_question", FakeDialer())
    transfer, _, _ = _state(db_url)
    assert transfer.department == "billing"
    assert transfer.summary.startswith("Caller, identity not verified.")
    assert "Maria" not in transfer.summary and "Lopez" not in transfer.summary


def test_no_answer_rings_the_next_then_voicemail_becomes_a_task(db_url: str) -> None:
    _call(db_url)
    dialer = FakeDialer()
    _start(db_url, "request_human", dialer)
    first = _state(db_url)[1][0].id
    assert _end(db_url, first, "no_answer", dialer).action == "hold"
    assert [p[1] for p in dialer.placed] == ["+15555550150", "client:ben.carter"]
    assert _end(db_url, first, "no_answer", dialer) is None  # a replayed callback: no change
    assert _end(db_url, dialer.placed[1][0], "declined", dialer).action == "voicemail"
    transfer, attempts, tasks = _state(db_url)
    assert dialer.voicemail == [(CALL_SID, transfer.id)]
    assert [a.status for a in attempts] == ["no_answer", "declined"]
    assert transfer.status == "voicemail" and transfer.ended_at is not None
    (task,) = tasks
    assert transfer.task_id == task.id
    assert (task.kind, task.department, task.callback_number) == (
        "callback",
        "front_desk",
        "+15555550123",
    )
    assert task.summary.startswith(transfer.summary)
    assert "nobody answered (Ana Ruiz: no answer; Ben Carter: declined)" in task.summary


def test_accept_connects_and_late_callbacks_change_nothing(db_url: str) -> None:
    _call(db_url)
    dialer = FakeDialer()
    _start(db_url, "request_human", dialer)
    first = _state(db_url)[1][0].id
    with UnitOfWork(db_url) as uow:
        assert transfers.accept(uow.session, first).status == "connected"
        assert transfers.accept(uow.session, first) is not None  # retried keypress
        uow.commit()
    assert _end(db_url, first, "declined", dialer) is None  # the leg completing later
    transfer, attempts, tasks = _state(db_url)
    assert transfer.status == "connected" and transfer.staff_user_id == attempts[0].staff_user_id
    assert [a.status for a in attempts] == ["accepted"]
    assert tasks == [] and len(dialer.placed) == 1


def test_a_refused_call_rings_the_next_person_at_once(db_url: str) -> None:
    _call(db_url)
    dialer = FakeDialer(refuse={"+15555550150"})
    assert _start(db_url, "request_human", dialer).action == "hold"
    _, attempts, _ = _state(db_url)
    assert [(a.target, a.status) for a in attempts] == [
        ("+15555550150", "failed"),
        ("client:ben.carter", "ringing"),
    ]


def test_after_hours_non_urgent_goes_to_voicemail_without_ringing(db_url: str) -> None:
    _call(db_url)
    dialer = FakeDialer()
    step = _start(db_url, "billing_question", dialer, now=CLOSED)
    assert (step.action, step.note) == ("voicemail", "after hours")
    assert dialer.placed == [] and dialer.voicemail == []  # the caller's TwiML records
    transfer, attempts, (task,) = _state(db_url)
    assert (transfer.status, attempts) == ("voicemail", [])
    assert task.department == "billing" and "Not connected: after hours." in task.summary


def test_after_hours_urgent_clinical_goes_to_the_on_call_number(db_url: str) -> None:
    _call(db_url)
    dialer = FakeDialer()
    step = _start(db_url, "medical_emergency", dialer, now=CLOSED)
    assert (step.action, step.number) == ("on_call", "+15555550199")
    assert dialer.placed == []
    transfer, _, tasks = _state(db_url)
    assert (transfer.status, transfer.department, tasks) == ("on_call", "nurse_line", [])
    with UnitOfWork(db_url) as uow:  # the on-call line did not answer
        transfers.on_call_missed(uow.session, uow.session.get(CallTransfer, transfer.id))
        uow.commit()
    _, _, (task,) = _state(db_url)
    assert task.priority == "urgent" and task.department == "nurse_line"


def test_without_a_twilio_account_nothing_is_placed_and_a_task_is_left(db_url: str) -> None:
    _call(db_url)
    local = load_settings(
        {"DATABASE_URL": db_url, "PUBLIC_BASE_URL": "https://clinic.example.org"},
        read_dotenv=False,
    )
    step = _start(db_url, "request_human", TwilioDialer(local))
    assert (step.action, step.note) == ("voicemail", NO_ACCOUNT)
    transfer, attempts, (task,) = _state(db_url)
    assert [(a.target, a.status) for a in attempts] == [("+15555550150", "not_placed")]
    assert f"Ana Ruiz: {NO_ACCOUNT}" in task.summary
    assert transfer.status == "voicemail"


def test_caller_hanging_up_while_ringing_leaves_a_callback_task(db_url: str) -> None:
    _call(db_url)
    dialer = FakeDialer()
    _start(db_url, "request_human", dialer)
    with UnitOfWork(db_url) as uow:
        assert transfers.caller_left(uow.session, CALL_SID, dialer=dialer) is not None
        assert transfers.caller_left(uow.session, CALL_SID, dialer=dialer) is None
        uow.commit()
    assert dialer.canceled == ["CA" + "0" * 31 + "1"]
    assert _end(db_url, dialer.placed[0][0], "failed", dialer) is None  # the canceled leg
    transfer, attempts, (task,) = _state(db_url)
    assert (transfer.status, attempts[0].status) == ("callback", "failed")
    assert "the caller hung up while waiting" in task.summary


def test_the_recording_joins_the_task(db_url: str) -> None:
    _call(db_url)
    _start(db_url, "billing_question", FakeDialer(), now=CLOSED)
    with UnitOfWork(db_url) as uow:
        transfer = uow.session.execute(
            select(CallTransfer).where(CallTransfer.call_sid == CALL_SID)
        ).scalar_one()
        transfers.attach_voicemail(uow.session, transfer, "https://api.twilio.com/rec/RE1", "12")
        uow.commit()
        note = uow.session.execute(
            select(StaffTaskNote).where(StaffTaskNote.task_id == transfer.task_id)
        ).scalar_one()
        assert note.task_id == transfer.task_id
        assert note.text == "Voicemail (12 s): https://api.twilio.com/rec/RE1"
