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


def translate(language: str | None, msgid: str, **params: object) -> str:
    """The message `msgid` in `language` with its `{placeholders}` filled from `params`."""
    text = catalog(supported(language)).gettext(msgid)
    return text.format(**params) if params else text
