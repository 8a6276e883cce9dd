"""Stage 2: check each SourceDoc against generator/schemas/<kind>.json, reporting every error in words."""
from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path
from typing import Any, Callable

import fastjsonschema
import jsonschema
import referencing

from .load import SourceDoc
from .problems import Problem, did_you_mean

SCHEMA_DIR = Path(__file__).resolve().parent.parent / "schemas"
KINDS = ("handbook", "chapter", "role", "procedure", "checklist", "onboarding", "glossary")

_TYPE_WORDS = {
    "string": "text", "array": "a list", "object": "a mapping of keys", "integer": "a whole number",
    "number": "a number", "boolean": "true or false", "null": "nothing",
}


@lru_cache(maxsize=None)
def load_schema(kind: str) -> dict[str, Any]:
    return json.loads((SCHEMA_DIR / f"{kind}.json").read_text(encoding="utf-8"))


@lru_cache(maxsize=None)
def _validator(kind: str) -> jsonschema.Draft202012Validator:
    resources = [(f"{name}.json", referencing.Resource.from_contents(load_schema(name)))
                 for name in (*KINDS, "common")]
    registry = referencing.Registry().with_resources(resources)
    return jsonschema.Draft202012Validator(load_schema(kind), registry=registry)


@lru_cache(maxsize=None)
def _fast_validator(kind: str) -> Callable[[Any], Any]:
    """The same schema compiled to Python: about ten times faster on the usual case of a valid document.

    It only says yes or no; every document it rejects goes through jsonschema, whose errors are explained.
    """
    store = {f"{name}.json": load_schema(name) for name in (*KINDS, "common")}
    schema = {key: value for key, value in store[f"{kind}.json"].items() if key != "$schema"}
    # Without detailed exceptions the generated code does not embed each rule's schema: a third of the compile time.
    return fastjsonschema.compile({**_inlined(schema, f"{kind}.json", store), "$id": f"{kind}.json"},
                                  use_default=False, detailed_exceptions=False,
                                  handlers={"": lambda uri: store[uri.rsplit("/", 1)[-1]]})


def _inlined(node: Any, base: str, store: dict[str, Any], expanding: tuple[str, ...] = ()) -> Any:
    """The schema with each `$ref` replaced by what it points at, unless it recurses (those are made absolute).

    fastjsonschema formats an error path for every `$ref` it follows, even in valid data: that was half of its
    time. The meaning is unchanged: keywords beside a `$ref` apply together with it, as `allOf` does.
    """
    if isinstance(node, list):
        return [_inlined(item, base, store, expanding) for item in node]
    if not isinstance(node, dict):
        return node
    rest = {key: _inlined(value, base, store, expanding) for key, value in node.items() if key != "$ref"}
    if "$ref" not in node:
        return rest
    file, _, pointer = node["$ref"].partition("#")
    absolute = f"{file or base}#{pointer}"
    if absolute in expanding:
        return {**rest, "$ref": absolute}
    target: Any = store[file or base]
    for part in filter(None, pointer.split("/")):
        target = target[part]
    inlined = _inlined(target, file or base, store, (*expanding, absolute))
    return {**rest, "allOf": [inlined]} if rest else inlined


def validate_docs(docs: list[SourceDoc]) -> list[Problem]:
    problems: list[Problem] = []
    for doc in docs:
        problems.extend(validate_doc(doc))
    return problems


def validate_doc(doc: SourceDoc) -> list[Problem]:
    try:
        _fast_validator(doc.kind)(doc.data)
        return []
    except fastjsonschema.JsonSchemaException:
        pass
    found: dict[tuple[int, int, str], Problem] = {}
    for error in _validator(doc.kind).iter_errors(doc.data):
        for problem in _explain(doc, error):
            found.setdefault((problem.line, problem.column, problem.message), problem)
    return list(found.values())


def _explain(doc: SourceDoc, error: jsonschema.ValidationError) -> list[Problem]:
    path = tuple(error.absolute_path)
    where = _json_path(path)
    kind, value, schema = error.validator, error.instance, error.schema

    def at_value(code: str, message: str) -> Problem:
        line, column = doc.marks.value(path)
        return Problem(doc.path, line, column, code, f"{message}{where}")

    if kind == "additionalProperties":
        known = list(schema.get("properties", {}))
        return [_at_key(doc, path + (key,), "unknown-key",
                        f"unknown key '{key}'" + (did_you_mean(key, known)
                                                  or f"; expected one of: {', '.join(known)}"))
                for key in value if key not in known]
    if kind == "required":
        return [at_value("missing-key", f"missing required key '{key}'" + _describe(schema, key))
                for key in error.validator_value if key not in value]
    if kind == "type":
        return [at_value("wrong-type", f"expected {_type_words(error.validator_value)}, "
                                       f"found {_found(value)}")]
    if kind == "enum":
        allowed = ", ".join(str(v) for v in error.validator_value)
        return [at_value("bad-value", f"'{value}' is not allowed{did_you_mean(str(value), map(str, error.validator_value))}; "
                                      f"expected one of: {allowed}")]
    if kind == "pattern":
        example = (schema.get("examples") or [""])[0]
        hint = f"{schema['description'].rstrip('.')}" if "description" in schema else f"match {schema['pattern']}"
        return [at_value("bad-format", f"'{value}' is not valid: {hint}" + (f" (e.g. '{example}')" if example else ""))]
    if kind in {"minItems", "minLength"}:
        return [at_value("empty", "is empty; write at least one " + ("item" if kind == "minItems" else "character"))]
    if kind == "maxLength":
        return [at_value("too-long", f"is longer than {error.validator_value} characters")]
    if kind == "uniqueItems":
        return [at_value("duplicate-item", "lists the same value twice; keep each once")]
    if kind == "not" and path == () and isinstance(value, dict):
        return [at_value("exclusive-keys", "use either 'duties' or 'duty_groups', not both")]
    return [at_value("schema", error.message)]


def _at_key(doc: SourceDoc, path: tuple[Any, ...], code: str, message: str) -> Problem:
    line, column = doc.marks.key(path)
    return Problem(doc.path, line, column, code, message + _json_path(path[:-1]))


def _describe(schema: dict[str, Any], key: str) -> str:
    description = schema.get("properties", {}).get(key, {}).get("description")
    return f" ({description.rstrip('.')})" if description else ""


def _type_words(expected: str | list[str]) -> str:
    names = [expected] if isinstance(expected, str) else expected
    return " or ".join(_TYPE_WORDS.get(name, name) for name in names)


def _found(value: Any) -> str:
    if isinstance(value, bool):
        return f"{str(value).lower()} (true/false)"
    if value is None:
        return "nothing (an empty value)"
    if isinstance(value, (int, float)):
        return f"the number {value} (put it in quotes to make it text)"
    if isinstance(value, str):
        return f"text '{value[:40]}'"
    if isinstance(value, list):
        return "a list"
    return "a mapping of keys"


def _json_path(path: tuple[Any, ...]) -> str:
    if not path:
        return ""
    text = "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in path)
    return f" (at {text.lstrip('.')})"
