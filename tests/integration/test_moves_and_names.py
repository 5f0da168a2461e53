"""Moves counted from the visit or placed in the week ("the same day the following week",
"the start of next week", "nothing before Friday") and patients with unusual names (said
together, spelled out with a slip, the first name then the last, a corrected date of birth),
against the real Rasa and action servers (tests/integration/conversations/moves_and_names.yml).
Judged by what was said and what the database holds."""

from __future__ import annotations

import pytest

from tests.factories.dialogues import play_scripted, scripted_ids

pytestmark = pytest.mark.rasa
CONVERSATIONS = [*scripted_ids("moves-"), *scripted_ids("names-")]


@pytest.mark.parametrize("conversation_id", CONVERSATIONS)
def test_move_or_name_conversation(conversation_id, sim, live_db):
    play_scripted(sim, live_db, conversation_id)
