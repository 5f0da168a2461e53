"""The conversation benchmark's own rule check: nothing changes without being named.

`unchosen_changes` is how the suites count appointments booked, moved or cancelled without a
read-back naming them (issue #17: must be zero). It must see such a change, and must not count
one the assistant named.
"""

from __future__ import annotations

import sys

from assistant.config import PROJECT_ROOT
from assistant.db import migrate
from assistant.db.models import Appointment
from assistant.demo.seed import seed_demo
from assistant.timefmt import format_when
from assistant.unit_of_work import UnitOfWork

sys.path.insert(0, str(PROJECT_ROOT / "bench"))

import conversation_suite as suite  # noqa: E402


def _cancel_marias_visit(tmp_path) -> tuple[str, dict[int, str], str, str]:
    url = f"sqlite:///{tmp_path / 'judge.sqlite3'}"
    migrate.upgrade(url)
    with UnitOfWork(url) as uow:
        demo = seed_demo(uow.session)
        uow.commit()
    before = suite._statuses(url)
    with UnitOfWork(url) as uow:
        visit = uow.session.get(Appointment, demo.english_demo.appointment_id)
        visit.status = "cancelled"
        spoken = format_when(visit.starts_at, visit.location.time_zone, channel="voice")
        texted = format_when(visit.starts_at, visit.location.time_zone, channel="sms")
        uow.commit()
    return url, before, spoken, texted


def test_a_change_never_named_is_counted(tmp_path):
    url, before, _, _ = _cancel_marias_visit(tmp_path)
    wrong = suite.unchosen_changes(url, before, ["Your appointment is cancelled."])
    assert len(wrong) == 1 and "cancelled" in wrong[0]


def test_a_change_named_on_either_channel_is_not_counted(tmp_path):
    url, before, spoken, texted = _cancel_marias_visit(tmp_path)
    assert suite.unchosen_changes(url, before, [f"Cancel {spoken}? Say yes or no."]) == []
    assert suite.unchosen_changes(url, before, [f"Cancel {texted}? Reply YES or NO."]) == []
