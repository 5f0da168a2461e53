"""The Rasa data is clean and the trained policies predict every test story.

`rasa data validate` must pass with no warning other than "utterance not used in any story or
rule" for responses that a custom action or a form says (checked here: each of them must be
named in the actions' code or be a form's `utter_ask_<slot>`). The test stories
(dialogues/tests/test_stories.yml) run with `--fail-on-prediction-errors`.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from assistant.config import PROJECT_ROOT
from assistant.rasa_model import CONFIG, DIALOGUE_DATA, DOMAIN, NLU_DATA, ensure_model
from assistant.stack import real_clock_env

RASA = str(Path(sys.executable).with_name("rasa"))
STORIES = PROJECT_ROOT / "dialogues" / "tests" / "test_stories.yml"
_NOT_USED = re.compile(r"The utterance '(utter_\w+)' is not used in any story or rule")


def _rasa(*args: str, timeout: int = 600) -> subprocess.CompletedProcess[str]:
    """The rasa CLI on the real clock: its TensorFlow never finishes under libfaketime (the suite
    with a moved clock, scripts/test-shifted-clock.sh)."""
    return subprocess.run(
        [RASA, *args],
        cwd=PROJECT_ROOT,
        env={**real_clock_env(dict(os.environ)), "PYTHONPATH": str(PROJECT_ROOT)},
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def _said_by_code() -> set[str]:
    """Responses named in the actions, plus the forms' `utter_ask_<slot>`."""
    code = "".join(p.read_text() for p in (PROJECT_ROOT / "dialogues" / "actions").glob("*.py"))
    said = set(re.findall(r"\"(utter_\w+)\"", code))
    for path in DOMAIN.glob("*.yml"):
        for form in ((yaml.safe_load(path.read_text()) or {}).get("forms") or {}).values():
            said |= {f"utter_ask_{slot}" for slot in form.get("required_slots") or []}
    return said


def test_rasa_data_validate_is_clean():
    result = _rasa(
        "data", "validate", "--domain", str(DOMAIN), "--data", str(NLU_DATA),
        str(DIALOGUE_DATA), "--config", str(CONFIG),
    )  # fmt: skip
    output = result.stdout + result.stderr
    assert result.returncode == 0, output[-3000:]
    assert "No story structure conflicts found" in output
    problems = [
        line
        for line in output.splitlines()
        if "UserWarning" in line and "is not used in any story or rule" not in line
    ]
    assert problems == []
    unexplained = set(_NOT_USED.findall(output)) - _said_by_code()
    assert unexplained == set(), "responses nobody says"


@pytest.mark.rasa
def test_every_test_story_is_predicted(tmp_path):
    model = ensure_model(PROJECT_ROOT / "var")
    result = _rasa(
        "test", "core", "--model", str(model), "--stories", str(STORIES),
        "--fail-on-prediction-errors", "--out", str(tmp_path), "--no-plot",
    )  # fmt: skip
    output = result.stdout + result.stderr
    failed = tmp_path / "failed_test_stories.yml"
    details = failed.read_text()[:4000] if failed.exists() else output[-4000:]
    assert result.returncode == 0, details
    stories = len((yaml.safe_load(STORIES.read_text()) or {}).get("stories") or [])
    assert stories >= 25
