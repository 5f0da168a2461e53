"""The first path through every layer: a signed Twilio SMS answering a reminder is confirmed.

Twilio (signed request) -> Flask -> Rasa (trained model, REST channel) -> action server ->
assistant services -> database, and back as TwiML <Message>.
"""

from __future__ import annotations

import pytest
from sqlalchemy import select
from twilio.request_validator import RequestValidator

from assistant.db.models import Appointment, AuditEvent, Conversation
from assistant.unit_of_work import UnitOfWork
from tests.factories.webhooks import AUTH_TOKEN, PUBLIC_BASE_URL, messages
from webhooks import create_app

pytestmark = pytest.mark.rasa


@pytest.fixture
def text(dialogue_settings):
    client = create_app(dialogue_settings).test_client()
    counter = iter(range(10_000))

    def send(sender: str, body: str):
        params = {
            "MessageSid": f"SM{next(counter):032d}",
            "From": sender,
            "To": "+15555550100",
            "Body": body,
        }
        signature = RequestValidator(AUTH_TOKEN).compute_signature(
            PUBLIC_BASE_URL + "/twilio/sms", params
        )
        return client.post("/twilio/sms", data=params, headers={"X-Twilio-Signature": signature})

    return send


def test_reminder_reply_confirms_the_appointment(demo, text, live_db):
    maria = demo.english_demo
    response = text(maria.phone, "yes I'll be there")
    assert response.status_code == 200
    [reply] = messages(response)
    assert "is confirmed" in reply
    assert maria.location_name in reply
    with UnitOfWork(live_db) as uow:
        appointment = uow.session.get(Appointment, maria.appointment_id)
        assert appointment.status == "confirmed"
        last = appointment.history[-1]
        assert (last.action, last.actor, last.channel) == (
            "confirmed", f"patient:{maria.patient_id}", "sms"
        )  # fmt: skip
        audits = uow.session.execute(
            select(AuditEvent.action).where(AuditEvent.entity_id == maria.appointment_id)
        ).scalars()
        assert {"update", "disclose"} <= set(audits)
        conversation = uow.session.execute(
            select(Conversation)
            .where(Conversation.phone == maria.phone, Conversation.channel == "sms")
            .order_by(Conversation.id.desc())
            .limit(1)
        ).scalar_one()
        assert conversation.outcome == "confirmed"


def test_confirming_twice_says_it_was_already_confirmed(demo, text):
    maria = demo.english_demo
    text(maria.phone, "1")
    [reply] = messages(text(maria.phone, "yes"))
    assert "already confirmed" in reply


def test_spanish_reply_is_confirmed_in_spanish(demo, text, live_db):
    jose = demo.spanish_demo
    [reply] = messages(text(jose.phone, "si ahi estare"))
    assert "confirmada" in reply
    with UnitOfWork(live_db) as uow:
        assert uow.session.get(Appointment, jose.appointment_id).status == "confirmed"


def test_unknown_number_confirms_nothing_and_discloses_nothing(demo, text, live_db):
    """No reminder to answer: identity comes first (issue #17: confirming from a cold start);
    until then nothing is confirmed and nothing is said about any appointment."""
    [reply] = messages(text("+15555559999", "yes I'll be there"))
    assert "verify your identity" in reply
    assert demo.english_demo.provider_name not in reply
    with UnitOfWork(live_db) as uow:
        confirmed = uow.session.execute(
            select(Appointment).where(Appointment.status == "confirmed")
        ).scalars()
        before = {a.id for a in confirmed}
        assert demo.english_demo.appointment_id not in before
