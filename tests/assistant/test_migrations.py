"""The whole migration chain upgrades, downgrades to nothing and upgrades again, on SQLite and
PostgreSQL, and leaves a schema that matches the models (no drift between them)."""

from __future__ import annotations

from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect, text

from assistant.db import migrate
from assistant.db.engine import get_engine
from assistant.db.models import Base, Reminder
from assistant.unit_of_work import UnitOfWork
from tests.factories.databases import postgres_database
from tests.factories.reminders import (
    VISIT,
    make_appointment,
    make_clinic,
    make_patient,
)


def _tables(url: str) -> set[str]:
    return set(inspect(get_engine(url)).get_table_names()) - {"alembic_version"}


def _drift(url: str) -> list:
    with get_engine(url).connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        return compare_metadata(context, Base.metadata)


def _full_round_trip(url: str) -> None:
    migrate.upgrade(url)
    assert _tables(url) == set(Base.metadata.tables)
    assert _drift(url) == []
    migrate.downgrade(url, "base")
    assert migrate.current_revision(url) is None
    assert _tables(url) == set()
    migrate.upgrade(url)
    assert _tables(url) == set(Base.metadata.tables)


def test_chain_round_trip_on_sqlite(tmp_path: Path) -> None:
    _full_round_trip(f"sqlite:///{tmp_path / 'chain.sqlite3'}")


@pytest.mark.postgres
def test_chain_round_trip_on_postgres() -> None:
    for url in postgres_database():
        _full_round_trip(url)


def _reminder_columns(url: str) -> set[str]:
    return {c["name"] for c in inspect(get_engine(url)).get_columns("reminders")}


def _short_notice_round_trip(url: str) -> None:
    """0007 adds `reminders.short_notice` and its downgrade drops it, keeping the rows; upgraded
    again, the rows that were there before it read false (the server default)."""
    migrate.upgrade(url)
    with UnitOfWork(url) as uow:
        clinic = make_clinic(uow.session)
        appointment = make_appointment(
            uow.session, clinic, make_patient(uow.session, clinic), VISIT
        )
        for days, short in ((2, False), (1, True)):
            uow.session.add(
                Reminder(
                    appointment_id=appointment.id,
                    patient_id=appointment.patient_id,
                    offset_days=days,
                    due_at=VISIT,
                    short_notice=short,
                )
            )
        uow.commit()
    migrate.downgrade(url, "0006")
    assert migrate.current_revision(url) == "0006"
    assert "short_notice" not in _reminder_columns(url)
    migrate.upgrade(url)
    assert migrate.current_revision(url) == "0007"
    with get_engine(url).connect() as conn:
        rows = conn.execute(text("SELECT offset_days, short_notice FROM reminders ORDER BY 1"))
        assert [(days, bool(short)) for days, short in rows] == [(1, False), (2, False)]


def test_short_notice_column_on_sqlite(tmp_path: Path) -> None:
    _short_notice_round_trip(f"sqlite:///{tmp_path / 'short_notice.sqlite3'}")


@pytest.mark.postgres
def test_short_notice_column_on_postgres() -> None:
    for url in postgres_database():
        _short_notice_round_trip(url)
