"""Front-desk recoveries against the real Rasa and action servers
(tests/integration/conversations/front_desk.yml): car trouble is a reason to cancel, not a 911
call; a question asked where the date of birth was asked is answered and the check goes on; a
move with no day said offers the soonest times at once; a first name that is a request word;
a Spanish referral reaches the front desk. Judged by what was said and the database."""

from __future__ import annotations

import pytest

from tests.factories.dialogues import play_scripted, scripted_ids

pytestmark = pytest.mark.rasa


@pytest.mark.parametrize("conversation_id", scripted_ids("desk-"))
def test_front_desk_conversation(conversation_id, sim, live_db):
    play_scripted(sim, live_db, conversation_id)
