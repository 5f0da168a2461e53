"""FHIR_API_TOKENS: `name:token` pairs, checked at start-up with a one-line error."""

from __future__ import annotations

import pytest

from assistant.config import ConfigError, load_settings


def test_tokens_are_parsed_and_kept_out_of_repr() -> None:
    settings = load_settings(
        {"FHIR_API_TOKENS": "epic:abcdefghijklmnop1234, cerner:ZYXWVUTSRQPONMLK9876"},
        read_dotenv=False,
    )
    assert settings.fhir_api_tokens == (
        ("epic", "abcdefghijklmnop1234"),
        ("cerner", "ZYXWVUTSRQPONMLK9876"),
    )
    assert "abcdefghijklmnop1234" not in repr(settings)
    assert load_settings({}, read_dotenv=False).fhir_api_tokens == ()


@pytest.mark.parametrize(
    "value",
    [
        "justatoken",
        "epic:short",
        "a:abcdefghijklmnop1234,a:abcdefghijklmnop5678",
        "x y:" + "t" * 20,
    ],
)
def test_malformed_tokens_are_refused_without_echoing_them(value: str) -> None:
    with pytest.raises(ConfigError) as caught:
        load_settings({"FHIR_API_TOKENS": value}, read_dotenv=False)
    message = str(caught.value)
    assert "\n" not in message and message.startswith("FHIR_API_TOKENS")
    assert "abcdefghijklmnop" not in message and "short" not in message
