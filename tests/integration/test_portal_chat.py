"""Portal chat end to end: a signed-in patient reschedules through the real Rasa server and
action server, is never asked who they are, and sees the new time in the portal's list."""

from __future__ import annotations

import dataclasses
import re

import pytest
from sqlalchemy import select

from assistant.db.models import Appointment, OutboundMessage
from assistant.demo.seed import seed_demo
from assistant.timefmt import format_when
from assistant.unit_of_work import UnitOfWork
from tests.factories.portal import Visitor
from webhooks import create_app

pytestmark = pytest.mark.rasa


@pytest.fixture
def visitor(dialogue_settings, live_db) -> Visitor:
    with UnitOfWork(live_db) as uow:
        demo = seed_demo(uow.session)
        uow.commit()
    local = dataclasses.replace(  # sign-in codes recorded, not sent
        dialogue_settings, twilio_account_sid=None, twilio_auth_token=None
    )
    return Visitor(create_app(local).test_client(), live_db, demo)


def _chat(visitor: Visitor):
    token = visitor.csrf("/portal/chat")

    def say(text: str) -> dict:
        response = visitor.client.post(
            "/portal/chat",
            json={"message": text},
            headers={"X-CSRF-Token": token, "Accept": "application/json"},
        )
        data = response.get_json()
        assert response.status_code == 200 and not data["unavailable"], data
        data["text"] = " ".join(data["messages"])
        return data

    return say


def test_signed_in_patient_confirms_through_the_chat_without_a_reminder(visitor: Visitor, live_db):
    maria = visitor.demo.english_demo
    with UnitOfWork(live_db) as uow:  # no reminder to answer: a cold start
        for message in uow.session.execute(select(OutboundMessage)).scalars():
            uow.session.delete(message)
        uow.commit()
    visitor.sign_in()
    say = _chat(visitor)
    reply = say("just confirming my appointment")["text"]
    assert "name" not in reply and "date of birth" not in reply  # already verified
    assert "is confirmed" in reply and maria.provider_name in reply
    with UnitOfWork(live_db) as uow:
        assert uow.session.get(Appointment, maria.appointment_id).status == "confirmed"


def test_signed_in_patient_reschedules_through_the_chat(visitor: Visitor, live_db):
    maria = visitor.demo.english_demo
    visitor.sign_in()
    say = _chat(visitor)

    first = say("I need to reschedule my appointment")["text"]
    assert "name" not in first and "date of birth" not in first  # already verified
    assert "1) " in first and "2) " in first  # the soonest times at once
    offer = say("as soon as possible")
    assert "1) " in offer["text"] and "2) " in offer["text"]
    # the offered times come back as quick-reply buttons; pressing the second one says it
    second = offer["buttons"][1]
    assert offer["text"].split("2) ", 1)[1].startswith(second["title"])
    confirm = say(second["payload"])
    assert "To confirm: move your appointment on" in confirm["text"]
    assert [b["title"] for b in confirm["buttons"]] == ["Yes", "No"]
    assert "You're all set" in say(confirm["buttons"][0]["payload"])["text"]

    with UnitOfWork(live_db) as uow:
        old = uow.session.get(Appointment, maria.appointment_id)
        assert old.status == "rescheduled"
        new = uow.session.get(Appointment, old.rescheduled_to_id)
        assert new.history[-1].channel == "portal"
        new_when = format_when(new.starts_at, new.location.time_zone)
    listing = visitor.client.get("/portal/appointments").get_data(as_text=True)
    assert new_when in re.sub(r"\s+", " ", listing)
