"""Who acts, through which channel, in which conversation: what every appointment history row
and audit event records about the author of a change or a disclosure."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Actor:
    who: str  # "patient:<id>", "staff:<id>", "system:<job>"
    channel: str  # "sms", "voice", "portal", ...
    conversation_id: int | None = None

    @classmethod
    def patient(cls, patient_id: int | None, channel: str, conversation_id: int | None = None):
        return cls(f"patient:{patient_id}", channel, conversation_id)

    def fields(self) -> dict[str, Any]:
        """The `actor`, `channel` and `conversation_id` keywords of `audit.record` and of the
        scheduling operations."""
        return {"actor": self.who, "channel": self.channel, "conversation_id": self.conversation_id}
