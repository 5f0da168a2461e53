"""Whole requests and recovering conversations end to end (issues #16 and #17), against the
real Rasa and action servers: the cancel done at the yes, bookings with their details, closed
days recorded as office information, corrections read against what was asked before, compound
requests with every part handled, dates of birth as callers say them. Several wordings, SMS and
voice, English and Spanish (bench/conversations/whole_requests.yml, played as the benchmark
plays them); judged by what was said and what the database holds."""

from __future__ import annotations

import sys

import pytest

from assistant.config import PROJECT_ROOT

sys.path.insert(0, str(PROJECT_ROOT / "bench"))

import conversation_suite as suite  # noqa: E402

pytestmark = pytest.mark.rasa
WHOLE = [s["id"] for s in suite.load("whole-")] + [
    "book-en-sms-new-patient",
    "book-es-voice-new-patient",
    "book-en-sms-new-family-doctor",
    "cancel-en-sms-reason",
    "cancel-es-voice",
]


@pytest.fixture(scope="module")
def sim(dialogue_settings):
    return suite.simulator(dialogue_settings)


@pytest.mark.parametrize("conversation_id", WHOLE)
def test_whole_request_conversation(conversation_id, sim, live_db):
    spec = next(s for s in suite.load(conversation_id) if s["id"] == conversation_id)
    result = suite.run_one(sim, live_db, spec)
    transcript = "\n".join(
        f"> {said}\n< {reply}" for said, reply in zip(spec["turns"], result.replies, strict=False)
    )
    assert result.success, f"{result.why}\n{transcript}"
