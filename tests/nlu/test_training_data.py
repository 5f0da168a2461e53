"""Checks of the NLU training data and the held-out split; no trained model needed."""

from __future__ import annotations

import re
import unicodedata
from collections import Counter, defaultdict
from pathlib import Path

import pytest

from nlu.evaluation.datasets import CONTRACT_INTENTS, Example, load_yaml_examples

ROOT = Path(__file__).resolve().parents[2]
DATA_DIR = ROOT / "nlu" / "data"
HELDOUT = ROOT / "nlu" / "tests" / "heldout.yml"
MIN_TRAINING_EXAMPLES = 40
MIN_HELDOUT_EXAMPLES = 10
MIN_HELDOUT_EMERGENCIES = 60
EMERGENCY = "medical_emergency"

# Words that, in this data, only Spanish messages use.
SPANISH_WORDS = {
    "hola", "gracias", "cita", "quiero", "necesito", "tengo", "puedo", "por", "favor", "porfa",
    "que", "qué", "mi", "mis", "el", "la", "los", "las", "de", "del", "para", "con", "una",
    "es", "esta", "está", "estan", "están", "ahi", "ahí", "estare", "estaré", "voy", "llego",
    "cuando", "cuándo", "donde", "cual", "buenos", "buenas", "adios", "adiós", "hasta", "señorita",
    "quisiera", "ayuda", "ayudenme", "pecho", "mañana", "tarde", "receta", "resultados", "baja",
    "mensajes", "alguien", "persona", "si", "sí", "no", "eso", "ninguno", "llamo", "cuanto",
}  # fmt: skip
ENGLISH_WORDS = {
    "i", "i'm", "my", "the", "a", "to", "is", "it", "you", "yes", "no", "can", "me", "please",
    "pls", "appt", "thanks", "hi", "hello", "bye", "what", "when", "stop", "of", "for", "be",
}  # fmt: skip


def normalize(text: str) -> str:
    """Near enough what the model sees: case, accents (texters often drop them), punctuation and
    blanks do not make a new example."""
    text = unicodedata.normalize("NFKD", text.lower())
    text = "".join(c for c in text if not unicodedata.combining(c))
    return " ".join(re.sub(r"[^\w\s']", " ", text).split())


def words(text: str) -> set[str]:
    return set(re.findall(r"[\w']+", normalize(text)))


SPANISH_ONLY = {normalize(w) for w in SPANISH_WORDS} - ENGLISH_WORDS


def is_spanish(text: str) -> bool:
    return bool(words(text) & SPANISH_ONLY)


def is_english(text: str) -> bool:
    return bool(words(text) & ENGLISH_WORDS) and not is_spanish(text)


@pytest.fixture(scope="module")
def training() -> list[Example]:
    return load_yaml_examples(DATA_DIR)


@pytest.fixture(scope="module")
def heldout() -> list[Example]:
    return load_yaml_examples(HELDOUT)


def test_training_files_are_rasa_3_yaml_split_by_topic() -> None:
    files = sorted(DATA_DIR.glob("*.yml"))
    assert len(files) >= 5, "training data is split into topic files"
    for path in files:
        text = path.read_text(encoding="utf-8")
        assert re.search(r'^version: "3\.1"$', text, re.M), f"{path.name} lacks version 3.1"
    assert re.search(r'^version: "3\.1"$', HELDOUT.read_text(encoding="utf-8"), re.M)


def test_every_contract_intent_has_enough_training_examples(training: list[Example]) -> None:
    counts = Counter(e.intent for e in training)
    too_few = {i: counts[i] for i in CONTRACT_INTENTS if counts[i] < MIN_TRAINING_EXAMPLES}
    assert not too_few, f"intents with fewer than {MIN_TRAINING_EXAMPLES} examples: {too_few}"


def test_training_uses_only_contract_intents(training: list[Example]) -> None:
    assert {e.intent for e in training} == set(CONTRACT_INTENTS)


def test_heldout_covers_every_intent(heldout: list[Example]) -> None:
    counts = Counter(e.intent for e in heldout)
    assert set(counts) == set(CONTRACT_INTENTS)
    too_few = {i: n for i, n in counts.items() if n < MIN_HELDOUT_EXAMPLES}
    assert not too_few, f"held-out intents with fewer than {MIN_HELDOUT_EXAMPLES}: {too_few}"
    assert counts["medical_emergency"] >= MIN_HELDOUT_EMERGENCIES


@pytest.mark.parametrize("intent", CONTRACT_INTENTS)
def test_heldout_has_both_languages_for_each_intent(heldout: list[Example], intent: str) -> None:
    texts = [e.text for e in heldout if e.intent == intent]
    assert any(is_spanish(t) for t in texts), f"no Spanish held-out example for {intent}"
    assert any(is_english(t) for t in texts), f"no English held-out example for {intent}"


@pytest.mark.parametrize("intent", CONTRACT_INTENTS)
def test_training_has_both_languages_for_each_intent(training: list[Example], intent: str) -> None:
    texts = [e.text for e in training if e.intent == intent]
    assert any(is_spanish(t) for t in texts), f"no Spanish training example for {intent}"
    assert any(is_english(t) for t in texts), f"no English training example for {intent}"


def test_no_heldout_text_is_trained_on(training: list[Example], heldout: list[Example]) -> None:
    trained = {normalize(e.text) for e in training}
    leaked = sorted({e.text for e in heldout if normalize(e.text) in trained})
    assert not leaked, f"held-out texts also in nlu/data: {leaked}"


def test_no_minor_injury_is_trained_on(training: list[Example]) -> None:
    """The false-alarm set of minor injuries is held out too."""
    trained = {normalize(e.text) for e in training}
    injuries = load_yaml_examples(ROOT / "nlu" / "tests" / "minor_injuries.yml")
    assert len(injuries) >= 30
    leaked = sorted({e.text for e in injuries if normalize(e.text) in trained})
    assert not leaked, f"minor injuries also in nlu/data: {leaked}"


@pytest.mark.parametrize("split", ["training", "heldout"])
def test_no_text_under_two_intents(split: str, request: pytest.FixtureRequest) -> None:
    examples: list[Example] = request.getfixturevalue(split)
    intents: dict[str, set[str]] = defaultdict(set)
    for e in examples:
        intents[normalize(e.text)].add(e.intent)
    clashes = {text: sorted(i) for text, i in intents.items() if len(i) > 1}
    assert not clashes, f"texts under several intents: {clashes}"


@pytest.mark.parametrize("split", ["training", "heldout"])
def test_no_exact_duplicates_within_an_intent(split: str, request: pytest.FixtureRequest) -> None:
    examples: list[Example] = request.getfixturevalue(split)
    counts = Counter((e.intent, e.text) for e in examples)
    assert not [k for k, n in counts.items() if n > 1]


def test_heldout_contains_both_channels(heldout: list[Example]) -> None:
    texts = [e.text for e in heldout]
    phone_fillers = {"um", "uh", "eh", "este"}
    sms_marks = {"pls", "appt", "tmrw", "porfa", "resched", "u", "r", "ur", "thx", "rx", "q"}
    assert sum(bool(words(t) & phone_fillers) for t in texts) >= 40
    assert sum(bool(words(t) & sms_marks) for t in texts) >= 20


def test_emergency_heldout_covers_the_categories(heldout: list[Example]) -> None:
    texts = " | ".join(normalize(e.text) for e in heldout if e.intent == "medical_emergency")
    categories = {
        "chest pain": r"chest|pecho",
        "breathing": r"breath|respir",
        "stroke": r"droop|slurred|stroke|derrame|cara caida",
        "overdose": r"overdos|pills|pastillas|took too much",
        "bleeding": r"bleed|blood|sangr",
        "suicidal": r"kill myself|end my life|alive anymore|quitar la vida|matarme|vivir",
        "seizure": r"seizure|convuls",
        "unconscious": r"wake up|conscious|responding|desmay|no responde",
        "allergic": r"allerg|swell|alergi",
    }
    missing = [name for name, pattern in categories.items() if not re.search(pattern, texts)]
    assert not missing, f"emergency categories missing from held-out: {missing}"


def test_reminder_and_opt_out_contract_examples(training: list[Example]) -> None:
    """Replies whose meaning the dialogue and the FCC rules fix; keep them where they are."""
    by_text = {normalize(e.text): e.intent for e in training}
    expected = {
        "yes": "affirm",
        "si": "affirm",
        "yes i'll be there": "confirm_appointment",
        "1": "confirm_appointment",
        "c": "confirm_appointment",
        "confirmo": "confirm_appointment",
        "si ahi estare": "confirm_appointment",
        "stop": "opt_out",
        "cancel": "opt_out",
        "unsubscribe": "opt_out",
        "baja": "opt_out",
        "cancel my appointment": "cancel_appointment",
        "i want to kill myself": "medical_emergency",
        "quiero quitarme la vida": "medical_emergency",
        "3/3/82": "inform",
    }
    wrong = {
        t: by_text.get(normalize(t))
        for t, intent in expected.items()
        if by_text.get(normalize(t)) != intent
    }
    assert not wrong, f"contract examples missing or moved: {wrong}"


def test_no_entity_annotations(training: list[Example]) -> None:
    """Plain intents only for now: dates are extracted by a separate component."""
    from rasa.shared.nlu.training_data.loading import load_data

    data = load_data(str(DATA_DIR))
    assert not data.entity_examples


def test_rasa_validator_finds_no_problem() -> None:
    """What `rasa data validate` checks for NLU-only data: duplicates and intent clashes."""
    from rasa.shared.importers.importer import TrainingDataImporter
    from rasa.validator import Validator

    importer = TrainingDataImporter.load_from_dict(training_data_paths=[str(DATA_DIR)])
    validator = Validator.from_importer(importer)
    assert validator.verify_example_repetition_in_intents(ignore_warnings=False)


def test_emergency_regex_features_compile_and_fit() -> None:
    """The red-flag regexes in emergency.yml: valid, mostly on emergencies, rarely elsewhere."""
    from rasa.shared.nlu.training_data.loading import load_data

    data = load_data(str(DATA_DIR))
    patterns = [re.compile(r["pattern"]) for r in data.regex_features]
    assert patterns, "emergency.yml defines regex features"
    emergencies = [e.get("text") for e in data.intent_examples if e.get("intent") == EMERGENCY]
    others = [e.get("text") for e in data.intent_examples if e.get("intent") != EMERGENCY]

    def flagged(texts: list[str]) -> float:
        return sum(any(p.search(t) for p in patterns) for t in texts) / len(texts)

    assert flagged(emergencies) >= 0.9
    assert flagged(others) <= 0.01
