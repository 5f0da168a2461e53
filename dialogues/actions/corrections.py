"""Corrections in the forms: the one reader lives in `assistant.frontdesk.corrections` (slot by
slot: day, week, hour, provider, task); the forms use these names from here or from there."""

from __future__ import annotations

from assistant.frontdesk.corrections import (
    corrected_wish,
    provider_kept,
    request_corrected,
    task_meant,
    with_provider,
)

__all__ = ["corrected_wish", "provider_kept", "request_corrected", "task_meant", "with_provider"]
