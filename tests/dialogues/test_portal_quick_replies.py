"""In the portal the offered times and the yes/no read-back come with quick-reply buttons;
SMS and voice get the same words and no buttons."""

from __future__ import annotations

from datetime import date, datetime, timezone

from assistant.frontdesk.offers import OfferedTime
from dialogues.actions.reschedule import ActionAskRescheduleConfirm, ActionAskSlotChoice
from tests.factories.dialogues import run, tracker

OPTIONS = [
    OfferedTime(1, 1, 2, datetime(2026, 12, 3, 14, minute, tzinfo=timezone.utc),
                date(2026, 12, 3), 9, minute,
                f"Thu Dec 3, 9:{minute:02d} AM with Dr. Chen at Main Street Office").to_slot()
    for minute in (0, 30)
]  # fmt: skip


def test_offered_times_are_buttons_in_the_portal_only():
    portal = tracker("u1", slots={"channel": "portal", "offered_options": OPTIONS})
    _, messages = run(ActionAskSlotChoice(), portal)
    assert messages[0]["buttons"] == [
        {"title": OPTIONS[0]["label"], "payload": "the first one"},
        {"title": OPTIONS[1]["label"], "payload": "the second one"},
    ]
    spanish = tracker(
        "u1", slots={"channel": "portal", "language": "es", "offered_options": OPTIONS}
    )
    _, messages = run(ActionAskSlotChoice(), spanish)
    assert [b["payload"] for b in messages[0]["buttons"]] == ["la primera", "la segunda"]
    _, messages = run(ActionAskSlotChoice(), tracker("u1", slots={"offered_options": OPTIONS}))
    assert not messages[0]["buttons"] and "2) " + OPTIONS[1]["label"] in messages[0]["options"]


def test_the_read_back_offers_yes_and_no_in_the_portal():
    slots = {"channel": "portal", "task": "rebook", "chosen_option": OPTIONS[0]}
    _, messages = run(ActionAskRescheduleConfirm(), tracker("u1", slots=slots))
    assert messages[0]["buttons"] == [
        {"title": "Yes", "payload": "yes"},
        {"title": "No", "payload": "no"},
    ]
