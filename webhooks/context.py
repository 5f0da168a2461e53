"""Access to the app's settings from request handlers."""

from __future__ import annotations

from flask import current_app

from assistant.config import Settings


def settings() -> Settings:
    return current_app.extensions["assistant_settings"]
