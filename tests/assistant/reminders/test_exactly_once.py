"""Exactly once: concurrent workers, and crashes at each step of a send."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from assistant.db.models import OutboundMessage, Patient, Reminder
from assistant.reminders import claims, policy, sending, worker
from assistant.unit_of_work import UnitOfWork
from tests.factories.reminders import (
    VISIT,
    make_appointment,
    make_clinic,
    make_patient,
    ny,
    plan,
    reminders_of,
    sending_outbound,
    sent_messages,
    settings_for,
)

NOW = ny(2026, 11, 25, 10)


@pytest.mark.parametrize("workers", [2, 4])
def test_concurrent_workers_send_each_reminder_once(db_url: str, fake_twilio, workers) -> None:
    with UnitOfWork(db_url) as uow:
        clinic = make_clinic(uow.session)
        for i in range(30):
            patient = make_patient(uow.session, clinic, phone=f"+1555555{i:04d}", first=f"P{i}")
            make_appointment(uow.session, clinic, patient, VISIT + timedelta(minutes=20 * i))
        uow.commit()
    plan(db_url, ny(2026, 11, 20, 12))
    settings = settings_for(db_url, fake_twilio.url)
    start = threading.Barrier(workers)
    results: list[dict] = []
    errors: list[BaseException] = []

    def run() -> None:
        start.wait()
        try:  # every 7-day reminder is due by 20:00 (visits 10:00 to 19:40)
            results.append(worker.run_once(settings, ny(2026, 11, 25, 20), batch=5, plan=False))
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=run) for _ in range(workers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert errors == []
    assert sum(r.get("sent", 0) for r in results) == 30
    assert all("lost_claim" not in r for r in results)
    assert fake_twilio.posts == 30
    assert len({m["to"] for m in fake_twilio.accepted}) == 30  # each patient texted once
    with UnitOfWork(db_url) as uow:
        statuses = uow.session.execute(
            select(Reminder.status, func.count())
            .where(Reminder.offset_days == 7)
            .group_by(Reminder.status)
        ).all()
        assert dict(statuses) == {"sent": 30}


def _claimed(url: str, now) -> claims.Claim:
    with UnitOfWork(url) as uow:
        (claim,) = claims.claim_due(uow.session, now=now)
        uow.commit()
    return claim


def test_a_live_claim_is_not_taken_by_another_worker(world) -> None:
    plan(world.url, ny(2026, 11, 20, 12))
    _claimed(world.url, NOW)
    with UnitOfWork(world.url) as uow:
        assert claims.claim_due(uow.session, now=NOW + policy.LEASE - timedelta(seconds=1)) == []


def test_crash_after_claiming_then_sent_once_after_the_lease(world, fake_twilio) -> None:
    settings = settings_for(world.url, fake_twilio.url)
    plan(world.url, ny(2026, 11, 20, 12))
    _claimed(world.url, NOW)  # ... and the worker dies
    later = NOW + policy.LEASE + timedelta(seconds=1)
    counts = worker.run_once(settings, later, outbound=sending_outbound(settings))
    assert counts["sent"] == 1 and fake_twilio.posts == 1


def test_crash_before_twilio_got_it_is_sent_once_after_the_lease(world, fake_twilio) -> None:
    settings = settings_for(world.url, fake_twilio.url)
    plan(world.url, ny(2026, 11, 20, 12))
    outbound = sending_outbound(settings)
    claim = _claimed(world.url, NOW)

    def die(_message):
        raise KeyboardInterrupt("power cut")

    outbound.transmit = die
    with pytest.raises(KeyboardInterrupt):
        sending.process(UnitOfWork.factory(world.url), outbound, claim, NOW)
    assert fake_twilio.posts == 0
    reminder = reminders_of(world.url, world.appointment_id)[0]
    assert reminder.status == "claimed" and reminder.outbound_message_id is not None

    later = NOW + policy.LEASE + timedelta(seconds=1)
    counts = worker.run_once(settings, later, outbound=sending_outbound(settings))
    assert counts["sent"] == 1 and fake_twilio.posts == 1
    assert [m.status for m in sent_messages(world.url)] == ["failed", "sent"]  # first never left


def test_crash_after_twilio_accepted_is_not_sent_again(world, fake_twilio, monkeypatch) -> None:
    settings = settings_for(world.url, fake_twilio.url)
    fake_twilio.clock = NOW
    plan(world.url, ny(2026, 11, 20, 12))
    claim = _claimed(world.url, NOW)

    def die(*_args):
        raise KeyboardInterrupt("crash before the SID was stored")

    monkeypatch.setattr(sending, "finish", die)
    with pytest.raises(KeyboardInterrupt):
        sending.process(UnitOfWork.factory(world.url), sending_outbound(settings), claim, NOW)
    monkeypatch.undo()
    assert fake_twilio.posts == 1

    later = NOW + policy.LEASE + timedelta(seconds=1)
    counts = worker.run_once(settings, later, outbound=sending_outbound(settings))
    assert counts["recovered"] == 1 and fake_twilio.posts == 1
    reminder = reminders_of(world.url, world.appointment_id)[0]
    assert reminder.status == "sent"
    assert reminder.twilio_sid == fake_twilio.accepted[0]["sid"]


def test_a_claim_whose_message_has_a_sid_is_marked_sent(world, fake_twilio) -> None:
    """The SID was stored but the worker died before marking the reminder: no resend."""
    settings = settings_for(world.url, fake_twilio.url)
    plan(world.url, ny(2026, 11, 20, 12))
    claim = _claimed(world.url, NOW)
    with UnitOfWork(world.url) as uow:
        reminder = uow.session.get(Reminder, claim.reminder_id)
        patient = uow.session.get(Patient, world.patient_id)
        message = OutboundMessage(
            practice_id=patient.practice_id,
            to_number="+15555550123",
            body="x",
            purpose="reminder",
            status="sent",
            twilio_sid="SM" + "c" * 32,
        )
        reminder.outbound_message = message
        reminder.sent_at = NOW
        uow.commit()
    later = NOW + policy.LEASE + timedelta(seconds=1)
    counts = worker.run_once(settings, later, outbound=sending_outbound(settings))
    assert counts["recovered"] == 1 and fake_twilio.posts == 0
    assert reminders_of(world.url, world.appointment_id)[0].twilio_sid == "SM" + "c" * 32
