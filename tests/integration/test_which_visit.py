"""Requests about existing visits understood whole (issues 16/17), end to end against the real
Rasa and action servers: the visit named among two ("the later one", "la de la mañana", "the one
with Dr. Okafor"), checks that ask the day and the provider or where, a question said with a
task, a time asked for without saying move or book. SMS and voice, English and Spanish
(bench/conversations/visits.yml, played as the benchmark plays them); judged by what was said
and what the database holds."""

from __future__ import annotations

import sys

import pytest

from assistant.config import PROJECT_ROOT

sys.path.insert(0, str(PROJECT_ROOT / "bench"))

import conversation_suite as suite  # noqa: E402

pytestmark = pytest.mark.rasa
VISITS = [s["id"] for s in suite.load("visits-")]


@pytest.fixture(scope="module")
def sim(dialogue_settings):
    return suite.simulator(dialogue_settings)


@pytest.mark.parametrize("conversation_id", VISITS)
def test_visit_conversation(conversation_id, sim, live_db):
    spec = next(s for s in suite.load(conversation_id) if s["id"] == conversation_id)
    result = suite.run_one(sim, live_db, spec)
    transcript = "\n".join(
        f"> {said}\n< {reply}" for said, reply in zip(spec["turns"], result.replies, strict=False)
    )
    assert result.success, f"{result.why}\n{transcript}"
