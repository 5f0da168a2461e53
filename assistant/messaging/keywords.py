"""Carrier keywords. Only a message consisting of the single keyword counts (Twilio, FCC 2024)."""

from __future__ import annotations

import re

STOP_WORDS = frozenset(
    {"stop", "stopall", "unsubscribe", "cancel", "end", "quit", "revoke", "optout", "opt-out"}
)
START_WORDS = frozenset({"start", "unstop", "yes"})
HELP_WORDS = frozenset({"help", "info"})

STOP, START, HELP = "stop", "start", "help"


def keyword(body: str, *, opted_out: bool = False) -> str | None:
    """The keyword a message is, if it is one. 'YES' re-subscribes only an opted-out number
    (for everyone else it is an ordinary answer, e.g. to a reminder)."""
    word = re.sub(r"[^\w-]", "", body.strip().lower())
    if not word or len(body.split()) > 1:
        return None
    if word in STOP_WORDS:
        return STOP
    if word in HELP_WORDS:
        return HELP
    if word in START_WORDS and (word != "yes" or opted_out):
        return START
    return None
