"""The worker as a process: `assistant reminders-worker --once`, and part of `assistant run`."""

from __future__ import annotations

from pathlib import Path

from assistant import cli, stack
from assistant.config import load_settings
from tests.factories.reminders import BOOKED_AT, plan


def test_the_stack_starts_a_reminder_worker(tmp_path: Path) -> None:
    settings = load_settings({"ASSISTANT_VAR_DIR": str(tmp_path)})
    (worker,) = [
        s for s in stack.services(settings, tmp_path / "m.tar.gz", 8000) if s.name == "reminders"
    ]
    assert worker.argv[1:] == ["reminders-worker"] and worker.argv[0].endswith("assistant")


def test_once_prints_the_counts(world, monkeypatch, capsys) -> None:
    monkeypatch.setenv("DATABASE_URL", world.url)
    for name in ("TWILIO_ACCOUNT_SID", "TWILIO_AUTH_TOKEN", "TWILIO_API_BASE_URL"):
        monkeypatch.delenv(name, raising=False)
    plan(world.url, BOOKED_AT)
    assert cli.main(["reminders-worker", "--once"]) == 0
    assert "reminders: {" in capsys.readouterr().out


def test_with_a_broker_the_stack_starts_a_celery_worker_with_beat(tmp_path: Path) -> None:
    settings = load_settings(
        {"ASSISTANT_VAR_DIR": str(tmp_path), "REMINDER_BROKER_URL": "redis://127.0.0.1:6379/0"}
    )
    (worker,) = [
        s for s in stack.services(settings, tmp_path / "m.tar.gz", 8000) if s.name == "reminders"
    ]
    assert worker.argv[0].endswith("celery")
    assert worker.argv[1:5] == ["-A", "assistant.reminders.celery_app", "worker", "--beat"]
