"""Voice reminders: an outbound call placed once, its TwiML, and its keypad menu end to end."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from datetime import timedelta

import pytest
from flask.testing import FlaskClient
from sqlalchemy import select
from twilio.request_validator import RequestValidator

from assistant.db.models import (
    Appointment,
    AppointmentHistory,
    AppointmentType,
    OutboundMessage,
    StaffTask,
)
from assistant.reminders import policy, sending, worker
from assistant.unit_of_work import UnitOfWork
from tests.factories.reminders import (
    BOOKED_AT,
    ny,
    plan,
    reminders_of,
    sending_outbound,
    settings_for,
)
from webhooks import create_app

CALL_DAY = ny(2026, 12, 1, 10)  # the day before VISIT, at the visit's time: the call is due


def _voice_only(world, sms: list[int] | None = None, voice: list[int] | None = None) -> None:
    with UnitOfWork(world.url) as uow:
        kind = uow.session.get(AppointmentType, world.clinic.follow_up_id)
        kind.reminder_offsets_days = [] if sms is None else sms
        kind.voice_reminder_offsets_days = [1] if voice is None else voice
        uow.commit()


def _call_placed(world, fake_twilio) -> OutboundMessage:
    _voice_only(world)
    plan(world.url, BOOKED_AT)
    settings = settings_for(world.url, fake_twilio.url)
    counts = worker.run_once(settings, CALL_DAY, outbound=sending_outbound(settings))
    assert counts["sent"] == 1
    with UnitOfWork(world.url) as uow:
        message = uow.session.execute(select(OutboundMessage)).scalar_one()
        uow.session.expunge(message)
    return message


def test_a_type_with_voice_offsets_is_also_called(world) -> None:
    _voice_only(world, sms=[7, 2, 1], voice=[3])
    plan(world.url, BOOKED_AT)
    rows = reminders_of(world.url, world.appointment_id)
    assert sorted((r.channel, r.offset_days) for r in rows) == [
        ("sms", 1), ("sms", 2), ("sms", 7), ("voice", 3)
    ]  # fmt: skip


def test_the_call_is_placed_once_with_its_twiml_url(world, fake_twilio) -> None:
    message = _call_placed(world, fake_twilio)
    (call,) = fake_twilio.calls
    assert call["to"] == "+15555550123" and call["from"] == "+15555550100"
    assert call["url"] == f"https://clinic.example.org/twilio/reminder-call?m={message.id}"
    assert call["form"]["MachineDetection"] == "Enable"
    assert call["form"]["StatusCallback"] == "https://clinic.example.org/twilio/status"
    (reminder,) = reminders_of(world.url, world.appointment_id)
    assert reminder.channel == "voice" and reminder.status == "sent"
    assert reminder.twilio_sid == call["sid"] and call["sid"].startswith("CA")
    assert message.purpose == "voice_reminder"
    assert message.body == (
        "Hello, this is Test Family Clinic with a reminder of your appointment on Wednesday,"
        " December 2 at 10 AM at Main Street Office."
        " Press 1 to confirm, 2 to reschedule, or 3 to talk to someone."
    )
    # a second pass places no second call
    settings = settings_for(world.url, fake_twilio.url)
    worker.run_once(settings, CALL_DAY + timedelta(hours=1), outbound=sending_outbound(settings))
    assert len(fake_twilio.calls) == 1


def test_a_crash_after_twilio_placed_the_call_does_not_call_again(
    world, fake_twilio, monkeypatch
) -> None:
    _voice_only(world)
    plan(world.url, BOOKED_AT)
    fake_twilio.clock = CALL_DAY
    settings = settings_for(world.url, fake_twilio.url)

    def die(*_args):
        raise KeyboardInterrupt("crash before the CallSid was stored")

    monkeypatch.setattr(sending, "finish", die)
    with pytest.raises(KeyboardInterrupt):
        worker.run_once(settings, CALL_DAY, outbound=sending_outbound(settings))
    monkeypatch.undo()
    later = CALL_DAY + policy.LEASE + timedelta(seconds=1)
    counts = worker.run_once(settings, later, outbound=sending_outbound(settings))
    assert counts["recovered"] == 1 and len(fake_twilio.calls) == 1
    assert (
        reminders_of(world.url, world.appointment_id)[0].twilio_sid == fake_twilio.calls[0]["sid"]
    )


def test_prism_accepts_our_calls_as_twilio_would(world, prism_url: str) -> None:
    _voice_only(world)
    plan(world.url, BOOKED_AT)
    settings = settings_for(world.url, prism_url)
    counts = worker.run_once(settings, CALL_DAY, outbound=sending_outbound(settings))
    assert counts == {"planned": 0, "claimed": 1, "sent": 1}
    assert reminders_of(world.url, world.appointment_id)[0].twilio_sid.startswith("CA")


# --- the call, answered -------------------------------------------------------------------------

TOKEN = "0123456789abcdef0123456789abcdef"
PUBLIC = "https://clinic.example.org"


def _client(world, fake_twilio) -> FlaskClient:
    return create_app(settings_for(world.url, fake_twilio.url)).test_client()


def _post(client: FlaskClient, path: str, params: dict[str, str], *, signed: bool = True):
    signature = RequestValidator(TOKEN).compute_signature(PUBLIC + path, params)
    headers = {"X-Twilio-Signature": signature if signed else "x"}
    return client.post(path, data=params, headers=headers)


def _twiml(response) -> ET.Element:
    assert response.status_code == 200, response.get_data(as_text=True)
    return ET.fromstring(response.get_data(as_text=True))


def _said(root: ET.Element) -> list[str]:
    return [say.text or "" for say in root.iter("Say")]


def _press(client, message: OutboundMessage, digits: str):
    params = {"CallSid": "CA" + "1" * 32, "Digits": digits, "To": message.to_number}
    return _twiml(_post(client, f"/twilio/reminder-call/answer?m={message.id}&tries=1", params))


def _appointment(world) -> Appointment:
    with UnitOfWork(world.url) as uow:
        appointment = uow.session.get(Appointment, world.appointment_id)
        uow.session.expunge(appointment)
        return appointment


def test_the_answered_call_says_the_reminder_and_offers_the_keypad(world, fake_twilio) -> None:
    message = _call_placed(world, fake_twilio)
    client = _client(world, fake_twilio)
    path = f"/twilio/reminder-call?m={message.id}"
    params = {"CallSid": "CA" + "1" * 32, "AnsweredBy": "human", "To": message.to_number}
    root = _twiml(_post(client, path, params))
    (gather,) = root.iter("Gather")
    assert gather.get("input") == "dtmf" and gather.get("numDigits") == "1"
    assert gather.get("action").startswith(f"/twilio/reminder-call/answer?m={message.id}")
    assert _said(root) == [message.body]
    assert _post(client, path, params, signed=False).status_code == 403


def test_an_answering_machine_hears_no_menu(world, fake_twilio) -> None:
    message = _call_placed(world, fake_twilio)
    params = {"CallSid": "CA" + "1" * 32, "AnsweredBy": "machine_end_beep"}
    root = _twiml(
        _post(_client(world, fake_twilio), f"/twilio/reminder-call?m={message.id}", params)
    )
    assert list(root.iter("Gather")) == [] and list(root.iter("Hangup"))
    (said,) = _said(root)
    assert "December 2" in said and "press" not in said.lower()


def test_pressing_1_confirms_the_appointment_once(world, fake_twilio) -> None:
    message = _call_placed(world, fake_twilio)
    client = _client(world, fake_twilio)
    assert _said(_press(client, message, "1")) == [
        "Thank you, your appointment is confirmed. Goodbye."
    ]
    assert _appointment(world).status == "confirmed"
    assert _said(_press(client, message, "1")) == [  # Twilio's retry: the same answer
        "Thank you, your appointment is confirmed. Goodbye."
    ]
    with UnitOfWork(world.url) as uow:
        history = uow.session.execute(select(AppointmentHistory.action)).scalars().all()
    assert history.count("confirmed") == 1


def test_pressing_2_asks_staff_to_call_back_to_reschedule(world, fake_twilio) -> None:
    message = _call_placed(world, fake_twilio)
    said = _said(_press(_client(world, fake_twilio), message, "2"))
    assert said == ["Someone from our office will call you back to find a new time. Goodbye."]
    assert _appointment(world).status == "booked"
    with UnitOfWork(world.url) as uow:
        task = uow.session.execute(select(StaffTask)).scalar_one()
        assert task.callback_number == "+15555550123" and task.patient_id == world.patient_id
        assert "reschedule" in task.summary


def test_pressing_3_asks_staff_to_call_back(world, fake_twilio) -> None:
    message = _call_placed(world, fake_twilio)
    said = _said(_press(_client(world, fake_twilio), message, "3"))
    assert said == ["Someone from our office will call you back shortly. Goodbye."]
    with UnitOfWork(world.url) as uow:
        (task,) = uow.session.execute(select(StaffTask)).scalars().all()
        assert "talk to someone" in task.summary


def test_another_key_repeats_the_menu_once(world, fake_twilio) -> None:
    message = _call_placed(world, fake_twilio)
    root = _press(_client(world, fake_twilio), message, "7")
    assert _said(root) == ["Sorry, please press 1, 2 or 3."] and list(root.iter("Gather"))


def test_the_call_outcome_reaches_the_reminder(world, fake_twilio) -> None:
    message = _call_placed(world, fake_twilio)
    params = {"CallSid": message.twilio_sid, "CallStatus": "no-answer"}
    assert _post(_client(world, fake_twilio), "/twilio/status", params).status_code == 204
    (reminder,) = reminders_of(world.url, world.appointment_id)
    assert reminder.delivery_status == "no-answer"


def test_silence_repeats_the_reminder_once_then_says_goodbye(world, fake_twilio) -> None:
    message = _call_placed(world, fake_twilio)
    client = _client(world, fake_twilio)
    params = {"CallSid": "CA" + "2" * 32, "Digits": ""}
    first = _twiml(_post(client, f"/twilio/reminder-call/answer?m={message.id}&tries=1", params))
    assert _said(first) == [message.body] and list(first.iter("Gather"))
    second = _twiml(_post(client, f"/twilio/reminder-call/answer?m={message.id}&tries=2", params))
    assert _said(second) == [
        "We did not get an answer. Please call us to confirm or change it. Goodbye."
    ]
    assert list(second.iter("Gather")) == [] and _appointment(world).status == "booked"
