"""The Rasa component `DatetimeExtractor`, instantiated directly (no trained model)."""

from __future__ import annotations

import pytest
from rasa.shared.nlu.training_data.message import Message

from nlu.components.datetime_extractor import DatetimeExtractor, guess_language

META = {"now": "2019-03-01T14:00:00+00:00", "time_zone": "America/New_York", "language": "en"}


@pytest.fixture()
def component() -> DatetimeExtractor:
    return DatetimeExtractor(DatetimeExtractor.get_default_config())


def entities(component: DatetimeExtractor, text: str, metadata: dict | None = None) -> list[dict]:
    message = Message(data={"text": text, "metadata": metadata or {}})
    component.process([message])
    return message.get("entities")


def test_part_of_day_has_duckling_like_from_to(component: DatetimeExtractor) -> None:
    [entity] = entities(component, "next tuesday afternoon please", META)
    assert entity["entity"] == "time"
    assert (entity["start"], entity["end"]) == (0, 22)
    assert entity["value"] == {
        "from": "2019-03-05T12:00:00-05:00",
        "to": "2019-03-05T17:00:00-05:00",
    }
    assert entity["additional_info"]["kind"] == "part_of_day"
    assert entity["additional_info"]["part_of_day"] == "afternoon"
    assert entity["extractor"] == "DatetimeExtractor"


def test_spanish_datetime(component: DatetimeExtractor) -> None:
    [entity] = entities(component, "el martes a las dos y media", {**META, "language": "es"})
    assert entity["value"] == "2019-03-05T14:30:00-05:00"
    assert entity["additional_info"]["grain"] == "minute"


def test_language_guessed_without_metadata(component: DatetimeExtractor) -> None:
    meta = {k: v for k, v in META.items() if k != "language"}
    [entity] = entities(component, "mañana a las diez", meta)
    assert entity["value"] == "2019-03-02T10:00:00-05:00"
    assert guess_language("mañana a las diez") == "es"
    assert guess_language("tomorrow at ten") == "en"


def test_time_zone_from_environment(
    component: DatetimeExtractor, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PRACTICE_TIME_ZONE", "America/Los_Angeles")
    [entity] = entities(component, "tomorrow at 9am", {"now": "2019-03-02T07:00:00+00:00"})
    # 07:00 UTC on the 2nd is still the 1st in Los Angeles.
    assert entity["value"] == "2019-03-02T09:00:00-08:00"


def test_date_of_birth_only_for_full_dates(component: DatetimeExtractor) -> None:
    found = entities(component, "march third nineteen eighty two", META)
    assert [(e["entity"], e["value"]) for e in found] == [("date_of_birth", "1982-03-03")]
    found = entities(component, "3 de marzo del 82", {**META, "language": "es"})
    assert [(e["entity"], e["value"]) for e in found] == [("date_of_birth", "1982-03-03")]
    found = entities(component, "march third", META)
    assert [e["entity"] for e in found] == ["time"]


def test_no_entities_in_plain_text(component: DatetimeExtractor) -> None:
    assert entities(component, "i need a refill", META) == []


def test_existing_entities_are_kept(component: DatetimeExtractor) -> None:
    message = Message(data={"text": "tomorrow", "metadata": META})
    message.set("entities", [{"entity": "provider", "value": "smith"}])
    component.process([message])
    assert [e["entity"] for e in message.get("entities")] == ["provider", "time"]


def test_training_data_untouched(component: DatetimeExtractor) -> None:
    from rasa.shared.nlu.training_data.training_data import TrainingData

    data = TrainingData([Message(data={"text": "tomorrow", "intent": "inform"})])
    assert component.process_training_data(data) is data
