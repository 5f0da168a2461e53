"""Inbound SMS at the edge: keywords, opt-outs, retries, and a dialogue that is down."""

from __future__ import annotations

from sqlalchemy import select

from assistant.db.models import Conversation, ConversationTurn, SmsOptOut, StaffTask
from assistant.unit_of_work import UnitOfWork
from tests import factories
from tests.factories.webhooks import messages, sign_and_post

PATIENT = "+15555550123"


def sms(body: str, sid: str = "SM" + "a" * 32, sender: str = PATIENT, **extra: str):
    return {"MessageSid": sid, "From": sender, "To": "+15555550100", "Body": body, **extra}


def _setup(url: str, language: str = "en") -> None:
    with UnitOfWork(url) as uow:
        p = factories.practice(uow.session)
        factories.patient(uow.session, p, language=language)
        uow.commit()


def test_dialogue_down_takes_a_message_and_loses_nothing(sqlite_url, signed_post):
    _setup(sqlite_url)
    response = signed_post("/twilio/sms", sms("can i get my lab results"))
    assert response.status_code == 200
    assert messages(response) == [
        "Thanks, we got your message. A staff member will follow up soon."
    ]
    with UnitOfWork(sqlite_url) as uow:
        task = uow.session.execute(select(StaffTask)).scalar_one()
        assert "can i get my lab results" in task.summary
        assert task.callback_number == PATIENT
        conversation = uow.session.execute(select(Conversation)).scalar_one()
        assert conversation.outcome == "message_taken"
        turns = [(t.direction, t.text) for t in conversation.turns]
        assert turns[0] == ("in", "can i get my lab results")
        assert turns[1][0] == "out"


def test_spanish_speaker_gets_spanish(sqlite_url, signed_post):
    _setup(sqlite_url, language="es")
    response = signed_post("/twilio/sms", sms("necesito mis resultados"))
    assert messages(response)[0].startswith("Gracias, recibimos su mensaje")


def test_retry_of_the_same_message_is_answered_once(sqlite_url, signed_post):
    _setup(sqlite_url)
    first = signed_post("/twilio/sms", sms("please call me back"))
    again = signed_post("/twilio/sms", sms("please call me back"))
    assert again.get_data() == first.get_data()
    with UnitOfWork(sqlite_url) as uow:
        assert len(uow.session.execute(select(StaffTask)).scalars().all()) == 1
        inbound = uow.session.execute(
            select(ConversationTurn).where(ConversationTurn.direction == "in")
        ).scalars()
        assert len(list(inbound)) == 1


def test_stop_opts_out_and_confirms_once(sqlite_url, signed_post):
    _setup(sqlite_url)
    response = signed_post("/twilio/sms", sms("STOP"))
    assert "no longer receive texts" in messages(response)[0]
    with UnitOfWork(sqlite_url) as uow:
        assert uow.session.get(SmsOptOut, PATIENT) is not None
    # Texting after opting out: no reply may be sent, but a person is asked to call back.
    response = signed_post("/twilio/sms", sms("when is my appointment", sid="SM" + "b" * 32))
    assert messages(response) == []
    with UnitOfWork(sqlite_url) as uow:
        task = uow.session.execute(select(StaffTask)).scalar_one()
        assert "opting out" in task.summary


def test_cancel_alone_is_an_opt_out_but_cancel_my_appointment_is_not(sqlite_url, signed_post):
    _setup(sqlite_url)
    signed_post("/twilio/sms", sms("cancel my appointment"))
    with UnitOfWork(sqlite_url) as uow:
        assert uow.session.get(SmsOptOut, PATIENT) is None
    signed_post("/twilio/sms", sms("Cancel", sid="SM" + "c" * 32))
    with UnitOfWork(sqlite_url) as uow:
        assert uow.session.get(SmsOptOut, PATIENT) is not None


def test_start_opts_back_in(sqlite_url, signed_post):
    _setup(sqlite_url)
    signed_post("/twilio/sms", sms("stop"))
    response = signed_post("/twilio/sms", sms("START", sid="SM" + "d" * 32))
    assert "receive texts from us again" in messages(response)[0]
    with UnitOfWork(sqlite_url) as uow:
        assert uow.session.get(SmsOptOut, PATIENT) is None


def test_picture_without_text_gets_a_text_only_answer(sqlite_url, signed_post):
    _setup(sqlite_url)
    response = signed_post("/twilio/sms", sms("", NumMedia="1"))
    assert messages(response) == [
        "Sorry, we can only read text messages here. Please type your message."
    ]


def test_malformed_request_is_a_clear_400(signed_post, sqlite_url):
    _setup(sqlite_url)
    response = signed_post("/twilio/sms", {"Body": "hello"})
    assert response.status_code == 400
    assert b"MessageSid" in response.data


def test_reply_to_a_reminder_digit_is_a_menu_choice(sqlite_url, client_with_fake_rasa, fake_rasa):
    from datetime import datetime, timedelta, timezone

    with UnitOfWork(sqlite_url) as uow:
        p = factories.practice(uow.session)
        person = factories.patient(uow.session, p)
        appt = factories.appointment(
            uow.session, p, person, datetime.now(timezone.utc) + timedelta(days=1)
        )
        factories.reminder(uow.session, appt, PATIENT)
        uow.commit()
    fake_rasa.answers.append([{"recipient_id": "x", "text": "Su cita está confirmada."}])
    response = sign_and_post(client_with_fake_rasa, "/twilio/sms", sms("1"))
    assert fake_rasa.received[0]["message"] == "/confirm_appointment"
    assert messages(response) == ["Su cita esta confirmada."]  # kept in one GSM-7 segment
    # Without an outstanding reminder a digit is just text for the dialogue.
    fake_rasa.answers.append([{"recipient_id": "x", "text": "ok"}])
    sign_and_post(
        client_with_fake_rasa, "/twilio/sms", sms("2", sid="SM" + "e" * 32, sender="+15555550177")
    )
    assert fake_rasa.received[1]["message"] == "2"


def test_unknown_number_writing_spanish_is_answered_in_spanish(
    sqlite_url, client_with_fake_rasa, fake_rasa
):
    _setup(sqlite_url)  # the practice's patient is on another number and prefers English
    fake_rasa.answers.append([{"recipient_id": "x", "text": "Claro. ¿Cuál es su nombre?"}])
    stranger = "+15555550999"
    sign_and_post(
        client_with_fake_rasa, "/twilio/sms", sms("hola quiero una cita", sender=stranger)
    )
    assert fake_rasa.received[0]["metadata"]["language"] == "es"
    # The session keeps its language when the next text says nothing either way.
    fake_rasa.answers.append([{"recipient_id": "x", "text": "Gracias."}])
    sign_and_post(
        client_with_fake_rasa, "/twilio/sms", sms("1", sid="SM" + "f" * 32, sender=stranger)
    )
    assert fake_rasa.received[1]["metadata"]["language"] == "es"
    with UnitOfWork(sqlite_url) as uow:
        conversation = uow.session.execute(
            select(Conversation).where(Conversation.phone == stranger)
        ).scalar_one()
        assert conversation.language == "es"


def test_english_text_from_a_spanish_preferring_patient_gets_english(sqlite_url, signed_post):
    _setup(sqlite_url, language="es")
    response = signed_post("/twilio/sms", sms("i need my lab results please"))
    assert messages(response)[0].startswith("Thanks, we got your message")
