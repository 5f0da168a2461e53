"""The `assistant` command as a user runs it: migrate, seed the demo once, import CSV files."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from sqlalchemy import func, select

from assistant.db.models import Patient
from assistant.unit_of_work import UnitOfWork


def _run(tmp_path: Path, *args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path / 'cli.sqlite3'}"}
    env.pop("TWILIO_ACCOUNT_SID", None)
    env.pop("TWILIO_AUTH_TOKEN", None)
    return subprocess.run(
        [sys.executable, "-m", "assistant.cli", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_migrate_seed_and_import(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'cli.sqlite3'}"
    migrated = _run(tmp_path, "migrate")
    assert migrated.returncode == 0, migrated.stderr
    assert "database at revision" in migrated.stdout

    seeded = _run(tmp_path, "seed-demo")
    assert seeded.returncode == 0, seeded.stderr
    assert "Try +15555550123: Maria Lopez" in seeded.stdout
    again = _run(tmp_path, "seed-demo", "--if-empty")
    assert again.returncode == 0 and "skipped" in again.stdout
    assert _run(tmp_path, "seed-demo").returncode == 1  # never seeds twice

    with UnitOfWork(url) as uow:
        before = uow.session.execute(select(func.count(Patient.id))).scalar()

    bad = tmp_path / "patients.csv"
    bad.write_text(
        "external_id,first_name,last_name,date_of_birth,phone,preferred_language,sms_consent,email\n"
        "X1,Ana,Diaz,1990-01-02,(555) 555-0199,es,yes,\n"
        "X2,Bo,Chen,not-a-date,(555) 555-0198,en,no,\n"
    )
    failed = _run(tmp_path, "import", "--patients", str(bad))
    assert failed.returncode == 1
    assert "line 3" in failed.stdout and "nothing was imported" in failed.stdout
    with UnitOfWork(url) as uow:
        assert uow.session.execute(select(func.count(Patient.id))).scalar() == before

    bad.write_text(bad.read_text().replace("not-a-date", "1985-05-06"))
    imported = _run(tmp_path, "import", "--patients", str(bad))
    assert imported.returncode == 0, imported.stdout + imported.stderr
    with UnitOfWork(url) as uow:
        assert uow.session.execute(select(func.count(Patient.id))).scalar() == before + 2
