"""Talking to the Rasa server over its REST channel.

Rasa answers 200 with `[]` when a turn fails inside it (e.g. the action server is down), so an
empty answer counts as a failure, as do errors and answers slower than the configured timeout.

RASA_URL may list several Rasa servers (comma-separated) that share a tracker store and a lock
store: each turn goes to the next one in turn (round robin); a server that cannot be reached (the
connection is refused or not made in time) passes the turn to the next one, so one server down
loses no turn. A server that took the turn (the request was sent) but dropped the connection,
answered badly or late is not retried: the turn, and its actions, may have run there; and the dead
server's lock on the conversation would hold the turn on the next server anyway.
"""

from __future__ import annotations

import itertools
import logging
from dataclasses import dataclass, field
from typing import Any

import requests
import urllib3

from assistant.config import Settings

log = logging.getLogger(__name__)


class DialogueUnavailable(RuntimeError):
    """Rasa (or its action server) could not answer this turn."""


@dataclass
class DialogueReply:
    texts: list[str] = field(default_factory=list)
    custom: list[dict[str, Any]] = field(default_factory=list)
    buttons: list[dict[str, Any]] = field(default_factory=list)


_session = requests.Session()
_turns = itertools.count()


def servers_for_turn(rasa_url: str) -> list[str]:
    """The servers to try for one turn: the next one in the rotation first, then the others."""
    urls = rasa_url.split(",")
    start = next(_turns) % len(urls)
    return urls[start:] + urls[:start]


def _post_turn(server: str, payload: dict[str, Any], timeout: float) -> Any:
    response = _session.post(f"{server}/webhooks/rest/webhook", json=payload, timeout=timeout)
    response.raise_for_status()
    return response.json()


def _never_sent(exc: requests.ConnectionError) -> bool:
    """The connection was never made (refused, unreachable, timed out connecting), as opposed to
    one reset or closed after the request went out ("Connection aborted")."""
    if isinstance(exc, requests.ConnectTimeout):
        return True
    cause = exc.args[0] if exc.args else None
    return isinstance(getattr(cause, "reason", cause), urllib3.exceptions.NewConnectionError)


def _ask(rasa_url: str, payload: dict[str, Any], timeout: float) -> Any:
    servers = servers_for_turn(rasa_url)
    for server in servers[:-1]:
        try:
            return _post_turn(server, payload, timeout)
        except requests.ConnectionError as exc:
            if not _never_sent(exc):
                raise
            log.warning("rasa server %s unreachable (%s): next one", server, type(exc).__name__)
    return _post_turn(servers[-1], payload, timeout)


def send(
    rasa_url: str, sender: str, message: str, metadata: dict[str, Any], timeout: float
) -> DialogueReply:
    payload = {"sender": sender, "message": message, "metadata": metadata}
    try:
        items = _ask(rasa_url, payload, timeout)
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


def turn(
    settings: Settings, channel: str, uid: str, text: str, language: str
) -> DialogueReply | None:
    """One turn of the conversation `uid` on `channel` (sender `<channel>:<uid>`, with the
    metadata the actions read); None when the dialogue is unavailable."""
    metadata = {"conversation_uid": uid, "channel": channel, "language": language}
    try:
        return send(
            settings.rasa_url, f"{channel}:{uid}", text, metadata, settings.rasa_timeout_seconds
        )
    except DialogueUnavailable:
        return None


def set_language(rasa_url: str, sender: str, language: str, timeout: float) -> bool:
    """Switch a conversation's `language` slot (the caller started speaking Spanish); the
    dialogue's answers follow it. False when Rasa could not be told (the next session's
    start reads the language from the metadata anyway)."""
    event = {"event": "slot", "name": "language", "value": language}
    for server in servers_for_turn(rasa_url):
        try:
            response = _session.post(
                f"{server}/conversations/{sender}/tracker/events",
                params={"include_events": "NONE"},
                json=event,
                timeout=timeout,
            )
        except requests.RequestException as exc:
            log.warning("language not switched for %s: %s", sender, type(exc).__name__)
            continue
        if response.ok:
            return True
    return False


def model_loaded(rasa_url: str, timeout: float = 2.0) -> bool:
    """A Rasa server (any of several) answers and has a model loaded (`/status` needs
    `--enable-api`)."""
    return any(_server_loaded(server, timeout) for server in rasa_url.split(","))


def _server_loaded(server: str, timeout: float) -> bool:
    try:
        response = _session.get(f"{server}/status", timeout=timeout)
        return response.ok and bool(_json_object(response).get("model_file"))
    except (requests.RequestException, ValueError):
        return False


def action_server_up(action_server_url: str, timeout: float = 2.0) -> bool:
    try:
        response = _session.get(f"{action_server_url}/health", timeout=timeout)
        return response.ok and _json_object(response).get("status") == "ok"
    except (requests.RequestException, ValueError):
        return False


def _json_object(response: requests.Response) -> dict[str, Any]:
    """The JSON object answered ({} for a list or a number: not the server we expect)."""
    body = response.json()
    return body if isinstance(body, dict) else {}
