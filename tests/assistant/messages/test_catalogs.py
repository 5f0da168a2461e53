"""The message catalogs: every message in every language, with the same placeholders."""

from __future__ import annotations

import string

import pytest
from babel.messages.pofile import read_po

from assistant.messages import DEFAULT_LANGUAGE, LANGUAGES, catalog, po_files, translate

# Placeholders a translation leaves out on purpose (everything else must match).
LEAVES_OUT = {
    # Department names are the practice's English labels: the Spanish says "our staff".
    ("es", "voice.transfer_ringing"): {"department"},
}


def _messages(language: str) -> dict[str, str]:
    """msgid -> msgstr over all of the language's .po files (a msgid twice fails)."""
    found: dict[str, str] = {}
    for path in po_files(language):
        with path.open("rb") as po:
            for message in read_po(po, locale=language):
                if not message.id:
                    continue
                assert message.id not in found, f"{message.id} defined twice ({path.name})"
                assert message.id.startswith(f"{path.stem}."), (
                    f"{message.id} in {path.name}: ids are namespaced by their file"
                )
                found[message.id] = message.string
    return found


def _fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}


def test_english_and_spanish_catalogs_exist() -> None:
    assert DEFAULT_LANGUAGE == "en"
    assert set(LANGUAGES) >= {"en", "es"}
    assert [p.name for p in po_files("en")] == [p.name for p in po_files("es")]
    assert len(_messages("en")) > 150


@pytest.mark.parametrize("language", [lang for lang in LANGUAGES if lang != DEFAULT_LANGUAGE])
def test_every_message_is_in_every_language_with_the_same_placeholders(language: str) -> None:
    english, other = _messages(DEFAULT_LANGUAGE), _messages(language)
    assert sorted(set(english) - set(other)) == [], f"missing in {language}"
    assert sorted(set(other) - set(english)) == [], f"only in {language}"
    untranslated = sorted(msgid for msgid, text in other.items() if not text.strip())
    assert untranslated == []
    for msgid, text in english.items():
        assert text.strip(), f"{msgid} is empty in English"
        missing = _fields(text) - _fields(other[msgid])
        assert _fields(other[msgid]) <= _fields(text), f"{msgid} needs a value nobody passes"
        assert missing == LEAVES_OUT.get((language, msgid), set()), msgid


def test_a_message_is_looked_up_by_language_and_filled_in() -> None:
    assert translate("en", "sms.help", practice="Main Clinic", phone="555") == (
        "Main Clinic: appointment texts. Call 555 for help. Msg&data rates may apply."
        " Reply STOP to opt out."
    )
    assert translate("es", "sms.help", practice="Main Clinic", phone="555") == (
        "Main Clinic: mensajes de citas. Llame al 555 para ayuda. Responda STOP para no"
        " recibir mas."
    )


def test_an_unknown_language_gets_english_and_an_unknown_message_is_an_error() -> None:
    assert translate("fr", "sms.text_only") == translate("en", "sms.text_only")
    assert translate(None, "sms.text_only") == translate("en", "sms.text_only")
    with pytest.raises(KeyError):
        translate("es", "sms.no_such_message")
    assert catalog("es") is catalog("es")  # compiled once
    assert translate("en", "staff.caller_speaks", language="Spanish") == (
        "The caller speaks Spanish."
    )  # a placeholder may be called `language`
