"""Waitlist: a cancellation becomes offers; the first to accept gets the slot."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from assistant.db.models import Practice, WaitlistEntry, WaitlistOffer
from assistant.scheduling import waitlist
from assistant.scheduling.clock import to_local
from assistant.scheduling.errors import OfferExpired, OfferNoLongerAvailable
from assistant.scheduling.preferences import TimePreference
from assistant.unit_of_work import UnitOfWork
from tests.factories.scheduling import (
    NOW,
    NY,
    Clinic,
    at,
    book,
    cancel_appointment,
    join_waitlist,
)


def outbox(clinic: Clinic, now=NOW) -> list[tuple[str, str]]:
    """(patient, local start) of the offers ready to be texted."""
    names = {v: k for k, v in clinic.patients.items()}
    with UnitOfWork(clinic.url) as uow:
        offers = waitlist.offers_to_notify(uow.session, now=now)
        result = [
            (names[o.entry.patient_id], to_local(o.starts_at, NY).strftime("%d %H:%M"))
            for o in offers
        ]
        uow.commit()
        return result


def offer_ids(clinic: Clinic) -> dict[str, int]:
    names = {v: k for k, v in clinic.patients.items()}
    with UnitOfWork(clinic.url) as uow:
        rows = uow.session.execute(
            select(WaitlistOffer.id, WaitlistEntry.patient_id)
            .join(WaitlistEntry, WaitlistEntry.id == WaitlistOffer.entry_id)
            .order_by(WaitlistOffer.id)
        ).all()
        return {names[patient_id]: offer_id for offer_id, patient_id in rows}


def accept(clinic: Clinic, offer_id: int, now=NOW) -> int:
    with UnitOfWork(clinic.url) as uow:
        appointment = waitlist.accept_offer(
            uow.session, offer_id, actor="patient", channel="sms", now=now
        )
        uow.commit()
        return appointment.id


@pytest.fixture
def queue(clinic: Clinic) -> Clinic:
    """Pat has Tue 09:00; five patients wait, with different priorities and wishes."""
    clinic.appointments["pat"] = book(clinic, "2026-06-02 09:00")
    join_waitlist(clinic, "Nia")
    join_waitlist(clinic, "Zed", priority=5, preference=TimePreference(part_of_day="morning"))
    join_waitlist(clinic, "Eve", priority=9, preference=TimePreference(part_of_day="afternoon"))
    join_waitlist(clinic, "Max", "procedure", priority=9)  # new patient: procedures not allowed
    join_waitlist(clinic, "Ida")
    return clinic


def test_cancellation_offers_the_slot_in_priority_order(queue: Clinic) -> None:
    cancel_appointment(queue, queue.appointments["pat"])
    assert outbox(queue) == [("Zed", "02 09:00"), ("Nia", "02 09:00"), ("Ida", "02 09:00")]


def test_first_acceptor_gets_it_and_the_next_is_told_it_is_gone(queue: Clinic) -> None:
    cancel_appointment(queue, queue.appointments["pat"])
    offers = offer_ids(queue)
    appointment_id = accept(queue, offers["Nia"], now=NOW + timedelta(minutes=5))
    booked = queue.appointment(appointment_id)
    assert (booked.patient_id, booked.status, booked.starts_at) == (
        queue.patients["Nia"],
        "booked",
        at("2026-06-02 09:00"),
    )
    with pytest.raises(OfferNoLongerAvailable):
        accept(queue, offers["Zed"], now=NOW + timedelta(minutes=6))
    assert [a.patient_id for a in queue.occupying("Ada")] == [queue.patients["Nia"]]
    with UnitOfWork(queue.url) as uow:
        statuses = {
            o.entry.patient_id: o.status
            for o in uow.session.execute(select(WaitlistOffer)).scalars()
        }
        nia_entry = uow.session.execute(
            select(WaitlistEntry).where(WaitlistEntry.patient_id == queue.patients["Nia"])
        ).scalar_one()
        assert (nia_entry.status, nia_entry.appointment_id) == ("booked", appointment_id)
    assert statuses == {
        queue.patients["Nia"]: "accepted",
        queue.patients["Zed"]: "withdrawn",
        queue.patients["Ida"]: "withdrawn",
    }
    assert outbox(queue) == []
    assert accept(queue, offers["Nia"]) == appointment_id  # a retried "yes" is harmless


def test_expired_offer_is_refused_and_the_slot_passes_on(queue: Clinic) -> None:
    with UnitOfWork(queue.url) as uow:
        uow.session.get(Practice, queue.practice_id).settings = {"waitlist_offers_per_slot": 1}
        uow.commit()
    cancel_appointment(queue, queue.appointments["pat"])
    offers = offer_ids(queue)
    assert list(offers) == ["Zed"]
    later = NOW + timedelta(hours=3)  # offers last 2 hours
    with pytest.raises(OfferExpired):
        accept(queue, offers["Zed"], now=later)
    with UnitOfWork(queue.url) as uow:
        passed_on = waitlist.expire_offers(uow.session, now=later)
        uow.commit()
        assert len(passed_on) == 1
    assert outbox(queue, now=later) == [("Nia", "02 09:00")]


def test_nobody_is_offered_a_slot_already_taken(queue: Clinic) -> None:
    cancel_appointment(queue, queue.appointments["pat"])
    offers = offer_ids(queue)
    book(queue, "2026-06-02 09:00", patient="Pat")  # taken back before the texts went out
    assert outbox(queue) == []
    with pytest.raises(OfferNoLongerAvailable):
        accept(queue, offers["Zed"])
    with UnitOfWork(queue.url) as uow:
        assert (
            waitlist.offer_slot(
                uow.session,
                provider_id=queue.providers["Ada"],
                location_id=queue.location_id,
                starts_at=at("2026-06-02 09:00"),
                now=NOW,
            )
            == []
        )


def test_declining_passes_the_slot_to_the_next(queue: Clinic) -> None:
    with UnitOfWork(queue.url) as uow:
        uow.session.get(Practice, queue.practice_id).settings = {"waitlist_offers_per_slot": 1}
        uow.commit()
    cancel_appointment(queue, queue.appointments["pat"])
    with UnitOfWork(queue.url) as uow:
        made = waitlist.decline_offer(
            uow.session, offer_ids(queue)["Zed"], actor="patient", channel="sms", now=NOW
        )
        uow.commit()
        assert len(made) == 1
    assert outbox(queue) == [("Nia", "02 09:00")]


def test_leaving_the_waitlist_withdraws_offers(queue: Clinic) -> None:
    cancel_appointment(queue, queue.appointments["pat"])
    with UnitOfWork(queue.url) as uow:
        entry_id = uow.session.execute(
            select(WaitlistEntry.id).where(WaitlistEntry.patient_id == queue.patients["Zed"])
        ).scalar_one()
        waitlist.leave(uow.session, entry_id, actor="patient", channel="sms")
        uow.commit()
    with pytest.raises(OfferNoLongerAvailable):
        accept(queue, offer_ids(queue)["Zed"])
