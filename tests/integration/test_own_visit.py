"""Questions about one's own visit, word that one is coming, names as people say them, the
nurse's questions and mid-task office questions, against the real Rasa and action servers
(tests/integration/conversations/own_visit.yml). Judged by what was said and the database."""

from __future__ import annotations

import pytest

from tests.factories.dialogues import play_scripted, scripted_ids

pytestmark = pytest.mark.rasa


@pytest.mark.parametrize("conversation_id", scripted_ids("visit-"))
def test_own_visit_conversation(conversation_id, sim, live_db):
    play_scripted(sim, live_db, conversation_id)
