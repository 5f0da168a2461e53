"""'Are you open today?' answered for the day at `now`, not with the whole hours recital
(issue #16, class 7). `now` is passed in: nothing depends on today's date."""

from __future__ import annotations

from datetime import date, datetime, timezone

import pytest
from sqlalchemy import select

from assistant.db.models import Conversation, Holiday
from assistant.frontdesk.service import office_info_for
from assistant.unit_of_work import UnitOfWork
from dialogues.actions.office import ActionOfficeInfo
from tests.factories.dialogues import conversation, run, tracker


def _at(day: int, hour_utc: int) -> datetime:
    return datetime(2026, 3, day, hour_utc, 0, tzinfo=timezone.utc)  # March 2026, New York EST


@pytest.mark.parametrize(
    ("question", "now", "language", "answer"),
    [
        (
            "are you open today?",
            _at(8, 15),
            "en",
            "We're closed today (Sunday); we open tomorrow at 8 AM.",
        ),
        (
            "Are you open today",
            _at(7, 15),
            "en",
            "We're closed today (Saturday); we open on Monday at 8 AM.",
        ),
        ("are you open now", _at(9, 15), "en", "Yes, we're open today until 5 PM."),
        ("are you open today", _at(9, 11), "en", "We're open today from 8 AM to 5 PM."),
        (
            "are you still open",
            _at(13, 23),
            "en",
            "We're closed for today; we open on Monday at 8 AM.",
        ),
        (
            "are you open tomorrow",
            _at(7, 15),
            "en",
            "We're closed tomorrow (Sunday); we open on Monday at 8 AM.",
        ),
        (
            "open tomorrow?",
            _at(8, 15),
            "en",
            "Yes, we're open tomorrow (Monday) from 8 AM to 5 PM.",
        ),
        (
            "¿están abiertos hoy?",
            _at(8, 15),
            "es",
            "Hoy (domingo) estamos cerrados; abrimos mañana a las 8:00.",
        ),
        # "what time?" while open: the day's hours, not a yes
        ("what time do you open", _at(9, 15), "en", "We're open today from 8 AM to 5 PM."),
        ("a que hora abren", _at(9, 15), "es", "Hoy abrimos de 8:00 a 17:00."),
        ("¿hasta qué hora están abiertos?", _at(9, 15), "es", "Hoy abrimos de 8:00 a 17:00."),
        (
            "a que hora abren",
            _at(8, 15),
            "es",
            "Hoy (domingo) estamos cerrados; abrimos mañana a las 8:00.",
        ),
    ],
)
def test_open_today(demo, sqlite_url, question, now, language, answer):
    uid = conversation(sqlite_url, demo.practice_id, demo.english_demo.phone)
    assert (
        office_info_for(UnitOfWork(sqlite_url), uid, language, question=question, now=now) == answer
    )


def test_a_holiday_is_a_closed_day(demo, sqlite_url):
    with UnitOfWork(sqlite_url) as uow:
        uow.session.add(Holiday(practice_id=demo.practice_id, day=date(2026, 3, 9), name="Closed"))
        uow.commit()
    uid = conversation(sqlite_url, demo.practice_id, demo.english_demo.phone)
    said = office_info_for(
        UnitOfWork(sqlite_url), uid, "en", question="are you open today", now=_at(9, 15)
    )
    assert said == "We're closed today (Monday); we open tomorrow at 8 AM."


@pytest.mark.parametrize(
    "question", ["where do I park?", "are you open on saturdays?", "what are your hours today"]
)
def test_other_office_questions_get_the_hours_and_addresses(demo, sqlite_url, question):
    uid = conversation(sqlite_url, demo.practice_id, demo.english_demo.phone)
    said = office_info_for(UnitOfWork(sqlite_url), uid, "en", question=question, now=_at(8, 15))
    assert "Monday to Friday" in said and "parking" in said.lower()


def test_the_action_takes_now_from_the_metadata(demo, sqlite_url):
    uid = conversation(sqlite_url, demo.practice_id, demo.english_demo.phone)
    track = tracker(uid, text="are you open today?", intent="office_info")
    track.latest_message["metadata"]["now"] = "2026-03-08T15:00:00+00:00"
    _, messages = run(ActionOfficeInfo(), track)
    assert messages[0]["info"] == "We're closed today (Sunday); we open tomorrow at 8 AM."


@pytest.mark.parametrize(
    ("question", "now", "language", "answer"),
    [
        (
            "are you guys open this saturday?",
            _at(5, 15),  # a Thursday
            "en",
            "We're closed on Saturday; we open on Monday at 8 AM.",
        ),
        (
            "is the office open this weekend",
            _at(6, 15),
            "en",
            "We're closed on the weekend; we open on Monday at 8 AM.",
        ),
        ("open on friday?", _at(3, 15), "en", "Yes, we're open on Friday from 8 AM to 5 PM."),
        (
            "¿abren el domingo?",
            _at(5, 15),
            "es",
            "El domingo estamos cerrados; abrimos el lunes a las 8:00.",
        ),
    ],
)
def test_open_on_a_named_day(demo, sqlite_url, question, now, language, answer):
    uid = conversation(sqlite_url, demo.practice_id, demo.english_demo.phone)
    assert (
        office_info_for(UnitOfWork(sqlite_url), uid, language, question=question, now=now) == answer
    )


def test_the_answer_is_the_conversations_outcome_unless_a_task_has_one(demo, sqlite_url):
    uid = conversation(sqlite_url, demo.practice_id, demo.english_demo.phone)
    office_info_for(
        UnitOfWork(sqlite_url), uid, "en", question="are you open today?", now=_at(8, 15)
    )
    with UnitOfWork(sqlite_url) as uow:
        row = uow.session.execute(select(Conversation).where(Conversation.uid == uid)).scalar_one()
        assert row.outcome == "office_info"  # what the console counts
        row.outcome = "rescheduled"
        uow.commit()
    office_info_for(UnitOfWork(sqlite_url), uid, "en", question="where do I park?", now=_at(8, 15))
    with UnitOfWork(sqlite_url) as uow:
        row = uow.session.execute(select(Conversation).where(Conversation.uid == uid)).scalar_one()
        assert row.outcome == "rescheduled"  # a question after the task does not hide it


def test_a_named_holiday_is_answered_for_that_day(demo, sqlite_url):
    with UnitOfWork(sqlite_url) as uow:
        uow.session.add(
            Holiday(practice_id=demo.practice_id, day=date(2026, 11, 26), name="Thanksgiving Day")
        )
        uow.commit()
    uid = conversation(sqlite_url, demo.practice_id, demo.english_demo.phone)
    said = office_info_for(
        UnitOfWork(sqlite_url),
        uid,
        "en",
        question="are you guys closed on thanksgiving?",
        now=_at(5, 15),
    )
    assert said == "We're closed on Thanksgiving Day (Thursday); we open on Friday at 8 AM."
    said = office_info_for(
        UnitOfWork(sqlite_url),
        uid,
        "en",
        question="is the office closed today for the holiday",
        now=_at(9, 15),
    )
    assert said == "No, we're open today until 5 PM."
