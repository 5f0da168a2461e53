"""What the patient is told about an appointment or an option: built here, said by the dialogue.

Dates go through `format_when` with the channel (compact for SMS, speakable for voice).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy.orm import Session

from assistant.db.models import Appointment, AppointmentType, Location, Provider
from assistant.frontdesk.offers import OfferedTime
from assistant.identity.names import tokens
from assistant.messages import localized, translate
from assistant.scheduling.availability import SlotOption
from assistant.scheduling.clock import zone
from assistant.scheduling.preferences import TimePreference
from assistant.timefmt import format_when


@dataclass(frozen=True)
class AppointmentView:
    appointment_id: int
    when: str
    provider: str
    location: str
    prep: str | None
    local_date: date
    hour: int
    minute: int = 0
    provider_words: tuple[str, ...] = ()  # the provider's first and last name, folded
    type_code: str = ""
    type_name: str = ""
    address: str = ""  # the location's street address

    def line(self, language: str) -> str:
        return translate(
            language,
            "frontdesk.appointment_line",
            when=self.when,
            provider=self.provider,
            location=self.location,
        )


def prep_text(atype: AppointmentType, language: str) -> str | None:
    return localized(atype, "prep_instructions", language)


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
        minute=local.minute,
        provider_words=tuple(
            tokens(f"{appointment.provider.first_name} {appointment.provider.last_name}")
        ),
        type_code=appointment.appointment_type.code,
        type_name=localized(appointment.appointment_type, "name", language)
        or appointment.appointment_type.name,
        address=street_address(location),
    )


def street_address(location: Location) -> str:
    """ "1420 Main Street, Suite 200, Riverside, NJ 08075"."""
    street = ", ".join(p for p in (location.address_line1, location.address_line2) if p)
    return f"{street}, {location.city}, {location.state} {location.postal_code}"


def offered_time(
    option: SlotOption,
    location: Location,
    provider: Provider,
    language: str,
    channel: str,
    *,
    any_provider: bool | None = None,
    preference: TimePreference | None = None,
) -> OfferedTime:
    """An option found, as offered to the patient."""
    when = format_when(option.starts_at, location.time_zone, language=language, channel=channel)
    label = translate(
        language,
        "frontdesk.appointment_line",
        when=when,
        provider=provider.display_name,
        location=location.name,
    )
    return OfferedTime(
        provider_id=option.provider_id,
        location_id=option.location_id,
        appointment_type_id=option.appointment_type_id,
        starts_at=option.starts_at,
        local_date=option.local_start.date(),
        hour=option.local_start.hour,
        minute=option.local_start.minute,
        label=label,
        any_provider=any_provider,
        preference=preference,
    )


def offered_times(
    session: Session,
    found: list[SlotOption],
    language: str,
    channel: str,
    *,
    any_provider: bool | None = None,
    preference: TimePreference | None = None,
) -> list[OfferedTime]:
    return [
        offered_time(
            option,
            session.get(Location, option.location_id),
            session.get(Provider, option.provider_id),
            language,
            channel,
            any_provider=any_provider,
            preference=preference,
        )
        for option in found
    ]


def numbered(lines: list[str], language: str, channel: str) -> str:
    """ "1) ... 2) ..." for SMS; "first, ...; second, ..." for voice."""
    if channel == "voice":
        said = [
            f"{translate(language, f'frontdesk.ordinal_{i}')}, {line}"
            for i, line in enumerate(lines, 1)
        ]
        return "; ".join(said) + "."
    return " ".join(f"{i}) {line}" for i, line in enumerate(lines, 1))
