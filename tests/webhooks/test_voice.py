"""Voice at the edge: greeting, language choice, silence, a dialogue that is down, hang-ups."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from sqlalchemy import select

from assistant.db.models import Conversation, StaffTask
from assistant.unit_of_work import UnitOfWork
from tests.factories.webhooks import CALL, practice_with_patient, sign_and_post


def _twiml(response) -> ET.Element:
    assert response.status_code == 200
    return ET.fromstring(response.get_data(as_text=True))


def test_greeting_names_the_practice_and_offers_spanish(sqlite_url, signed_post):
    practice_with_patient(sqlite_url)
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
    practice_with_patient(sqlite_url)
    signed_post("/twilio/voice", CALL)
    root = _twiml(signed_post("/twilio/voice/gather?lang=en&step=1", {**CALL, "Digits": "2"}))
    gather = root.find("Gather")
    assert gather.get("language") == "es-US"
    assert "Gracias por llamar a Test Family Clinic" in gather.find("Say").text
    assert "lang=es" in gather.get("action")


def test_silence_gets_a_reprompt_not_dead_air(sqlite_url, signed_post):
    practice_with_patient(sqlite_url)
    signed_post("/twilio/voice", CALL)
    root = _twiml(signed_post("/twilio/voice/gather?lang=en&step=2", CALL))
    assert "didn't hear anything" in root.find("Gather/Say").text


def test_dialogue_down_offers_a_voicemail_that_becomes_a_task(sqlite_url, signed_post):
    practice_with_patient(sqlite_url)
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


def test_a_retried_voicemail_callback_is_kept_once(sqlite_url, signed_post):
    """Keyed by CallSid + RecordingSid (the key the spool's replay claims too)."""
    from assistant.db.models import ConversationTurn

    practice_with_patient(sqlite_url)
    voicemail = {**CALL, "RecordingUrl": "https://api.twilio.com/rec/RE2", "RecordingSid": "RE2"}
    for _ in range(2):
        root = _twiml(signed_post("/twilio/voice/voicemail?lang=en", voicemail))
        assert root.find("Hangup") is not None
    with UnitOfWork(sqlite_url) as uow:
        turns = uow.session.execute(select(ConversationTurn.text)).scalars().all()
        assert turns == ["[voicemail]"]
        assert len(uow.session.execute(select(StaffTask)).scalars().all()) == 1


def test_hang_up_mid_flow_is_recorded_as_abandoned(sqlite_url, signed_post):
    practice_with_patient(sqlite_url)
    signed_post("/twilio/voice", CALL)
    status = {**CALL, "CallStatus": "completed"}
    assert signed_post("/twilio/status", status).status_code == 204
    assert signed_post("/twilio/status", status).status_code == 204  # duplicate: no change
    with UnitOfWork(sqlite_url) as uow:
        conversation = uow.session.execute(select(Conversation)).scalar_one()
        assert (conversation.status, conversation.outcome) == ("closed", "abandoned")


def test_second_silence_takes_a_message_instead_of_looping(sqlite_url, signed_post):
    practice_with_patient(sqlite_url)
    signed_post("/twilio/voice", CALL)
    first = _twiml(signed_post("/twilio/voice/gather?lang=en&step=2", CALL))
    action = first.find("Gather").get("action")
    assert "silent=1" in action
    second = _twiml(signed_post(action, CALL))
    assert "still can't hear you" in second.find("Say").text
    assert second.find("Record") is not None
    with UnitOfWork(sqlite_url) as uow:
        task = uow.session.execute(select(StaffTask)).scalar_one()
        assert "caller silent" in task.summary


def test_low_confidence_is_read_back_and_only_sent_once_confirmed(
    sqlite_url, client_with_fake_rasa, fake_rasa
):
    practice_with_patient(sqlite_url)
    client = client_with_fake_rasa
    sign_and_post(client, "/twilio/voice", CALL)
    heard = {**CALL, "SpeechResult": "reschedule my appointment", "Confidence": "0.21"}
    root = _twiml(sign_and_post(client, "/twilio/voice/gather?lang=en&step=2", heard))
    assert "I think you said: reschedule my appointment" in root.find("Gather/Say").text
    assert fake_rasa.received == []  # nothing acted on yet
    fake_rasa.answers.append([{"recipient_id": "x", "text": "Sure, which appointment?"}])
    action = root.find("Gather").get("action")
    root = _twiml(
        sign_and_post(client, action, {**CALL, "SpeechResult": "yes", "Confidence": "0.9"})
    )
    assert [m["message"] for m in fake_rasa.received] == ["reschedule my appointment"]
    assert fake_rasa.received[0]["sender"].startswith("voice:")
    assert "+1555" not in fake_rasa.received[0]["sender"]  # no phone number reaches Rasa
    assert root.find("Gather/Say").text == "Sure, which appointment?"


def test_keypad_zero_asks_for_staff_and_a_handoff_takes_a_voicemail(
    sqlite_url, client_with_fake_rasa, fake_rasa
):
    practice_with_patient(sqlite_url)
    client = client_with_fake_rasa
    sign_and_post(client, "/twilio/voice", CALL)
    fake_rasa.answers.append(
        [{"recipient_id": "x", "custom": {"handoff": {"department": "front_desk"}}}]
    )
    root = _twiml(
        sign_and_post(client, "/twilio/voice/gather?lang=en&step=2", {**CALL, "Digits": "0"})
    )
    assert fake_rasa.received[0]["message"] == "/request_human"
    assert "Let me get you to our staff" in root.find("Say").text
    assert root.find("Record") is not None


def test_spanish_call_speaks_spanish_with_a_spanish_voice(
    sqlite_url, client_with_fake_rasa, fake_rasa
):
    practice_with_patient(sqlite_url)
    client = client_with_fake_rasa
    sign_and_post(client, "/twilio/voice", CALL)
    sign_and_post(client, "/twilio/voice/gather?lang=en&step=1", {**CALL, "Digits": "2"})
    fake_rasa.answers.append([{"recipient_id": "x", "text": "Claro, ¿qué cita desea cambiar?"}])
    speech = {**CALL, "SpeechResult": "quiero cambiar mi cita", "Confidence": "0.93"}
    root = _twiml(sign_and_post(client, "/twilio/voice/gather?lang=es&step=2", speech))
    say = root.find("Gather/Say")
    assert say.text == "Claro, ¿qué cita desea cambiar?"
    assert say.get("voice") == "Polly.Lupe-Neural" and say.get("language") == "es-US"
    assert fake_rasa.received[0]["metadata"]["language"] == "es"


def test_keypad_digit_is_the_menu_only_at_the_greeting(
    sqlite_url, client_with_fake_rasa, fake_rasa
):
    """1 at the greeting confirms; inside a task 1 is an answer (the first time offered), not
    the menu; once a task is done (the dialogue says `keypad_menu`) the menu works again."""
    practice_with_patient(sqlite_url)
    client = client_with_fake_rasa
    sign_and_post(client, "/twilio/voice", CALL)
    fake_rasa.answers.append([{"recipient_id": "x", "text": "What is your name?"}])
    sign_and_post(client, "/twilio/voice/gather?lang=en&step=2", {**CALL, "Digits": "1"})
    fake_rasa.answers.append(
        [{"recipient_id": "x", "text": "Done. Anything else?"},
         {"recipient_id": "x", "custom": {"keypad_menu": True}}]
    )  # fmt: skip
    sign_and_post(client, "/twilio/voice/gather?lang=en&step=3", {**CALL, "Digits": "1"})
    fake_rasa.answers.append([{"recipient_id": "x", "text": "When would work better?"}])
    sign_and_post(client, "/twilio/voice/gather?lang=en&step=4", {**CALL, "Digits": "4"})
    assert [m["message"] for m in fake_rasa.received] == [
        "/confirm_appointment",  # the greeting's menu
        "1",  # an answer inside the task
        "/reschedule_appointment",  # the task done: the menu again
    ]
