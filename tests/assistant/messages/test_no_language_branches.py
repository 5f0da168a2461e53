"""Texts are chosen by the catalogs, not by code that names a language.

A third language must be a new catalog, not a hunt through the tree: product code compares a
language with "es" only where that is language logic, not wording (each such place listed here
with its reason), and keeps no sentence tables keyed by language.
"""

from __future__ import annotations

import ast
import re
from collections import Counter
from pathlib import Path

from assistant.messages import DEFAULT_LANGUAGE, LANGUAGES

ROOT = Path(__file__).resolve().parents[3]
PRODUCT = ("assistant", "webhooks", "dialogues", "nlu")
OTHER_LANGUAGES = {lang for lang in LANGUAGES if lang != DEFAULT_LANGUAGE}

# The comparisons with a language code that stay, and why (none chooses a text).
LANGUAGE_LOGIC = {
    "assistant/demo/seed.py": 1,  # counts the demo's Spanish-speaking patients
    "webhooks/twilio/voice.py": 1,  # "was the caller heard speaking Spanish?" (switches language)
    "nlu/evaluation/datetimes.py": 1,  # the evaluation's Spanish voice rows
}


def _sources() -> list[Path]:
    return sorted(
        path
        for package in PRODUCT
        for path in (ROOT / package).rglob("*.py")
        if "migrations" not in path.parts
    )


def _is_language(node: ast.AST) -> bool:
    return isinstance(node, ast.Constant) and node.value in OTHER_LANGUAGES


def _comparisons(tree: ast.AST) -> int:
    return sum(
        1
        for node in ast.walk(tree)
        if isinstance(node, ast.Compare)
        and any(isinstance(op, ast.Eq) for op in node.ops)
        and any(_is_language(n) for n in [node.left, *node.comparators])
    )


_WORDS = re.compile(r"[^\W\d_]{2,}")


def _is_sentence(value: object) -> bool:
    """Words to show or say: not a regular expression or a format pattern."""
    if not isinstance(value, str) or any(mark in value for mark in ("\\", "%", "(?")):
        return False
    return " " in value and len(_WORDS.findall(value)) >= 2


def _sentences(node: ast.AST) -> bool:
    if isinstance(node, ast.Call):  # re.compile(...), lambdas' calls: patterns and code
        return False
    if isinstance(node, ast.Constant):
        return _is_sentence(node.value)
    return any(_sentences(child) for child in ast.iter_child_nodes(node))


def _text_tables(tree: ast.AST) -> list[int]:
    """Lines of dict literals keyed by language whose values hold sentences."""
    found = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Dict):
            continue
        keys = {k.value for k in node.keys if isinstance(k, ast.Constant)}
        if DEFAULT_LANGUAGE in keys and keys & OTHER_LANGUAGES and _sentences(node):
            found.append(node.lineno)
    return found


def test_no_language_comparison_chooses_a_text() -> None:
    counts: Counter[str] = Counter()
    for path in _sources():
        found = _comparisons(ast.parse(path.read_text(encoding="utf-8")))
        if found:
            counts[path.relative_to(ROOT).as_posix()] = found
    assert dict(counts) == LANGUAGE_LOGIC, (
        "a comparison with a language code: choose texts with assistant.messages.translate"
        " (the catalogs) or a language-keyed table; list genuine language logic above"
    )
    assert sum(counts.values()) <= 5


def test_no_sentence_tables_keyed_by_language_outside_the_catalogs() -> None:
    tables = {
        path.relative_to(ROOT).as_posix(): lines
        for path in _sources()
        if "evaluation" not in path.parts  # phrasings to understand, not texts to say
        and (lines := _text_tables(ast.parse(path.read_text(encoding="utf-8"))))
    }
    assert tables == {}, "texts belong in assistant/messages/locales/*/LC_MESSAGES/*.po"


def test_the_guards_see_a_branch_and_a_table() -> None:
    branch = ast.parse('x = "hola" if language == "es" else "hello"')
    table = ast.parse('T = {"en": "Thank you for calling.", "es": "Gracias por llamar."}')
    assert _comparisons(branch) == 1 and _text_tables(table) == [1]
