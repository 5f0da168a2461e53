"""Rasa NLU component: `time` and `date_of_birth` entities without Duckling.

Resolution is `assistant.datetimes`; this only adapts it to Rasa. Reference time, zone and
language come from the message metadata the edge sends (`{"now": iso, "time_zone": ...,
"language": "en"|"es"}`); otherwise now, `PRACTICE_TIME_ZONE` (default America/New_York) and a
guess from Spanish function words.
"""

from __future__ import annotations

import os
import re
from datetime import date, datetime, timezone
from typing import Any

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.extractors.extractor import EntityExtractorMixin
from rasa.shared.nlu.constants import ENTITIES, METADATA, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from assistant.datetimes import Resolved, parse_date_of_birth, resolve
from assistant.datetimes.recognizer import warm_up
from assistant.scheduling.clock import to_local, zone

DEFAULT_TIME_ZONE = "America/New_York"
_SPANISH = re.compile(
    r"\b(?:el|la|las|los|de|del|mañana|manana|hoy|lunes|martes|miércoles|miercoles|jueves"
    r"|viernes|sábado|sabado|domingo|semana|próxima|proxima|tarde|cita|quiero|por|para)\b"
)
# A full date with a year: digits d/m/y, or a month name followed somewhere by a year.
_DOB_HINT = re.compile(
    r"\d{1,2}\s*[/.-]\s*\d{1,2}\s*[/.-]\s*'?\d{2,4}|\d{4}-\d{2}-\d{2}"
    r"|(?:19|20)\d{2}|\b(?:nineteen|two thousand|mil)\b|\bdel?\s+'?\d{2}\b"
)


def guess_language(text: str) -> str:
    return "es" if len(_SPANISH.findall(text.lower())) >= 1 else "en"


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.ENTITY_EXTRACTOR], is_trainable=False)
class DatetimeExtractor(GraphComponent, EntityExtractorMixin):
    """Adds `time` entities (Duckling-like values) and `date_of_birth` (ISO date)."""

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        return {"time_zone": None, "language": None, "date_of_birth": True}

    def __init__(self, config: dict[str, Any]) -> None:
        self.component_config = config

    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> DatetimeExtractor:
        for language in ("en", "es"):  # build the recognizer's tables before the first turn
            warm_up(language)
        return cls(config)

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        return training_data

    def _context(self, message: Message) -> tuple[datetime, str, str]:
        metadata = message.get(METADATA) or {}
        tz = (
            metadata.get("time_zone")
            or self.component_config.get("time_zone")
            or os.environ.get("PRACTICE_TIME_ZONE")
            or DEFAULT_TIME_ZONE
        )
        now = datetime.now(timezone.utc)
        if metadata.get("now"):
            parsed = datetime.fromisoformat(str(metadata["now"]).replace("Z", "+00:00"))
            now = parsed if parsed.tzinfo else parsed.replace(tzinfo=zone(tz))
        language = (
            metadata.get("language")
            or self.component_config.get("language")
            or guess_language(message.get(TEXT) or "")
        )
        return now, tz, str(language)[:2].lower()

    @staticmethod
    def _time_entity(item: Resolved) -> dict[str, Any]:
        return {
            "entity": "time",
            "start": item.start_char,
            "end": item.end_char,
            "value": item.to_value(),
            "additional_info": {
                "kind": item.kind,
                "grain": item.grain,
                "part_of_day": item.part_of_day,
                "earliest_opening": item.earliest_opening,
            },
        }

    def _dob_entity(self, text: str, language: str, today: date) -> dict[str, Any] | None:
        if not self.component_config.get("date_of_birth", True) or not _DOB_HINT.search(text):
            return None
        born = parse_date_of_birth(text, language, today=today)
        if born is None:
            return None
        return {"entity": "date_of_birth", "start": 0, "end": len(text), "value": born.isoformat()}

    def process(self, messages: list[Message]) -> list[Message]:
        for message in messages:
            text = message.get(TEXT)
            if not text:
                continue
            now, tz, language = self._context(message)
            extracted = [
                self._time_entity(r)
                for r in resolve(text, now=now, time_zone=tz, language=language)
            ]
            dob = self._dob_entity(text, language, to_local(now, tz).date())
            if dob is not None:
                # A birth date is not an appointment time: drop `time` entities inside it.
                extracted = [e for e in extracted if not _is_past_date(e, now, tz)] + [dob]
            extracted = self.add_extractor_name(extracted)
            message.set(ENTITIES, message.get(ENTITIES, []) + extracted, add_to_output=True)
        return messages


def _is_past_date(entity: dict[str, Any], now: datetime, tz: str) -> bool:
    value = entity["value"]
    if not isinstance(value, str):
        return False
    return value[:10] < to_local(now, tz).date().isoformat()
