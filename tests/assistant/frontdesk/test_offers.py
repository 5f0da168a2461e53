"""Offered times as the dialogue keeps them: the JSON stored trackers and signed portal forms
hold stays exactly what it was when offers were plain dicts, and reads back to the same offer."""

from __future__ import annotations

import json
from datetime import date, datetime, timezone

import pytest
from sqlalchemy import delete, select

from assistant.db.models import Appointment, AppointmentType, Location, Provider, ProviderSchedule
from assistant.demo.seed import seed_demo
from assistant.frontdesk import service
from assistant.frontdesk.offers import OfferedTime
from assistant.identity.service import verify_for
from assistant.scheduling.preferences import TimePreference
from assistant.unit_of_work import UnitOfWork
from tests.factories.dialogues import conversation

TODAY = date(2026, 6, 1)  # a Monday; Maria's follow-up with Dr. Chen is on Tuesday 2 June
NOW = datetime(2026, 6, 1, 16, 0, tzinfo=timezone.utc)


@pytest.fixture
def maria(sqlite_url):
    with UnitOfWork(sqlite_url) as uow:
        demo = seed_demo(uow.session, today=TODAY, now=NOW)
        uow.commit()
    uid = conversation(sqlite_url, demo.practice_id, demo.english_demo.phone)
    assert verify_for(UnitOfWork(sqlite_url), uid, "Maria Lopez", "03/03/1982", "en").verified
    return uid, demo.english_demo.appointment_id


def _ids(url: str, provider: str) -> dict[str, int]:
    with UnitOfWork(url) as uow:
        by_name = {p.display_name: p.id for p in uow.session.execute(select(Provider)).scalars()}
        location = uow.session.execute(select(Location.id).where(Location.name ==
                                       "Main Street Office")).scalar_one()  # fmt: skip
        follow_up = uow.session.execute(
            select(AppointmentType.id).where(AppointmentType.code == "follow_up")
        ).scalar_one()
    return {"provider_id": by_name[provider], "location_id": location,
            "appointment_type_id": follow_up}  # fmt: skip


def _offers(url: str, uid: str, visit: int, said: str, language: str, channel: str):
    result = service.options_for(UnitOfWork(url), uid, visit, said, language, channel, now=NOW)
    assert result.status == service.DONE and result.options
    return result.options


def test_an_offer_is_kept_as_the_json_it_always_was(maria, sqlite_url):
    """What `views.option_data` wrote before offers were typed (captured on this seed)."""
    uid, visit = maria
    first = _offers(sqlite_url, uid, visit, "Tuesday afternoon", "en", "sms")[0]
    expected = {
        **_ids(sqlite_url, "Dr. Chen"),
        "starts_at": "2026-06-02T17:00:00+00:00",
        "local_date": "2026-06-02",
        "hour": 13,
        "minute": 0,
        "label": "Tue Jun 2, 1:00 PM with Dr. Chen at Main Street Office",
        "any_provider": False,
        "preference": {"part_of_day": "afternoon", "weekdays": [1]},
    }
    assert json.dumps(first.to_slot()) == json.dumps(expected)  # the keys in the same order
    spoken = _offers(sqlite_url, uid, visit, "el jueves por la mañana", "es", "voice")[0]
    assert spoken.to_slot()["label"] == (
        "jueves 4 de junio a las 8:00 con Dr. Chen en Main Street Office"
    )
    assert spoken.to_slot()["preference"] == {"part_of_day": "morning", "weekdays": [3]}


def test_a_colleagues_first_offer_says_who_had_nothing(maria, sqlite_url):
    uid, visit = maria
    with UnitOfWork(sqlite_url) as uow:  # Dr. Chen away
        chen = uow.session.get(Appointment, visit).provider_id
        uow.session.execute(delete(ProviderSchedule).where(ProviderSchedule.provider_id == chen))
        uow.commit()
    first, second, *_ = _offers(sqlite_url, uid, visit, "a weekday morning", "en", "sms")
    expected = {
        **_ids(sqlite_url, "Emily Park, NP"),
        "starts_at": "2026-06-02T12:30:00+00:00",
        "local_date": "2026-06-02",
        "hour": 8,
        "minute": 30,
        "label": "Tue Jun 2, 8:30 AM with Emily Park, NP at Main Street Office",
        "any_provider": True,
        "preference": {"part_of_day": "morning"},
        "instead_of": "Dr. Chen",
        "provider": "Emily Park, NP",
    }
    assert json.dumps(first.to_slot()) == json.dumps(expected)
    assert "instead_of" not in second.to_slot() and "provider" not in second.to_slot()


def test_an_offer_reads_back_as_itself(maria, sqlite_url):
    uid, visit = maria
    for offer in _offers(sqlite_url, uid, visit, "Tuesday afternoon", "en", "sms"):
        assert OfferedTime.from_slot(offer.to_slot()) == offer
        assert OfferedTime.from_slot(json.loads(json.dumps(offer.to_slot()))) == offer


def test_an_offer_kept_without_its_optional_keys_is_read():
    """A slot written before minutes and the search's wish were kept (a stored tracker)."""
    kept = {"provider_id": "4", "location_id": 2, "appointment_type_id": 3,
            "starts_at": "2026-06-02T17:30:00+00:00", "local_date": "2026-06-02", "hour": 13,
            "label": "Tue Jun 2, 1:30 PM with Dr. Chen at Main Street Office"}  # fmt: skip
    offer = OfferedTime.from_slot(kept)
    assert (offer.provider_id, offer.minute, offer.any_provider, offer.preference) == (
        4, None, None, None,
    )  # fmt: skip
    assert offer.to_slot() == {**kept, "provider_id": 4}
    request = offer.request(patient_id=9)
    assert (request.patient_id, request.provider_id, request.location_id) == (9, 4, 2)
    assert request.starts_at == datetime(2026, 6, 2, 17, 30, tzinfo=timezone.utc)
    with_wish = OfferedTime.from_slot({**kept, "preference": {"part_of_day": "afternoon"}})
    assert with_wish.preference == TimePreference(part_of_day="afternoon")
