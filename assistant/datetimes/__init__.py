"""Dates and times in patients' words (English and Spanish, voice and SMS), resolved at the
practice: `resolve`, `parse_date_of_birth`, `to_time_preference`."""

from assistant.datetimes.dob import parse_date_of_birth
from assistant.datetimes.model import Kind, Resolved
from assistant.datetimes.preference import to_time_preference
from assistant.datetimes.resolve import resolve

__all__ = ["Kind", "Resolved", "parse_date_of_birth", "resolve", "to_time_preference"]
