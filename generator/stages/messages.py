"""Messages as values: a phrase of the message catalog and the values it names, worded only when reported.

Python code writes each phrase in English, the catalog's source language, through `phrase(...)`;
generator/locale/zh_CN/LC_MESSAGES/messages.po holds the Chinese. The descriptions in the JSON Schemas are
written in Chinese, since VS Code shows them to editors; the `schema` domain's English catalog
(generator/locale/en/LC_MESSAGES/schema.po) translates them for `--lang en`. Both catalogs are `.po` files read
with Babel and compiled in memory on first use, so no binary `.mo` is committed or built at install time.
`make messages` refreshes the catalogs from the code and the schemas (generator/locale/catalogs.py).
"""
from __future__ import annotations

import gettext
import io
import os
import string
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path
from typing import Any, Callable

LOCALE_DIR = Path(__file__).resolve().parent.parent / "locale"
LANGUAGES = ("zh", "en")
DEFAULT_LANGUAGE = "zh"
"""Editors read Chinese; English is asked for with --lang en or HANDBOOK_LANG=en."""
LANGUAGE_VARIABLE = "HANDBOOK_LANG"
MESSAGES, SCHEMA = "messages", "schema"
SOURCE_LANGUAGE = {MESSAGES: "en", SCHEMA: "zh"}
"""The language each domain is written in: its msgids need no catalog in that language."""
LOCALES = {"zh": "zh_CN", "en": "en"}
"""Catalog folder (gettext locale name) of each language."""


def placeholders(text: str) -> set[str]:
    """The names a phrase's `{name}` placeholders ask for."""
    return {name.split(".")[0].split("[")[0] for _, name, _, _ in string.Formatter().parse(text) if name}


@dataclass(frozen=True)
class Phrase:
    """A catalog phrase with `{name}` placeholders and the values that fill them.

    A value is text, a number, or another Phrase (worded in the same language). `domain` says which catalog
    translates `text`: `messages` (English source) or `schema` (a JSON Schema's Chinese description).
    """

    text: str
    args: tuple[tuple[str, Any], ...] = ()
    domain: str = MESSAGES
    literal: bool = field(default=False, compare=False)
    """True when `text` is no template: text from outside (git's, the operating system's, a parser's), shown as
    written, or a schema description, shown as its domain's catalog translates it. Neither has placeholders."""

    def __post_init__(self) -> None:
        if self.literal:
            return
        wanted = placeholders(self.text)
        given = {name for name, _ in self.args}
        if wanted != given:
            raise ValueError(f"phrase {self.text!r} names {sorted(wanted)} but was given {sorted(given)}")

    def _key(self) -> tuple[str, str]:
        return (self.text, repr(self.args))

    def __lt__(self, other: object) -> bool:
        return self._key() < other._key() if isinstance(other, Phrase) else NotImplemented

    def __gt__(self, other: object) -> bool:
        return self._key() > other._key() if isinstance(other, Phrase) else NotImplemented

    def __str__(self) -> str:
        return words(self, "en")

    def mapped(self, change: Callable[[str], str]) -> Phrase:
        """The same phrase with `change` applied to every text value (e.g. to rewrite a folder in paths)."""
        def value(item: Any) -> Any:
            if isinstance(item, Phrase):
                return item.mapped(change)
            return change(item) if isinstance(item, str) else item
        if self.literal:
            return replace(self, text=change(self.text))
        return replace(self, args=tuple((name, value(item)) for name, item in self.args))


def phrase(text: str, /, **args: Any) -> Phrase:
    """A message of the catalog; `text` is its English msgid (a literal, so `make messages` can extract it)."""
    return Phrase(text, tuple(sorted(args.items())))


def schema_text(text: str) -> Phrase:
    """A title or description from a JSON Schema (Chinese at the source), translated by the `schema` domain and
    worded without its final full stop, as it is quoted inside a message."""
    return Phrase(text, (), SCHEMA, literal=True)


def literal(text: str) -> Phrase:
    """Text that is not in the catalog (a message from outside, e.g. git's or the operating system's)."""
    return Phrase(text, literal=True)


NOTHING = Phrase("")
"""The empty phrase, e.g. for a suggestion when there is none."""


def words(message: Phrase | str, language: str) -> str:
    """The message in `language` ("zh" or "en")."""
    if isinstance(message, str):
        return message
    if not message.text:
        return ""
    template = translations(message.domain, language).gettext(message.text)
    if message.domain == SCHEMA:
        return template.rstrip(".。")  # a description inside a sentence loses its full stop
    if message.literal:
        return template
    values = {name: words(value, language) if isinstance(value, Phrase) else value for name, value in message.args}
    return template.format(**values)


def language(requested: str | None = None) -> str:
    """The language of messages: the one asked for (--lang), else $HANDBOOK_LANG, else Chinese.

    The locale (LANG) is not consulted: CI runners and servers mostly run with an English or C locale, and the
    people who read these messages want them in Chinese there too.
    """
    for value in (requested, os.environ.get(LANGUAGE_VARIABLE)):
        if value:
            code = value.strip().lower().replace("-", "_").split("_")[0].split(".")[0]
            if code in LANGUAGES:
                return code
    return DEFAULT_LANGUAGE


def catalog_path(domain: str, language: str) -> Path:
    return LOCALE_DIR / LOCALES[language] / "LC_MESSAGES" / f"{domain}.po"


@lru_cache(maxsize=None)
def translations(domain: str, language: str) -> gettext.NullTranslations:
    """The domain's catalog in `language`, compiled from its .po file (an empty catalog in the source language)."""
    if language == SOURCE_LANGUAGE[domain]:
        return gettext.NullTranslations()
    # Babel is imported only when a message is worded: a clean build never pays for it.
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    path = catalog_path(domain, language)
    if not path.is_file():  # tests/test_messages.py holds every catalog complete; never fail a report for one
        return gettext.NullTranslations()
    with path.open("rb") as po:
        catalog = read_po(po, locale=LOCALES[language], domain=domain)
    compiled = io.BytesIO()
    write_mo(compiled, catalog)  # fuzzy entries are left out, so an unreviewed translation shows the source
    compiled.seek(0)
    return gettext.GNUTranslations(compiled)
