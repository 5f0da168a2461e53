"""Moves asked with no time (issue #17), end to end against the real Rasa and action servers:
the soonest times offered at once after verification, more times as now wished, the week after
next (tests/integration/conversations/reschedule.yml). Judged by the database."""

from __future__ import annotations

import pytest

from tests.factories.dialogues import play_scripted, scripted_ids

pytestmark = pytest.mark.rasa


@pytest.mark.parametrize("conversation_id", scripted_ids("reschedule-"))
def test_reschedule_conversation(conversation_id, sim, live_db):
    play_scripted(sim, live_db, conversation_id)
