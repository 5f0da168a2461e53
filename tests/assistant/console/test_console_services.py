"""Console services on both databases: sign-in lock, queues by role, task steps, lookup audit,
schedule and metrics."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

import pytest
from sqlalchemy import func, select

from assistant.console import auth, metrics, patients, schedule, tasks
from assistant.db.models import (
    AuditEvent,
    Conversation,
    StaffTask,
    StaffTaskNote,
    StaffUser,
)
from assistant.demo.seed import seed_demo
from assistant.unit_of_work import UnitOfWork

TODAY = date(2026, 11, 23)
SEEDED_AT = datetime(2026, 11, 23, 17, 0, tzinfo=timezone.utc)  # noon at the practice on TODAY


@pytest.fixture
def demo(uow: UnitOfWork):
    summary = seed_demo(uow.session, today=TODAY)
    uow.commit()
    return summary


def _user(uow: UnitOfWork, email: str) -> StaffUser:
    user = auth.user_by_email(uow.session, email)
    assert user is not None
    return user


def _audits(uow: UnitOfWork, entity: str) -> list[AuditEvent]:
    query = select(AuditEvent).where(AuditEvent.entity == entity).order_by(AuditEvent.id)
    return list(uow.session.execute(query).scalars())


def test_sign_in_and_lock_after_five_failures(uow: UnitOfWork, demo) -> None:
    now = datetime(2026, 11, 23, 15, 0, tzinfo=timezone.utc)
    ok = auth.authenticate(uow.session, "Nurse@Riverside.example ", "demo-nurse", now=now)
    assert ok.user is not None and ok.user.role == "nurse" and ok.user.last_login_at == now
    assert auth.authenticate(uow.session, "nobody@x.example", "demo-nurse").error == auth.INVALID
    for attempt in range(4):
        result = auth.authenticate(uow.session, "nurse@riverside.example", "wrong", now=now)
        assert result.error == auth.INVALID, attempt
    fifth = auth.authenticate(uow.session, "nurse@riverside.example", "wrong", now=now)
    assert fifth.error == auth.LOCKED and fifth.locked_until == now + timedelta(minutes=15)
    uow.commit()
    # Locked: even the right password is refused until the lock ends.
    later = now + timedelta(minutes=14)
    assert auth.authenticate(uow.session, "nurse@riverside.example", "demo-nurse", now=later).error
    after = now + timedelta(minutes=15, seconds=1)
    assert auth.authenticate(uow.session, "nurse@riverside.example", "demo-nurse", now=after).user
    with pytest.raises(ValueError):
        auth.hash_password("short")
    assert auth.hash_password("a-long-enough-password").startswith("scrypt:")


def test_queues_are_filtered_by_role_and_department(uow: UnitOfWork, demo) -> None:
    nurse = _user(uow, "nurse@riverside.example")
    billing = _user(uow, "billing@riverside.example")
    front = _user(uow, "frontdesk@riverside.example")
    manager = _user(uow, "manager@riverside.example")
    departments = {
        who: {row.department for row in tasks.queue(uow.session, user)}
        for who, user in (("nurse", nurse), ("billing", billing), ("front", front))
    }
    assert departments == {
        "nurse": {"nurse_line", "refills"},
        "billing": {"billing"},
        "front": {"front_desk", "medical_records"},
    }
    everything = tasks.queue(uow.session, manager)
    open_count = select(func.count(StaffTask.id)).where(StaffTask.status == "open")
    assert len(everything) == uow.session.execute(open_count).scalar_one() == 5
    assert everything[0].priority == "urgent"  # urgent first, then oldest first
    billing_task = next(r for r in everything if r.department == "billing")
    with pytest.raises(tasks.TaskNotFound):
        tasks.task_detail(uow.session, nurse, billing_task.id)


def test_claim_note_resolve_with_history_and_audit(uow: UnitOfWork, demo) -> None:
    front = _user(uow, "frontdesk@riverside.example")
    other = _user(uow, "scheduling@riverside.example")
    row = next(r for r in tasks.queue(uow.session, front) if r.kind == "handoff")
    detail = tasks.task_detail(uow.session, front, row.id)
    assert detail.turns and detail.turns[0].direction == "in" and detail.patient is not None
    assert detail.can_claim

    tasks.claim(uow.session, front, row.id)
    with pytest.raises(tasks.TaskConflict):
        tasks.claim(uow.session, other, row.id)
    assert [r.id for r in tasks.queue(uow.session, front, status="mine")] == [row.id]
    with pytest.raises(tasks.TaskConflict):
        tasks.resolve(uow.session, other, row.id)  # claimed by someone else
    with pytest.raises(tasks.TaskConflict):
        tasks.add_note(uow.session, front, row.id, "   ")
    tasks.add_note(uow.session, front, row.id, "Left a voicemail <b>at 10</b>")
    tasks.resolve(uow.session, front, row.id, note="Rescheduled to Thursday")
    uow.commit()

    task = uow.session.get(StaffTask, row.id)
    assert task.status == "resolved" and task.resolved_at is not None
    assert task.claimed_by == f"staff:{front.id}"
    notes = uow.session.execute(
        select(StaffTaskNote.kind, StaffTaskNote.text)
        .where(StaffTaskNote.task_id == row.id)
        .order_by(StaffTaskNote.id)
    ).all()
    assert [tuple(n) for n in notes] == [
        ("claimed", "Claimed"),
        ("note", "Left a voicemail <b>at 10</b>"),
        ("resolved", "Rescheduled to Thursday"),
    ]
    steps = [e.detail for e in _audits(uow, "staff_task") if e.action == "update"]
    assert steps == [{"step": "claimed"}, {"step": "note"}, {"step": "resolved"}]
    reads = [e for e in _audits(uow, "staff_task") if e.action == "read"]
    assert reads[0].actor == f"staff:{front.id}" and reads[0].channel == "console"
    assert reads[0].patient_id == task.patient_id


def test_patient_lookup_by_name_dob_phone_is_audited(uow: UnitOfWork, demo) -> None:
    front = _user(uow, "frontdesk@riverside.example")
    maria = demo.english_demo
    by_name = patients.search(uow.session, front, name="mar lop")
    assert maria.patient_id in [p.id for p in by_name]
    by_dob = patients.search(uow.session, front, date_of_birth=maria.date_of_birth)
    assert [p.id for p in by_dob] == [maria.patient_id]
    by_phone = patients.search(uow.session, front, phone="(555) 555-0123")
    assert [p.id for p in by_phone] == [maria.patient_id]
    assert patients.search(uow.session, front, name="100%_") == []
    with pytest.raises(patients.BadQuery):
        patients.search(uow.session, front)
    with pytest.raises(patients.BadQuery):
        patients.search(uow.session, front, phone="0123")
    view = patients.view(uow.session, front, maria.patient_id)
    assert view.patient.full_name == "Maria Lopez" and view.appointments and view.tasks
    uow.commit()
    searches = _audits(uow, "patient_search")
    assert len(searches) == 4
    assert searches[0].detail["criteria"] == ["name"]
    assert "Maria" not in str(searches[0].detail)  # what was typed is not kept
    reads = _audits(uow, "patient")
    reads = [e for e in reads if e.actor.startswith("staff:")]
    assert [(e.action, e.patient_id, e.channel) for e in reads] == [
        ("read", maria.patient_id, "console")
    ]


def test_schedule_per_provider_in_local_time(uow: UnitOfWork, demo) -> None:
    front = _user(uow, "frontdesk@riverside.example")
    providers = schedule.day_schedule(uow.session, front, demo.first_day)
    assert providers
    visits = [v for p in providers for v in p.visits]
    maria = next(v for v in visits if v.patient_id == demo.english_demo.patient_id)
    assert (maria.starts_local.hour, maria.starts_local.minute) == (10, 0)
    assert maria.status_label == "Not confirmed"
    assert all(v.starts_local.date() == demo.first_day for v in visits)
    assert schedule.day_schedule(uow.session, front, date(2026, 11, 29)) == []  # a Sunday
    assert len(_audits(uow, "schedule")) == 2


def test_metrics_containment_abandonment_backlog(uow: UnitOfWork, demo) -> None:
    session = uow.session
    now = SEEDED_AT  # what the demo's queue and history were recorded at
    practice_id = demo.practice_id
    for index, (channel, outcome) in enumerate(
        [("sms", "confirmed"), ("voice", "rescheduled"), ("voice", "abandoned")]
    ):
        session.add(
            Conversation(
                uid=f"metric{index:026d}",
                practice_id=practice_id,
                channel=channel,
                status="closed",
                outcome=outcome,
                started_at=now - timedelta(hours=1),
                last_activity_at=now - timedelta(hours=1),
            )
        )
    session.flush()
    m = metrics.compute(session, practice_id, days=7, now=now)
    # Demo: 22 conversations finished alone (13 SMS, 9 calls), 2 abandoned calls, 3 transferred
    # calls, 5 queued requests (3 calls, 2 texts); plus the 3 above.
    assert m.by_channel == {"voice": 19, "sms": 16, "portal": 0}
    assert m.conversations == 35 and m.contained == 24
    assert m.containment_rate == pytest.approx(24 / 35)
    assert m.abandoned_calls == 3
    assert m.open_tasks == 5 and m.claimed_tasks == 0 and m.resolved_tasks == 1
    assert m.median_resolve_minutes == 178  # created 2 min into the call, resolved at 3 h
    assert m.oldest_open_minutes is not None and m.oldest_open_minutes >= 26 * 60 - 3
    assert sum(n for *_, n in m.tasks_by_department) == 6
    assert sorted(m.transfers_by_reason) == [
        ("billing_question", "voicemail", 1),
        ("lab_results", "connected", 1),
        ("reschedule_appointment", "connected", 1),
    ]
    assert m.upcoming_appointments > 0
    assert 0 <= m.upcoming_confirmed <= m.upcoming_appointments
