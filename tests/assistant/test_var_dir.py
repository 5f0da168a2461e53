"""The working directory: made on first use, private to the service user."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from assistant import var_dir


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture
def restore_umask() -> Iterator[None]:
    before = os.umask(0o022)
    os.umask(before)
    yield
    os.umask(before)


def test_a_missing_directory_is_made_private(tmp_path: Path, restore_umask: None) -> None:
    target = tmp_path / "fresh" / "var"
    var_dir.prepare(target)
    assert target.is_dir() and _mode(target) == 0o700


def test_an_old_readable_directory_and_its_databases_are_tightened(
    tmp_path: Path, restore_umask: None
) -> None:
    target = tmp_path / "var"
    (target / "logs").mkdir(parents=True)
    os.chmod(target, 0o755)
    os.chmod(target / "logs", 0o755)
    database = target / "assistant.sqlite3"
    database.write_bytes(b"")
    os.chmod(database, 0o644)
    tracker = target / "rasa-tracker.sqlite3-wal"
    tracker.write_bytes(b"")
    os.chmod(tracker, 0o644)

    var_dir.prepare(target)

    assert _mode(target) == 0o700 and _mode(target / "logs") == 0o700
    assert _mode(database) == 0o600 and _mode(tracker) == 0o600


def test_first_migrate_on_a_clean_clone_creates_the_var_directory(tmp_path: Path) -> None:
    """`make run`'s first step in a clone where `var/` does not exist (it is git-ignored)."""
    target = tmp_path / "clone" / "var"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TWILIO_", "DATABASE_"))}
    env |= {"ASSISTANT_VAR_DIR": str(target), "SPOOL_DIR": str(target / "spool")}
    result = subprocess.run(
        [sys.executable, "-m", "assistant.cli", "migrate"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert "database at revision" in result.stdout
    database = target / "assistant.sqlite3"
    assert database.is_file()
    assert _mode(target) == 0o700
    assert _mode(database) == 0o600  # patients' records: not readable by other local users
