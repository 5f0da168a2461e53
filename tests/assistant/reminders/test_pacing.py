"""The sending rate: the embedded worker spaces its sends at `REMINDER_SEND_RATE`."""

from __future__ import annotations

from datetime import timedelta

from assistant.reminders import claims, pacing, policy, sending, worker
from assistant.unit_of_work import UnitOfWork
from tests.factories.reminders import (
    BOOKED_AT,
    VISIT,
    make_appointment,
    make_clinic,
    make_patient,
    ny,
    plan,
    reminders_of,
    sending_outbound,
    settings_for,
)


def test_the_local_pacer_spaces_sends() -> None:
    clock = [100.0]
    pacer = pacing.LocalPacer(2.0, clock=lambda: clock[0], sleep=lambda s: None)
    assert [pacer.wait() for _ in range(3)] == [0.0, 0.5, 1.0]
    clock[0] = 105.0
    assert pacer.wait() == 0.0


def test_a_rate_of_zero_is_unpaced() -> None:
    assert isinstance(pacing.local(0), pacing.Unpaced)


def test_the_embedded_worker_sends_at_the_configured_rate(sqlite_url, fake_twilio) -> None:
    with UnitOfWork(sqlite_url) as uow:
        clinic = make_clinic(uow.session)
        for i in range(4):
            patient = make_patient(uow.session, clinic, phone=f"+1555555{i:04d}", first=f"P{i}")
            make_appointment(uow.session, clinic, patient, VISIT + timedelta(minutes=20 * i))
        uow.commit()
    plan(sqlite_url, BOOKED_AT)
    settings = settings_for(sqlite_url, fake_twilio.url, REMINDER_SEND_RATE="5")
    counts = worker.run_once(settings, ny(2026, 11, 25, 20), outbound=sending_outbound(settings))
    assert counts["sent"] == 4
    times = fake_twilio.post_times
    assert times[-1] - times[0] >= 0.55  # three intervals of 1/5 s


def test_a_batch_fits_in_the_claim_lease_at_a_slow_rate() -> None:
    assert worker.batch_size(0) == worker.BATCH
    assert worker.batch_size(1.0) == worker.BATCH  # 50 s, well within 5 minutes
    assert worker.batch_size(0.1) == 15  # one text every 10 s: 150 s per batch


def test_a_claim_taken_over_while_waiting_for_the_rate_is_not_sent_twice(
    world, fake_twilio
) -> None:
    """A long wait for the sending rate outlasts the lease: another worker takes the reminder
    over and sends it; the first one then finds the claim gone and does not send."""
    settings = settings_for(world.url, fake_twilio.url)
    plan(world.url, BOOKED_AT)
    now = ny(2026, 11, 25, 10)
    with UnitOfWork(world.url) as uow:
        (claim,) = claims.claim_due(uow.session, now=now)
        uow.commit()
    taken_over: list[dict] = []

    def slow_pacer() -> float:
        later = now + policy.LEASE + timedelta(seconds=1)
        outbound = sending_outbound(settings)
        taken_over.append(worker.run_once(settings, later, outbound=outbound, plan=False))
        return policy.LEASE.total_seconds() + 1

    outcome = sending.process(
        UnitOfWork.factory(world.url),
        sending_outbound(settings),
        claim,
        now,
        before_transmit=slow_pacer,
    )
    assert outcome == sending.LOST_CLAIM
    assert taken_over[0]["sent"] == 1 and fake_twilio.posts == 1
    (reminder, *_) = reminders_of(world.url, world.appointment_id)
    assert reminder.status == "sent" and reminder.twilio_sid == fake_twilio.accepted[0]["sid"]
