"""Staff directory and routing: configuration over code, hours, holidays, hunt groups."""

from __future__ import annotations

from datetime import date, datetime, timezone

from sqlalchemy import select
from werkzeug.security import check_password_hash

from assistant.db.models import Department, Holiday, StaffUser
from assistant.demo.seed import seed_demo
from assistant.demo.staff import DEMO_PASSWORDS, STAFF
from assistant.routing import (
    after_hours_action,
    department_by_code,
    department_for,
    hunt_group,
    is_open,
    is_urgent_clinical,
    ring_target,
)
from assistant.routing.directory import holidays
from assistant.unit_of_work import UnitOfWork

TODAY = date(2026, 11, 23)  # a Monday


def test_department_for_uses_defaults_and_practice_overrides() -> None:
    assert department_for("billing_question") == "billing"
    assert department_for("prescription_refill", {}) == "refills"
    assert department_for(None) == "front_desk"
    assert department_for("something_new") == "front_desk"
    settings = {"routing": {"billing_question": "manager", "something_new": "medical_records"}}
    assert department_for("billing_question", settings) == "manager"
    assert department_for("something_new", settings) == "medical_records"
    assert is_urgent_clinical("medical_emergency")
    assert is_urgent_clinical("chest_pain", {"urgent_clinical_intents": ["chest_pain"]})
    assert not is_urgent_clinical("billing_question")


def test_demo_passwords_match_their_documented_hashes() -> None:
    assert all(check_password_hash(h, password) for password, h in DEMO_PASSWORDS.items())
    assert {row[2] for row in STAFF} <= set(DEMO_PASSWORDS)


def _utc(y: int, m: int, d: int, hh: int, mm: int = 0) -> datetime:
    return datetime(y, m, d, hh, mm, tzinfo=timezone.utc)


def test_hours_holidays_and_after_hours(uow: UnitOfWork) -> None:
    summary = seed_demo(uow.session, today=TODAY)
    session = uow.session
    nurse = department_by_code(session, summary.practice_id, "nurse_line")
    billing = department_by_code(session, summary.practice_id, "billing")
    assert nurse is not None and billing is not None
    # Tuesday 2026-11-24, New York is UTC-5 in November.
    assert is_open(nurse, _utc(2026, 11, 24, 13, 0))  # 8:00 local
    assert not is_open(nurse, _utc(2026, 11, 24, 12, 59))  # 7:59 local
    assert not is_open(nurse, _utc(2026, 11, 24, 22, 0))  # 17:00 local: closed at the close
    assert not is_open(billing, _utc(2026, 11, 24, 13, 30))  # billing opens at 9
    assert not is_open(nurse, _utc(2026, 11, 28, 15, 0))  # Saturday
    closed = holidays(session, summary.practice_id)
    thanksgiving = date(2026, 11, 26)
    assert thanksgiving in closed
    assert not is_open(nurse, _utc(2026, 11, 26, 15, 0), closed_days=closed)
    assert is_open(nurse, _utc(2026, 11, 26, 15, 0))  # the same hour without the holiday list

    urgent = after_hours_action(nurse, urgent_clinical=True)
    assert (urgent.action, urgent.number) == ("on_call", "+15555550199")
    assert after_hours_action(nurse, urgent_clinical=False).action == "voicemail"
    assert after_hours_action(billing, urgent_clinical=True).action == "voicemail"

    nurse.active = False
    assert not is_open(nurse, _utc(2026, 11, 24, 15, 0))
    assert session.execute(select(Holiday)).first() is not None


def test_hunt_group_order_skips_inactive_and_unreachable(uow: UnitOfWork) -> None:
    summary = seed_demo(uow.session, today=TODAY)
    session = uow.session
    front = department_by_code(session, summary.practice_id, "front_desk")
    group = hunt_group(session, front)
    assert [u.email for u in group] == [
        "frontdesk@riverside.example",
        "scheduling@riverside.example",
    ]
    assert ring_target(group[0]) == "+15555550150"
    assert ring_target(group[1]) == "client:ben.carter"
    group[0].active = False
    extra = StaffUser(
        practice_id=summary.practice_id,
        email="nophone@riverside.example",
        name="No Phone",
        password_hash="x",
        role="front_desk",
        department_id=front.id,
        hunt_order=0,
    )
    session.add(extra)
    session.flush()
    assert [u.email for u in hunt_group(session, front)] == ["scheduling@riverside.example"]
    assert session.execute(select(Department)).scalars().all()
