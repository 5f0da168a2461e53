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
from assistant.db.models import Appointment, Conversation, Patient, StaffTask
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


def _appointment_details(url: str, patient_id: int | None) -> list[str]:
    """How the patient's booked appointments could be said or texted (EN/ES, SMS/voice)."""
    if patient_id is None:
        return []
    found: set[str] = set()
    with UnitOfWork(url) as uow:
        appointments = uow.session.execute(
            select(Appointment).where(Appointment.patient_id == patient_id)
        ).scalars()
        for appointment in appointments:
            zone = appointment.location.time_zone
            for language in ("en", "es"):
                for channel in ("sms", "voice"):
                    found.add(format_when(appointment.starts_at, zone, language=language,
                                          channel=channel))  # fmt: skip
            provider = appointment.provider
            found.add(f"{provider.first_name} {provider.last_name}")
            found.add(f"Dr. {provider.last_name}")
    return sorted(found)


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
    details = _appointment_details(url, ctx.get("patient_id"))
    phone, channel = ctx["phone"], spec.get("channel", "sms")
    senders: set[str] = set()

    def note(said: str, reply: str, call_sid: str | None = None) -> None:
        verified, sender = _verified(url, channel, phone, call_sid)
        senders.add(sender)
        found = [d for d in details if d.lower() in reply.lower()]
        run.turns.append(Turn(spec["id"], said, reply, verified, found))

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
    assert run.conversations >= 40 or os.environ.get("PRIVACY_ONLY")
    early = [t for t in run.turns if t.details and not t.verified]
    assert not early, "\n".join(
        f"{t.conversation}: > {t.said!r} < {t.reply!r} discloses {t.details}" for t in early
    )
    disclosed = sum(1 for t in run.turns if t.details)
    print(f"{run.conversations} conversations, {len(run.turns)} replies checked; "
          f"{disclosed} replies gave appointment details, all after verification")  # fmt: skip


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


def test_rasa_tracker_store_holds_no_phone_number(run: Run):
    phones = run.phi["phone"]
    names_seen = 0
    for sender in run.senders:
        response = requests.get(
            f"{run.settings.rasa_url}/conversations/{sender}/tracker", timeout=10
        )
        assert response.ok, sender
        tracker = json.dumps(response.json(), ensure_ascii=False)
        leaked = [p for p in phones if p in tracker]
        assert not leaked, f"{sender}: {leaked}"
        names_seen += any(n.lower() in tracker.lower() for n in run.phi["name"])
    assert run.senders and all(re.fullmatch(r"(sms|voice):[0-9a-f]{24}", s) for s in run.senders)
    # Names and birth dates are in the trackers as the patients typed them (the tracker store
    # is a conversation store, like conversation_turns); reported, not refused.
    print(f"{len(run.senders)} trackers: no phone number; {names_seen} hold a name as typed")


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
