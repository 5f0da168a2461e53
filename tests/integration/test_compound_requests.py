"""Whole requests said in one breath, end to end against the real Rasa and action servers
(issue #16): a move to the visit's own day, earlier or later (never the other way); to the week
after the visit; a task and a question together (the address, the hours, parking, fasting),
both handled, the task after name and date of birth; texts with shorthand and typos. SMS and
voice, English and Spanish (tests/integration/conversations/compound.yml, played as the
benchmark plays them); judged by what was said and what the database holds."""

from __future__ import annotations

import sys

import pytest

from assistant.config import PROJECT_ROOT

sys.path.insert(0, str(PROJECT_ROOT / "bench"))

import conversation_suite as suite  # noqa: E402

pytestmark = pytest.mark.rasa
HERE = PROJECT_ROOT / "tests" / "integration" / "conversations"
COMPOUND = [s["id"] for s in suite.load("compound-", folder=HERE)]


@pytest.fixture(scope="module")
def sim(dialogue_settings):
    return suite.simulator(dialogue_settings)


@pytest.mark.parametrize("conversation_id", COMPOUND)
def test_compound_request_conversation(conversation_id, sim, live_db):
    spec = next(s for s in suite.load(conversation_id, folder=HERE) if s["id"] == conversation_id)
    result = suite.run_one(sim, live_db, spec)
    transcript = "\n".join(
        f"> {said}\n< {reply}" for said, reply in zip(spec["turns"], result.replies, strict=False)
    )
    assert result.success, f"{result.why}\n{transcript}"
    assert not result.unchosen, transcript
