"""A sample of bench/conversations played through the signed Twilio webhooks (SMS and voice)
against the real Rasa and action servers; the database must hold each expected outcome.

The whole suite (and its containment / task-success figures) runs with
`python bench/conversation_suite.py`; these are its booking and running-late scripts in both
languages and channels, plus one unhappy path per kind.
"""

from __future__ import annotations

import sys

import pytest

from assistant.config import PROJECT_ROOT

sys.path.insert(0, str(PROJECT_ROOT / "bench"))

import conversation_suite as suite  # noqa: E402

pytestmark = pytest.mark.rasa

SAMPLE = (
    "book-en-sms-new-patient",
    "book-en-sms-returning",
    "book-es-voice-new-patient",
    "late-en-sms-within-grace",
    "late-en-voice-beyond-grace-reschedules",
    "late-es-sms",
    "check-en-sms-wrong-dob-three-times",
    "resched-en-sms-correction-weekday",
    "referral-en-sms-insurance-needs-one",
    "referral-en-voice-heart-doctor",
    "referral-es-sms-referencia",
    "insurance-en-sms-mid-reschedule",
    "insurance-es-voice-card-mid-booking",
    "insurance-en-voice-see-if-you-take",
    "reminder-en-sms-yes-with-thanks",
    "reminder-es-sms-si-y-pregunta-ayunas",
    "reminder-en-sms-yes-and-parking",
)
SPECS = {spec["id"]: spec for spec in suite.load()}


@pytest.fixture(scope="module")
def sim(dialogue_settings):
    return suite.simulator(dialogue_settings)


def test_the_suite_has_enough_conversations():
    specs = list(SPECS.values())
    assert len(specs) >= 40
    assert {s.get("channel", "sms") for s in specs} == {"sms", "voice"}
    assert {s.get("language", "en") for s in specs} == {"en", "es"}


@pytest.mark.parametrize("conversation_id", SAMPLE)
def test_scripted_conversation(conversation_id, sim, live_db):
    result = suite.run_one(sim, live_db, SPECS[conversation_id])
    transcript = "\n".join(
        f"> {said}\n< {reply}"
        for said, reply in zip(SPECS[conversation_id]["turns"], result.replies, strict=False)
    )
    assert result.success, f"{result.why}\n{transcript}"
    assert not result.unchosen, f"{result.unchosen}\n{transcript}"
