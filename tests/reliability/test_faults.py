"""Faults at the edge: the dialogue slow, empty, erroring or talking nonsense; the database
unreachable, dropped or restarted in the middle of a conversation.

Expected: a caller hears an apology and can leave a message (a staff task); a texter is told a
staff member will follow up (a staff task; when the database itself is gone, the text waits in
the spool and becomes the task once it is back: tests/reliability/test_spool.py); Twilio never
sees a 5xx; nothing is stored twice. (The dialogue simply down, with nothing listening, is
covered by tests/webhooks/test_sms.py and test_voice.py.)

PostgreSQL is shared with other work, so it is never stopped: the "database down" cases use a
URL on a closed port, a database of this test's own that is dropped, or one of its own whose
connections are refused and cut (ALLOW_CONNECTIONS false + pg_terminate_backend), then allowed
again.
"""

from __future__ import annotations

import time
import uuid

import pytest
from sqlalchemy import select

from assistant.db.models import ConversationTurn, StaffTask, WebhookEvent
from assistant.unit_of_work import UnitOfWork
from tests.factories.databases import PG_ADMIN_URL
from tests.factories.reliability import (
    CALL_SID,
    PATIENT_PHONE,
    PRACTICE_PHONE,
    ScriptedRasa,
    Twilio,
    admin_sql,
    block_database,
    seed_practice,
    sms_twiml,
    unblock_database,
    voice_twiml,
)
from tests.factories.webhooks import closed_port_url, make_settings
from webhooks import create_app

TIMEOUT = 1.0  # RASA_TIMEOUT_SECONDS in these tests
FOLLOW_UP = "Thanks, we got your message. A staff member will follow up soon."
CALL = {"CallSid": CALL_SID, "From": PATIENT_PHONE, "To": PRACTICE_PHONE}


def _sms(body: str, n: int = 1) -> dict[str, str]:
    return {"MessageSid": f"SM{n:032d}", "From": PATIENT_PHONE, "To": PRACTICE_PHONE,
            "Body": body}  # fmt: skip


def _twilio(url: str, rasa: ScriptedRasa) -> Twilio:
    settings = make_settings(url, RASA_URL=rasa.url, RASA_TIMEOUT_SECONDS=str(TIMEOUT))
    return Twilio(create_app(settings).test_client())


def _tasks(url: str) -> list[StaffTask]:
    with UnitOfWork(url) as uow:
        rows = list(uow.session.execute(select(StaffTask)).scalars())
        uow.session.expunge_all()
    return rows


# --- The dialogue misbehaves ---------------------------------------------------------------------


def _slow(rasa: ScriptedRasa) -> None:
    rasa.before_answer = lambda _m: time.sleep(TIMEOUT + 1.5)


def _empty(rasa: ScriptedRasa) -> None:
    rasa.answer = lambda _m: []  # what Rasa answers when the action server is down


def _nonsense(rasa: ScriptedRasa) -> None:
    rasa.answer = lambda _m: {"error": "not a list"}  # type: ignore[return-value,assignment]


def _only_buttons(rasa: ScriptedRasa) -> None:
    rasa.answer = lambda _m: [{"recipient_id": "x", "buttons": [{"title": "Yes"}]}]


class _Erroring(ScriptedRasa):
    def wsgi(self, environ, start_response):
        self.received.append({})
        start_response("500 Internal Server Error", [("Content-Type", "text/html")])
        return [b"<html>oops</html>"]


FAULTS = {"slow": _slow, "empty": _empty, "nonsense": _nonsense, "buttons only": _only_buttons}


@pytest.mark.parametrize("fault", FAULTS)
def test_sms_with_the_dialogue_misbehaving_gets_a_follow_up_and_a_task(
    fault, sqlite_url, scripted_rasa
):
    seed_practice(sqlite_url)
    FAULTS[fault](scripted_rasa)
    twilio = _twilio(sqlite_url, scripted_rasa)
    started = time.monotonic()
    root = sms_twiml(twilio.post("/twilio/sms", _sms("can you move my appointment")))
    elapsed = time.monotonic() - started
    assert [m.text for m in root.iter("Message")] == [FOLLOW_UP]
    assert elapsed < TIMEOUT + 1.0  # Twilio waits 15 s at most; we answer well before
    [task] = _tasks(sqlite_url)
    assert "can you move my appointment" in task.summary and task.callback_number == PATIENT_PHONE


@pytest.mark.parametrize("fault", FAULTS)
def test_call_with_the_dialogue_misbehaving_hears_an_apology_and_can_leave_a_message(
    fault, sqlite_url, scripted_rasa
):
    seed_practice(sqlite_url)
    FAULTS[fault](scripted_rasa)
    twilio = _twilio(sqlite_url, scripted_rasa)
    voice_twiml(twilio.post("/twilio/voice", CALL))
    turn = {**CALL, "SpeechResult": "I need to cancel", "Confidence": "0.9"}
    started = time.monotonic()
    root = voice_twiml(twilio.post("/twilio/voice/gather?lang=en&step=2", turn))
    assert time.monotonic() - started < TIMEOUT + 1.0
    assert "I'm sorry" in root.find("Say").text
    record = root.find("Record")
    assert record is not None and record.get("action").startswith("/twilio/voice/voicemail")
    [task] = _tasks(sqlite_url)
    assert "I need to cancel" in task.summary


def test_rasa_answering_500_is_an_outage_not_an_error(sqlite_url):
    import threading

    from werkzeug.serving import make_server

    erroring = _Erroring()
    server = make_server("127.0.0.1", 0, erroring.wsgi, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    erroring.url = f"http://127.0.0.1:{server.server_port}"
    try:
        seed_practice(sqlite_url)
        twilio = _twilio(sqlite_url, erroring)
        root = sms_twiml(twilio.post("/twilio/sms", _sms("refill please")))
        assert [m.text for m in root.iter("Message")] == [FOLLOW_UP]
        assert len(_tasks(sqlite_url)) == 1 and len(erroring.received) == 1
    finally:
        server.shutdown()


def test_twilio_retrying_a_slow_turn_gets_the_same_answer_and_one_task(sqlite_url, scripted_rasa):
    """Twilio retries a webhook that timed out on its side: the retry must not add a second
    task or a second turn (the first delivery's answer is replayed)."""
    seed_practice(sqlite_url)
    _slow(scripted_rasa)
    twilio = _twilio(sqlite_url, scripted_rasa)
    first = twilio.post("/twilio/sms", _sms("call me back"))
    again = twilio.post("/twilio/sms", _sms("call me back"))
    assert again.get_data() == first.get_data()
    assert len(_tasks(sqlite_url)) == 1 and len(scripted_rasa.received) == 1


def test_the_dialogue_back_after_an_outage_answers_the_next_turn(sqlite_url, scripted_rasa):
    """Recovery needs no manual step: the turn after the outage reaches the dialogue."""
    seed_practice(sqlite_url)
    _empty(scripted_rasa)
    twilio = _twilio(sqlite_url, scripted_rasa)
    sms_twiml(twilio.post("/twilio/sms", _sms("hello", 1)))
    scripted_rasa.answer = lambda _m: [{"recipient_id": "x", "text": "Back again. How can I help?"}]
    root = sms_twiml(twilio.post("/twilio/sms", _sms("hello again", 2)))
    assert [m.text for m in root.iter("Message")] == ["Back again. How can I help?"]


# --- The database goes away ----------------------------------------------------------------------


def _closed_port_database() -> str:
    return closed_port_url().replace("http://", "postgresql://postgres@") + "/assistant"


@pytest.mark.parametrize(
    "database", ["closed port", "missing database"], ids=["closed-port", "missing-database"]
)
def test_database_unreachable_still_answers_twilio(database, scripted_rasa):
    if database == "closed port":
        url = _closed_port_database()
    else:
        url = PG_ADMIN_URL.rsplit("/", 1)[0] + f"/assistant_never_created_{uuid.uuid4().hex[:8]}"
    twilio = _twilio(url, scripted_rasa)
    started = time.monotonic()
    [said] = sms_twiml(twilio.post("/twilio/sms", _sms("hello"))).iter("Message")
    assert said.text == FOLLOW_UP  # kept in the spool (tests/reliability/test_spool.py)
    root = voice_twiml(twilio.post("/twilio/voice", CALL))
    assert "something went wrong" in root.find("Say").text and root.find("Record") is not None
    turn = {**CALL, "SpeechResult": "cancel", "Confidence": "0.9"}
    voice_twiml(twilio.post("/twilio/voice/gather?lang=en&step=2", turn))
    assert twilio.post("/twilio/status", {**CALL, "CallStatus": "completed"}).status_code == 204
    assert scripted_rasa.received == []  # nothing reached the dialogue without a record of it
    assert time.monotonic() - started < 10


def test_a_voicemail_left_while_the_database_is_down_does_not_loop(scripted_rasa):
    """The apology offers a recording; with the database down it is kept in the spool, and the
    caller is thanked and not asked again and again (the spool unwritable too: the apology,
    still without a new recording, in tests/reliability/test_spool.py)."""
    twilio = _twilio(_closed_port_database(), scripted_rasa)
    form = {**CALL, "RecordingUrl": "https://api.twilio.com/rec/RE9", "RecordingDuration": "8"}
    root = voice_twiml(twilio.post("/twilio/voice/voicemail?lang=en", form))
    assert root.find("Record") is None, "the caller would be asked to record again, forever"
    assert "we got your message and will call you back" in root.find("Say").text
    assert root.find("Hangup") is not None


@pytest.mark.postgres
def test_database_dropped_while_the_dialogue_thinks(own_postgres, scripted_rasa):
    """The turn was stored, then the database vanished before the answer could be: the caller
    still hears an apology and a way to leave a message; the next text waits in the spool."""
    twilio = _twilio(own_postgres, scripted_rasa)
    voice_twiml(twilio.post("/twilio/voice", CALL))
    name = own_postgres.rsplit("/", 1)[1]
    scripted_rasa.before_answer = lambda _m: admin_sql(f'DROP DATABASE "{name}" WITH (FORCE)')
    turn = {**CALL, "SpeechResult": "reschedule please", "Confidence": "0.9"}
    root = voice_twiml(twilio.post("/twilio/voice/gather?lang=en&step=2", turn))
    assert "something went wrong" in root.find("Say").text and root.find("Record") is not None
    scripted_rasa.before_answer = None
    [said] = sms_twiml(twilio.post("/twilio/sms", _sms("hello"))).iter("Message")
    assert said.text == FOLLOW_UP
    admin_sql(f'CREATE DATABASE "{name}"')  # for the fixture's clean-up


@pytest.mark.postgres
def test_database_restart_mid_conversation_recovers_without_manual_steps(
    own_postgres, scripted_rasa
):
    twilio = _twilio(own_postgres, scripted_rasa)
    scripted_rasa.answer = lambda m: [{"recipient_id": "x", "text": f"Noted: {m['message']}"}]
    sms_twiml(twilio.post("/twilio/sms", _sms("first", 1)))  # the pool now holds connections
    block_database(own_postgres)
    try:
        [said] = sms_twiml(twilio.post("/twilio/sms", _sms("second", 2))).iter("Message")
        assert said.text == FOLLOW_UP  # no 5xx while it is down; the text is in the spool
        call = voice_twiml(twilio.post("/twilio/voice", CALL))
        assert call.find("Record") is not None
    finally:
        unblock_database(own_postgres)
    # back: the stale pooled connections are replaced (pre-ping), the next text goes through
    root = sms_twiml(twilio.post("/twilio/sms", _sms("third", 3)))
    assert [m.text for m in root.iter("Message")] == ["Noted: third"]
    # Twilio retries the text that failed: it is processed now, once
    root = sms_twiml(twilio.post("/twilio/sms", _sms("second", 2)))
    assert [m.text for m in root.iter("Message")] == ["Noted: second"]
    with UnitOfWork(own_postgres) as uow:
        said_in = uow.session.execute(
            select(ConversationTurn.text)
            .where(ConversationTurn.direction == "in")
            .order_by(ConversationTurn.id)
        ).scalars()
        assert list(said_in) == ["first", "third", "second"]
        assert uow.session.get(WebhookEvent, f"sms:SM{2:032d}") is not None
