"""PostgreSQL really crashed and started again, in the middle of conversations, a booking and a
reminder batch (a private server: see private_postgres.py; the shared one is never stopped).

Expected: Twilio never sees a 5xx; a texter gets an answer and a caller an apology with a way to
leave a message while the database is down; once it is back the next turn goes through with no
manual step (the pool's pre-ping replaces the dead connections); nothing is stored twice, a
committed booking survives the crash and an interrupted one leaves nothing behind; every patient
of a reminder batch is texted exactly once.

While the database is down the app either apologises (webhooks/twilio/errors.py) or, once
messages are spooled to disk, thanks the patient for the message: both are accepted here.
"""

from __future__ import annotations

import logging
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import event, func, select
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from assistant.config import Settings
from assistant.db.engine import get_engine, get_session_factory
from assistant.db.models import (
    Appointment,
    AppointmentHistory,
    AuditEvent,
    Conversation,
    ConversationTurn,
    Patient,
    StaffTask,
)
from assistant.demo.seed import seed_demo
from assistant.reminders import policy, worker
from assistant.unit_of_work import UnitOfWork
from dialogues.actions import context
from dialogues.actions.book import ActionAskBookTypeChoice
from dialogues.actions.router import ActionRouteTask
from tests.assistant.reminders.celery_worker import wait_until
from tests.assistant.reminders.fake_twilio import FakeTwilio
from tests.factories.dialogues import (
    book_through_form,
    conversation,
    run,
    slots_of,
    submit_booking,
    tracker,
)
from tests.factories.reliability import (
    PATIENT_PHONE,
    PRACTICE_PHONE,
    ScriptedRasa,
    Twilio,
    row_counts,
    seed_practice,
    sms_twiml,
    voice_twiml,
)
from tests.factories.reminders import (
    BOOKED_AT,
    REMINDERS_DUE,
    all_reminders,
    assert_each_sent_once,
    patients_with_visits,
    plan,
    sent_reminders,
    settings_for,
)
from tests.factories.webhooks import make_settings
from tests.reliability.private_postgres import (  # noqa: F401 - fixtures
    PrivatePostgres,
    private_postgres,
    restartable_db,
)
from webhooks import create_app

pytestmark = pytest.mark.postgres

TIMEOUT = 2.0  # RASA_TIMEOUT_SECONDS
SPOOLED = "we got your message"  # the answer once messages are spooled while the database is down

SMS_SORRY = "Sorry, we could not process your message. Please call our office."
VOICE_SORRY = (
    "I'm sorry, something went wrong on our side. Please leave your name and number after the"
    " tone and we will call you back."
)
VOICEMAIL_SORRY = (
    "I'm sorry, we could not save your message. Please call us again a little later. Goodbye."
)


def _sms(body: str, n: int) -> dict[str, str]:
    return {"MessageSid": f"SM{n:032d}", "From": PATIENT_PHONE, "To": PRACTICE_PHONE,
            "Body": body}  # fmt: skip


def _call(n: int, caller: str = PATIENT_PHONE) -> dict[str, str]:
    return {"CallSid": f"CA{n:032d}", "From": caller, "To": PRACTICE_PHONE}


def _settings(url: str, rasa: ScriptedRasa) -> Settings:
    """The app's settings (its spool: a fresh temporary directory)."""
    return make_settings(url, RASA_URL=rasa.url, RASA_TIMEOUT_SECONDS=str(TIMEOUT))


def _twilio(url: str, rasa: ScriptedRasa, settings: Settings | None = None) -> Twilio:
    return Twilio(create_app(settings or _settings(url, rasa)).test_client())


def _noting(rasa: ScriptedRasa) -> None:
    rasa.answer = lambda m: [{"recipient_id": "x", "text": f"Noted: {m['message']}"}]


def _texted(response) -> list[str]:
    return [m.text or "" for m in sms_twiml(response).iter("Message")]


def _outage_text(response) -> str:
    """What a texter reads while the database is down: one message, the apology or the thanks
    for a message kept for staff."""
    said = _texted(response)
    assert len(said) == 1, said
    assert said[0] == SMS_SORRY or SPOOLED in said[0].lower(), said
    return said[0]


def _spoken(root) -> str:
    return " ".join((s.text or "").strip() for s in root.iter("Say"))


def _turns(url: str, direction: str) -> list[str]:
    with UnitOfWork(url) as uow:
        return list(
            uow.session.execute(
                select(ConversationTurn.text)
                .where(ConversationTurn.direction == direction)
                .order_by(ConversationTurn.id)
            ).scalars()
        )


class PoolWatch:
    """Counts what the engine's pool does across the restart: new DBAPI connections and
    connections thrown away as dead."""

    def __init__(self, url: str) -> None:
        self.engine = get_engine(url)
        self.connects = 0
        self.invalidated = 0
        event.listen(self.engine, "connect", self._connect)
        event.listen(self.engine, "invalidate", self._invalidate)

    def _connect(self, *_args: object) -> None:
        self.connects += 1

    def _invalidate(self, *_args: object) -> None:
        self.invalidated += 1

    def close(self) -> None:
        event.remove(self.engine, "connect", self._connect)
        event.remove(self.engine, "invalidate", self._invalidate)


# --- a) an SMS conversation ----------------------------------------------------------------------


def test_sms_conversation_across_a_crash_recovers_and_stores_each_turn_once(
    private_postgres: PrivatePostgres,  # noqa: F811
    restartable_db: str,  # noqa: F811
    scripted_rasa: ScriptedRasa,
) -> None:
    url = restartable_db
    seed_practice(url)
    _noting(scripted_rasa)
    twilio = _twilio(url, scripted_rasa)
    pool = PoolWatch(url)

    assert _texted(twilio.post("/twilio/sms", _sms("hello", 1))) == ["Noted: hello"]
    assert _texted(twilio.post("/twilio/sms", _sms("I need to move my visit", 2))) == [
        "Noted: I need to move my visit"
    ]
    connects_before = pool.connects

    # The server crashes while the dialogue is thinking: the turn is stored, its answer is not.
    def crash(message: dict) -> None:
        if message["message"] == "is Tuesday free":
            private_postgres.stop("immediate")

    scripted_rasa.before_answer = crash
    started = time.monotonic()
    crashed_turn = _outage_text(twilio.post("/twilio/sms", _sms("is Tuesday free", 3)))
    crash_answer_seconds = time.monotonic() - started
    scripted_rasa.before_answer = None
    assert not private_postgres.running()

    # Texts while it is down are answered safely, and not passed to a dialogue without a record.
    heard = len(scripted_rasa.received)
    down_answers = [
        _outage_text(twilio.post("/twilio/sms", _sms("anyone there?", 4))),
        _outage_text(twilio.post("/twilio/sms", _sms("hello??", 5))),
    ]
    assert len(scripted_rasa.received) == heard

    # Back: the next text goes through with no manual step.
    back = time.monotonic()
    start_seconds = private_postgres.start()
    ready = time.monotonic()
    assert _texted(twilio.post("/twilio/sms", _sms("thanks", 6))) == ["Noted: thanks"]
    first_turn = time.monotonic()

    # Twilio retries the texts that failed while it was down: each is processed once.
    assert _texted(twilio.post("/twilio/sms", _sms("anyone there?", 4))) == ["Noted: anyone there?"]
    assert _texted(twilio.post("/twilio/sms", _sms("hello??", 5))) == ["Noted: hello??"]
    again = twilio.post("/twilio/sms", _sms("anyone there?", 4))
    assert _texted(again) == ["Noted: anyone there?"]  # a second retry: the same answer
    # The text stored before the crash is not processed again (the dialogue already heard it).
    retried_crashed = twilio.post("/twilio/sms", _sms("is Tuesday free", 3))
    assert retried_crashed.status_code == 200
    pool.close()

    said_in = ["hello", "I need to move my visit", "is Tuesday free", "thanks", "anyone there?",
               "hello??"]  # fmt: skip
    assert [m["message"] for m in scripted_rasa.received] == said_in  # each heard once
    assert _turns(url, "in") == said_in  # each stored once, in the order it was processed
    answers = Counter(_turns(url, "out"))
    assert all(n == 1 for n in answers.values()), answers
    for text in ("hello", "I need to move my visit", "thanks", "anyone there?", "hello??"):
        assert answers[f"Noted: {text}"] == 1
    print(
        f"\nSMS: crash turn answered in {crash_answer_seconds:.2f} s ({crashed_turn!r}); during "
        f"the outage: {down_answers[0]!r}; pg_ctl start (crash recovery) {start_seconds:.2f} s; "
        f"first turn {first_turn - ready:.2f} s after the server was ready "
        f"({first_turn - back:.2f} s after the start began); pool: pre_ping "
        f"{get_engine(url).pool._pre_ping}, "
        f"{pool.connects - connects_before} new connections after the crash, "
        f"{pool.invalidated} invalidated; retry of the crashed turn answered "
        f"{_texted(retried_crashed)!r}"
    )


def test_texts_kept_through_a_crash_become_staff_tasks_once_after_the_restart(
    private_postgres: PrivatePostgres,  # noqa: F811
    restartable_db: str,  # noqa: F811
    scripted_rasa: ScriptedRasa,
    tmp_path: Path,
) -> None:
    """The spool across a real crash: the text whose answer the crash cut (its turn was already
    stored) and a text during the outage are kept on disk; after the restart the worker's tick
    makes each a staff task, once, and stores no word twice."""
    url = restartable_db
    seed_practice(url)
    _noting(scripted_rasa)
    settings = make_settings(
        url,
        RASA_URL=scripted_rasa.url,
        RASA_TIMEOUT_SECONDS=str(TIMEOUT),
        SPOOL_DIR=str(tmp_path / "spool"),
    )
    twilio = Twilio(create_app(settings).test_client())
    assert _texted(twilio.post("/twilio/sms", _sms("hello", 1))) == ["Noted: hello"]

    def crash(message: dict) -> None:
        if message["message"] == "can I come on Friday":
            private_postgres.stop("immediate")

    scripted_rasa.before_answer = crash
    [cut] = _texted(twilio.post("/twilio/sms", _sms("can I come on Friday", 2)))
    scripted_rasa.before_answer = None
    [kept] = _texted(twilio.post("/twilio/sms", _sms("please call me back", 3)))
    assert SPOOLED in cut.lower() and SPOOLED in kept.lower()  # a truthful answer
    assert worker.replay_spool(settings) == {"kept": 2}  # a tick while it is still down

    private_postgres.start()
    assert worker.replay_spool(settings) == {"replayed": 2}  # the next tick, no manual step
    assert worker.replay_spool(settings) == {}
    counts = row_counts(url)
    # late Twilio retries get the answers the texter got, and add nothing
    assert _texted(twilio.post("/twilio/sms", _sms("please call me back", 3))) == [kept]
    assert _texted(twilio.post("/twilio/sms", _sms("can I come on Friday", 2))) == [cut]
    assert row_counts(url) == counts

    assert [m["message"] for m in scripted_rasa.received] == ["hello", "can I come on Friday"]
    with UnitOfWork(url) as uow:
        s = uow.session
        said = Counter(
            s.execute(select(ConversationTurn.text).where(ConversationTurn.direction == "in"))
            .scalars()
        )  # fmt: skip
        assert said == {"hello": 1, "can I come on Friday": 1, "please call me back": 1}
        tasks = {t.summary: t for t in s.execute(select(StaffTask)).scalars()}
        down = "Text received while our system was down: "
        assert set(tasks) == {down + "can I come on Friday", down + "please call me back"}
        friday = s.execute(
            select(ConversationTurn.conversation_id).where(
                ConversationTurn.text == "can I come on Friday"
            )
        ).scalar_one()
        assert tasks[down + "can I come on Friday"].conversation_id == friday  # joins its turn
        assert all(t.callback_number == PATIENT_PHONE for t in tasks.values())


@pytest.mark.parametrize("mode", ["fast", "immediate"])
def test_a_restart_while_nobody_texts_is_invisible_to_the_next_texter(
    mode: str,
    private_postgres: PrivatePostgres,  # noqa: F811
    restartable_db: str,  # noqa: F811
    scripted_rasa: ScriptedRasa,
) -> None:
    """No request notices the outage, so the pool still holds connections to the old server
    when the next text comes: they must be tested and replaced on checkout (pre-ping), or that
    texter would get the apology."""
    url = restartable_db
    seed_practice(url)
    _noting(scripted_rasa)
    twilio = _twilio(url, scripted_rasa)
    assert _texted(twilio.post("/twilio/sms", _sms("hello", 1))) == ["Noted: hello"]
    engine = get_engine(url)
    with engine.connect(), engine.connect(), engine.connect():
        pass  # three connections open at once: the pool keeps them, as after a busy spell
    pool = PoolWatch(url)
    idle = engine.pool.checkedin()
    assert idle == 3
    down = private_postgres.stop(mode)
    up = private_postgres.start()
    started = time.monotonic()
    assert _texted(twilio.post("/twilio/sms", _sms("are you open today", 2))) == [
        "Noted: are you open today"
    ]
    turn = time.monotonic() - started
    pool.close()
    assert _turns(url, "in") == ["hello", "are you open today"]
    print(
        f"\nrestart ({mode}) between texts: stop {down:.2f} s, start {up:.2f} s; next turn "
        f"{turn:.2f} s; {idle} idle pooled connections to the old server, {pool.invalidated} "
        f"invalidated, {pool.connects} new; pool after: {engine.pool.status()}"
    )


ANSWER_WITHIN = 12.0  # seconds: two 4 s database waits, with margin; Twilio gives up after 15


def test_a_text_while_the_database_hangs_is_answered_before_twilio_gives_up(
    private_postgres: PrivatePostgres,  # noqa: F811
    restartable_db: str,  # noqa: F811
    scripted_rasa: ScriptedRasa,
) -> None:
    """Not a crash: the server hangs (every process stopped), so connecting and the pool's
    pre-ping wait instead of failing. Twilio must still get an answer in time: the app gives up
    on PostgreSQL after DATABASE_TIMEOUT_SECONDS of silence (assistant/db/engine.py)."""
    url = restartable_db
    seed_practice(url)
    _noting(scripted_rasa)
    twilio = _twilio(url, scripted_rasa)
    assert _texted(twilio.post("/twilio/sms", _sms("hello", 1))) == ["Noted: hello"]
    answered: dict[str, object] = {}

    def text() -> None:
        answered["response"] = twilio.post("/twilio/sms", _sms("is anyone there", 2))

    private_postgres.freeze()
    waiting = threading.Thread(target=text, daemon=True)
    started = time.monotonic()
    try:
        waiting.start()
        waiting.join(ANSWER_WITHIN)
        assert "response" in answered, f"no answer after {ANSWER_WITHIN:.0f} s"
        print(f"answered {time.monotonic() - started:.1f} s into the hang")
        _outage_text(answered["response"])
    finally:
        private_postgres.thaw()
        waiting.join(30)
    # resumed: the next text goes to the dialogue, no manual step
    assert _texted(twilio.post("/twilio/sms", _sms("still there?", 3))) == ["Noted: still there?"]


# --- b) a call -----------------------------------------------------------------------------------


def test_call_turn_with_postgres_down_offers_a_message_and_calls_work_after_restart(
    private_postgres: PrivatePostgres,  # noqa: F811
    restartable_db: str,  # noqa: F811
    scripted_rasa: ScriptedRasa,
) -> None:
    url = restartable_db
    seed_practice(url)
    _noting(scripted_rasa)
    settings = _settings(url, scripted_rasa)
    twilio = _twilio(url, scripted_rasa, settings)
    first, second, third = _call(1), _call(2, "+15555550177"), _call(3, "+15555550188")

    voice_twiml(twilio.post("/twilio/voice", first))
    turn = {**first, "SpeechResult": "I need to reschedule", "Confidence": "0.9"}
    root = voice_twiml(twilio.post("/twilio/voice/gather?lang=en&step=2", turn))
    assert _spoken(root.find("Gather")) == "Noted: I need to reschedule"

    private_postgres.stop("immediate")
    # The caller's next turn: an apology and a recording (a message for staff), never a 5xx.
    turn = {**first, "SpeechResult": "next Tuesday morning", "Confidence": "0.9"}
    started = time.monotonic()
    root = voice_twiml(twilio.post("/twilio/voice/gather?lang=en&step=3", turn))
    turn_seconds = time.monotonic() - started
    spoken = _spoken(root)
    assert spoken == VOICE_SORRY or SPOOLED in spoken.lower(), spoken
    record = root.find("Record")
    assert record is not None and record.get("action").startswith("/twilio/voice/voicemail")
    # Their recording arrives while the database is still down: no loop, something said.
    recording = {
        **first,
        "RecordingUrl": "https://api.twilio.com/rec/RE1",
        "RecordingDuration": "9",
    }
    root = voice_twiml(twilio.post("/twilio/voice/voicemail?lang=en", recording))
    assert root.find("Record") is None
    spoken = _spoken(root)
    assert spoken == VOICEMAIL_SORRY or SPOOLED in spoken.lower(), spoken
    first_kept = SPOOLED in spoken.lower()  # then staff must get it
    # A new call while it is down: greeted with the apology and a recording.
    root = voice_twiml(twilio.post("/twilio/voice", second))
    assert root.find("Record") is not None and _spoken(root)

    private_postgres.start()
    replayed = worker.replay_spool(settings)  # the worker's next tick: no manual step
    # The second caller's recording arrives after the restart: the message is taken.
    recording = {
        **second,
        "RecordingUrl": "https://api.twilio.com/rec/RE2",
        "RecordingDuration": "12",
    }
    root = voice_twiml(twilio.post("/twilio/voice/voicemail?lang=en", recording))
    assert root.find("Hangup") is not None
    # And a new call works as usual.
    voice_twiml(twilio.post("/twilio/voice", third))
    turn = {**third, "SpeechResult": "what are your hours", "Confidence": "0.9"}
    root = voice_twiml(twilio.post("/twilio/voice/gather?lang=en&step=2", turn))
    assert _spoken(root.find("Gather")) == "Noted: what are your hours"

    assert [m["message"] for m in scripted_rasa.received] == [
        "I need to reschedule",
        "what are your hours",
    ]  # the turn heard while the database was down never reached the dialogue
    with UnitOfWork(url) as uow:
        s = uow.session
        tasks = list(s.execute(select(StaffTask)).scalars())
        by_phone = {t.callback_number: t for t in tasks}
        assert by_phone["+15555550177"].kind == "message"  # the second caller's message taken
        voicemails = list(
            s.execute(select(ConversationTurn).where(ConversationTurn.text == "[voicemail]"))
            .scalars()
        )  # fmt: skip
        urls = Counter(v.meta["recording_url"] for v in voicemails)
        assert urls["https://api.twilio.com/rec/RE2"] == 1
        assert all(n == 1 for n in urls.values()), urls
        if first_kept:  # the first caller was told we got the message: a task holds it
            assert urls["https://api.twilio.com/rec/RE1"] == 1
            assert "rec/RE1" in by_phone[PATIENT_PHONE].summary
    assert _turns(url, "in").count("I need to reschedule") == 1
    assert _turns(url, "out").count("Noted: I need to reschedule") == 1
    print(
        f"\nvoice: turn with the database down answered in {turn_seconds:.2f} s; the "
        f"voicemail left while down kept: {first_kept}; replay after the restart: {replayed}"
    )


# --- c) a booking --------------------------------------------------------------------------------


@pytest.fixture
def demo_on(restartable_db: str, monkeypatch: pytest.MonkeyPatch):  # noqa: F811
    """The demo practice on the private server; the actions use that database."""
    with UnitOfWork(restartable_db) as uow:
        summary = seed_demo(uow.session)
        uow.commit()
    monkeypatch.setenv("DATABASE_URL", restartable_db)
    context.settings.cache_clear()
    yield summary
    context.settings.cache_clear()


def _up_to_the_confirmation(url: str, practice_id: int, phone: str, name: str) -> tuple[str, dict]:
    """A new patient's booking conversation, action by action, up to "shall I book it?"."""
    uid = conversation(url, practice_id, phone)
    run(ActionRouteTask(), tracker(uid, intent="book_appointment"))
    slots = {"task": "book", "verified": False}
    slots, _ = book_through_form(
        uid,
        [("book_patient_status", "no, I've never been there"), ("new_patient_name", name),
         ("new_patient_dob", "june 2 1990"), ("new_patient_phone", "yes"),
         ("visit_reason", "I've had a bad cough for a week")],
        slots,
    )  # fmt: skip
    run(ActionAskBookTypeChoice(), tracker(uid, slots=slots))
    slots, _ = book_through_form(
        uid,
        [("book_type_choice", "a sick visit"), ("provider_preference", "anyone"),
         ("time_preference", "as soon as possible"), ("slot_choice", "the first one")],
        slots,
    )  # fmt: skip
    assert slots["chosen_option"]
    return uid, slots


def _yes(uid: str, slots: dict) -> tuple[dict, list]:
    """ "Yes" to the read-back: the form decides, then the router books (its submit)."""
    slots, _ = book_through_form(uid, [("book_confirm", "yes")], slots)
    events, messages = submit_booking(uid, slots)
    return {**slots, **slots_of(events)}, messages


def _on_commit(
    url: str, when: str, action: Callable[[], None]
) -> tuple[Callable[[], None], list[int | None]]:
    """Run `action` once, at `when` ("before_commit" / "after_commit"), in the first session
    that commits a new appointment; returns the remover and the ids the appointments had then
    (an id: the row was already sent to the server)."""
    factory = get_session_factory(url)
    seen: list[int | None] = []

    def hook(session: Session) -> None:
        if session.in_nested_transaction():  # a SAVEPOINT released: not the commit
            return
        booked = [o.id for o in session.identity_map.values() if isinstance(o, Appointment)]
        if booked and not seen:
            seen.extend(booked)
            action()

    event.listen(factory, when, hook)
    return (lambda: event.remove(factory, when, hook)), seen


def _bookings(url: str, last_name: str) -> dict[str, int]:
    """What a booking for this new patient left behind, row by row."""
    with UnitOfWork(url) as uow:
        s = uow.session
        patients = list(
            s.execute(select(Patient.id).where(Patient.last_name == last_name)).scalars()
        )
        appointments = list(
            s.execute(select(Appointment.id).where(Appointment.patient_id.in_(patients))).scalars()
        )

        def count(query) -> int:
            return s.execute(query).scalar_one()

        return {
            "patients": len(patients),
            "appointments": len(appointments),
            "history": count(
                select(func.count()).where(AppointmentHistory.appointment_id.in_(appointments))
            ),
            "audit": count(select(func.count()).where(AuditEvent.patient_id.in_(patients))),
        }


def _taken_at(url: str, starts_at: str) -> int:
    with UnitOfWork(url) as uow:
        booked = uow.session.execute(
            select(Appointment.starts_at, Appointment.provider_id).where(
                Appointment.status.in_(("booked", "held", "confirmed"))
            )
        ).all()
    return sum(1 for b in booked if b.starts_at.isoformat() == starts_at)


def test_a_booking_committed_before_the_crash_survives_it(
    private_postgres: PrivatePostgres,  # noqa: F811
    restartable_db: str,  # noqa: F811
    demo_on,
) -> None:
    url = restartable_db
    uid, slots = _up_to_the_confirmation(
        url, demo_on.practice_id, "+16095550142", "Tom Quillfeather"
    )
    remove, seen = _on_commit(url, "after_commit", lambda: private_postgres.stop("immediate"))
    try:
        slots, messages = _yes(uid, slots)
    finally:
        remove()
    assert messages[0]["response"] == "utter_booked"  # the patient was told it is booked
    assert seen and not private_postgres.running()
    recovery = private_postgres.start()
    left = _bookings(url, "Quillfeather")
    assert left["patients"] == 1 and left["appointments"] == 1 and left["history"] == 1
    assert left["audit"] >= 2  # the patient created, the appointment created
    assert _taken_at(url, slots["chosen_option"]["starts_at"]) == 1
    with UnitOfWork(url) as uow:
        row = uow.session.execute(select(Conversation).where(Conversation.uid == uid)).scalar_one()
        assert row.outcome == "booked"
    print(f"\nbooking: durable across the crash; crash recovery {recovery:.2f} s")


def test_a_booking_cut_by_the_crash_leaves_nothing_and_the_retry_books_once(
    private_postgres: PrivatePostgres,  # noqa: F811
    restartable_db: str,  # noqa: F811
    demo_on,
) -> None:
    url = restartable_db
    uid, slots = _up_to_the_confirmation(url, demo_on.practice_id, "+16095550143", "Ann Zebrowski")
    before = row_counts(url)
    # The server dies after the appointment, its history and audit were written, before commit.
    remove, seen = _on_commit(url, "before_commit", lambda: private_postgres.stop("immediate"))
    try:
        with pytest.raises(DBAPIError):  # the action server answers Rasa with an error
            _yes(uid, slots)
    finally:
        remove()
    assert seen and None not in seen  # the crash came after the rows were written
    # While it is down, the patient's "yes" again fails the same way, writing nothing.
    with pytest.raises(DBAPIError):
        _yes(uid, slots)
    private_postgres.start()
    assert row_counts(url) == before  # no patient, appointment, history or audit half-written
    assert _bookings(url, "Zebrowski") == {
        "patients": 0,
        "appointments": 0,
        "history": 0,
        "audit": 0,
    }

    slots_after, messages = _yes(uid, slots)  # the retry
    assert messages[0]["response"] == "utter_booked"
    left = _bookings(url, "Zebrowski")
    assert left["patients"] == 1 and left["appointments"] == 1 and left["history"] == 1
    assert _taken_at(url, slots["chosen_option"]["starts_at"]) == 1  # no double booking
    assert slots_after["book_confirm"] == "[booked]"


# --- d) a reminder batch -------------------------------------------------------------------------

PATIENTS = 10
CRASH_AFTER = 4  # the 4th text is accepted by Twilio, then the database dies before its SID is kept


class CrashingTwilio(FakeTwilio):
    """The recording Twilio fake that crashes PostgreSQL once, right after accepting the n-th
    message and before answering (the worker then cannot store the SID)."""

    def __init__(self, after: int, crash: Callable[[], None]) -> None:
        super().__init__()
        self.after, self.crash = after, crash
        self.crashed = threading.Event()

    def _answer(self, form: dict[str, str], path: str = "") -> tuple[int, dict]:
        answer = super()._answer(form, path)
        if self.posts == self.after and not self.crashed.is_set():
            self.crash()
            self.crashed.set()
        return answer


@pytest.fixture
def crashing_twilio(private_postgres: PrivatePostgres) -> Iterator[CrashingTwilio]:  # noqa: F811
    with CrashingTwilio(CRASH_AFTER, lambda: private_postgres.stop("immediate")) as fake:
        yield fake


def test_reminder_batch_across_a_crash_texts_each_patient_once(
    private_postgres: PrivatePostgres,  # noqa: F811
    restartable_db: str,  # noqa: F811
    crashing_twilio: CrashingTwilio,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """The embedded reminder worker (`worker.run_forever`, as `assistant run` starts it) on a
    test clock: the batch is cut by the crash; after the restart the worker carries on by itself
    and, once the claims' lease has run out, finishes the batch from the database."""
    url, fake = restartable_db, crashing_twilio
    numbers = patients_with_visits(url, PATIENTS)
    plan(url, BOOKED_AT)
    fake.clock = REMINDERS_DUE
    clock = [REMINDERS_DUE]
    monkeypatch.setattr(worker, "utcnow", lambda: clock[0])
    caplog.set_level(logging.ERROR, logger="assistant.reminders.worker")
    stop = threading.Event()
    loop = threading.Thread(
        target=worker.run_forever, args=(settings_for(url, fake.url), 0.2, stop), daemon=True
    )
    loop.start()
    try:
        wait_until(fake.crashed.is_set, 30, "the crash mid-batch")
        crashed_at = time.monotonic()
        time.sleep(1.0)  # a few passes fail while it is down
        assert fake.posts == CRASH_AFTER  # nothing sent while the database is down
        failed_passes = sum("reminder pass failed" in r.getMessage() for r in caplog.records)
        assert failed_passes >= 2
        private_postgres.start()
        restarted_at = time.monotonic()
        # The in-flight reminder and the rest of the batch stay claimed until the lease runs
        # out: none is due again early, none is lost.
        later = REMINDERS_DUE + policy.LEASE + timedelta(seconds=1)
        assert worker.due_count(UnitOfWork.factory(url), REMINDERS_DUE) == 0
        assert (
            worker.due_count(UnitOfWork.factory(url), later)
            == PATIENTS - len(sent_reminders(url))
            == PATIENTS - 3
        )
        time.sleep(0.6)  # the worker's passes after the restart, before the lease
        assert fake.posts == CRASH_AFTER
        clock[0] = later
        advanced_at = time.monotonic()
        wait_until(lambda: len(sent_reminders(url)) == PATIENTS, 30, "every reminder sent")
        done_at = time.monotonic()
        time.sleep(0.6)  # anything sent twice would be sent now
        assert loop.is_alive()  # the same worker loop: no manual restart
    finally:
        stop.set()
        loop.join(10)
    assert_each_sent_once(url, fake, numbers)
    assert fake.posts == PATIENTS  # the one accepted before the crash was found, not resent
    assert all(r.status == "sent" for r in all_reminders(url) if r.offset_days == 7)
    print(
        f"\nreminders: {failed_passes} passes failed while down; batch complete "
        f"{done_at - advanced_at:.1f} s after the test clock passed the lease, "
        f"{done_at - restarted_at:.1f} s after the restart, {done_at - crashed_at:.1f} s after "
        "the crash (in production: plus the 5 min lease)"
    )
