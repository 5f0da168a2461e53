"""Sending through the official twilio client: to Prism (Twilio's API spec) for real requests,
to a scripted fake for 429/500 and Twilio's permanent errors."""

from __future__ import annotations

import re

import pytest
from twilio.base.exceptions import TwilioRestException

from assistant.db.models import SmsOptOut, UndeliverableNumber
from assistant.messaging.outbound import Outbound
from assistant.messaging.twilio_client import TwilioSender
from assistant.reminders import worker
from assistant.unit_of_work import UnitOfWork
from tests.factories.reminders import (
    BOOKED_AT,
    make_clinic,
    ny,
    plan,
    reminders_of,
    sending_outbound,
    sent_messages,
    settings_for,
)

SID = re.compile(r"^(SM|MM)[0-9a-fA-F]{32}$")


def _practice(url: str) -> int:
    with UnitOfWork(url) as uow:
        clinic = make_clinic(uow.session)
        uow.commit()
    return clinic.practice_id


def _send(outbound: Outbound, practice_id: int, to: str = "+15555550123"):
    return outbound.send(
        UnitOfWork.factory(outbound.settings.database_url),
        practice_id=practice_id,
        to=to,
        body="Test: hello",
        purpose="reply",
    )


def test_prism_accepts_our_messages_as_twilio_would(sqlite_url: str, prism_url: str) -> None:
    practice_id = _practice(sqlite_url)
    for sender in (
        {},
        {"TWILIO_MESSAGING_SERVICE_SID": "MG" + "b" * 32, "TWILIO_PHONE_NUMBER": ""},
    ):
        outbound = sending_outbound(settings_for(sqlite_url, prism_url, **sender))
        results = [_send(outbound, practice_id) for _ in range(2)]
        assert [r.status for r in results] == ["sent", "sent"]
        assert all(SID.match(r.twilio_sid or "") for r in results)
        assert results[0].twilio_sid != results[1].twilio_sid
    assert [m.status for m in sent_messages(sqlite_url)] == ["sent"] * 4


def test_prism_refuses_a_request_that_breaks_the_spec(sqlite_url: str, prism_url: str) -> None:
    """The check is real: a malformed parameter is answered 422, not accepted."""
    client = TwilioSender(settings_for(sqlite_url, prism_url)).client
    with pytest.raises(TwilioRestException) as refused:
        client.messages.create(
            to="+15555550123", from_="+15555550100", body="x", validity_period="soon"
        )
    assert refused.value.status == 422


def test_reminders_go_to_prism_and_keep_its_sid(world, prism_url: str) -> None:
    settings = settings_for(world.url, prism_url)
    plan(world.url, BOOKED_AT)
    counts = worker.run_once(settings, ny(2026, 11, 25, 10), outbound=sending_outbound(settings))
    assert counts["sent"] == 1
    (message,) = sent_messages(world.url)
    reminder = reminders_of(world.url, world.appointment_id)[0]
    assert (reminder.status, reminder.outbound_message_id) == ("sent", message.id)
    assert SID.match(reminder.twilio_sid) and reminder.twilio_sid == message.twilio_sid


def test_without_credentials_messages_are_recorded_not_sent(sqlite_url: str) -> None:
    result = _send(Outbound(settings_for(sqlite_url)), _practice(sqlite_url))
    assert (result.status, result.twilio_sid) == ("recorded", None)
    assert [m.status for m in sent_messages(sqlite_url)] == ["recorded"]


def test_429_and_500_are_retried_with_backoff(sqlite_url: str, fake_twilio) -> None:
    fake_twilio.then(429, 20429).then(500)
    sleeps: list[float] = []
    outbound = sending_outbound(settings_for(sqlite_url, fake_twilio.url), sleeps)
    result = _send(outbound, _practice(sqlite_url))
    assert result.status == "sent" and fake_twilio.posts == 3
    assert sleeps == [0.5, 1.0]


def test_retries_are_bounded_then_the_reminder_is_due_again_later(world, fake_twilio) -> None:
    for _ in range(4):
        fake_twilio.then(503)
    settings = settings_for(world.url, fake_twilio.url)
    sleeps: list[float] = []
    plan(world.url, BOOKED_AT)
    now = ny(2026, 11, 25, 10)
    counts = worker.run_once(settings, now, outbound=sending_outbound(settings, sleeps))
    assert counts["retry"] == 1 and fake_twilio.posts == 4
    assert sleeps == [0.5, 1.0, 2.0]
    reminder = reminders_of(world.url, world.appointment_id)[0]
    assert (reminder.status, reminder.attempts, reminder.outbound_message_id) == (
        "pending",
        1,
        None,
    )
    assert reminder.due_at > now
    # next pass after the delay: Twilio is back, the reminder goes, once
    counts = worker.run_once(settings, reminder.due_at, outbound=sending_outbound(settings))
    assert counts["sent"] == 1 and len(fake_twilio.accepted) == 1
    assert [m.status for m in sent_messages(world.url)] == ["failed", "sent"]


def _refused_for_good(world, fake_twilio, code: int) -> None:
    fake_twilio.then(400, code)
    settings = settings_for(world.url, fake_twilio.url)
    plan(world.url, BOOKED_AT)
    counts = worker.run_once(settings, ny(2026, 11, 25, 10), outbound=sending_outbound(settings))
    assert counts["failed"] == 1 and fake_twilio.posts == 1  # not retried
    # the number is marked: the next reminder is not even tried
    counts = worker.run_once(settings, ny(2026, 11, 30, 10), outbound=sending_outbound(settings))
    assert counts["skipped"] == 1 and fake_twilio.posts == 1


def test_21610_opted_out_at_twilio_marks_the_number_and_stops(world, fake_twilio) -> None:
    _refused_for_good(world, fake_twilio, 21610)
    with UnitOfWork(world.url) as uow:
        assert uow.session.get(SmsOptOut, "+15555550123").keyword == "twilio:21610"
    reasons = [r.skip_reason for r in reminders_of(world.url, world.appointment_id)][:2]
    assert reasons == ["opted_out", "opted_out"]


def test_21211_invalid_number_marks_the_number_and_stops(world, fake_twilio) -> None:
    _refused_for_good(world, fake_twilio, 21211)
    with UnitOfWork(world.url) as uow:
        assert uow.session.get(UndeliverableNumber, "+15555550123").reason == "invalid_number"


def test_30006_landline_marks_the_number_and_stops(world, fake_twilio) -> None:
    _refused_for_good(world, fake_twilio, 30006)
    with UnitOfWork(world.url) as uow:
        assert uow.session.get(UndeliverableNumber, "+15555550123").reason == "landline"


def test_an_opted_out_number_is_never_sent_to(sqlite_url: str, fake_twilio) -> None:
    practice_id = _practice(sqlite_url)
    with UnitOfWork(sqlite_url) as uow:
        uow.session.add(SmsOptOut(number="+15555550123", keyword="STOP"))
        uow.commit()
    result = _send(sending_outbound(settings_for(sqlite_url, fake_twilio.url)), practice_id)
    assert (result.status, result.error_code) == ("blocked", "opted_out")
    assert fake_twilio.posts == 0 and sent_messages(sqlite_url) == []
