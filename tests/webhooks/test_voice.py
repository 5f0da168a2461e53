"""Voice at the edge: greeting, language choice, silence, a dialogue that is down, hang-ups."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from sqlalchemy import select

from assistant.db.models import Conversation, StaffTask
from assistant.unit_of_work import UnitOfWork
from tests import factories

CALL = {"CallSid": "CA" + "7" * 32, "From": "+15555550123", "To": "+15555550100"}


def _twiml(response) -> ET.Element:
    assert response.status_code == 200
    return ET.fromstring(response.get_data(as_text=True))


def _setup(url: str) -> None:
    with UnitOfWork(url) as uow:
        factories.patient(uow.session, factories.practice(uow.session))
        uow.commit()


def test_greeting_names_the_practice_and_offers_spanish(sqlite_url, signed_post):
    _setup(sqlite_url)
    root = _twiml(signed_post("/twilio/voice", CALL))
    gather = root.find("Gather")
    assert gather.get("input") == "speech dtmf"
    assert gather.get("language") == "en-US"
    assert gather.get("actionOnEmptyResult") == "true"
    said = gather.find("Say").text
    assert "Test Family Clinic" in said
    assert "This call may be recorded." in said
    assert "Para español, oprima dos." in said


def test_pressing_two_switches_to_spanish(sqlite_url, signed_post):
    _setup(sqlite_url)
    signed_post("/twilio/voice", CALL)
    root = _twiml(signed_post("/twilio/voice/gather?lang=en&step=1", {**CALL, "Digits": "2"}))
    gather = root.find("Gather")
    assert gather.get("language") == "es-US"
    assert "Gracias por llamar a Test Family Clinic" in gather.find("Say").text
    assert "lang=es" in gather.get("action")


def test_silence_gets_a_reprompt_not_dead_air(sqlite_url, signed_post):
    _setup(sqlite_url)
    signed_post("/twilio/voice", CALL)
    root = _twiml(signed_post("/twilio/voice/gather?lang=en&step=2", CALL))
    assert "didn't hear anything" in root.find("Gather/Say").text


def test_dialogue_down_offers_a_voicemail_that_becomes_a_task(sqlite_url, signed_post):
    _setup(sqlite_url)
    signed_post("/twilio/voice", CALL)
    speech = {**CALL, "SpeechResult": "i need a refill", "Confidence": "0.9"}
    root = _twiml(signed_post("/twilio/voice/gather?lang=en&step=2", speech))
    assert "leave your name" in root.find("Say").text
    record = root.find("Record")
    assert record is not None and record.get("action").startswith("/twilio/voice/voicemail")
    voicemail = {**CALL, "RecordingUrl": "https://api.twilio.com/rec/RE1", "RecordingDuration": "9"}
    root = _twiml(signed_post(record.get("action"), voicemail))
    assert root.find("Hangup") is not None
    with UnitOfWork(sqlite_url) as uow:
        summaries = [t.summary for t in uow.session.execute(select(StaffTask)).scalars()]
    assert any("i need a refill" in s for s in summaries)


def test_hang_up_mid_flow_is_recorded_as_abandoned(sqlite_url, signed_post):
    _setup(sqlite_url)
    signed_post("/twilio/voice", CALL)
    status = {**CALL, "CallStatus": "completed"}
    assert signed_post("/twilio/status", status).status_code == 204
    assert signed_post("/twilio/status", status).status_code == 204  # duplicate: no change
    with UnitOfWork(sqlite_url) as uow:
        conversation = uow.session.execute(select(Conversation)).scalar_one()
        assert (conversation.status, conversation.outcome) == ("closed", "abandoned")
