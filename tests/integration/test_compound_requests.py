"""Whole requests said in one breath, end to end against the real Rasa and action servers
(issue #16): a move to the visit's own day, earlier or later (never the other way); to the week
after the visit; a task and a question together (the address, the hours, parking, fasting),
both handled, the task after name and date of birth; texts with shorthand and typos. SMS and
voice, English and Spanish (tests/integration/conversations/compound.yml, played as the
benchmark plays them); judged by what was said and what the database holds."""

from __future__ import annotations

import pytest

from tests.factories.dialogues import play_scripted, scripted_ids

pytestmark = pytest.mark.rasa


@pytest.mark.parametrize("conversation_id", scripted_ids("compound-"))
def test_compound_request_conversation(conversation_id, sim, live_db):
    play_scripted(sim, live_db, conversation_id)
