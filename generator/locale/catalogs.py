"""The message catalogs and where their entries come from; `make messages` runs this module to refresh them.

- domain `messages`: every `phrase("...")` in the Python code (English); translated in zh_CN/LC_MESSAGES.
- domain `schema`: every `title` and `description` of generator/schemas/*.json (Chinese); translated in
  en/LC_MESSAGES.

Refreshing adds new entries (untranslated), drops entries no longer used and keeps every translation. Babel may
mark an entry whose source changed a little as fuzzy, with the old translation as a guess: a fuzzy entry is not
used until someone checks it and removes the flag. tests/test_messages.py fails while an entry is missing,
untranslated, fuzzy or stale.
"""
from __future__ import annotations

import json
import sys
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Iterator

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po, write_po

from ..stages.messages import LOCALES, MESSAGES, SCHEMA, SOURCE_LANGUAGE, catalog_path

PACKAGE = Path(__file__).resolve().parent.parent
SCHEMAS = PACKAGE / "schemas"
TRANSLATED = {MESSAGES: "zh", SCHEMA: "en"}
"""The language each domain is translated into (the other one is its source)."""
KEYWORDS = {"phrase": (1,)}
"""The functions whose first argument is a msgid (generator/stages/messages.py)."""
HEADER = "Messages of the handbook generator ({domain}: {source} -> {target}); refreshed by `make messages`."
FIXED_DATE = datetime(2026, 12, 1, tzinfo=timezone.utc)
"""The header's dates stay fixed, so that refreshing a catalog changes only its entries."""


def code_messages() -> Catalog:
    """Every phrase of the Python code, with where it is written."""
    template = Catalog(domain=MESSAGES, locale=SOURCE_LANGUAGE[MESSAGES])
    found = extract_from_dir(str(PACKAGE), method_map=[("**.py", "python")], keywords=KEYWORDS,
                             comment_tags=(), strip_comment_tags=True)
    for filename, lineno, message, _, _ in found:
        template.add(message, locations=[(f"generator/{filename}", lineno)])
    return template


def schema_messages() -> Catalog:
    """Every title and description of the JSON Schemas, with the file and JSON path it is written at."""
    template = Catalog(domain=SCHEMA, locale=SOURCE_LANGUAGE[SCHEMA])
    for path in sorted(SCHEMAS.glob("*.json")):
        schema = json.loads(path.read_text(encoding="utf-8"))
        for pointer, text in schema_texts(schema):
            template.add(text, locations=[(f"generator/schemas/{path.name}#{pointer}", 0)])
    return template


def schema_texts(node: Any, pointer: str = "") -> Iterator[tuple[str, str]]:
    """(JSON pointer, text) of each `title` and `description` keyword, depth first."""
    if isinstance(node, dict):
        for key, value in node.items():
            if key in ("title", "description") and isinstance(value, str):
                yield f"{pointer}/{key}", value
            elif key not in ("examples", "enum", "const", "default"):
                yield from schema_texts(value, f"{pointer}/{key}")
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from schema_texts(value, f"{pointer}/{index}")


def template_for(domain: str) -> Catalog:
    return code_messages() if domain == MESSAGES else schema_messages()


def read_catalog(domain: str) -> Catalog:
    language = TRANSLATED[domain]
    path = catalog_path(domain, language)
    if not path.is_file():
        return Catalog(domain=domain, locale=LOCALES[language])
    with path.open("rb") as po:
        return read_po(po, locale=LOCALES[language], domain=domain)


def write_catalog(catalog: Catalog, domain: str) -> Path:
    path = catalog_path(domain, TRANSLATED[domain])
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as po:
        write_po(po, catalog, width=120, omit_header=False, sort_output=False, include_previous=True,
                 ignore_obsolete=True)
    return path


def refresh(domain: str) -> Path:
    """Bring the domain's catalog in step with its sources, keeping the translations."""
    catalog = read_catalog(domain)
    catalog.update(template_for(domain), update_header_comment=False, update_creation_date=False)
    catalog.project, catalog.version, catalog.fuzzy = "handbook-generator", "1", False
    catalog.creation_date = catalog.revision_date = FIXED_DATE
    catalog.last_translator = catalog.language_team = "handbook maintainers"
    catalog.msgid_bugs_address = ""
    catalog.header_comment = "# " + HEADER.format(domain=domain, source=SOURCE_LANGUAGE[domain],
                                                  target=TRANSLATED[domain])
    return write_catalog(catalog, domain)


def gaps(domain: str) -> dict[str, list[str]]:
    """What keeps a catalog from being complete: entries missing, untranslated, fuzzy, or no longer used."""
    wanted = {message.id for message in template_for(domain) if message.id}
    catalog = read_catalog(domain)
    have = {message.id: message for message in catalog if message.id}
    return {
        "missing": sorted(wanted - set(have)),
        "untranslated": sorted(i for i in wanted & set(have) if not have[i].string),
        "fuzzy": sorted(i for i in wanted & set(have) if have[i].fuzzy),
        "stale": sorted(set(have) - wanted),
    }


def main() -> int:
    for domain in (MESSAGES, SCHEMA):
        path = refresh(domain)
        left = {kind: ids for kind, ids in gaps(domain).items() if ids}
        print(f"{path.relative_to(PACKAGE.parent)}: " + (", ".join(f"{len(ids)} {kind}" for kind, ids in left.items())
                                                       or "complete"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
