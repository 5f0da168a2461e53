"""Booking requests said whole, end to end against the real Rasa and action servers (issues #16
and #17, the booking classes): an established patient holding a follow-up books a physical or a
follow-up, a named provider, book vs move both ways, video visits, a family member with
everything in one message, a time said at the type question, fasting mentioned with a booking.
SMS and voice, English and Spanish; judged by what was said and what the database holds."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from assistant.config import PROJECT_ROOT

sys.path.insert(0, str(PROJECT_ROOT / "bench"))

import conversation_suite as suite  # noqa: E402

pytestmark = pytest.mark.rasa
CONVERSATIONS = Path(__file__).parent / "conversations"
BOOKING = [s["id"] for s in suite.load(folder=CONVERSATIONS)]


@pytest.fixture(scope="module")
def sim(dialogue_settings):
    return suite.simulator(dialogue_settings)


@pytest.mark.parametrize("conversation_id", BOOKING)
def test_booking_request_conversation(conversation_id, sim, live_db):
    spec = next(s for s in suite.load(folder=CONVERSATIONS) if s["id"] == conversation_id)
    result = suite.run_one(sim, live_db, spec)
    transcript = "\n".join(
        f"> {said}\n< {reply}" for said, reply in zip(spec["turns"], result.replies, strict=False)
    )
    assert result.success, f"{result.why}\n{transcript}"
    assert result.unchosen == []  # nothing changed without a read-back naming it
