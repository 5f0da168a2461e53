"""Names, dates of birth, yes/no and choices answer the form's question whatever the classifier
says; only a real change of subject (emergency, a person asked for, an office question) leaves
the form (issue #16, class 2)."""

from __future__ import annotations

import pytest

from assistant.frontdesk.subject import change_of_subject, looks_like_name
from dialogues.actions.book import ValidateBookForm
from dialogues.actions.identity import ValidateIdentityForm
from dialogues.actions.reschedule import ValidateRescheduleForm
from tests.factories.dialogues import conversation, run, slots_of, tracker

NAMES_CLASSIFIED_ELSEWHERE = [
    ("Mark Person", "request_human"),
    ("Faith Staff", "request_human"),
    ("Hope Church", "out_of_scope"),
    ("Jordan Help", "request_human"),
    ("my name is Grace Agent", "request_human"),
    ("soy Dolores Socorro", "request_human"),
    ("Joy Office", "office_info"),
    ("Angel Nurse", "medical_emergency"),
]


@pytest.mark.parametrize(("said", "intent"), NAMES_CLASSIFIED_ELSEWHERE)
def test_a_name_is_a_name(said, intent):
    assert looks_like_name(said)
    assert change_of_subject(said, intent, "name") is None


@pytest.mark.parametrize(
    ("said", "intent", "expecting", "change"),
    [
        ("can I talk to a real person", "request_human", "name", "human"),
        ("representative", "request_human", "name", "human"),
        ("I want to speak with someone at the front desk", "request_human", "date", "human"),
        ("quiero hablar con una persona", "request_human", "name", "human"),
        ("no, get me a human", "request_human", "yes_no", "human"),
        ("what are your hours?", "office_info", "name", "question"),
        ("where do I park", "office_info", "date", "question"),
        ("a que hora abren", "office_info", "name", "question"),
        ("my husband has chest pain", "medical_emergency", "name", "emergency"),
        ("Chest Pain", "medical_emergency", "name", "emergency"),
        ("he collapsed and won't wake up", "medical_emergency", "yes_no", "emergency"),
        ("i cant breathe", "medical_emergency", "date", "emergency"),
        ("she is not breathing", "medical_emergency", "free", "emergency"),
        ("this is an emergency", "medical_emergency", "free", "emergency"),
        ("family emergency, my dad has chest pain", "medical_emergency", "free", "emergency"),
        ("my son is not breathing, family emergency", "medical_emergency", "free", "emergency"),
    ],
)
def test_a_real_change_of_subject(said, intent, expecting, change):
    assert change_of_subject(said, intent, expecting) == change


@pytest.mark.parametrize(
    ("said", "intent", "expecting"),
    [
        ("03/03/1982", "medical_emergency", "date"),
        ("march third 1982", "request_human", "date"),
        ("yes", "request_human", "yes_no"),
        ("no thanks", "office_info", "yes_no"),
        ("the second one", "request_human", "choice"),
        ("Tuesday afternoon", "office_info", "free"),
        ("Maria Lopez", "book_appointment", "name"),
        # why a visit was cancelled: an emergency that is no one's health
        ("i have a family emergency out of town", "medical_emergency", "free"),
        ("an emergency came up at work", "medical_emergency", "free"),
        ("tuve una emergencia familiar", "medical_emergency", "free"),
    ],
)
def test_answers_stay_answers(said, intent, expecting):
    assert change_of_subject(said, intent, expecting) is None


def _identity(uid: str, said: str, intent: str):
    return run(
        ValidateIdentityForm(),
        tracker(
            uid,
            text=said,
            intent=intent,
            slots={"patient_name": said, "requested_slot": "patient_name"},
            latest_action="identity_form",
            active_loop="identity_form",
        ),
    )


def test_a_name_classified_request_human_fills_the_name(demo, sqlite_url):
    uid = conversation(sqlite_url, demo.practice_id, demo.english_demo.phone)
    events, messages = _identity(uid, "Mark Person", "request_human")
    assert slots_of(events)["patient_name"] == "Mark Person"
    assert not any(e.get("event") == "action_execution_rejected" for e in events)
    assert messages == []


def test_asking_for_a_person_leaves_the_identity_form(demo, sqlite_url):
    uid = conversation(sqlite_url, demo.practice_id, demo.english_demo.phone)
    events, messages = _identity(uid, "can I just talk to a person please", "request_human")
    assert slots_of(events)["patient_name"] is None
    assert any(
        e.get("event") == "action_execution_rejected" and e.get("name") == "identity_form"
        for e in events
    )
    assert messages == []


def test_a_bare_no_answers_a_confirmation_even_as_request_human(demo, sqlite_url):
    uid = conversation(sqlite_url, demo.practice_id, demo.english_demo.phone)
    events, messages = run(
        ValidateRescheduleForm(),
        tracker(
            uid,
            text="no",
            intent="request_human",
            slots={"reschedule_confirm": "no", "requested_slot": "reschedule_confirm"},
            latest_action="reschedule_form",
            active_loop="reschedule_form",
        ),
    )
    # an answer to the read-back: "no" offers other times (issue 17), no person, no rejection
    assert slots_of(events)["reschedule_confirm"] is None
    assert not any(e.get("event") == "action_execution_rejected" for e in events)
    assert [m.get("response") for m in messages] == ["utter_book_other_time"]


def test_a_new_patients_name_classified_out_of_scope(demo, sqlite_url):
    uid = conversation(sqlite_url, demo.practice_id, "+15555550999")
    events, _ = run(
        ValidateBookForm(),
        tracker(
            uid,
            text="Hope Church",
            intent="out_of_scope",
            slots={
                "book_patient_status": "new",
                "new_patient_name": "Hope Church",
                "requested_slot": "new_patient_name",
            },
            latest_action="book_form",
            active_loop="book_form",
        ),
    )
    assert slots_of(events).get("new_patient_name") == "Hope Church"
