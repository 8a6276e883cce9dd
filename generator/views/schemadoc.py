"""The schema reference page (字段参考), generated from generator/schemas/*.json.

`load_schema_docs()` walks each kind's schema (following $ref into common.json) into one flat list of
fields with their JSON-path-like name (`duties[].items[].text`), type, whether required, allowed values,
pattern, description and an example. render.py words it through
templates/schema_reference.md.j2.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..stages.load import KIND_BY_PLACE

SCHEMA_DIR = Path(__file__).resolve().parent.parent / "schemas"
KINDS = ("handbook", "register", "chapter", "role", "procedure", "checklist", "onboarding", "glossary", "people",
         "acknowledgements")


@dataclass(frozen=True)
class Field:
    path: str
    """e.g. `duties[].items[].text`; `[]` marks a list element."""
    type: str
    """JSON type: string, array, object, boolean, or `enum`."""
    required: bool
    allowed: tuple[str, ...]
    pattern: str | None
    description: str | None
    example: str | None
    variant: str | None = None
    """For one of two alternative shapes (a role clause or a text clause), which one."""


@dataclass(frozen=True)
class KindDoc:
    kind: str
    title: str
    schema_file: str
    """Path from the repository root, e.g. generator/schemas/role.json."""
    places: tuple[str, ...]
    """Where its files lie under data/, e.g. roles/*.yml."""
    fields: tuple[Field, ...]
    notes: tuple[str, ...]


def _load(name: str) -> dict[str, Any]:
    return json.loads((SCHEMA_DIR / name).read_text(encoding="utf-8"))


class _Walker:
    def __init__(self, root_name: str) -> None:
        self.docs = {root_name: _load(root_name), "common.json": _load("common.json")}
        self.root = root_name

    def resolve(self, node: dict[str, Any], current: str) -> tuple[dict[str, Any], str]:
        """Follow $ref (merging the referring node's own keywords over the target's) until none is left."""
        while "$ref" in node:
            target, _, pointer = node["$ref"].partition("#")
            doc_name = target or current
            found: Any = self.docs.setdefault(doc_name, _load(doc_name))
            for part in [p for p in pointer.split("/") if p]:
                found = found[part]
            node = {**found, **{k: v for k, v in node.items() if k != "$ref"}}
            current = doc_name
        return node, current

    def walk(self, node: dict[str, Any], current: str, prefix: str, variant: str | None = None) -> list[Field]:
        fields: list[Field] = []
        required = set(node.get("required", ()))
        for key, raw in node.get("properties", {}).items():
            sub, where = self.resolve(raw, current)
            path = f"{prefix}{key}"
            fields.append(_field(path, sub, raw, key in required, variant, self.item_type(sub, where)))
            fields += self.children(sub, where, path, variant)
        return fields

    def item_type(self, node: dict[str, Any], current: str) -> str | None:
        if node.get("type") != "array" or not isinstance(node.get("items"), dict):
            return None
        item, _ = self.resolve(node["items"], current)
        return "enum" if "enum" in item else item.get("type", "object")

    def children(self, node: dict[str, Any], current: str, path: str, variant: str | None) -> list[Field]:
        if node.get("type") == "object":
            return self.walk(node, current, f"{path}.", variant)
        if node.get("type") != "array" or "items" not in node:
            return []
        item, where = self.resolve(node["items"], current)
        if "if" in item:  # two shapes of one list element: then / else
            then, _ = self.resolve(item["then"], where)
            other, _ = self.resolve(item["else"], where)
            return (self.walk(then, where, f"{path}[].", "A") + self.walk(other, where, f"{path}[].", "B"))
        if item.get("type") == "object":
            return self.walk(item, where, f"{path}[].", variant)
        return []


GENERIC_EXAMPLES = ("common.json#/$defs/date", "common.json#/$defs/status", "common.json#/$defs/ids")
"""Shared definitions whose example fits every field that uses them (a text example would not)."""


def _type(node: dict[str, Any], item_type: str | None) -> str:
    if "enum" in node:
        return "enum"
    kind = node.get("type", "any")
    return f"array of {item_type}" if kind == "array" and item_type else kind


def _field(path: str, node: dict[str, Any], raw: dict[str, Any], required: bool, variant: str | None,
           item_type: str | None) -> Field:
    own = raw.get("examples") or (node.get("examples") if raw.get("$ref", GENERIC_EXAMPLES[0]) in GENERIC_EXAMPLES
                                  else None) or []
    example = None
    if own:
        example = own[0] if isinstance(own[0], str) else json.dumps(own[0], ensure_ascii=False)
    return Field(path, _type(node, item_type), required, tuple(str(v) for v in node.get("enum", ())), node.get("pattern"),
                 node.get("description"), example, variant)


def _notes(schema: dict[str, Any]) -> tuple[str, ...]:
    notes = []
    if "not" in schema and "required" in schema["not"]:
        notes.append(" / ".join(schema["not"]["required"]))
    return tuple(notes)


def load_schema_docs() -> tuple[KindDoc, ...]:
    docs = []
    for kind in KINDS:
        name = f"{kind}.json"
        walker = _Walker(name)
        schema = walker.docs[name]
        places = tuple(p if p.endswith(".yml") else f"{p}/*.yml" for p, k in KIND_BY_PLACE.items() if k == kind)
        docs.append(KindDoc(kind, schema.get("title", kind), f"generator/schemas/{name}", places,
                            tuple(walker.walk(schema, name, "")), _notes(schema)))
    return tuple(docs)
