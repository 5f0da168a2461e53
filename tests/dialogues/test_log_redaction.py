"""The Rasa server's log keeps event names but not what the patient said."""

from __future__ import annotations

import io
import json
import logging
import logging.config
from collections.abc import Iterator
from pathlib import Path

import pytest
import structlog
import yaml

from assistant.stack import RASA_LOGGING
from dialogues.log_redaction import REDACTED, redact

SAID = "my name is Maria Lopez, born March 3 1982"


@pytest.fixture
def rasa_log() -> Iterator[io.StringIO]:
    """Logging as `rasa run --logging-config-file dialogues/logging.yml` sets it up, with
    structlog configured as Rasa 3.6 does when not on a terminal (JSON lines)."""
    root = logging.getLogger()
    saved = root.handlers[:], root.level
    config = yaml.safe_load(Path(RASA_LOGGING).read_text())
    config["handlers"]["stdout"]["stream"] = "ext://sys.stderr"  # replaced below
    logging.config.dictConfig(config)
    out = io.StringIO()
    root.handlers[0].setStream(out)
    structlog.configure(
        processors=[
            structlog.stdlib.filter_by_level,
            structlog.processors.add_log_level,
            structlog.processors.JSONRenderer(),
        ],
        context_class=dict,
        logger_factory=structlog.stdlib.LoggerFactory(),
        wrapper_class=structlog.make_filtering_bound_logger(logging.INFO),
        cache_logger_on_first_use=False,
    )
    yield out
    structlog.reset_defaults()
    root.handlers[:], root.level = saved


def test_a_timed_out_turn_is_logged_without_the_patients_words(rasa_log: io.StringIO):
    logger = structlog.get_logger("rasa.core.channels.rest")
    logger.error("rest.message.received.timeout", text=SAID)
    logger.info("processor.actions.log", action_name="action_cancel", rasa_events=[{"x": SAID}])
    lines = [json.loads(line) for line in rasa_log.getvalue().splitlines()]
    assert [line["event"] for line in lines] == [
        "rest.message.received.timeout",
        "processor.actions.log",
    ]
    assert lines[0]["text"] == REDACTED and lines[1]["rasa_events"] == REDACTED
    assert lines[1]["action_name"] == "action_cancel"
    assert "Maria" not in rasa_log.getvalue() and "1982" not in rasa_log.getvalue()


def test_a_traceback_keeps_its_frames_but_not_their_locals(rasa_log: io.StringIO):
    logger = structlog.get_logger("rasa.core.channels.rest")
    structlog.configure(
        processors=[
            structlog.processors.add_log_level,
            structlog.dev.set_exc_info,
            structlog.processors.ExceptionRenderer(
                structlog.tracebacks.ExceptionDictTransformer(show_locals=True)
            ),
            structlog.processors.JSONRenderer(),
        ],
        logger_factory=structlog.stdlib.LoggerFactory(),
        cache_logger_on_first_use=False,
    )

    def receive(text: str) -> None:
        raise RuntimeError("Error while acquiring lock")

    try:
        receive(SAID)
    except RuntimeError:
        logger.exception("rest.message.received.failure", text=SAID)
    line = json.loads(rasa_log.getvalue())
    assert line["exception"][0]["exc_value"] == "Error while acquiring lock"
    assert any(frame["name"] == "receive" for frame in line["exception"][0]["frames"])
    assert "Maria" not in rasa_log.getvalue() and "1982" not in rasa_log.getvalue()


def test_plain_log_lines_pass_unchanged(rasa_log: io.StringIO):
    logging.getLogger("rasa.core.run").info("Rasa server is up and running.")
    assert rasa_log.getvalue() == "Rasa server is up and running.\n"


@pytest.mark.parametrize(
    "line",
    [
        f"rest.message.received.timeout text='{SAID}'",
        f'rest.message.received.failure text="{SAID}" level=error',
        f"processor.slots.log slot_values={{'name': '{SAID}'}} tracker=abc",
    ],
)
def test_terminal_lines_are_redacted_too(line: str):
    cleaned = redact(line)
    assert "Maria" not in cleaned and "1982" not in cleaned
    assert cleaned.startswith(line.split()[0]) and REDACTED in cleaned
