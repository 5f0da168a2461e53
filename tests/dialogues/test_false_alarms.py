"""The classifier's emergency weighed with its words (action_weigh_emergency, before the rule's
911): a car, traffic or an idiom with a request is heard again as that request, after one line
about 911; a red flag, a sign of acute illness, or nothing that explains the alarm goes on to
911 (the action returns nothing and the rule says it)."""

from __future__ import annotations

import pytest

from dialogues.actions.alarm import ActionWeighEmergency
from tests.factories.dialogues import conversation, run, tracker


def _weighed(uid: str, said: str) -> tuple[list[dict], list[dict]]:
    return run(ActionWeighEmergency(), tracker(uid, text=said, intent="medical_emergency"))


@pytest.mark.parametrize(
    ("said", "heard"),
    [
        ("sorry I need to cancel, the car battery is dead", "cancel_appointment"),
        ("my ride's engine overheated, can we move my appointment to friday",
         "reschedule_appointment"),
        ("the bill you sent nearly gave me a heart attack, what is this charge for",
         "billing_question"),
        ("se me ponchó la llanta, voy a llegar como 15 minutos tarde", "running_late"),
    ],
)  # fmt: skip
def test_a_car_or_an_idiom_with_a_request_is_heard_as_the_request(demo, sqlite_url, said, heard):
    uid = conversation(sqlite_url, demo.practice_id, demo.english_demo.phone)
    events, messages = _weighed(uid, said)
    assert [m["response"] for m in messages] == ["utter_if_medical_emergency"]
    assert [e["event"] for e in events] == ["rewind", "action", "user"]
    again = events[-1]
    assert again["text"] == said and again["parse_data"]["intent"]["name"] == heard
    assert again["metadata"] == {"conversation_uid": uid}  # the same conversation


@pytest.mark.parametrize(
    "said",
    [
        "the car broke down and my husband passed out, should I cancel",
        "we were in a crash on the turnpike and my son is bleeding, cancel my visit",
        "my car died",  # no request: the classifier's alarm is not explained away
        "my mom is acting weird and confused, can I move her appointment",
        "my chest is killing me, can I come in today",
        "mi hijo se tragó una moneda y una pila, quiero cancelar la cita",
    ],
)
def test_a_red_flag_or_no_request_goes_on_to_911(demo, sqlite_url, said):
    uid = conversation(sqlite_url, demo.practice_id, demo.english_demo.phone)
    events, messages = _weighed(uid, said)
    assert events == [] and messages == []  # the rule's next step: utter_emergency
