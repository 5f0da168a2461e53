"""Demo staff directory: six departments, seven staff users, a queue and a week of history.

Demo logins (console at `/console`; passwords are for the demo only):

| email                                | password        | role       | department      |
|--------------------------------------|-----------------|------------|-----------------|
| frontdesk@riverside.example          | demo-frontdesk  | front_desk | front_desk      |
| scheduling@riverside.example         | demo-frontdesk  | front_desk | front_desk      |
| records@riverside.example            | demo-records    | front_desk | medical_records |
| nurse@riverside.example              | demo-nurse      | nurse      | nurse_line      |
| refills@riverside.example            | demo-nurse      | nurse      | refills         |
| billing@riverside.example            | demo-billing    | billing    | billing         |
| manager@riverside.example            | demo-manager    | manager    | manager         |

The password hashes are precomputed (werkzeug scrypt) so that seeding stays fast;
`tests/assistant/console/test_directory.py` checks that each one matches its documented password.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from assistant.db.models import (
    CallTransfer,
    Conversation,
    ConversationTurn,
    Department,
    Patient,
    PatientPhone,
    StaffTask,
    StaffTaskNote,
    StaffUser,
    TransferAttempt,
)
from assistant.db.types import utcnow

_DAY_KEYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


def _weekdays(start: str, end: str, days: tuple[str, ...] = ("mon", "tue", "wed", "thu", "fri")):
    return {day: ([[start, end]] if day in days else []) for day in _DAY_KEYS}


# code, name, hours, after_hours, on_call_number
DEPARTMENTS: tuple[tuple[str, str, dict, str, str | None], ...] = (
    ("front_desk", "Front desk & scheduling", _weekdays("08:00", "17:00"), "voicemail", None),
    ("billing", "Billing", _weekdays("09:00", "16:00"), "voicemail", None),
    ("nurse_line", "Nurse line", _weekdays("08:00", "17:00"), "on_call", "+15555550199"),
    (
        "medical_records",
        "Medical records",
        _weekdays("09:00", "15:00", ("mon", "tue", "wed", "thu")),
        "voicemail",
        None,
    ),
    ("refills", "Prescription refills", _weekdays("08:00", "16:00"), "voicemail", None),
    ("manager", "Office manager", _weekdays("09:00", "17:00"), "voicemail", None),
)

DEMO_PASSWORDS = {
    "demo-frontdesk": "scrypt:32768:8:1$JrRFjGjwHjMpekfT$"
    "ace299cb958528796fe53452a10b25c3cd0e415ea120b00bd40fa95c4e3a6559"
    "09c4b70ee4901d177a2a26b9634acd6f5c4269d2fb304e4585700ded4a8a2f38",
    "demo-nurse": "scrypt:32768:8:1$6IuaJlLwhYPAB2bi$"
    "a6c707c4c4d4bbcc33a65e16885e4a394661309aa0a216df7944e256f52dc7d1"
    "1368b6a50fb73fa93c7a5f8f2370d8fdddae388f84c4e85377c9fe2d4f99d020",
    "demo-billing": "scrypt:32768:8:1$SKN4fodTlHMQpOJw$"
    "1c50edb299a3c2999e51be1b0c3367836eff9ad24f3f490fc3a24adeca1172a3"
    "8ad861aee8cca6058e3f55fe236195724e6cff5fd2b64eafc5ec02ec9387d636",
    "demo-manager": "scrypt:32768:8:1$VD6xKN9nxoCCXYjA$"
    "4a274b75a3a9306667014731ba8127b660675dca63c8aaaa51d665563d0afb91"
    "1853f0b53d83dbf1818371092e8a581dbf588d69429f5d8b134620655c5fef85",
    "demo-records": "scrypt:32768:8:1$tYr9xYNodlWN5m0i$"
    "d15a98c7391a3e73e1fd40ddaef6d1df3edfd66759899f90bef9101e1f27ddfd"
    "abbe2e1942ccce03817929a7cd3ca3710e55b135e6d6d38ec46956de94b140b2",
}

# email, name, password, role, department, phone, client identity, hunt order
STAFF: tuple[tuple[str, str, str, str, str, str | None, str | None, int], ...] = (
    (
        "frontdesk@riverside.example",
        "Ana Ruiz",
        "demo-frontdesk",
        "front_desk",
        "front_desk",
        "+15555550150",
        None,
        1,
    ),
    (
        "scheduling@riverside.example",
        "Ben Carter",
        "demo-frontdesk",
        "front_desk",
        "front_desk",
        None,
        "ben.carter",
        2,
    ),
    (
        "records@riverside.example",
        "Chloe Kim",
        "demo-records",
        "front_desk",
        "medical_records",
        "+15555550153",
        None,
        1,
    ),
    (
        "nurse@riverside.example",
        "Grace Okafor, RN",
        "demo-nurse",
        "nurse",
        "nurse_line",
        "+15555550151",
        None,
        1,
    ),
    (
        "refills@riverside.example",
        "Tom Nguyen, LPN",
        "demo-nurse",
        "nurse",
        "refills",
        "+15555550154",
        None,
        1,
    ),
    (
        "billing@riverside.example",
        "Priya Patel",
        "demo-billing",
        "billing",
        "billing",
        "+15555550152",
        None,
        1,
    ),
    (
        "manager@riverside.example",
        "Dana Brooks",
        "demo-manager",
        "manager",
        "manager",
        "+15555550155",
        None,
        1,
    ),
)

# phone of a seeded patient (or None), channel, department, kind, priority, minutes ago,
# what the patient said, what the assistant answered, summary
_REQUESTS: tuple[tuple[str | None, str, str, str, str, int, list[str], list[str], str], ...] = (
    (
        "+15555550123",
        "voice",
        "front_desk",
        "handoff",
        "normal",
        12,
        [
            "I need to move my appointment on Tuesday, I have a work trip",
            "Maria Lopez, March 3rd 1982",
        ],
        ["I can help with that. Can I have your full name and date of birth?"],
        "Maria Lopez, identity verified, wants to reschedule her follow-up with Dr. Shah; "
        "no open slot suited her. Call back on the number on file.",
    ),
    (
        "+15555550124",
        "sms",
        "billing",
        "message",
        "normal",
        95,
        ["Tengo una pregunta sobre mi factura de octubre, me cobraron dos veces"],
        ["Gracias. Un miembro del personal de facturación le llamará."],
        "José Hernández (Spanish) says he was charged twice on his October statement.",
    ),
    (
        None,
        "voice",
        "nurse_line",
        "callback",
        "urgent",
        30,
        ["I got my lab results in the portal and I don't understand them"],
        ["I'll ask our nurse to call you back. What is the best number to reach you?"],
        "Caller asks a nurse to explain recent lab results; identity not verified.",
    ),
    (
        None,
        "sms",
        "refills",
        "message",
        "normal",
        240,
        ["Can I get a refill of my blood pressure pills sent to the Main St pharmacy?"],
        ["I've passed your refill request to our refill team."],
        "Refill request (blood pressure medication) to the Main St pharmacy; identity not "
        "verified.",
    ),
    (
        None,
        "voice",
        "medical_records",
        "callback",
        "normal",
        26 * 60,
        ["I need my records sent to my new cardiologist"],
        ["Our medical records team will call you back about the release form."],
        "Records release to a new cardiologist; needs the authorization form.",
    ),
)


def _departments(session: Session, practice_id: int) -> dict[str, Department]:
    made = {}
    for code, name, hours, after_hours, on_call in DEPARTMENTS:
        department = Department(
            practice_id=practice_id,
            code=code,
            name=name,
            hours=hours,
            after_hours=after_hours,
            on_call_number=on_call,
        )
        session.add(department)
        made[code] = department
    session.flush()
    return made


def _patient_by_phone(session: Session, practice_id: int, phone: str | None) -> Patient | None:
    if phone is None:
        return None
    return session.execute(
        select(Patient)
        .join(PatientPhone)
        .where(Patient.practice_id == practice_id, PatientPhone.number == phone)
        .order_by(Patient.id)
        .limit(1)
    ).scalar_one_or_none()


def _queue(session: Session, practice_id: int, now: datetime) -> None:
    """A few conversations that needed a person, with transcripts, waiting in the queue."""
    for index, request in enumerate(_REQUESTS, 1):
        phone, channel, department, kind, priority, ago, said, answered, summary = request
        at = now - timedelta(minutes=ago)
        patient = _patient_by_phone(session, practice_id, phone)
        conversation = Conversation(
            uid=f"demo{index:04d}" + "0" * 16,
            practice_id=practice_id,
            channel=channel,
            call_sid=f"CAdemo{index:028d}" if channel == "voice" else None,
            phone=phone or f"+1555555017{index}",
            verified_patient_id=patient.id if patient and kind == "handoff" else None,
            status="closed",
            outcome="handed_off",
            summary=summary,
            started_at=at,
            last_activity_at=at + timedelta(minutes=2),
            ended_at=at + timedelta(minutes=3),
        )
        session.add(conversation)
        session.flush()
        for turn, text in enumerate(said):
            session.add(
                ConversationTurn(
                    conversation_id=conversation.id,
                    direction="in",
                    text=text,
                    at=at + timedelta(seconds=40 * turn),
                )
            )
            if turn < len(answered):
                session.add(
                    ConversationTurn(
                        conversation_id=conversation.id,
                        direction="out",
                        text=answered[turn],
                        at=at + timedelta(seconds=40 * turn + 5),
                    )
                )
        session.add(
            StaffTask(
                practice_id=practice_id,
                kind=kind,
                department=department,
                priority=priority,
                patient_id=patient.id if patient else None,
                conversation_id=conversation.id,
                callback_number=conversation.phone,
                summary=summary,
                created_at=at + timedelta(minutes=3),
            )
        )


# Past week, for the metrics page: (channel, outcome, count) finished by the assistant alone.
_CONTAINED = (
    ("sms", "confirmed", 9),
    ("voice", "confirmed", 2),
    ("sms", "rescheduled", 2),
    ("voice", "rescheduled", 3),
    ("voice", "booked", 2),
    ("sms", "cancelled", 2),
    ("voice", "office_info", 2),
)
# reason, department, final status, hunt attempts (staff index in STAFF, result)
_TRANSFERS = (
    ("reschedule_appointment", "front_desk", "connected", ((0, "no_answer"), (1, "accepted"))),
    ("lab_results", "nurse_line", "connected", ((3, "accepted"),)),
    ("billing_question", "billing", "voicemail", ((5, "declined"),)),
)


def _closed(practice_id: int, uid: str, channel: str, outcome: str, at: datetime) -> Conversation:
    return Conversation(
        uid=uid,
        practice_id=practice_id,
        channel=channel,
        call_sid=f"CA{uid}" if channel == "voice" else None,
        status="closed",
        outcome=outcome,
        started_at=at,
        last_activity_at=at + timedelta(minutes=2),
        ended_at=at + timedelta(minutes=2),
    )


def _history(
    session: Session, practice_id: int, users: list[StaffUser], manager: StaffUser, now: datetime
) -> None:
    """A week of finished conversations, two abandoned calls and three warm transfers."""
    outcomes = [(c, o) for c, o, n in _CONTAINED for _ in range(n)] + [("voice", "abandoned")] * 2
    for index, (channel, outcome) in enumerate(outcomes):
        at = now - timedelta(hours=5 + 7 * index)
        session.add(_closed(practice_id, f"hist{index:04d}" + "0" * 16, channel, outcome, at))
    for index, (reason, department, status, attempts) in enumerate(_TRANSFERS):
        at = now - timedelta(hours=20 + 30 * index)
        conversation = _closed(
            practice_id, f"xfer{index:04d}" + "0" * 16, "voice", "handed_off", at
        )
        session.add(conversation)
        session.flush()
        transfer = CallTransfer(
            practice_id=practice_id,
            conversation_id=conversation.id,
            call_sid=conversation.call_sid,
            department=department,
            reason=reason,
            summary=f"Demo transfer: {reason.replace('_', ' ')}",
            status=status,
            started_at=at,
            ended_at=at + timedelta(minutes=2),
        )
        session.add(transfer)
        session.flush()
        _attempts(session, transfer, attempts, users, at)
        if status == "voicemail":
            _voicemail_callback(session, transfer, manager, at)


def _attempts(
    session: Session,
    transfer: CallTransfer,
    attempts: Sequence[tuple[int, str]],
    users: list[StaffUser],
    at: datetime,
) -> None:
    """The staff the transfer rang, 30 s apart; the one who accepted takes the call."""
    for number, (who, result) in enumerate(attempts, 1):
        user = users[who]
        session.add(
            TransferAttempt(
                transfer_id=transfer.id,
                attempt=number,
                staff_user_id=user.id,
                target=user.phone or f"client:{user.client_identity}",
                status=result,
                started_at=at + timedelta(seconds=30 * number),
                ended_at=at + timedelta(seconds=30 * number + 20),
            )
        )
        if result == "accepted":
            transfer.staff_user_id = user.id


def _voicemail_callback(
    session: Session, transfer: CallTransfer, manager: StaffUser, at: datetime
) -> None:
    """A transfer nobody answered left a voicemail: its callback task, resolved."""
    task = StaffTask(
        practice_id=transfer.practice_id,
        kind="callback",
        department=transfer.department,
        conversation_id=transfer.conversation_id,
        summary="Voicemail after a transfer: question about a statement.",
        status="resolved",
        claimed_by=f"staff:{manager.id}",
        created_at=at + timedelta(minutes=2),
        resolved_at=at + timedelta(hours=3),
    )
    session.add(task)
    session.flush()
    transfer.task_id = task.id
    session.add(
        StaffTaskNote(
            task_id=task.id,
            author_id=manager.id,
            kind="resolved",
            text="Called back; explained the statement.",
            at=at + timedelta(hours=3),
        )
    )


def seed_staff(
    session: Session, practice_id: int, *, now: datetime | None = None
) -> list[tuple[str, str]]:
    """Create the demo departments, staff users and queue; returns (email, role) per user."""
    departments = _departments(session, practice_id)
    users = []
    for email, name, password, role, department, phone, identity, order in STAFF:
        user = StaffUser(
            practice_id=practice_id,
            email=email,
            name=name,
            password_hash=DEMO_PASSWORDS[password],
            role=role,
            department_id=departments[department].id,
            phone=phone,
            client_identity=identity,
            hunt_order=order,
        )
        session.add(user)
        users.append(user)
    session.flush()
    now = now or utcnow()
    _queue(session, practice_id, now)
    _history(session, practice_id, users, users[-1], now)
    return [(user.email, user.role) for user in users]


__all__ = ["DEMO_PASSWORDS", "DEPARTMENTS", "STAFF", "seed_staff"]
