"""Warm transfer at the edge: the caller's and staff's TwiML, and the staff calls and the
caller's redirect sent through the official twilio client to Prism (Twilio's API spec)."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

from flask.testing import FlaskClient
from sqlalchemy import select
from twilio.request_validator import RequestValidator

from assistant.conversations import sessions
from assistant.db.models import (
    CallTransfer,
    Conversation,
    Department,
    StaffTask,
    StaffTaskNote,
    TransferAttempt,
)
from assistant.demo.staff import seed_staff
from assistant.routing.dialer import DialResult, TwilioDialer
from assistant.unit_of_work import UnitOfWork
from tests import factories
from tests.factories.webhooks import PUBLIC_BASE_URL, FakeRasa, make_settings
from webhooks import create_app

CALLER = "CA" + "7" * 32
CALL = {"CallSid": CALLER, "From": "+15555550123", "To": "+15555550100"}
CA_SID = re.compile(r"^CA[0-9a-fA-F]{32}$")
ALWAYS = {d: [["00:00", "23:59"]] for d in ("mon", "tue", "wed", "thu", "fri", "sat", "sun")}
NEVER: dict[str, list] = {d: [] for d in ALWAYS}


class RecordingDialer(TwilioDialer):
    """The real dialer, keeping what it asked Twilio (Prism) and what came back."""

    def __init__(self, settings) -> None:
        super().__init__(settings)
        self.placed: list[tuple[str, DialResult]] = []
        self.redirects: list[tuple[str, bool]] = []

    def place(self, attempt_id: int, to: str, ring_seconds: int) -> DialResult:
        result = super().place(attempt_id, to, ring_seconds)
        self.placed.append((to, result))
        return result

    def send_to_voicemail(self, caller_sid: str, transfer_id: int) -> bool:
        reached = super().send_to_voicemail(caller_sid, transfer_id)
        self.redirects.append((caller_sid, reached))
        return reached


class Phone:
    """Twilio's side of the call: signed POSTs to our app."""

    def __init__(self, client: FlaskClient, token: str) -> None:
        self.client, self.token = client, token

    def post(self, path: str, params: dict[str, str]):
        signature = RequestValidator(self.token).compute_signature(PUBLIC_BASE_URL + path, params)
        return self.client.post(path, data=params, headers={"X-Twilio-Signature": signature})

    def twiml(self, path: str, params: dict[str, str]) -> ET.Element:
        response = self.post(path, params)
        assert response.status_code == 200, response.get_data(as_text=True)
        return ET.fromstring(response.get_data(as_text=True))


def _world(url: str, *, hours: dict, verified: bool = True, language: str = "en") -> None:
    with UnitOfWork(url) as uow:
        practice = factories.practice(uow.session)
        patient = factories.patient(uow.session, practice)
        seed_staff(uow.session, practice.id)
        for department in uow.session.execute(select(Department)).scalars():
            department.hours = hours
        conversation = sessions.voice_conversation(
            uow.session,
            practice_id=practice.id,
            call_sid=CALLER,
            phone=CALL["From"],
            language=language,
        )
        conversation.verified_patient_id = patient.id if verified else None
        uow.commit()


def _app(url: str, rasa: FakeRasa, **env: str):
    app = create_app(make_settings(url, RASA_URL=rasa.url, **env))
    dialer = RecordingDialer(app.extensions["assistant_settings"])
    app.extensions["transfer_dialer"] = dialer
    token = app.extensions["assistant_settings"].webhook_auth_token
    return Phone(app.test_client(), token), dialer


def _handoff(phone: Phone, rasa: FakeRasa, reason: str) -> ET.Element:
    rasa.answers.append(
        [
            {"recipient_id": "x", "text": "Let me get you to our staff."},
            {"recipient_id": "x", "custom": {"handoff": {"reason": reason}}},
        ]
    )
    return phone.twiml("/twilio/voice/gather?lang=en&step=2", {**CALL, "Digits": "0"})


def _attempts(url: str) -> list[TransferAttempt]:
    with UnitOfWork(url) as uow:
        rows = list(
            uow.session.execute(
                select(TransferAttempt)
                .join(CallTransfer)
                .where(CallTransfer.call_sid == CALLER)
                .order_by(TransferAttempt.attempt)
            ).scalars()
        )
        uow.session.expunge_all()
    return rows


def _staff(sid: str) -> dict[str, str]:
    return {"CallSid": sid, "From": "+15555550100", "To": "+15555550150"}


def _task(url: str) -> StaffTask:
    with UnitOfWork(url) as uow:
        conversation = uow.session.execute(
            select(Conversation).where(Conversation.call_sid == CALLER)
        ).scalar_one()
        task = uow.session.execute(
            select(StaffTask).where(StaffTask.conversation_id == conversation.id)
        ).scalar_one()
        uow.session.expunge_all()
    return task


def test_handoff_holds_the_caller_in_a_conference_and_rings_staff_through_twilio(
    sqlite_url, fake_rasa, prism_url
):
    _world(sqlite_url, hours=ALWAYS)
    phone, dialer = _app(sqlite_url, fake_rasa, TWILIO_API_BASE_URL=prism_url)
    root = _handoff(phone, fake_rasa, "request_human")
    said = root.find("Say").text
    assert "Let me get you to our staff." in said and "Please stay on the line" in said
    conference = root.find("Dial/Conference")
    assert conference.text == CALLER
    assert conference.get("startConferenceOnEnter") == "false"
    assert conference.get("endConferenceOnExit") == "true"
    assert conference.get("waitUrl") == f"{PUBLIC_BASE_URL}/twilio/transfer/hold?lang=en"
    assert conference.get("statusCallback").startswith(PUBLIC_BASE_URL)
    # the staff call went to Prism and came back with a CA sid
    ((to, result),) = dialer.placed
    assert to == "+15555550150" and CA_SID.match(result.sid or "")
    (first,) = _attempts(sqlite_url)
    assert (first.status, first.call_sid) == ("ringing", result.sid)

    hold = phone.twiml("/twilio/transfer/hold?lang=en", {**CALL})
    assert hold.find("Say") is not None and hold.find("Pause") is not None
    assert hold.find("Play") is None

    whisper = phone.twiml(f"/twilio/transfer/whisper?attempt={first.id}", _staff(result.sid))
    gather = whisper.find("Gather")
    assert gather.get("numDigits") == "1"
    summary = gather.find("Say").text
    assert "Maria Lopez, identity verified" in summary and "Press 1" in summary

    # no answer from the first: the next one (a softphone) is rung through Prism
    status = {**_staff(result.sid), "CallStatus": "no-answer"}
    path = f"/twilio/transfer/staff-status?attempt={first.id}"
    assert phone.post(path, status).status_code == 204
    assert phone.post(path, status).status_code == 204  # a replay rings nobody else
    first, second = _attempts(sqlite_url)
    assert (first.status, second.status, second.target) == (
        "no_answer",
        "ringing",
        "client:ben.carter",
    )
    assert CA_SID.match(second.call_sid or "") and len(dialer.placed) == 2

    # the second presses 1 and joins the caller's conference
    phone.twiml(f"/twilio/transfer/whisper?attempt={second.id}", _staff(second.call_sid))
    answer = {**_staff(second.call_sid), "Digits": "1"}
    joined = phone.twiml(f"/twilio/transfer/whisper/answer?attempt={second.id}", answer)
    conference = joined.find("Dial/Conference")
    assert conference.text == CALLER and conference.get("startConferenceOnEnter") == "true"
    with UnitOfWork(sqlite_url) as uow:
        transfer = uow.session.execute(select(CallTransfer).where(CallTransfer.call_sid == CALLER))
        assert transfer.scalar_one().status == "connected"


def test_everyone_declining_sends_the_caller_to_voicemail_that_joins_the_task(
    sqlite_url, fake_rasa, prism_url
):
    _world(sqlite_url, hours=ALWAYS)
    phone, dialer = _app(sqlite_url, fake_rasa, TWILIO_API_BASE_URL=prism_url)
    _handoff(phone, fake_rasa, "request_human")
    for _ in range(2):
        attempt = _attempts(sqlite_url)[-1]
        declined = {**_staff(attempt.call_sid), "Digits": "9"}
        root = phone.twiml(f"/twilio/transfer/whisper/answer?attempt={attempt.id}", declined)
        assert root.find("Hangup") is not None
    assert [a.status for a in _attempts(sqlite_url)] == ["declined", "declined"]
    assert dialer.redirects == [(CALLER, True)]  # Prism accepted the update of the call
    task = _task(sqlite_url)
    assert task.summary.startswith("Maria Lopez, identity verified.")
    assert "Ana Ruiz: declined; Ben Carter: declined" in task.summary

    with UnitOfWork(sqlite_url) as uow:
        transfer_id = uow.session.execute(
            select(CallTransfer.id).where(CallTransfer.call_sid == CALLER)
        ).scalar_one()
    root = phone.twiml(f"/twilio/transfer/voicemail?transfer={transfer_id}", CALL)
    assert "nobody can take your call" in root.find("Say").text
    action = root.find("Record").get("action")
    recording = {**CALL, "RecordingUrl": "https://api.twilio.com/rec/RE1", "RecordingDuration": "9"}
    assert phone.twiml(action, recording).find("Hangup") is not None
    phone.twiml(action, recording)  # a replay adds nothing
    with UnitOfWork(sqlite_url) as uow:
        notes = uow.session.execute(
            select(StaffTaskNote.text).where(StaffTaskNote.task_id == task.id)
        ).scalars()
        assert list(notes) == ["Voicemail (9 s): https://api.twilio.com/rec/RE1"]


def test_unverified_caller_is_not_named_in_the_whisper(sqlite_url, fake_rasa, prism_url):
    _world(sqlite_url, hours=ALWAYS, verified=False)
    phone, _ = _app(sqlite_url, fake_rasa, TWILIO_API_BASE_URL=prism_url)
    _handoff(phone, fake_rasa, "billing_question")
    (attempt,) = _attempts(sqlite_url)
    assert attempt.target == "+15555550152"  # billing's hunt group
    root = phone.twiml(f"/twilio/transfer/whisper?attempt={attempt.id}", _staff(attempt.call_sid))
    said = root.find("Gather/Say").text
    assert "identity not verified" in said and "Maria" not in said and "Press 1" in said
    assert "Spanish" not in said


def test_the_whisper_tells_staff_the_caller_speaks_spanish(sqlite_url, fake_rasa, prism_url):
    _world(sqlite_url, hours=ALWAYS, language="es")
    phone, _ = _app(sqlite_url, fake_rasa, TWILIO_API_BASE_URL=prism_url)
    _handoff(phone, fake_rasa, "request_human")
    (attempt,) = _attempts(sqlite_url)
    root = phone.twiml(f"/twilio/transfer/whisper?attempt={attempt.id}", _staff(attempt.call_sid))
    said = root.find("Gather/Say").text
    assert "The caller speaks Spanish." in said and said.index("Spanish") < said.index("Press 1")


def test_after_hours_non_urgent_takes_a_message_without_ringing(sqlite_url, fake_rasa):
    _world(sqlite_url, hours=NEVER)
    phone, dialer = _app(sqlite_url, fake_rasa)
    root = _handoff(phone, fake_rasa, "billing_question")
    assert "Our office is closed" in root.find("Say").text
    assert root.find("Record").get("action").startswith("/twilio/transfer/recorded")
    assert dialer.placed == [] and _attempts(sqlite_url) == []
    assert "after hours" in _task(sqlite_url).summary


def test_after_hours_urgent_clinical_dials_the_on_call_number(sqlite_url, fake_rasa):
    _world(sqlite_url, hours=NEVER)
    phone, dialer = _app(sqlite_url, fake_rasa)
    root = _handoff(phone, fake_rasa, "medical_emergency")
    assert "clinician on call" in root.find("Say").text
    assert root.find("Dial/Number").text == "+15555550199"
    assert dialer.placed == []
    missed = phone.twiml(root.find("Dial").get("action"), {**CALL, "DialCallStatus": "no-answer"})
    assert missed.find("Record") is not None
    assert _task(sqlite_url).priority == "urgent"


def test_without_twilio_credentials_the_caller_leaves_a_message(sqlite_url, fake_rasa):
    _world(sqlite_url, hours=ALWAYS)
    phone, dialer = _app(sqlite_url, fake_rasa, TWILIO_ACCOUNT_SID="", TWILIO_AUTH_TOKEN="")
    root = _handoff(phone, fake_rasa, "request_human")
    assert "leave your name" in root.find("Say").text and root.find("Record") is not None
    assert [a.status for a in _attempts(sqlite_url)] == ["not_placed"]
    assert "not placed (no Twilio account)" in _task(sqlite_url).summary


def test_transfer_webhooks_are_signed_and_never_fail(sqlite_url, fake_rasa):
    _world(sqlite_url, hours=ALWAYS)
    phone, _ = _app(sqlite_url, fake_rasa)
    unsigned = phone.client.post("/twilio/transfer/whisper?attempt=1", data=_staff(CALLER))
    assert unsigned.status_code == 403
    wrong = phone.twiml("/twilio/transfer/whisper?attempt=999", _staff("CA" + "1" * 32))
    assert wrong.find("Hangup") is not None
    status = {**_staff("CA" + "1" * 32), "CallStatus": "no-answer"}
    assert phone.post("/twilio/transfer/staff-status?attempt=x", status).status_code == 204
