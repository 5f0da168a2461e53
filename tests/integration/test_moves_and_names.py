"""Moves counted from the visit or placed in the week ("the same day the following week",
"the start of next week", "nothing before Friday") and patients with unusual names (said
together, spelled out with a slip, the first name then the last, a corrected date of birth),
against the real Rasa and action servers (tests/integration/conversations/moves_and_names.yml).
Judged by what was said and what the database holds."""

from __future__ import annotations

import sys

import pytest

from assistant.config import PROJECT_ROOT

sys.path.insert(0, str(PROJECT_ROOT / "bench"))

import conversation_suite as suite  # noqa: E402

pytestmark = pytest.mark.rasa
HERE = PROJECT_ROOT / "tests" / "integration" / "conversations"
CONVERSATIONS = [
    s["id"] for s in suite.load(None, folder=HERE) if s["id"].startswith(("moves-", "names-"))
]


@pytest.fixture(scope="module")
def sim(dialogue_settings):
    return suite.simulator(dialogue_settings)


@pytest.mark.parametrize("conversation_id", CONVERSATIONS)
def test_move_or_name_conversation(conversation_id, sim, live_db):
    spec = next(s for s in suite.load(conversation_id, folder=HERE) if s["id"] == conversation_id)
    result = suite.run_one(sim, live_db, spec)
    transcript = "\n".join(
        f"> {said}\n< {reply}" for said, reply in zip(spec["turns"], result.replies, strict=False)
    )
    assert result.success, f"{result.why}\n{transcript}"
    assert not result.unchosen, transcript
