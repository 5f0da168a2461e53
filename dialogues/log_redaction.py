"""Keeps what patients say out of the Rasa server's log.

Rasa 3.6 logs structured events through structlog, and some carry the patient's words: when a
turn fails or times out, its REST channel logs the message text at ERROR
("rest.message.received.timeout"), so a slow turn would put a name or a date of birth in the
log. Rasa only anonymises those fields with its commercial plugin; this filter does it on the
log handler (dialogues/logging.yml, passed with `rasa run --logging-config-file`).
"""

from __future__ import annotations

import json
import logging
import re
from typing import Any

REDACTED = "[redacted]"

# The fields Rasa itself lists as anonymisable (rasa.utils.log_utils._anonymizer).
PATIENT_FIELDS = frozenset(
    {
        "text", "response_text", "user_text", "slot_values", "parse_data_text",
        "parse_data_entities", "prediction_events", "tracker_latest_message", "prefilled_slots",
        "message", "response", "slot_candidates", "rasa_event", "rasa_events", "tracker_states",
        "current_states", "old_states", "successes", "current_entity", "next_entity", "states",
        "entity", "token_text", "user_message", "json_message",
    }
)  # fmt: skip

# The console renderer (used only when Rasa writes to a terminal): key='value' or key={...}.
_CONSOLE_FIELD = re.compile(
    r"\b(" + "|".join(sorted(PATIENT_FIELDS, key=len, reverse=True)) + r")="
    r"('(?:[^'\\]|\\.)*'|\"(?:[^\"\\]|\\.)*\"|\{.*?\}(?=\s+\w+=|\s*$)|\[.*?\](?=\s+\w+=|\s*$)|\S+)"
)


def redact(message: str) -> str:
    """The rendered log line with every patient field replaced by [redacted]."""
    if message.startswith("{"):
        try:
            event = json.loads(message)
        except ValueError:
            event = None
        if isinstance(event, dict):
            found = PATIENT_FIELDS & event.keys()
            if not found and "exception" not in event:
                return message
            cleaned = {k: REDACTED if k in found else v for k, v in event.items()}
            if "exception" in cleaned:
                cleaned["exception"] = _without_locals(cleaned["exception"])
            return json.dumps(cleaned)
    return _CONSOLE_FIELD.sub(lambda m: f"{m.group(1)}={REDACTED}", message)


def _without_locals(value: Any) -> Any:
    """A structured traceback without its frames' local variables: Rasa renders tracebacks with
    locals, and the REST channel's frame holds the message text (`text`, `metadata`)."""
    if isinstance(value, list):
        return [_without_locals(item) for item in value]
    if isinstance(value, dict):
        return {k: _without_locals(v) for k, v in value.items() if k != "locals"}
    return value


class RedactPatientText(logging.Filter):
    """A handler filter: rewrites the record, never drops it (the event name stays useful)."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except (TypeError, ValueError):
            return True
        cleaned = redact(message)
        if cleaned != message:
            record.msg, record.args = cleaned, ()
        return True
