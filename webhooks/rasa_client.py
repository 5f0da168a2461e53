"""Talking to the Rasa server over its REST channel.

Rasa answers 200 with `[]` when a turn fails inside it (e.g. the action server is down), so an
empty answer counts as a failure, as do errors and answers slower than the configured timeout.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import Any

import requests

log = logging.getLogger(__name__)


class DialogueUnavailable(RuntimeError):
    """Rasa (or its action server) could not answer this turn."""


@dataclass
class DialogueReply:
    texts: list[str] = field(default_factory=list)
    custom: list[dict[str, Any]] = field(default_factory=list)
    buttons: list[dict[str, Any]] = field(default_factory=list)


_session = requests.Session()


def send(
    rasa_url: str, sender: str, message: str, metadata: dict[str, Any], timeout: float
) -> DialogueReply:
    try:
        response = _session.post(
            f"{rasa_url}/webhooks/rest/webhook",
            json={"sender": sender, "message": message, "metadata": metadata},
            timeout=timeout,
        )
        response.raise_for_status()
        items = response.json()
    except (requests.RequestException, ValueError) as exc:
        log.warning("dialogue unavailable for %s: %s", sender, type(exc).__name__)
        raise DialogueUnavailable(type(exc).__name__) from exc
    reply = DialogueReply()
    for item in items if isinstance(items, list) else []:
        if item.get("text"):
            reply.texts.append(item["text"])
        if item.get("custom"):
            reply.custom.append(item["custom"])
        reply.buttons.extend(item.get("buttons") or [])
    if not reply.texts and not reply.custom:
        log.warning("dialogue gave an empty answer for %s", sender)
        raise DialogueUnavailable("empty answer")
    return reply


def model_loaded(rasa_url: str, timeout: float = 2.0) -> bool:
    """Rasa answers and has a model loaded (`/status` needs `--enable-api`)."""
    try:
        response = _session.get(f"{rasa_url}/status", timeout=timeout)
        return response.ok and bool(response.json().get("model_file"))
    except (requests.RequestException, ValueError):
        return False


def action_server_up(action_server_url: str, timeout: float = 2.0) -> bool:
    try:
        response = _session.get(f"{action_server_url}/health", timeout=timeout)
        return response.ok and response.json().get("status") == "ok"
    except (requests.RequestException, ValueError):
        return False
