"""Name and date of birth sent after a message was taken (the protocol of a care question: the
question, then who they are) add no second request, whatever the classifier heard; a request
for a person is still one, however short."""

from __future__ import annotations

from dialogues.actions.routing import ActionTakeMessage
from tests.factories.dialogues import conversation, run, staff_departments, tracker


def test_name_and_birth_heard_as_a_person_ask_what_else(demo, sqlite_url):
    uid = conversation(sqlite_url, demo.practice_id, demo.english_demo.phone)
    said = "it's Ottilie Brandt born the second of May nineteen ninety"
    _, messages = run(ActionTakeMessage(), tracker(uid, text=said, intent="request_human"))
    assert [m.get("response") for m in messages] == ["utter_what_else"]
    assert staff_departments(sqlite_url, uid) == []


def test_two_words_asking_for_a_person_reach_the_front_desk(demo, sqlite_url):
    uid = conversation(sqlite_url, demo.practice_id, demo.english_demo.phone)
    _, messages = run(ActionTakeMessage(), tracker(uid, text="real person", intent="request_human"))
    assert "utter_what_else" not in [m.get("response") for m in messages]
    assert staff_departments(sqlite_url, uid) == ["front_desk"]
