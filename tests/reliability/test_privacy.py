"""Privacy across every scripted conversation (bench/conversations, EN/ES, SMS/voice), played
through the signed webhooks against a real Rasa server and action server:

* no appointment detail (date, time, provider) of the caller's appointments is said or texted
  before their identity is verified;
* no seeded patient's name, date of birth or phone number appears in any log: the app's
  (captured to a file at INFO, DEBUG for our own packages), Rasa's and the action server's, and
  anything written under var/logs while the suite ran;
* Rasa's tracker store holds no phone number (its sender ids are opaque conversation ids);
* then the action server is stopped: a texter is told a staff member will follow up (a task),
  and once it is started again the next conversation works without any manual step.

    pytest tests/reliability/test_privacy.py -m rasa      # about 5 minutes on 2 cores

PRIVACY_ONLY=<id substring> limits the conversations (as bench/conversation_suite.py --only).
"""

from __future__ import annotations

import json
import logging
import os
import re
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import requests
from sqlalchemy import select

from assistant import stack
from assistant.config import PROJECT_ROOT, Settings
from assistant.db import migrate
from assistant.db.models import (
    Appointment,
    Conversation,
    OutboundMessage,
    Patient,
    StaffTask,
)
from assistant.simulator import SimulatedCall, TwilioSimulator
from assistant.timefmt import format_when
from assistant.unit_of_work import UnitOfWork

sys.path.insert(0, str(PROJECT_ROOT / "bench"))

import conversation_suite as suite  # noqa: E402

pytestmark = pytest.mark.rasa
OUR_LOGGERS = ("assistant", "webhooks", "dialogues")


@dataclass
class Turn:
    conversation: str
    said: str
    reply: str
    verified: bool  # the conversation's identity was verified once this reply was given
    details: list[str]  # the caller's appointment details found in the reply
    reminded: bool  # all of them were in a reminder texted to this number


@dataclass
class Run:
    settings: Settings
    log_dir: Path
    services: list[stack.Service]
    started: float
    turns: list[Turn] = field(default_factory=list)
    senders: list[str] = field(default_factory=list)  # Rasa sender ids of every conversation
    phi: dict[str, set[str]] = field(default_factory=lambda: {"name": set(), "dob": set(),
                                                               "phone": set()})  # fmt: skip
    conversations: int = 0


def _phone_forms(e164: str) -> set[str]:
    digits = e164.removeprefix("+1")
    if len(digits) != 10:
        return {e164}
    a, b, c = digits[:3], digits[3:6], digits[6:]
    return {e164, digits, f"{a}-{b}-{c}", f"({a}) {b}-{c}", f"{a}.{b}.{c}"}


def _dob_forms(born: date) -> set[str]:
    return {
        born.isoformat(),
        born.strftime("%m/%d/%Y"),
        born.strftime("%d/%m/%Y"),
        f"{born.strftime('%B')} {born.day}, {born.year}",
    }


def _collect_phi(url: str, into: dict[str, set[str]]) -> None:
    with UnitOfWork(url) as uow:
        for patient in uow.session.execute(select(Patient)).scalars():
            into["name"].add(f"{patient.first_name} {patient.last_name}")
            into["dob"] |= _dob_forms(patient.date_of_birth)
            for phone in patient.phones:
                into["phone"] |= _phone_forms(phone.number)


def _appointment_details(
    url: str, patient_id: int | None, phone: str
) -> tuple[list[str], set[str]]:
    """How the patient's appointments could be said or texted (EN/ES, SMS/voice), and which of
    those phrases a reminder to this number already carried (repeating them is no disclosure)."""
    if patient_id is None:
        return [], set()
    found: set[str] = set()
    reminded: set[str] = set()
    with UnitOfWork(url) as uow:
        reminder_of = set(
            uow.session.execute(
                select(OutboundMessage.appointment_id).where(
                    OutboundMessage.to_number == phone, OutboundMessage.purpose == "reminder"
                )
            ).scalars()
        )
        appointments = uow.session.execute(
            select(Appointment).where(Appointment.patient_id == patient_id)
        ).scalars()
        for appointment in appointments:
            zone = appointment.location.time_zone
            provider = appointment.provider
            phrases = {f"{provider.first_name} {provider.last_name}", f"Dr. {provider.last_name}"}
            for language in ("en", "es"):
                for channel in ("sms", "voice"):
                    phrases.add(format_when(appointment.starts_at, zone, language=language,
                                            channel=channel))  # fmt: skip
            found |= phrases
            if appointment.id in reminder_of:
                reminded |= phrases
    return sorted(found), reminded


def _verified(url: str, channel: str, phone: str, call_sid: str | None) -> tuple[bool, str]:
    with UnitOfWork(url) as uow:
        query = select(Conversation).order_by(Conversation.id.desc()).limit(1)
        if channel == "voice":
            query = query.where(Conversation.call_sid == call_sid)
        else:
            query = query.where(Conversation.phone == phone, Conversation.channel == "sms")
        conversation = uow.session.execute(query).scalar_one_or_none()
        if conversation is None:
            return False, ""
        sender = f"{conversation.channel}:{conversation.uid}"
        return conversation.verified_patient_id is not None, sender


def _play(run: Run, sim: TwilioSimulator, spec: dict[str, Any], ctx: dict[str, Any]) -> None:
    """Play the patient's turns as bench/conversation_suite.py does, noting after each reply
    whether the caller was verified and which of their appointment details it holds."""
    url = run.settings.database_url
    phone, channel = ctx["phone"], spec.get("channel", "sms")
    details, reminded = _appointment_details(url, ctx.get("patient_id"), phone)
    senders: set[str] = set()

    def note(said: str, reply: str, call_sid: str | None = None) -> None:
        verified, sender = _verified(url, channel, phone, call_sid)
        senders.add(sender)
        found = [d for d in details if d.lower() in reply.lower()]
        run.turns.append(Turn(spec["id"], said, reply, verified, found, set(found) <= reminded))

    if channel == "sms":
        for body in spec["turns"]:
            note(body, " ".join(sim.text(phone, body)))
    else:
        call = SimulatedCall(sim, phone)
        turn = call.start()
        note("[call]", " ".join(turn.said), call.call_sid)
        if spec.get("language") == "es":
            turn = call.answer(turn.next_path or "", "2")
            note("2", " ".join(turn.said), call.call_sid)
        for said in spec["turns"]:
            if turn.next_path is None or "/gather" not in turn.next_path:
                break
            turn = call.answer(turn.next_path, said)
            note(said, " ".join(turn.said), call.call_sid)
        call.hang_up()
    run.senders += sorted(s for s in senders if s)


@pytest.fixture(scope="module")
def app_log(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """The app's log records, as production writes them (INFO), ours at DEBUG, to a file."""
    path = tmp_path_factory.mktemp("applog") / "app.log"
    handler = logging.FileHandler(path, encoding="utf-8")
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s %(message)s"))
    root = logging.getLogger()
    levels = {name: logging.getLogger(name).level for name in OUR_LOGGERS}
    old_root = root.level
    root.addHandler(handler)
    root.setLevel(logging.INFO)
    for name in OUR_LOGGERS:
        logging.getLogger(name).setLevel(logging.DEBUG)
    try:
        yield path
    finally:
        root.removeHandler(handler)
        handler.close()
        root.setLevel(old_root)
        for name, level in levels.items():
            logging.getLogger(name).setLevel(level)


@pytest.fixture(scope="module")
def run(tmp_path_factory: pytest.TempPathFactory, app_log: Path) -> Iterator[Run]:
    tmp = tmp_path_factory.mktemp("privacy")
    database_url = f"sqlite:///{tmp / 'privacy.sqlite3'}"
    migrate.upgrade(database_url)
    settings = suite.settings_for(database_url)
    log_dir = tmp / "logs"
    started = time.time()
    services = suite.start_dialogue(settings, log_dir)
    result = Run(settings, log_dir, services, started)
    try:
        sim = suite.simulator(settings)
        for spec in suite.load(os.environ.get("PRIVACY_ONLY") or None):
            demo = suite.reset(database_url)
            ctx = suite.prepare(database_url, demo, spec)
            _play(result, sim, spec, ctx)
            _collect_phi(database_url, result.phi)
            result.conversations += 1
        yield result
    finally:
        stack.stop(services)


def test_no_appointment_detail_before_identity_verification(run: Run):
    """Except a reply to a reminder repeating what that reminder told this number (confirming
    by "yes" or "1"): possession of the number is what the reminder itself relied on."""
    assert run.conversations >= 40 or os.environ.get("PRIVACY_ONLY")
    early = [t for t in run.turns if t.details and not t.verified and not t.reminded]
    assert not early, "\n".join(
        f"{t.conversation}: > {t.said!r} < {t.reply!r} discloses {t.details}" for t in early
    )
    disclosed = sum(1 for t in run.turns if t.details and t.verified)
    repeated = sum(1 for t in run.turns if t.details and not t.verified)
    print(f"{run.conversations} conversations, {len(run.turns)} replies checked; "
          f"{disclosed} gave appointment details after verification, {repeated} repeated a "
          "reminder's details to its number, none disclosed anything earlier")  # fmt: skip


def _log_files(run: Run, app_log: Path) -> list[Path]:
    files = [app_log, *sorted(run.log_dir.glob("*.log"))]
    var_logs = PROJECT_ROOT / "var" / "logs"
    if var_logs.exists():  # what was written there while the suite ran
        files += [
            p for p in var_logs.rglob("*") if p.is_file() and p.stat().st_mtime >= run.started
        ]
    return files


def _terms(run: Run) -> dict[str, str]:
    return {term: kind for kind, terms in run.phi.items() for term in terms}


def test_no_patient_name_birth_date_or_phone_in_any_log(run: Run, app_log: Path):
    terms = _terms(run)
    pattern = re.compile("|".join(re.escape(t) for t in sorted(terms, key=len, reverse=True)),
                         re.IGNORECASE)  # fmt: skip
    hits, scanned, lines = [], 0, 0
    for path in _log_files(run, app_log):
        content = path.read_text(encoding="utf-8", errors="replace")
        scanned += len(content)
        for number, line in enumerate(content.splitlines(), 1):
            lines += 1
            for match in pattern.finditer(line):
                hits.append(f"{path.name}:{number}: {terms.get(match.group(0), '?')} "
                            f"{line[:160]!r}")  # fmt: skip
    assert lines > 0
    assert not hits, "\n".join(hits[:40])
    print(f"scanned {len(_log_files(run, app_log))} log files, {lines} lines, {scanned} bytes "
          f"for {len(terms)} name/birth-date/phone forms of "
          f"{len(run.phi['name'])} patients: none found")  # fmt: skip


def _typed_digits(tracker: dict[str, Any]) -> str:
    """Every digit the patient typed or said in this conversation, run together per message."""
    texts = [e.get("text") or "" for e in tracker.get("events", []) if e.get("event") == "user"]
    return " ".join(re.sub(r"\D", "", t) for t in texts)


def _untyped_phones(run: Run, tracker: dict[str, Any]) -> list[str]:
    """Phone numbers in the tracker that the patient did not type themselves."""
    dump, typed = json.dumps(tracker, ensure_ascii=False), _typed_digits(tracker)
    return sorted(
        p for p in run.phi["phone"] if p in dump and re.sub(r"\D", "", p)[-10:] not in typed
    )


def _trackers(run: Run) -> Iterator[tuple[str, dict[str, Any]]]:
    for sender in run.senders:
        response = requests.get(
            f"{run.settings.rasa_url}/conversations/{sender}/tracker", timeout=10
        )
        assert response.ok, sender
        yield sender, response.json()


def test_rasa_tracker_store_gets_no_phone_number_from_us(run: Run):
    """Sender ids are opaque; no phone number reaches Rasa's tracker store unless the patient
    typed it (what patients type, names and birth dates included, is kept as typed: the
    tracker store is a conversation store, like conversation_turns)."""
    assert run.senders and all(re.fullmatch(r"(sms|voice):[0-9a-f]{24}", s) for s in run.senders)
    leaks, names_seen = {}, 0
    for sender, tracker in _trackers(run):
        if found := _untyped_phones(run, tracker):
            slots = {
                e.get("name")
                for e in tracker.get("events", [])
                if e.get("event") == "slot" and str(e.get("value")) in found
            }
            leaks[sender] = (found, sorted(slots))
        dump = json.dumps(tracker, ensure_ascii=False).lower()
        names_seen += any(n.lower() in dump for n in run.phi["name"])
    print(f"{len(run.senders)} trackers; {names_seen} hold a name as typed; "
          f"phone numbers the patient never typed: {leaks or 'none'}")  # fmt: skip
    assert not leaks, (
        "the caller's own number (looked up by the booking action) is copied into a slot"
        f" and so into Rasa's tracker store: {leaks}"
    )


def test_action_server_down_then_back(run: Run):
    """A real Rasa whose action server is gone answers nothing useful: the texter is told a
    staff member will follow up and a task is made. Started again, it needs no manual step."""
    actions = next(s for s in run.services if s.name == "actions")
    stack.stop([actions])
    url = run.settings.database_url
    demo = suite.reset(url)
    sim = suite.simulator(run.settings)
    maria = demo.english_demo
    started = time.monotonic()
    [reply] = sim.text(maria.phone, "I need to cancel my appointment")
    elapsed = time.monotonic() - started
    assert reply == "Thanks, we got your message. A staff member will follow up soon."
    with UnitOfWork(url) as uow:
        task = uow.session.execute(
            select(StaffTask).where(StaffTask.summary.contains("I need to cancel my appointment"))
        ).scalar_one()
        assert task.callback_number == maria.phone and task.status == "open"
    stack.start([actions], stack.child_env(run.settings), run.log_dir)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            if requests.get(f"{run.settings.action_server_url}/health", timeout=2).ok:
                break
        except requests.RequestException:
            time.sleep(0.5)
    suite.reset(url)
    replies = sim.text(demo.english_demo.phone, "when is my appointment?")
    assert "first and last name" in " ".join(replies)
    print(f"action server down: follow-up text in {elapsed:.2f} s; back after restart")
