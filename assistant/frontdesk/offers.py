"""An offered appointment time, as the dialogue keeps it between turns.

Offers travel through Rasa slots (`offered_options`, `chosen_option`) and signed portal forms
as JSON; `to_slot()` writes the one shape stored trackers and portal tokens already hold, and
`from_slot()` reads it back (keys a slot may lack are optional). No patient data: a time,
a provider, a place, a type, and the sentence that names them.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from assistant.scheduling.preferences import TimePreference
from assistant.scheduling.securing import SlotRequest


@dataclass(frozen=True)
class OfferedTime:
    provider_id: int
    location_id: int
    appointment_type_id: int
    starts_at: datetime  # UTC
    local_date: date  # at the location
    hour: int  # local
    minute: int | None  # local (None: an offer kept before minutes were)
    label: str  # "Tue Jun 2, 1:00 PM with Dr. Chen at Main Street Office"
    any_provider: bool | None = None  # a new search may look at every provider of the kind
    preference: TimePreference | None = None  # the wish it was found for (searched again)
    instead_of: str | None = None  # the first of a colleague's times: who had nothing
    provider: str | None = None  # with `instead_of`: the colleague's name

    def to_slot(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "provider_id": self.provider_id,
            "location_id": self.location_id,
            "appointment_type_id": self.appointment_type_id,
            "starts_at": self.starts_at.isoformat(),
            "local_date": self.local_date.isoformat(),
            "hour": self.hour,
        }
        if self.minute is not None:
            data["minute"] = self.minute
        data["label"] = self.label
        if self.any_provider is not None:
            data["any_provider"] = self.any_provider
        if self.preference is not None:
            data["preference"] = self.preference.to_json()
        if self.instead_of is not None:
            data["instead_of"] = self.instead_of
        if self.provider is not None:
            data["provider"] = self.provider
        return data

    @classmethod
    def from_slot(cls, data: Mapping[str, Any]) -> OfferedTime:
        minute, any_provider = data.get("minute"), data.get("any_provider")
        preference = data.get("preference")
        return cls(
            provider_id=int(data["provider_id"]),
            location_id=int(data["location_id"]),
            appointment_type_id=int(data["appointment_type_id"]),
            starts_at=datetime.fromisoformat(str(data["starts_at"])),
            local_date=date.fromisoformat(str(data["local_date"])),
            hour=int(data["hour"]),
            minute=None if minute is None else int(minute),
            label=str(data.get("label", "")),
            any_provider=None if any_provider is None else bool(any_provider),
            preference=None if preference is None else TimePreference.from_json(preference),
            instead_of=data.get("instead_of"),
            provider=data.get("provider"),
        )

    def request(self, patient_id: int) -> SlotRequest:
        """This time, for the patient to book."""
        return SlotRequest(
            patient_id, self.provider_id, self.location_id, self.appointment_type_id, self.starts_at
        )

    def is_at(self, starts_at: datetime, provider_id: int, location_id: int) -> bool:
        """Whether a visit at `starts_at` with that provider and place is this very time."""
        return (starts_at, provider_id, location_id) == (
            self.starts_at,
            self.provider_id,
            self.location_id,
        )


def from_slots(values: Iterable[Mapping[str, Any]] | None) -> list[OfferedTime]:
    return [OfferedTime.from_slot(v) for v in values or ()]


def to_slots(offers: Iterable[OfferedTime]) -> list[dict[str, Any]]:
    return [o.to_slot() for o in offers]
