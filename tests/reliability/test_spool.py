"""Never lose a message while the database is down: signed texts, voicemails and status
callbacks are kept in the spool, answered truthfully, and replayed once the database is back.

"Database down" as in test_faults.py: on PostgreSQL a database of the test's own whose
connections are refused and cut (ALLOW_CONNECTIONS false + pg_terminate_backend), then allowed
again; on SQLite the directory holding the database file moved away, then back (a volume gone
and remounted; SQLite opens the file afresh for every connection). Also: a URL on a closed port
(down for good), an unwritable spool (the old apologies), and an unexpected error that is not
the database (the old apology, nothing kept).
"""

from __future__ import annotations

import logging
import os
import stat
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy import select

from assistant.console import tasks as console_tasks
from assistant.db import migrate
from assistant.db.models import (
    ConversationTurn,
    OutboundMessage,
    Practice,
    StaffTask,
    StaffUser,
    WebhookEvent,
)
from assistant.messages import translate
from assistant.reminders import worker
from assistant.spool import Spool
from assistant.unit_of_work import UnitOfWork
from tests.factories.reliability import (
    CALL_SID,
    PATIENT_PHONE,
    PRACTICE_PHONE,
    ScriptedRasa,
    Twilio,
    block_database,
    row_counts,
    seed_practice,
    sms_twiml,
    unblock_database,
    voice_twiml,
)
from tests.factories.webhooks import closed_port_url, make_settings
from webhooks import create_app

SMS_SORRY = "Sorry, we could not process your message. Please call our office."
SMS_SORRY_ES = "Lo sentimos, no pudimos procesar su mensaje. Llame a nuestra oficina, por favor."
VOICEMAIL_SORRY = (
    "I'm sorry, we could not save your message. Please call us again a little later. Goodbye."
)
VOICEMAIL_SORRY_ES = (
    "Lo siento, no pudimos guardar su mensaje. Llámenos de nuevo un poco más tarde, por favor."
    " Adiós."
)
VOICE_SORRY_ES = (
    "Lo siento, tuvimos un problema de nuestro lado. Después del tono, deje su nombre y su"
    " número, y le devolveremos la llamada."
)
FOLLOW_UP = "Thanks, we got your message. A staff member will follow up soon."
FOLLOW_UP_ES = translate("es", "sms.message_taken")
VOICEMAIL_KEPT = "Thank you, we got your message and will call you back. Goodbye."
OTHER_PHONE = "+15555550188"  # nobody's number
WORDS = "Please call me, I need to reschedule my appointment on Friday"
WORDS_ES = "hola, necesito cambiar mi cita por favor"
RECORDING = "https://api.twilio.com/2010-04-01/Accounts/AC1/Recordings/RE" + "4" * 32
REMINDER_SID = "SM" + "8" * 32
CALL = {"CallSid": CALL_SID, "From": PATIENT_PHONE, "To": PRACTICE_PHONE}


def _sms(body: str, n: int, sender: str = PATIENT_PHONE) -> dict[str, str]:
    return {"MessageSid": f"SM{n:032d}", "From": sender, "To": PRACTICE_PHONE, "Body": body}


def _said(response) -> list[str]:
    return [m.text or "" for m in sms_twiml(response).iter("Message")]


@dataclass
class Outage:
    url: str
    down: Callable[[], None]
    up: Callable[[], None]


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def outage(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Outage]:
    """A seeded database of the test's own that the test takes down and brings back."""
    if request.param == "postgresql":
        url = request.getfixturevalue("own_postgres")
        yield Outage(url, lambda: block_database(url), lambda: unblock_database(url))
        return
    home, away = tmp_path / "db", tmp_path / "db-away"
    home.mkdir()
    url = f"sqlite:///{home / 'assistant.sqlite3'}"
    migrate.upgrade(url)
    seed_practice(url)
    yield Outage(url, lambda: home.rename(away), lambda: away.rename(home))
    if away.exists():
        away.rename(home)


def _seed_staff_and_reminder(url: str) -> None:
    """A front-desk login (whose queue the tasks must reach) and a reminder Twilio delivers."""
    with UnitOfWork(url) as uow:
        practice_id = uow.session.execute(select(Practice.id)).scalar_one()
        uow.session.add(
            StaffUser(
                practice_id=practice_id,
                email="desk@clinic.example",
                name="Desk",
                password_hash="x",
                role="front_desk",
            )
        )
        uow.session.add(
            OutboundMessage(
                practice_id=practice_id,
                to_number=PATIENT_PHONE,
                body="Reminder",
                purpose="reminder",
                status="sent",
                twilio_sid=REMINDER_SID,
            )
        )
        uow.commit()


def _tasks(url: str) -> list[StaffTask]:
    with UnitOfWork(url) as uow:
        rows = list(uow.session.execute(select(StaffTask).order_by(StaffTask.id)).scalars())
        uow.session.expunge_all()
    return rows


def _queue_summaries(url: str) -> list[str]:
    """What the front desk sees in the console's queue."""
    with UnitOfWork(url) as uow:
        desk = uow.session.execute(select(StaffUser)).scalar_one()
        return [row.summary for row in console_tasks.queue(uow.session, desk)]


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_an_outage_loses_no_message(
    outage: Outage, scripted_rasa: ScriptedRasa, tmp_path: Path, caplog
) -> None:
    caplog.set_level(logging.DEBUG)
    _seed_staff_and_reminder(outage.url)
    spool = Spool(tmp_path / "spool")
    settings = make_settings(outage.url, RASA_URL=scripted_rasa.url, SPOOL_DIR=str(spool.directory))
    client = create_app(settings).test_client()
    twilio = Twilio(client)
    english, spanish = _sms(WORDS, 1), _sms(WORDS_ES, 2, OTHER_PHONE)
    voicemail = {
        **CALL,
        "RecordingUrl": RECORDING,
        "RecordingSid": "RE" + "4" * 32,
        "RecordingDuration": "12",
    }

    outage.down()
    try:
        first = twilio.post("/twilio/sms", english)
        assert _said(first) == [FOLLOW_UP]
        assert _said(twilio.post("/twilio/sms", spanish)) == [FOLLOW_UP_ES]
        retry = twilio.post("/twilio/sms", english)  # Twilio retries: the same answer ...
        assert retry.get_data() == first.get_data()
        assert len(spool.paths()) == 2  # ... and nothing new kept
        # a call: the apology offers a recording, which is kept; thanks, and goodbye
        record = voice_twiml(twilio.post("/twilio/voice", CALL)).find("Record")
        root = voice_twiml(twilio.post(record.get("action"), voicemail))
        assert [s.text for s in root.iter("Say")] == [VOICEMAIL_KEPT]
        assert root.find("Hangup") is not None and root.find("Record") is None
        delivered = {"MessageSid": REMINDER_SID, "MessageStatus": "delivered"}
        assert twilio.post("/twilio/status", delivered).status_code == 204
        # unsigned while the database is down: refused, never kept
        unsigned = client.post("/twilio/sms", data=_sms("forged", 3))
        assert unsigned.status_code == 403
        forged = client.post(
            "/twilio/sms",
            data=_sms("forged", 4),
            headers={"X-Twilio-Signature": "bm90IGEgc2lnbmF0dXJl"},
        )
        assert forged.status_code == 403
        assert len(spool.paths()) == 4
        assert _mode(spool.directory) == 0o700
        assert all(_mode(path) == 0o600 for path in spool.paths())
        assert scripted_rasa.received == []  # the dialogue heard nothing it has no record of
        assert worker.replay_spool(settings) == {"kept": 4}  # a tick while still down
    finally:
        outage.up()

    # the database is back: the worker's next tick replays
    assert worker.replay_spool(settings) == {"replayed": 4}
    assert spool.is_empty()
    tasks = _tasks(outage.url)
    assert len(tasks) == 3  # one per text, one for the voicemail
    by_number = {task.callback_number: task for task in tasks if "Text" in task.summary}
    assert by_number[PATIENT_PHONE].summary == f"Text received while our system was down: {WORDS}"
    assert by_number[PATIENT_PHONE].patient_id is not None  # matched by phone
    assert by_number[OTHER_PHONE].summary.endswith(WORDS_ES)
    assert by_number[OTHER_PHONE].patient_id is None
    [call_task] = [task for task in tasks if task.summary.startswith("Voicemail")]
    assert RECORDING in call_task.summary and call_task.callback_number == PATIENT_PHONE
    assert sorted(_queue_summaries(outage.url)) == sorted(task.summary for task in tasks)
    with UnitOfWork(outage.url) as uow:
        assert uow.session.execute(select(OutboundMessage.status)).scalar_one() == "delivered"
        said_in = list(
            uow.session.execute(
                select(ConversationTurn.text).where(ConversationTurn.direction == "in")
            ).scalars()
        )
        assert sorted(said_in) == sorted([WORDS, WORDS_ES, "[voicemail]"])
    counts = row_counts(outage.url)

    # again: nothing new; and a Twilio retry of the text gets the answer it got, nothing more
    assert worker.replay_spool(settings) == {}
    assert twilio.post("/twilio/sms", english).get_data() == first.get_data()
    assert row_counts(outage.url) == counts
    assert scripted_rasa.received == []
    for words in (WORDS, WORDS_ES, PATIENT_PHONE, OTHER_PHONE, RECORDING):
        assert words not in caplog.text


def test_a_retry_served_after_the_outage_makes_the_replay_a_duplicate(
    outage: Outage, scripted_rasa: ScriptedRasa, tmp_path: Path
) -> None:
    """Twilio retried the text once the database was back, before the worker's tick: the
    dialogue answers it (once), and the replay adds nothing."""
    scripted_rasa.answer = lambda m: [{"recipient_id": "x", "text": f"Noted: {m['message']}"}]
    spool = Spool(tmp_path / "spool")
    settings = make_settings(outage.url, RASA_URL=scripted_rasa.url, SPOOL_DIR=str(spool.directory))
    twilio = Twilio(create_app(settings).test_client())
    outage.down()
    try:
        assert _said(twilio.post("/twilio/sms", _sms("second", 2))) == [FOLLOW_UP]
    finally:
        outage.up()
    assert _said(twilio.post("/twilio/sms", _sms("second", 2))) == ["Noted: second"]
    assert worker.replay_spool(settings) == {"duplicate": 1}
    assert spool.is_empty() and _tasks(outage.url) == []
    with UnitOfWork(outage.url) as uow:
        turns = uow.session.execute(
            select(ConversationTurn.text).where(ConversationTurn.direction == "in")
        ).scalars()
        assert list(turns) == ["second"]
        assert uow.session.get(WebhookEvent, f"sms:SM{2:032d}").response is not None


def _closed_port_database() -> str:
    return closed_port_url().replace("http://", "postgresql://postgres@") + "/assistant"


def test_no_unsigned_request_is_ever_kept(tmp_path: Path) -> None:
    """Every Twilio route checks the signature before its handler runs: with the database down,
    an unsigned request on any of them is a 403 and the spool stays empty."""
    spool = Spool(tmp_path / "spool")
    app = create_app(make_settings(_closed_port_database(), SPOOL_DIR=str(spool.directory)))
    client = app.test_client()
    routes = sorted(
        rule.rule
        for rule in app.url_map.iter_rules()
        if rule.rule.startswith("/twilio/") and "POST" in (rule.methods or ())
    )
    assert "/twilio/sms" in routes and "/twilio/voice/voicemail" in routes
    form = {
        **_sms("forged", 9),
        **CALL,
        "RecordingUrl": RECORDING,
        "MessageStatus": "failed",
        "CallStatus": "completed",
    }
    for route in routes:
        assert client.post(route, data=form).status_code == 403, route
    assert spool.is_empty() and not spool.directory.exists()


def test_an_unwritable_spool_keeps_the_old_answers(tmp_path: Path) -> None:
    """The database down and the spool unwritable too (here a file where its directory should
    be; a full disk is the same OSError): the apologies of before, and no recording loop."""
    blocker = tmp_path / "not-a-directory"
    blocker.write_text("")
    settings = make_settings(_closed_port_database(), SPOOL_DIR=str(blocker / "spool"))
    twilio = Twilio(create_app(settings).test_client())
    assert _said(twilio.post("/twilio/sms", _sms(WORDS, 1))) == [SMS_SORRY]
    form = {**CALL, "RecordingUrl": RECORDING, "RecordingDuration": "5"}
    root = voice_twiml(twilio.post("/twilio/voice/voicemail?lang=en", form))
    assert [s.text for s in root.iter("Say")] == [VOICEMAIL_SORRY]
    assert root.find("Hangup") is not None and root.find("Record") is None
    delivered = {"MessageSid": REMINDER_SID, "MessageStatus": "delivered"}
    assert twilio.post("/twilio/status", delivered).status_code == 204


def test_a_voicemail_without_a_recording_is_not_kept(tmp_path: Path) -> None:
    spool = Spool(tmp_path / "spool")
    settings = make_settings(_closed_port_database(), SPOOL_DIR=str(spool.directory))
    twilio = Twilio(create_app(settings).test_client())
    root = voice_twiml(twilio.post("/twilio/voice/voicemail?lang=es", CALL))
    assert [s.text for s in root.iter("Say")] == [VOICEMAIL_SORRY_ES]  # the caller's language
    assert root.find("Say").get("language") == "es-US"
    assert spool.is_empty()


def test_a_spanish_caller_and_texter_get_the_outage_apologies_in_spanish(tmp_path: Path) -> None:
    """The database down and the spool unwritable: the apologies in the language the request
    tells (a call's `lang`, a text's words), and the recording keeps the caller's language."""
    blocker = tmp_path / "not-a-directory"
    blocker.write_text("")
    settings = make_settings(_closed_port_database(), SPOOL_DIR=str(blocker / "spool"))
    twilio = Twilio(create_app(settings).test_client())
    assert _said(twilio.post("/twilio/sms", _sms(WORDS_ES, 1))) == [SMS_SORRY_ES]
    turn = {**CALL, "SpeechResult": "necesito cambiar mi cita", "Confidence": "0.9"}
    root = voice_twiml(twilio.post("/twilio/voice/gather?lang=es&step=2", turn))
    assert [s.text for s in root.iter("Say")] == [VOICE_SORRY_ES]
    assert root.find("Say").get("language") == "es-US"
    assert root.find("Record").get("action") == "/twilio/voice/voicemail?lang=es"
    form = {**CALL, "RecordingUrl": RECORDING, "RecordingDuration": "5"}
    root = voice_twiml(twilio.post("/twilio/voice/voicemail?lang=es", form))
    assert [s.text for s in root.iter("Say")] == [VOICEMAIL_SORRY_ES]


def test_a_spanish_caller_is_thanked_in_spanish(tmp_path: Path) -> None:
    spool = Spool(tmp_path / "spool")
    settings = make_settings(_closed_port_database(), SPOOL_DIR=str(spool.directory))
    twilio = Twilio(create_app(settings).test_client())
    form = {**CALL, "RecordingUrl": RECORDING}
    root = voice_twiml(twilio.post("/twilio/voice/voicemail?lang=es", form))
    [say] = root.iter("Say")
    assert say.text.startswith("Gracias, recibimos su mensaje") and say.get("language") == "es-US"
    [path] = spool.paths()
    assert spool.load(path).context == {"language": "es"}


def test_stop_during_an_outage_is_kept_and_not_answered_with_a_follow_up(tmp_path: Path) -> None:
    spool = Spool(tmp_path / "spool")
    settings = make_settings(_closed_port_database(), SPOOL_DIR=str(spool.directory))
    twilio = Twilio(create_app(settings).test_client())
    assert _said(twilio.post("/twilio/sms", _sms("STOP", 1))) == []
    [path] = spool.paths()
    assert spool.load(path).context["keyword"] == "stop"
    picture = {**_sms("", 2), "NumMedia": "1"}  # a picture alone: asked for words, not kept
    assert _said(twilio.post("/twilio/sms", picture)) == [translate("en", "sms.text_only")]
    assert len(spool.paths()) == 1


def test_other_errors_keep_the_old_apology_and_nothing_is_kept(
    sqlite_url: str, tmp_path: Path, monkeypatch
) -> None:
    """Only the database being unavailable is spooled: a bug is not a reason to keep (and
    replay, and fail again) a request."""
    from webhooks.twilio import sms

    def broken(*_args, **_kwargs):
        raise RuntimeError("a bug")

    monkeypatch.setattr(sms.inbound, "receive", broken)
    spool = Spool(tmp_path / "spool")
    seed_practice(sqlite_url)
    settings = make_settings(sqlite_url, SPOOL_DIR=str(spool.directory))
    twilio = Twilio(create_app(settings).test_client())
    assert _said(twilio.post("/twilio/sms", _sms(WORDS, 1))) == [SMS_SORRY]
    assert spool.is_empty()


def test_the_spool_is_counted_on_healthz(tmp_path: Path) -> None:
    spool = Spool(tmp_path / "spool")
    settings = make_settings(_closed_port_database(), SPOOL_DIR=str(spool.directory))
    client = create_app(settings).test_client()
    assert client.get("/healthz").get_json()["spool_waiting"] == 0
    Twilio(client).post("/twilio/sms", _sms(WORDS, 1))
    body = client.get("/healthz").get_json()
    assert body["spool_waiting"] == 1 and body["checks"]["database"] == "down"
    assert WORDS not in str(body)


def test_kept_items_hold_only_what_the_replay_needs(tmp_path: Path) -> None:
    spool = Spool(tmp_path / "spool")
    settings = make_settings(_closed_port_database(), SPOOL_DIR=str(spool.directory))
    twilio = Twilio(create_app(settings).test_client())
    form = {**_sms(WORDS, 1), "AccountSid": "AC" + "a" * 32, "FromCity": "SPRINGFIELD"}
    twilio.post("/twilio/sms", form)
    [path] = spool.paths()
    item = spool.load(path)
    assert set(item.data) == {"MessageSid", "From", "To", "Body"}
    answer = ET.fromstring(item.context["response"])
    assert [m.text for m in answer.iter("Message")] == [FOLLOW_UP] == [item.context["reply"]]
    assert os.stat(path).st_uid == os.getuid()


def test_a_recording_after_a_transfer_nobody_took_is_kept(tmp_path: Path) -> None:
    """The transfer's own voicemail route answers its errors itself (never_5xx): with the
    database down it keeps the recording too, instead of asking for it again."""
    spool = Spool(tmp_path / "spool")
    settings = make_settings(_closed_port_database(), SPOOL_DIR=str(spool.directory))
    twilio = Twilio(create_app(settings).test_client())
    form = {**CALL, "RecordingUrl": RECORDING, "RecordingSid": "RE1", "RecordingDuration": "7"}
    root = voice_twiml(twilio.post("/twilio/transfer/recorded?transfer=3&lang=en", form))
    assert [s.text for s in root.iter("Say")] == [VOICEMAIL_KEPT]
    assert root.find("Record") is None and root.find("Hangup") is not None
    [path] = spool.paths()
    assert spool.load(path).data["RecordingUrl"] == RECORDING
