"""`assistant run` recovers on its own: the Rasa server, the action server or the web app killed
(SIGKILL, as the OOM killer does) in the middle of a patient's SMS conversation is started again
by the supervisor, and the conversation carries on where it was.

One real `assistant run` (free ports, a temporary var dir and SQLite database, the trained model)
serves the module; texts are signed as Twilio signs them and sent to its web app over HTTP.
While a server is down the patient gets the follow-up answer and staff get a task (no 5xx); once
it is back, the patient carries on without being asked who they are again (the Rasa server
reloads the conversation from the SQLite tracker store), and the appointment is cancelled or
moved exactly once. Ctrl-C then stops every process.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import requests
from sqlalchemy import select

from assistant.config import PROJECT_ROOT, Settings, load_settings
from assistant.db import migrate
from assistant.db.models import Appointment, StaffTask
from assistant.demo.seed import DemoSummary, seed_demo
from assistant.rasa_model import ensure_model
from assistant.simulator import SimulatedCall, TwilioSimulator
from assistant.unit_of_work import UnitOfWork
from tests.factories.databases import empty_all_tables
from tests.factories.reliability import free_port
from tests.factories.webhooks import latest_sms_conversation

pytestmark = pytest.mark.rasa

CALLER = "+15555550177"
FOLLOW_UP = "Thanks, we got your message. A staff member will follow up soon."
START_UP_SECONDS = 240  # Rasa loads the model in about 40 s on a quiet 2-core machine
RESTART_SECONDS = 180


@dataclass
class Run:
    """The `assistant run` process and what a test needs to talk to it."""

    process: subprocess.Popen
    settings: Settings
    output: Path  # its stdout and stderr

    def children(self) -> dict[str, int]:
        """Its child processes by service name (from /proc: the supervisor's view from outside)."""
        found: dict[str, int] = {}
        for stat in Path("/proc").glob("[0-9]*/stat"):
            try:
                ppid = int(stat.read_text().rsplit(")", 1)[1].split()[1])  # after "pid (comm) S"
                argv = (stat.parent / "cmdline").read_bytes().split(b"\0")
            except (OSError, ValueError, IndexError):
                continue  # exited meanwhile
            if ppid == self.process.pid and argv[0]:  # a zombie has no command line
                found[_service_name([a.decode() for a in argv])] = int(stat.parent.name)
        return found

    def wait_for_new(self, name: str, old_pid: int, timeout: float = 30) -> int:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            pid = self.children().get(name)
            if pid is not None and pid != old_pid:
                return pid
            time.sleep(0.1)
        raise TimeoutError(f"{name} not started again after {timeout} s")


def _service_name(argv: list[str]) -> str:
    if "actions" in argv:
        return "actions"
    if "--enable-api" in argv:
        return "rasa"
    if any(a.endswith("gunicorn") for a in argv):
        return "app"
    return "reminders"


def _wait(url: str, ok: Callable[[requests.Response], bool], timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if ok(requests.get(url, timeout=2)):
                return
        except requests.RequestException:
            pass
        time.sleep(0.25)
    raise TimeoutError(f"{url} not ready after {timeout} s")


def _rasa_ready(settings: Settings, timeout: float) -> None:
    _wait(
        f"{settings.rasa_url}/status", lambda r: r.ok and bool(r.json().get("model_file")), timeout
    )


def _actions_ready(settings: Settings, timeout: float) -> None:
    _wait(f"{settings.action_server_url}/health", lambda r: r.ok, timeout)


@pytest.fixture(scope="module")
def run(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Run]:
    var_dir = tmp_path_factory.mktemp("supervised")
    model = ensure_model(PROJECT_ROOT / "var")
    (var_dir / "models").mkdir()
    (var_dir / "models" / model.name).symlink_to(model)  # no training, no copy
    app_port = free_port()
    env = {
        **os.environ,
        "ASSISTANT_VAR_DIR": str(var_dir),
        "DATABASE_URL": f"sqlite:///{var_dir / 'assistant.sqlite3'}",
        "RASA_URL": f"http://127.0.0.1:{free_port()}",
        "ACTION_SERVER_URL": f"http://127.0.0.1:{free_port()}",
        "PUBLIC_BASE_URL": f"http://127.0.0.1:{app_port}",
        "SECRET_KEY": "supervision-test-secret-key",
        "RASA_TIMEOUT_SECONDS": "10",
        "REMINDER_INTERVAL_SECONDS": "3600",  # no reminder texts in the middle of the scripts
    }
    for name in (  # set empty so that a developer's .env cannot fill them in
        "TWILIO_ACCOUNT_SID", "TWILIO_AUTH_TOKEN", "TWILIO_MESSAGING_SERVICE_SID",
        "TWILIO_API_BASE_URL", "REMINDER_BROKER_URL", "RASA_TRACKER_STORE_URL",
        "RASA_LOCK_STORE_URL",
    ):  # fmt: skip
        env[name] = ""
    settings = load_settings(env, read_dotenv=False)
    migrate.upgrade(settings.database_url)
    output = var_dir / "assistant-run.out"
    with open(output, "wb") as out:
        process = subprocess.Popen(
            [str(Path(sys.executable).with_name("assistant")), "run", "--port", str(app_port)],
            cwd=PROJECT_ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    running = Run(process, settings, output)
    try:
        deadline = time.monotonic() + START_UP_SECONDS
        while "Ctrl-C stops everything" not in output.read_text():
            assert process.poll() is None, output.read_text()
            assert time.monotonic() < deadline, output.read_text()
            time.sleep(0.5)
        yield running
    finally:
        if process.poll() is None:  # test_ctrl_c_stops_every_process did not run, or failed
            children = running.children()
            process.send_signal(signal.SIGINT)
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                for pid in [*children.values(), process.pid]:  # each leads its process group
                    with contextlib.suppress(ProcessLookupError):
                        os.killpg(pid, signal.SIGKILL)
                process.wait()


@pytest.fixture
def demo(run: Run) -> DemoSummary:
    empty_all_tables(run.settings.database_url)
    with UnitOfWork(run.settings.database_url) as uow:
        summary = seed_demo(uow.session)
        uow.commit()
    return summary


@pytest.fixture
def twilio(run: Run) -> TwilioSimulator:
    """Twilio's side: signed webhooks to the running app over HTTP; a 4xx/5xx raises."""
    return TwilioSimulator(
        app_url=run.settings.public_base_url,
        public_base_url=run.settings.public_base_url,
        auth_token=run.settings.webhook_auth_token,
    )


@pytest.fixture
def say(twilio: TwilioSimulator) -> Callable[[str, str], str]:
    """One signed SMS, as Twilio sends it; the one text the patient reads (a 200 with TwiML:
    never a 5xx to Twilio)."""

    def send(phone: str, body: str) -> str:
        [reply] = twilio.text(phone, body)  # raises on a 4xx/5xx
        return reply

    return send


def _appointments(database_url: str, patient_id: int) -> dict[int, str]:
    """The patient's appointments: id -> status."""
    with UnitOfWork(database_url) as uow:
        found = uow.session.execute(
            select(Appointment.id, Appointment.status).where(Appointment.patient_id == patient_id)
        )
        return {row.id: row.status for row in found}


def _tasks(database_url: str, conversation_id: int) -> list[StaffTask]:
    with UnitOfWork(database_url) as uow:
        tasks = list(
            uow.session.execute(
                select(StaffTask).where(StaffTask.conversation_id == conversation_id)
            )
            .scalars()
            .all()
        )
        uow.session.expunge_all()
        return tasks


def test_rasa_killed_after_verification_is_restarted_and_the_cancellation_carries_on(
    run: Run, demo: DemoSummary, say, twilio: TwilioSimulator
):
    maria, settings = demo.english_demo, run.settings
    before = _appointments(settings.database_url, maria.patient_id)
    assert "first and last name" in say(maria.phone, "I need to cancel my appointment")
    assert "date of birth" in say(maria.phone, "Maria Lopez")
    assert "Do you want to cancel your appointment on" in say(maria.phone, "03/03/1982")
    conversation = latest_sms_conversation(settings.database_url, maria.phone)
    assert conversation.verified_patient_id == maria.patient_id

    rasa = run.children()["rasa"]
    os.kill(rasa, signal.SIGKILL)
    killed = time.monotonic()
    assert say(maria.phone, "yes") == FOLLOW_UP  # while it is down: a message for staff
    [task] = _tasks(settings.database_url, conversation.id)
    assert task.status == "open" and "assistant unavailable" in task.summary
    call = SimulatedCall(twilio, CALLER)  # a caller meanwhile: asked to leave a message
    turn = call.answer(call.start().next_path or "", "I need to cancel my appointment")
    assert "leave your name" in " ".join(turn.said) and "voicemail" in (turn.next_path or "")
    with UnitOfWork(settings.database_url) as uow:
        [summary] = uow.session.execute(
            select(StaffTask.summary).where(StaffTask.callback_number == CALLER)
        ).scalars()
        assert "assistant unavailable on a call" in summary

    run.wait_for_new("rasa", rasa)
    restarted = time.monotonic() - killed
    _rasa_ready(settings, RESTART_SECONDS)
    ready = time.monotonic() - killed
    reply = say(maria.phone, "yes")  # where it was: not "your first and last name"
    assert "is cancelled" in reply and "why" in reply
    assert "new time" in say(maria.phone, "I'm feeling better")
    carried_on = time.monotonic() - killed
    print(
        f"\nRasa SIGKILL: started again after {restarted:.1f} s, model loaded after {ready:.1f} s,"
        f" cancellation done {carried_on:.1f} s after the kill"
    )

    with UnitOfWork(settings.database_url) as uow:
        appointment = uow.session.get(Appointment, maria.appointment_id)
        assert appointment.cancel_reason == "I'm feeling better"
    assert _appointments(settings.database_url, maria.patient_id) == before | {
        maria.appointment_id: "cancelled"
    }  # that one cancelled, nothing else changed
    after = latest_sms_conversation(settings.database_url, maria.phone)
    assert after.id == conversation.id and after.verified_patient_id == maria.patient_id
    assert after.outcome == "cancelled"
    assert len(_tasks(settings.database_url, conversation.id)) == 1  # the one message, once
    supervised = run.output.read_text().split("Ctrl-C stops everything.")[1]  # after start-up
    assert "rasa exited with code -9; restarting in 1 s (1st time)" in supervised
    assert maria.phone not in supervised and "Lopez" not in supervised  # no PHI on stdout


def test_action_server_killed_mid_reschedule_is_restarted_and_the_reschedule_carries_on(
    run: Run, demo: DemoSummary, say
):
    maria, settings = demo.english_demo, run.settings
    before = _appointments(settings.database_url, maria.patient_id)
    assert "first and last name" in say(maria.phone, "I need to reschedule my appointment")
    assert "date of birth" in say(maria.phone, "Maria Lopez")
    verified = say(maria.phone, "03/03/1982")
    assert "1) " in verified and "2) " in verified  # the soonest times at once
    conversation = latest_sms_conversation(settings.database_url, maria.phone)

    actions = run.children()["actions"]
    os.kill(actions, signal.SIGKILL)
    killed = time.monotonic()
    assert say(maria.phone, "as soon as possible") == FOLLOW_UP
    [task] = _tasks(settings.database_url, conversation.id)
    assert "assistant unavailable" in task.summary

    run.wait_for_new("actions", actions)
    restarted = time.monotonic() - killed
    _actions_ready(settings, RESTART_SECONDS)
    ready = time.monotonic() - killed
    offer = say(maria.phone, "as soon as possible")
    assert "1) " in offer and "2) " in offer
    assert "To confirm: move your appointment on" in say(maria.phone, "the second one")
    assert "You're all set" in say(maria.phone, "yes")
    carried_on = time.monotonic() - killed
    print(
        f"\naction server SIGKILL: started again after {restarted:.1f} s, healthy after"
        f" {ready:.1f} s, reschedule done {carried_on:.1f} s after the kill"
    )

    with UnitOfWork(settings.database_url) as uow:
        old = uow.session.get(Appointment, maria.appointment_id)
        assert old.status == "rescheduled"
        new = uow.session.get(Appointment, old.rescheduled_to_id)
        assert new.status == "booked" and new.provider_id == old.provider_id
        new_id = new.id
    assert _appointments(settings.database_url, maria.patient_id) == before | {
        maria.appointment_id: "rescheduled",
        new_id: "booked",
    }  # moved once: one new appointment, nothing else changed
    after = latest_sms_conversation(settings.database_url, maria.phone)
    assert after.id == conversation.id and after.outcome == "rescheduled"
    assert len(_tasks(settings.database_url, conversation.id)) == 1
    assert "actions exited with code -9; restarting in 1 s (1st time)" in run.output.read_text()


def test_web_app_killed_is_restarted_and_answers_again(run: Run, demo: DemoSummary, say):
    """Twilio cannot reach the app while it is down (its fallback URL applies): the point is
    that it comes back on its own, its gunicorn workers gone with the old master."""
    app = run.children()["app"]
    os.kill(app, signal.SIGKILL)  # the master only, as the OOM killer would
    killed = time.monotonic()
    run.wait_for_new("app", app)
    restarted = time.monotonic() - killed
    _wait(f"{run.settings.public_base_url}/healthz", lambda r: r.status_code == 200, 60)
    print(f"\nweb app SIGKILL: started again after {restarted:.1f} s,"
          f" healthy after {time.monotonic() - killed:.1f} s")  # fmt: skip
    assert "first and last name" in say(demo.english_demo.phone, "I need to cancel my appointment")
    assert "app exited with code -9; restarting in 1 s (1st time)" in run.output.read_text()


def test_ctrl_c_stops_every_process(run: Run):
    children = run.children()
    assert set(children) == {"actions", "rasa", "app", "reminders"}
    os.kill(run.process.pid, signal.SIGINT)
    assert run.process.wait(timeout=60) == 0
    assert "all processes stopped" in run.output.read_text()
    for name, pid in children.items():
        assert not Path(f"/proc/{pid}").exists(), f"{name} still running"
