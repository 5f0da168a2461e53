"""Waitlist offers go out through the reminder machinery; a reply "1" books the slot."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from assistant.console import reminder_metrics
from assistant.db.models import (
    Appointment,
    OutboundMessage,
    Patient,
    PatientPhone,
    Practice,
    WaitlistOffer,
)
from assistant.messaging import inbound
from assistant.messaging import outbound as outbox
from assistant.reminders import offers, policy, worker
from assistant.unit_of_work import UnitOfWork
from tests.factories.reminders import sending_outbound, settings_for
from tests.factories.scheduling import (
    NOW,
    Clinic,
    at,
    book,
    build_clinic,
    cancel_appointment,
    join_waitlist,
)

NIA = "+15555550150"
IDA = "+15555550151"


def _reachable(clinic: Clinic, name: str, number: str, *, consent: bool = True) -> None:
    with UnitOfWork(clinic.url) as uow:
        patient = uow.session.get(Patient, clinic.patients[name])
        patient.sms_consent = consent
        patient.phones.append(PatientPhone(number=number))
        uow.commit()


@pytest.fixture
def freed(db_url: str) -> Clinic:
    """Pat's Tuesday 9:00 is cancelled on Monday at 8:00; Nia waits (one offer per slot)."""
    clinic = build_clinic(db_url, settings={"waitlist_offers_per_slot": 1})
    pat = book(clinic, "2026-06-02 09:00")
    join_waitlist(clinic, "Nia")
    _reachable(clinic, "Nia", NIA)
    cancel_appointment(clinic, pat)
    return clinic


def _run(clinic: Clinic, fake_twilio, now) -> dict[str, int]:
    settings = settings_for(clinic.url, fake_twilio.url)
    return worker.run_once(settings, now, outbound=sending_outbound(settings), plan=False)


def _reply(clinic: Clinic, number: str, body: str, now) -> str | None:
    with UnitOfWork(clinic.url) as uow:
        outcome = inbound.receive(
            uow.session,
            from_number=number,
            to_number=None,
            body=body,
            num_media=0,
            session_minutes=30,
            now=now,
        )
        uow.commit()
    return outcome.reply


def _offers(clinic: Clinic) -> list[WaitlistOffer]:
    with UnitOfWork(clinic.url) as uow:
        rows = list(uow.session.execute(select(WaitlistOffer).order_by(WaitlistOffer.id)).scalars())
        uow.session.expunge_all()
        return rows


def test_a_freed_slot_is_texted_to_the_first_waiting_patient_once(freed, fake_twilio) -> None:
    counts = _run(freed, fake_twilio, NOW + timedelta(minutes=1))
    assert counts["offer_sent"] == 1
    (text,) = fake_twilio.accepted
    assert text["to"] == NIA
    assert text["body"] == (
        "Test Clinic: an earlier appointment opened: Tue Jun 2, 9:00 AM at Main."
        " Reply 1 by 10:00 AM to take it (first come, first served). STOP to opt out."
    )
    assert "Ada" not in text["body"] and "follow" not in text["body"].lower()
    (offer,) = _offers(freed)
    assert offer.notified_at == NOW + timedelta(minutes=1)
    _run(freed, fake_twilio, NOW + timedelta(minutes=2))
    assert fake_twilio.posts == 1


def test_reply_1_books_the_offered_slot(freed, fake_twilio) -> None:
    _run(freed, fake_twilio, NOW + timedelta(minutes=1))
    reply = _reply(freed, NIA, "1", NOW + timedelta(minutes=5))
    assert reply == "Test Clinic: you are booked for Tue Jun 2, 9:00 AM at Main. See you then."
    (booked,) = freed.occupying("Ada")
    assert (booked.patient_id, booked.starts_at) == (freed.patients["Nia"], at("2026-06-02 09:00"))
    assert _offers(freed)[0].status == "accepted"


def test_reply_1_after_the_slot_was_taken_books_nothing(freed, fake_twilio) -> None:
    _run(freed, fake_twilio, NOW + timedelta(minutes=1))
    book(freed, "2026-06-02 09:00", patient="Pat", now=NOW + timedelta(minutes=2))  # staff
    reply = _reply(freed, NIA, "1", NOW + timedelta(minutes=5))
    assert reply == "Test Clinic: sorry, that time was just taken. You are still on our waitlist."
    assert [a.patient_id for a in freed.occupying("Ada")] == [freed.patients["Pat"]]


def test_reply_1_after_the_offer_expired_books_nothing(freed, fake_twilio) -> None:
    _run(freed, fake_twilio, NOW + timedelta(minutes=1))
    reply = _reply(freed, NIA, "1", NOW + timedelta(hours=3))
    assert reply == "Test Clinic: sorry, that offer has expired. You are still on our waitlist."
    assert freed.occupying("Ada") == []


def test_a_patient_who_cannot_be_texted_is_passed_over(db_url, fake_twilio) -> None:
    clinic = build_clinic(db_url, settings={"waitlist_offers_per_slot": 1})
    pat = book(clinic, "2026-06-02 09:00")
    join_waitlist(clinic, "Nia")
    _reachable(clinic, "Nia", NIA, consent=False)
    join_waitlist(clinic, "Ida")
    _reachable(clinic, "Ida", IDA)
    cancel_appointment(clinic, pat)
    counts = _run(clinic, fake_twilio, NOW + timedelta(minutes=1))
    assert counts["offer_skipped"] == 1 and counts["offer_sent"] == 1
    assert [m["to"] for m in fake_twilio.accepted] == [IDA]
    assert [o.status for o in _offers(clinic)] == ["declined", "pending"]


def test_an_offer_made_at_night_waits_for_the_morning_with_its_full_window(
    db_url, fake_twilio
) -> None:
    clinic = build_clinic(db_url, settings={"waitlist_offers_per_slot": 1})
    pat = book(clinic, "2026-06-03 09:00")
    join_waitlist(clinic, "Nia")
    _reachable(clinic, "Nia", NIA)
    night = at("2026-06-01 22:30")
    cancel_appointment(clinic, pat, now=night)
    assert _run(clinic, fake_twilio, night + timedelta(minutes=1)).get("offer_deferred") == 1
    assert fake_twilio.posts == 0
    (offer,) = _offers(clinic)
    assert offer.expires_at == at("2026-06-02 10:00") and offer.notified_at is None
    _run(clinic, fake_twilio, at("2026-06-02 08:00"))
    assert [m["to"] for m in fake_twilio.accepted] == [NIA]


def test_a_crash_before_twilio_got_the_offer_sends_it_once_after_the_lease(
    freed, fake_twilio, monkeypatch
) -> None:
    def die(*_args):
        raise KeyboardInterrupt("power cut")

    monkeypatch.setattr(outbox.Outbound, "transmit", die)
    with pytest.raises(KeyboardInterrupt):
        _run(freed, fake_twilio, NOW + timedelta(minutes=1))
    monkeypatch.undo()
    assert _run(freed, fake_twilio, NOW + timedelta(minutes=2)).get("offer_sent") is None
    counts = _run(freed, fake_twilio, NOW + timedelta(minutes=1) + policy.LEASE * 2)
    assert counts["offer_sent"] == 1 and fake_twilio.posts == 1
    with UnitOfWork(freed.url) as uow:
        statuses = uow.session.execute(
            select(OutboundMessage.status).order_by(OutboundMessage.id)
        ).scalars()
        assert list(statuses) == ["failed", "sent"]  # the first never left


def test_a_crash_after_twilio_accepted_the_offer_does_not_send_it_again(
    freed, fake_twilio, monkeypatch
) -> None:
    fake_twilio.clock = NOW

    def die(*_args):
        raise KeyboardInterrupt("crash before the SID was stored")

    monkeypatch.setattr(outbox, "apply_outcome", die)
    with pytest.raises(KeyboardInterrupt):
        _run(freed, fake_twilio, NOW + timedelta(minutes=1))
    monkeypatch.undo()
    counts = _run(freed, fake_twilio, NOW + timedelta(minutes=1) + policy.LEASE * 2)
    assert counts["offer_recovered"] == 1 and fake_twilio.posts == 1
    with UnitOfWork(freed.url) as uow:
        (message,) = uow.session.execute(select(OutboundMessage)).scalars()
        assert message.twilio_sid == fake_twilio.accepted[0]["sid"]
        assert uow.session.get(Practice, freed.practice_id) is not None
        assert uow.session.execute(select(Appointment.id)).first() is not None


def test_an_offer_text_recovered_while_its_sender_waited_is_sent_once(freed, fake_twilio) -> None:
    settings = settings_for(freed.url, fake_twilio.url)
    later = NOW + timedelta(minutes=1) + policy.LEASE * 2
    recovered: list[dict] = []

    class SlowPacer:
        def wait(self) -> float:  # meanwhile another worker settles the "stuck" text
            if not recovered:
                recovered.append(dict(_run(freed, fake_twilio, later)))
            return (policy.LEASE * 2).total_seconds()

    counts = offers.send_offers(
        UnitOfWork.factory(freed.url), sending_outbound(settings),
        lambda: NOW + timedelta(minutes=1),
        pacer=SlowPacer(),
    )  # fmt: skip
    assert counts["offer_lost_claim"] == 1 and recovered[0]["offer_sent"] == 1
    assert fake_twilio.posts == 1


def test_offers_are_a_campaign_of_the_console_measures(freed, fake_twilio) -> None:
    _run(freed, fake_twilio, NOW + timedelta(minutes=1))
    _reply(freed, NIA, "1", NOW + timedelta(minutes=5))
    with UnitOfWork(freed.url) as uow:
        m = reminder_metrics.compute(uow.session, freed.practice_id, now=NOW + timedelta(hours=1))
    (row,) = m.rows
    assert (row.campaign, row.sent, row.confirmed, row.no_answer) == ("Waitlist offer", 1, 1, 0)
