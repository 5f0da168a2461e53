"""A caller who speaks Spanish without pressing 2 is answered in Spanish from then on, and told
so (issue #16, class 4)."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from sqlalchemy import select

from assistant.db.models import Conversation
from assistant.unit_of_work import UnitOfWork
from tests.factories.webhooks import CALL, practice_with_patient, sign_and_post


def _twiml(response) -> ET.Element:
    assert response.status_code == 200
    return ET.fromstring(response.get_data(as_text=True))


def test_spanish_heard_switches_the_call_to_spanish(sqlite_url, client_with_fake_rasa, fake_rasa):
    practice_with_patient(sqlite_url)
    client = client_with_fake_rasa
    sign_and_post(client, "/twilio/voice", CALL)
    fake_rasa.answers.append([{"recipient_id": "x", "text": "Claro, primero su nombre."}])
    speech = {**CALL, "SpeechResult": "quiero cambiar mi cita para el martes", "Confidence": "0.9"}
    root = _twiml(sign_and_post(client, "/twilio/voice/gather?lang=en&step=1", speech))
    gather = root.find("Gather")
    assert gather.get("language") == "es-US" and "lang=es" in gather.get("action")
    say = gather.find("Say")
    assert say.text == "Muy bien, le atiendo en español. Claro, primero su nombre."
    assert say.get("voice") == "Polly.Lupe-Neural"
    assert fake_rasa.received[0]["metadata"]["language"] == "es"
    assert fake_rasa.events == []  # Rasa's session starts in Spanish from the metadata
    with UnitOfWork(sqlite_url) as uow:
        conversation = uow.session.execute(select(Conversation)).scalar_one()
        assert conversation.language == "es"


def test_english_and_a_lone_hola_stay_in_english(sqlite_url, client_with_fake_rasa, fake_rasa):
    practice_with_patient(sqlite_url)
    client = client_with_fake_rasa
    sign_and_post(client, "/twilio/voice", CALL)
    for step, said in enumerate(["hola", "I need to reschedule my appointment"], start=1):
        fake_rasa.answers.append([{"recipient_id": "x", "text": "Sure."}])
        speech = {**CALL, "SpeechResult": said, "Confidence": "0.9"}
        root = _twiml(sign_and_post(client, f"/twilio/voice/gather?lang=en&step={step}", speech))
        assert root.find("Gather").get("language") == "en-US"
        assert root.find("Gather/Say").text == "Sure."
    assert fake_rasa.events == []


def test_spanish_later_in_the_call_switches_rasa_too(sqlite_url, client_with_fake_rasa, fake_rasa):
    practice_with_patient(sqlite_url)
    client = client_with_fake_rasa
    sign_and_post(client, "/twilio/voice", CALL)
    fake_rasa.answers.append([{"recipient_id": "x", "text": "Sure."}])
    first = {**CALL, "SpeechResult": "um hello", "Confidence": "0.9"}
    sign_and_post(client, "/twilio/voice/gather?lang=en&step=1", first)
    fake_rasa.answers.append([{"recipient_id": "x", "text": "Claro."}])
    second = {
        **CALL,
        "SpeechResult": "perdon no hablo ingles, quiero una cita",
        "Confidence": "0.9",
    }
    root = _twiml(sign_and_post(client, "/twilio/voice/gather?lang=en&step=2", second))
    assert root.find("Gather/Say").text == "Muy bien, le atiendo en español. Claro."
    sender = fake_rasa.received[1]["sender"]
    assert fake_rasa.events == [
        {
            "path": f"/conversations/{sender}/tracker/events",
            "event": "slot",
            "name": "language",
            "value": "es",
        }
    ]
