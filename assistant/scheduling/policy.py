"""The practice's scheduling knobs, read from `Practice.settings` with documented defaults."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, fields
from typing import Any


@dataclass(frozen=True)
class SchedulingPolicy:
    hold_minutes: int = 10  # how long a held slot waits for the patient's yes
    late_cancel_hours: int = 24  # cancelling closer than this to the start is a late cancel
    no_show_grace_minutes: int = 15  # after the end, without arrival, it is a no-show
    running_late_grace_minutes: int = 15  # later than this and the desk should be told
    # Candidate starts are aligned on this local wall-clock grid (must divide 60).
    slot_grid_minutes: int = 15
    waitlist_offer_minutes: int = 120  # how long a waitlist offer can be accepted
    waitlist_offers_per_slot: int = 3  # entries offered one freed slot at the same time

    def __post_init__(self) -> None:
        if self.slot_grid_minutes <= 0 or 60 % self.slot_grid_minutes:
            raise ValueError("slot_grid_minutes must divide 60 (5, 10, 15, 20, 30 or 60)")

    @classmethod
    def from_settings(cls, settings: Mapping[str, Any] | None) -> SchedulingPolicy:
        """Known keys of `Practice.settings` override the defaults; other keys are ignored."""
        settings = settings or {}
        known = {f.name for f in fields(cls)}
        return cls(**{k: int(v) for k, v in settings.items() if k in known and v is not None})
