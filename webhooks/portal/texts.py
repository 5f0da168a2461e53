"""Interface texts of the portal: the `portal.*` messages of the catalogs (assistant/messages)."""

from __future__ import annotations

from assistant.messages import translate


def t(key: str, language: str = "en", **values: object) -> str:
    return translate(language, f"portal.{key}", **values)
