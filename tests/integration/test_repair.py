"""Conversations that recover, end to end against the real Rasa and action servers
(tests/integration/conversations/repair.yml): a provider asked for and taken back gets the
first provider's times and read-back; a Spanish voice day correction at the read-back is
offered for the day said; who is speaking said in the first message is verified without being
asked again; "¿qué día tengo mi cita?" is a check; the minutes late are not road numbers; an
accident is a booking, self-harm an emergency. Judged by what was said and the database."""

from __future__ import annotations

import pytest

from tests.factories.dialogues import play_scripted, scripted_ids

pytestmark = pytest.mark.rasa


@pytest.mark.parametrize("conversation_id", scripted_ids("repair-"))
def test_repair_conversation(conversation_id, sim, live_db):
    play_scripted(sim, live_db, conversation_id)
