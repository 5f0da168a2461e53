"""Helpers shared by the appointment actions: the patient's language and channel."""

from __future__ import annotations

from rasa_sdk import Tracker


def language(tracker: Tracker) -> str:
    return "es" if tracker.get_slot("language") == "es" else "en"


def channel(tracker: Tracker) -> str:
    return tracker.get_slot("channel") or "sms"


def text_of(tracker: Tracker) -> str:
    return str((tracker.latest_message or {}).get("text") or "")


def appointment_id(tracker: Tracker) -> int | None:
    value = tracker.get_slot("appointment_id")
    return int(value) if value is not None else None
