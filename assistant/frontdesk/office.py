"""Office information from the practice's configuration: hours, addresses, parking."""

from __future__ import annotations

from sqlalchemy.orm import Session

from assistant.db.models import Location, Practice


def _address(location: Location) -> str:
    street = location.address_line1 + (
        f", {location.address_line2}" if location.address_line2 else ""
    )
    return f"{location.name}: {street}, {location.city}, {location.state} {location.postal_code}."


def office_info(session: Session, practice_id: int, language: str) -> str:
    """Hours, then each location's address and parking, in the patient's language."""
    practice = session.get(Practice, practice_id)
    if practice is None:
        return ""
    settings = practice.settings or {}
    hours = settings.get(f"office_hours_text_{language}") or settings.get("office_hours_text")
    parts = [hours] if hours else []
    for location in practice.locations:
        parts.append(_address(location))
        if location.parking:
            parts.append(location.parking)
    return " ".join(parts)
