"""Every patient- and staff-facing text outside the Rasa domain, in gettext catalogs per language.

`locales/<language>/LC_MESSAGES/<area>.po` holds one area's texts (voice, sms, portal, ...).
Message ids are stable keys namespaced by area (`voice.greeting`), not English sentences, so a
wording can change without touching code; placeholders are Python `{name}` fields
(`python-brace-format`). The .po files are compiled when first used (Babel reads them, stdlib
`gettext` looks up): there is no build step a fresh clone could miss.

Dialogue responses live in the Rasa domain (`dialogues/domain/`), one response per language with
a condition on the `language` slot. Adding a language is adding a `locales/<language>/` folder
with every area's .po file (and the Rasa responses): nothing in the code names a language.
"""

from __future__ import annotations

import gettext
from functools import cache
from io import BytesIO
from pathlib import Path
from typing import Any

import yaml
from babel import Locale
from babel.dates import get_day_names, get_month_names
from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

LOCALES = Path(__file__).parent / "locales"
DEFAULT_LANGUAGE = "en"


def _discover() -> tuple[str, ...]:
    found = sorted(p.name for p in LOCALES.iterdir() if (p / "LC_MESSAGES").is_dir())
    return (DEFAULT_LANGUAGE, *(lang for lang in found if lang != DEFAULT_LANGUAGE))


LANGUAGES: tuple[str, ...] = _discover()


class _Missing(gettext.NullTranslations):
    """The end of every fallback chain: an unknown message id is a bug, not a text to say."""

    def gettext(self, message: str) -> str:
        raise KeyError(f"no message {message!r} in the catalogs")


def po_files(language: str) -> list[Path]:
    return sorted((LOCALES / language / "LC_MESSAGES").glob("*.po"))


def _compiled(language: str) -> gettext.GNUTranslations:
    """All of the language's .po files as one gettext catalog (compiled in memory)."""
    merged = Catalog(locale=language, domain="messages")
    for path in po_files(language):
        with path.open("rb") as po:
            for message in read_po(po, locale=language, domain=path.stem):
                if message.id:
                    merged[message.id] = message
    mo = BytesIO()
    write_mo(mo, merged)
    mo.seek(0)
    return gettext.GNUTranslations(mo)


@cache
def catalog(language: str) -> gettext.GNUTranslations:
    """The language's messages; a message it lacks comes from English (an unknown language
    gets English), and one English lacks raises KeyError."""
    language = supported(language)
    translations = _compiled(language)
    if language == DEFAULT_LANGUAGE:
        translations.add_fallback(_Missing())
    else:
        translations.add_fallback(catalog(DEFAULT_LANGUAGE))
    return translations


def supported(language: str | None) -> str:
    """`language` if there is a catalog for it, else the default (English)."""
    return language if language in LANGUAGES else DEFAULT_LANGUAGE


def translate(language: str | None, msgid: str, /, **params: object) -> str:
    """The message `msgid` in `language` with its `{placeholders}` filled from `params`."""
    text = catalog(supported(language)).gettext(msgid)
    return text.format(**params) if params else text


@cache
def day_names(language: str | None) -> tuple[str, ...]:
    """Monday first, as the language writes them mid-sentence (CLDR through Babel)."""
    names = get_day_names("wide", context="format", locale=supported(language))
    return tuple(names[i] for i in range(7))


@cache
def month_names(language: str | None) -> tuple[str, ...]:
    """January first, as the language writes them mid-sentence (CLDR through Babel)."""
    names = get_month_names("wide", context="format", locale=supported(language))
    return tuple(names[i] for i in range(1, 13))


@cache
def lexicon(language: str, name: str) -> dict[str, Any]:
    """A language's word lists for the rules that read patients' words
    (`locales/<language>/<name>.yml`, e.g. the shorthand respelled); empty when it has none."""
    path = LOCALES / language / f"{name}.yml"
    if not path.exists():
        return {}
    return yaml.safe_load(path.read_text(encoding="utf-8")) or {}


def localized(record: object, field: str, language: str | None) -> str | None:
    """A text the practice wrote per language (`prep_instructions`, `prep_instructions_es`):
    the one in `language` when there is one, else the default field."""
    language = supported(language)
    own = getattr(record, f"{field}_{language}", None) if language != DEFAULT_LANGUAGE else None
    return own or getattr(record, field)


# Staff hear and read the practice's working language (the console, the transfer whisper).
STAFF_LANGUAGE = DEFAULT_LANGUAGE


def language_name(language: str, in_language: str | None = STAFF_LANGUAGE) -> str:
    """ "Spanish" for "es" said in English (CLDR through Babel)."""
    return Locale.parse(language).get_language_name(supported(in_language)) or language
