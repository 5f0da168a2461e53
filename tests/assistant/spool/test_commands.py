"""Who replays: `assistant spool-replay`, `assistant spool-status`, the embedded reminder
worker's tick and `assistant reminders-worker --once`."""

from __future__ import annotations

import threading
import time
from pathlib import Path

from sqlalchemy import select

from assistant import cli
from assistant.config import load_settings
from assistant.db.models import StaffTask
from assistant.reminders import worker
from assistant.spool import Spool, keep_sms
from assistant.unit_of_work import UnitOfWork
from tests import factories
from tests.factories.webhooks import closed_port_url

WORDS = "my prescription ran out yesterday"
FORM = {"MessageSid": "SM" + "3" * 32, "From": "+15555550123", "To": "+15555550100", "Body": WORDS}


def _seed(url: str) -> None:
    with UnitOfWork(url) as uow:
        factories.patient(uow.session, factories.practice(uow.session))
        uow.commit()


def _keep(spool: Spool) -> None:
    keep_sms(spool, FORM, reply="Thanks", response="<Response/>", language="en")


def _env(monkeypatch, url: str, spool: Spool) -> None:
    monkeypatch.setenv("DATABASE_URL", url)
    monkeypatch.setenv("SPOOL_DIR", str(spool.directory))
    for name in ("TWILIO_ACCOUNT_SID", "TWILIO_AUTH_TOKEN", "TWILIO_API_BASE_URL"):
        monkeypatch.delenv(name, raising=False)


def _task_count(url: str) -> int:
    with UnitOfWork(url) as uow:
        return len(uow.session.execute(select(StaffTask)).scalars().all())


def test_spool_status_counts_without_content(sqlite_url, tmp_path, monkeypatch, capsys) -> None:
    spool = Spool(tmp_path / "spool")
    _env(monkeypatch, sqlite_url, spool)
    assert cli.main(["spool-status"]) == 0
    assert "0 waiting, oldest -" in capsys.readouterr().out
    _keep(spool)
    assert cli.main(["spool-status"]) == 0
    out = capsys.readouterr().out
    assert "1 waiting, oldest " in out and WORDS not in out and "+1555" not in out


def test_spool_replay_replays_and_says_what_is_left(
    sqlite_url, tmp_path, monkeypatch, capsys
) -> None:
    spool = Spool(tmp_path / "spool")
    _seed(sqlite_url)
    _keep(spool)
    # the database still down: exit 1, the item kept
    _env(monkeypatch, closed_port_url().replace("http://", "postgresql://u@") + "/x", spool)
    assert cli.main(["spool-replay"]) == 1
    assert "1 waiting" in capsys.readouterr().out
    _env(monkeypatch, sqlite_url, spool)
    assert cli.main(["spool-replay"]) == 0
    out = capsys.readouterr().out
    assert "'replayed': 1" in out and "0 waiting" in out and WORDS not in out
    assert _task_count(sqlite_url) == 1
    assert cli.main(["spool-replay"]) == 0
    assert "nothing waiting" in capsys.readouterr().out


def test_reminders_worker_once_replays_the_spool(sqlite_url, tmp_path, monkeypatch, capsys):
    spool = Spool(tmp_path / "spool")
    _seed(sqlite_url)
    _keep(spool)
    _env(monkeypatch, sqlite_url, spool)
    assert cli.main(["reminders-worker", "--once"]) == 0
    out = capsys.readouterr().out
    assert "spool: {'replayed': 1}" in out and "reminders: {" in out
    assert spool.is_empty() and _task_count(sqlite_url) == 1


def test_the_embedded_workers_tick_replays_the_spool(sqlite_url, tmp_path: Path) -> None:
    spool = Spool(tmp_path / "spool")
    _seed(sqlite_url)
    settings = load_settings({"DATABASE_URL": sqlite_url, "SPOOL_DIR": str(spool.directory)})
    stop = threading.Event()
    thread = threading.Thread(target=worker.run_forever, args=(settings, 0.1, stop), daemon=True)
    thread.start()
    try:
        time.sleep(0.3)  # a few empty ticks
        _keep(spool)  # kept by the web app meanwhile
        deadline = time.monotonic() + 10
        while not spool.is_empty() and time.monotonic() < deadline:
            time.sleep(0.05)
    finally:
        stop.set()
        thread.join(10)
    assert spool.is_empty() and _task_count(sqlite_url) == 1


def test_a_spool_problem_does_not_stop_the_reminders(tmp_path: Path, caplog) -> None:
    """A misconfigured spool (a file where its directory should be) is logged on each tick;
    the tick goes on to the reminders."""
    blocker = tmp_path / "file"
    blocker.write_text("")
    settings = load_settings({"DATABASE_URL": "sqlite://", "SPOOL_DIR": str(blocker / "spool")})
    assert worker.replay_spool(settings) == {}
    assert "spool replay failed: NotADirectoryError" in caplog.text


def test_the_default_spool_is_under_the_var_directory(tmp_path: Path) -> None:
    settings = load_settings({"ASSISTANT_VAR_DIR": str(tmp_path)}, read_dotenv=False)
    assert settings.spool_dir == tmp_path / "spool"
    chosen = load_settings({"SPOOL_DIR": str(tmp_path / "elsewhere")}, read_dotenv=False)
    assert chosen.spool_dir == tmp_path / "elsewhere"
