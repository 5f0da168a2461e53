"""What the patient is told about an appointment or an option: built here, said by the dialogue.

Dates go through `format_when` with the channel (compact for SMS, speakable for voice).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from assistant.db.models import Appointment, AppointmentType, Location, Provider
from assistant.scheduling.availability import SlotOption
from assistant.scheduling.clock import zone
from assistant.timefmt import format_when

_ORDINAL_WORDS = {
    "en": ("first", "second", "third", "fourth", "fifth"),
    "es": ("primera", "segunda", "tercera", "cuarta", "quinta"),
}


@dataclass(frozen=True)
class AppointmentView:
    appointment_id: int
    when: str
    provider: str
    location: str
    prep: str | None
    local_date: date
    hour: int

    def line(self, language: str) -> str:
        joiner = ("con", "en") if language == "es" else ("with", "at")
        return f"{self.when} {joiner[0]} {self.provider} {joiner[1]} {self.location}"


def prep_text(atype: AppointmentType, language: str) -> str | None:
    if language == "es" and atype.prep_instructions_es:
        return atype.prep_instructions_es
    return atype.prep_instructions


def describe(appointment: Appointment, language: str, channel: str) -> AppointmentView:
    location = appointment.location
    local = appointment.starts_at.astimezone(zone(location.time_zone))
    return AppointmentView(
        appointment_id=appointment.id,
        when=format_when(
            appointment.starts_at, location.time_zone, language=language, channel=channel
        ),
        provider=appointment.provider.display_name,
        location=location.name,
        prep=prep_text(appointment.appointment_type, language),
        local_date=local.date(),
        hour=local.hour,
    )


def option_data(
    option: SlotOption, location: Location, provider: Provider, language: str, channel: str
) -> dict[str, object]:
    """An offered option as plain data (kept in the dialogue between turns; no patient data)."""
    when = format_when(option.starts_at, location.time_zone, language=language, channel=channel)
    joiner = ("con", "en") if language == "es" else ("with", "at")
    return {
        "provider_id": option.provider_id,
        "location_id": option.location_id,
        "appointment_type_id": option.appointment_type_id,
        "starts_at": option.starts_at.isoformat(),
        "local_date": option.local_start.date().isoformat(),
        "hour": option.local_start.hour,
        "label": f"{when} {joiner[0]} {provider.display_name} {joiner[1]} {location.name}",
    }


def numbered(lines: list[str], language: str, channel: str) -> str:
    """ "1) ... 2) ..." for SMS; "first, ...; second, ..." for voice."""
    if channel == "voice":
        words = _ORDINAL_WORDS.get(language, _ORDINAL_WORDS["en"])
        return "; ".join(f"{words[i]}, {line}" for i, line in enumerate(lines)) + "."
    return " ".join(f"{i}) {line}" for i, line in enumerate(lines, 1))


def starts_at(option: dict[str, object]) -> datetime:
    return datetime.fromisoformat(str(option["starts_at"]))
