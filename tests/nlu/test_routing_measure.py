"""The compound split and the STAR opening-turn routing measure (no trained model needed)."""

from __future__ import annotations

import json
import unicodedata
from pathlib import Path

from nlu.evaluation.datasets import CONTRACT_INTENTS, load_yaml_examples
from nlu.evaluation.routing import (
    CompoundExample,
    StarOpening,
    compound_examples,
    entity_scores,
    evaluate_compound,
    evaluate_star,
    route_opening,
    span_found,
    star_openings,
)

ROOT = Path(__file__).resolve().parents[2]


def _norm(text: str) -> str:
    text = unicodedata.normalize("NFKD", text.lower())
    text = "".join(c for c in text if not unicodedata.combining(c))
    return " ".join("".join(c if c.isalnum() else " " for c in text).split())


def test_compound_split_is_never_trained_on():
    trained = {_norm(e.text) for e in load_yaml_examples(ROOT / "nlu" / "data")}
    examples = compound_examples()
    assert len(examples) >= 50
    leaked = [e.text for e in examples if _norm(e.text) in trained]
    assert not leaked, f"compound held-out texts also in nlu/data: {leaked}"


def test_compound_split_uses_contract_intents_and_spans_in_text():
    for e in compound_examples():
        assert e.intent in CONTRACT_INTENTS, e
        for span in e.spans:
            assert span.lower() in e.text.lower(), e


def test_span_found_needs_an_overlapping_time_entity():
    text = "move it to thursday afternoon"
    hit = [{"entity": "time", "start": 11, "end": 29}]
    assert span_found(text, "thursday afternoon", hit)
    assert not span_found(text, "thursday afternoon", [{"entity": "time", "start": 0, "end": 4}])
    assert not span_found(text, "thursday afternoon", [{"entity": "date_of_birth", "start": 0,
                                                        "end": 29}])  # fmt: skip


def test_evaluate_compound_scores_intents_and_spans():
    examples = [
        CompoundExample("move it to friday", "reschedule_appointment", "friday"),
        CompoundExample("book me in", "book_appointment"),
    ]
    parses = {
        "move it to friday": {
            "intent": {"name": "reschedule_appointment"},
            "entities": [{"entity": "time", "start": 11, "end": 17}],
        },
        "book me in": {"intent": {"name": "inform"}, "entities": []},
    }
    result = evaluate_compound(examples, parses.__getitem__)
    assert result["intent_accuracy"] == 0.5
    assert result["time_span_recall"] == 1.0
    assert result["errors"] == [
        {"text": "book me in", "gold": "book_appointment", "predicted": "inform"}
    ]


def test_entity_scores_count_extra_and_swallowed_spans_against_the_extractor():
    examples = [
        CompoundExample("not monday, wednesday morning", "reschedule_appointment",
                        "wednesday morning", also=("monday",)),
        CompoundExample("bus 42 is late", "running_late"),
    ]  # fmt: skip
    parses = [
        # one entity over both spans: one match, one span missed
        {"entities": [{"entity": "time", "start": 4, "end": 29}]},
        # a road number read as a time: a false positive
        {"entities": [{"entity": "time", "start": 4, "end": 6}]},
    ]
    scores = entity_scores(examples, parses)
    assert (scores["gold_spans"], scores["predicted"], scores["matched"]) == (2, 2, 1)
    assert scores["precision"] == 0.5 and scores["recall"] == 0.5 and scores["f1"] == 0.5
    assert scores["false_positives"] == [{"text": "bus 42 is late", "span": "42"}]


def test_opening_skips_a_greeting_or_name_and_routes():
    intents = {"hi": "greet", "I'm Ben": "inform", "I need an appointment": "book_appointment"}
    assert route_opening(("hi", "I need an appointment"), intents.__getitem__) == "book"
    assert route_opening(("I'm Ben", "I need an appointment"), intents.__getitem__) == "book"
    assert route_opening(("I need an appointment", "hi"), intents.__getitem__) == "book"


def test_evaluate_star_counts_staff_and_false_alarms():
    openings = [
        StarOpening(1, "book", ("book please",)),
        StarOpening(2, "care", ("how do I take it",)),
        StarOpening(3, "care", ("my head hurts a bit",)),
        StarOpening(4, "book", ("blah",)),
    ]
    intents = {
        "book please": "book_appointment",
        "how do I take it": "care_question",
        "my head hurts a bit": "medical_emergency",
        "blah": "nlu_fallback",
    }
    result = evaluate_star(openings, intents.__getitem__)
    assert result["per_class"]["book"]["accuracy"] == 0.5
    assert result["per_class"]["care"]["accuracy"] == 0.5
    assert result["sent_to_staff"] == 0.25
    assert result["emergency_false_alarms"] == 0.25


def test_star_openings_keep_single_task_dialogues(tmp_path):
    rows = [
        {"dialogue_id": 2, "turn_index": 1, "wizard_tasks": ["doctor_followup"],
         "multitask": False, "utterance": "second"},
        {"dialogue_id": 2, "turn_index": 0, "wizard_tasks": ["doctor_followup"],
         "multitask": False, "utterance": "first"},
        {"dialogue_id": 3, "turn_index": 0, "wizard_tasks": ["doctor_schedule", "plane_book"],
         "multitask": True, "utterance": "plane"},
        {"dialogue_id": 5, "turn_index": 0, "wizard_tasks": ["doctor_schedule"],
         "multitask": False, "utterance": "book"},
    ]  # fmt: skip
    path = tmp_path / "star.jsonl"
    path.write_text("\n".join(json.dumps(r) for r in rows))
    assert star_openings(path) == [
        StarOpening(2, "care", ("first", "second")),
        StarOpening(5, "book", ("book",)),
    ]
    assert star_openings(path, "odd") == [StarOpening(5, "book", ("book",))]
    assert star_openings(path, "even") == [StarOpening(2, "care", ("first", "second"))]


def test_opening_routes_with_the_routers_word_rules():
    booking = {
        "I need a follow-up with Dr. Lee, I forgot what she said": "book_appointment",
        "I need to schedule a follow-up appointment": "book_appointment",
        "I need an appointment, my chest hurts": "book_appointment",
        "necesito sacar una cita de seguimiento": "book_appointment",
    }
    routed = {text: route_opening((text,), booking.__getitem__) for text in booking}
    assert routed == {
        "I need a follow-up with Dr. Lee, I forgot what she said": "care",
        "I need to schedule a follow-up appointment": "book",
        "I need an appointment, my chest hurts": "emergency",
        "necesito sacar una cita de seguimiento": "book",
    }


def test_a_message_without_a_department_is_routed_by_its_words_as_the_dialogue_does():
    """`action_take_message` sends a message the classifier gave no department to the task, the
    office answer or the department its words name; the measure routes it the same way."""
    heard = {
        "the doctor gave me a cream and i forgot how often to put it on": "nlu_fallback",
        "how many drops am i supposed to use": "out_of_scope",
        "I was seen by Dr Hale on Monday": "inform",
        "my stitches are itchy": "out_of_scope",
        "I need to book an appointment": "nlu_fallback",
        "is there parking?": "out_of_scope",
        "what's the weather tomorrow": "out_of_scope",
        "can you send my records to my new doctor": "request_human",
    }
    routed = {text: route_opening((text,), heard.__getitem__) for text in heard}
    assert routed == {
        "the doctor gave me a cream and i forgot how often to put it on": "care",
        "how many drops am i supposed to use": "care",
        "I was seen by Dr Hale on Monday": "care",
        "my stitches are itchy": "care",
        "I need to book an appointment": "book",
        "is there parking?": "office",
        "what's the weather tomorrow": "staff",
        "can you send my records to my new doctor": "staff",
    }
