"""Portal chat through the Flask app with a stand-in for Rasa's REST channel (the real Rasa
path is in test_chat_rasa.py): what is sent to the dialogue, what the patient sees."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from assistant.conversations import sessions as conversations
from assistant.db.models import AuditEvent, Conversation, PortalSession, StaffTask
from assistant.db.types import utcnow
from assistant.unit_of_work import UnitOfWork
from tests.factories.portal import Visitor, portal_settings
from tests.factories.webhooks import FakeRasa
from webhooks import create_app


def chat(visitor: Visitor, message: str, **extra):
    token = visitor.csrf("/portal/chat")
    return visitor.client.post(
        "/portal/chat",
        json={"message": message, **extra},
        headers={"X-CSRF-Token": token, "Accept": "application/json"},
    )


def with_fake_rasa(sqlite_url, demo, fake_rasa: FakeRasa) -> Visitor:
    app = create_app(portal_settings(sqlite_url, RASA_URL=fake_rasa.url))
    return Visitor(app.test_client(), sqlite_url, demo)


def test_chat_goes_to_rasa_as_a_verified_portal_conversation(sqlite_url, demo, fake_rasa):
    visitor = with_fake_rasa(sqlite_url, demo, fake_rasa)
    visitor.sign_in()
    fake_rasa.answers.append(
        [
            {"text": "Which visit would you like to move?"},
            {"buttons": [{"title": "Thu Dec 3", "payload": '/inform{"choice": 1}'}]},
        ]
    )
    response = chat(visitor, "I need to reschedule")
    assert response.status_code == 200
    data = response.get_json()
    assert data["messages"] == ["Which visit would you like to move?"]
    assert data["buttons"] == [{"title": "Thu Dec 3", "payload": '/inform{"choice": 1}'}]
    assert data["unavailable"] is False

    sent = fake_rasa.received[0]
    uid = sent["metadata"]["conversation_uid"]
    assert sent["sender"] == f"portal:{uid}"
    assert sent["metadata"]["channel"] == "portal" and sent["metadata"]["language"] == "en"
    assert sent["message"] == "I need to reschedule"
    assert demo.english_demo.phone not in str(sent)
    with UnitOfWork(sqlite_url) as uow:
        conversation = conversations.by_uid(uow.session, uid)
        conversation_id = conversation.id
        assert conversation.channel == "portal"
        assert conversation.verified_patient_id == demo.english_demo.patient_id
        assert [(t.direction, t.text) for t in conversation.turns] == [
            ("in", "I need to reschedule"),
            ("out", "Which visit would you like to move?"),
        ]
        audited = uow.session.execute(
            select(AuditEvent.detail).where(AuditEvent.conversation_id == conversation.id)
        ).scalars()
        assert any(d.get("basis") == "portal_session" for d in audited)

    # a quick reply sends its payload and shows its title
    fake_rasa.answers.append([{"text": "Done."}])
    chat(visitor, '/inform{"choice": 1}', shown="Thu Dec 3")
    assert fake_rasa.received[1]["message"] == '/inform{"choice": 1}'
    page = visitor.client.get("/portal/chat").get_data(as_text=True)
    assert "Thu Dec 3" in page and "Done." in page and 'aria-live="polite"' in page
    with UnitOfWork(sqlite_url) as uow:
        reads = uow.session.execute(
            select(AuditEvent.entity_id).where(
                AuditEvent.action == "read", AuditEvent.entity == "conversation"
            )
        ).scalars()
        assert set(reads) == {conversation_id}  # each page showing the transcript


def test_spanish_portal_talks_spanish_to_the_dialogue(sqlite_url, demo, fake_rasa):
    visitor = with_fake_rasa(sqlite_url, demo, fake_rasa)
    visitor.client.get("/portal/sign-in?lang=es")
    visitor.sign_in(demo.spanish_demo.phone, "15/07/1975")
    fake_rasa.answers.append([{"text": "Hola"}])
    chat(visitor, "hola")
    assert fake_rasa.received[0]["metadata"]["language"] == "es"


def test_when_rasa_is_down_the_message_becomes_a_staff_task(visitor: Visitor):
    visitor.sign_in()
    data = chat(visitor, "Can I bring my daughter to my visit?").get_json()
    assert data["unavailable"] is True
    assert "passed your message to our staff" in data["messages"][0]
    with UnitOfWork(visitor.database_url) as uow:
        task = uow.session.execute(
            select(StaffTask)
            .join(Conversation, Conversation.id == StaffTask.conversation_id)
            .where(Conversation.channel == "portal")
        ).scalar_one()
        assert task.status == "open" and task.summary.startswith("PORTAL message")
        assert "bring my daughter" in task.summary
        assert task.callback_number == visitor.demo.english_demo.phone


def test_chat_needs_the_csrf_header_and_a_live_session(visitor: Visitor):
    visitor.sign_in()
    token = visitor.csrf("/portal/chat")
    response = visitor.client.post("/portal/chat", json={"message": "hi"})
    assert response.status_code == 400
    with UnitOfWork(visitor.database_url) as uow:
        uow.session.execute(select(PortalSession)).scalar_one().last_seen_at = utcnow() - (
            timedelta(minutes=20)
        )
        uow.commit()
    response = visitor.client.post(
        "/portal/chat",
        json={"message": "cancel my appointment"},
        headers={"X-CSRF-Token": token, "Accept": "application/json"},
    )
    assert response.status_code == 401 and response.get_json() == {"error": "signed_out"}


def test_a_json_message_that_is_not_an_object_is_refused_not_a_crash(visitor: Visitor):
    """A JSON list or number instead of {"message": ...} was a 500 (found by schemathesis)."""
    visitor.sign_in()
    token = visitor.csrf("/portal/chat")
    for body in ([None, None], 7, "hello"):
        response = visitor.client.post(
            "/portal/chat",
            json=body,
            headers={"X-CSRF-Token": token, "Accept": "application/json"},
        )
        assert response.status_code == 400, body
        assert response.get_json() == {"error": "empty"}
