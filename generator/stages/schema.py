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
from .messages import NOTHING, Phrase, literal, phrase, schema_text
from .problems import Problem, did_you_mean

SCHEMA_DIR = Path(__file__).resolve().parent.parent / "schemas"
KINDS = ("handbook", "register", "chapter", "role", "procedure", "checklist", "onboarding", "glossary", "people",
         "acknowledgements")

_TYPE_WORDS = {
    "string": phrase("text"), "array": phrase("a list"), "object": phrase("a mapping of keys"),
    "integer": phrase("a whole number"), "number": phrase("a number"), "boolean": phrase("true or false"),
    "null": phrase("nothing"),
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
    found: dict[tuple[int, int, Phrase], Problem] = {}
    for error in _validator(doc.kind).iter_errors(doc.data):
        for problem in _explain(doc, error):
            found.setdefault((problem.line, problem.column, problem.phrase), problem)
    return list(found.values())


def _explain(doc: SourceDoc, error: jsonschema.ValidationError) -> list[Problem]:
    path = tuple(error.absolute_path)
    where = _json_path(path)
    kind, value, schema = error.validator, error.instance, error.schema

    def at_value(code: str, message: Phrase) -> Problem:
        line, column = doc.marks.value(path)
        return Problem(doc.path, line, column, code, message)

    if kind == "additionalProperties":
        known = list(schema.get("properties", {}))
        return [_unknown_key(doc, path + (key,), known) for key in value if key not in known]
    if kind == "required":
        return [at_value("missing-key", phrase("missing required key '{key}'{description}{where}", key=key,
                                               description=_describe(schema, key), where=where))
                for key in error.validator_value if key not in value]
    if kind == "type":
        return [at_value("wrong-type", phrase("expected {expected}, found {found}{where}",
                                              expected=_type_words(error.validator_value), found=_found(value),
                                              where=where))]
    if kind == "enum":
        allowed = ", ".join(str(v) for v in error.validator_value)
        return [at_value("bad-value", phrase("'{value}' is not allowed{hint}; expected one of: {allowed}{where}",
                                             value=str(value), allowed=allowed, where=where,
                                             hint=did_you_mean(str(value), map(str, error.validator_value))))]
    if kind == "pattern":
        return [at_value("bad-format", _bad_format(str(value), schema, where))]
    if kind == "minItems":
        return [at_value("empty", phrase("is empty; write at least one item{where}", where=where))]
    if kind == "minLength":
        return [at_value("empty", phrase("is empty; write at least one character{where}", where=where))]
    if kind == "maxLength":
        return [at_value("too-long", phrase("is longer than {limit} characters{where}",
                                            limit=error.validator_value, where=where))]
    if kind == "minimum":
        return [at_value("too-small", phrase("{value} is less than {minimum}, the smallest value allowed{where}",
                                             value=str(value), minimum=error.validator_value, where=where))]
    if kind == "uniqueItems":
        return [at_value("duplicate-item", phrase("lists the same value twice; keep each once{where}", where=where))]
    if kind == "not" and path == () and isinstance(value, dict):
        return [at_value("exclusive-keys", phrase("use either 'duties' or 'duty_groups', not both{where}",
                                                  where=where))]
    return [at_value("schema", phrase("{detail}{where}", detail=literal(error.message), where=where))]


def _unknown_key(doc: SourceDoc, path: tuple[Any, ...], known: list[str]) -> Problem:
    line, column = doc.marks.key(path)
    key, where = path[-1], _json_path(path[:-1])
    hint = did_you_mean(key, known)
    if hint is NOTHING:
        message = phrase("unknown key '{key}'; expected one of: {known}{where}", key=key, known=", ".join(known),
                         where=where)
    else:
        message = phrase("unknown key '{key}'{hint}{where}", key=key, hint=hint, where=where)
    return Problem(doc.path, line, column, "unknown-key", message)


def _bad_format(value: str, schema: dict[str, Any], where: Phrase) -> Phrase:
    example = (schema.get("examples") or [""])[0]
    if "description" in schema:
        hint = schema_text(schema["description"])
    else:
        hint = phrase("match {pattern}", pattern=schema["pattern"])
    if example:
        return phrase("'{value}' is not valid: {hint} (e.g. '{example}'){where}", value=value, hint=hint,
                      example=example, where=where)
    return phrase("'{value}' is not valid: {hint}{where}", value=value, hint=hint, where=where)


def _describe(schema: dict[str, Any], key: str) -> Phrase:
    description = schema.get("properties", {}).get(key, {}).get("description")
    return phrase(" ({description})", description=schema_text(description)) if description else NOTHING


def _type_words(expected: str | list[str]) -> Phrase:
    names = [expected] if isinstance(expected, str) else list(expected)
    said = _TYPE_WORDS.get(names[0]) or literal(names[0])
    for name in names[1:]:
        said = phrase("{either} or {other}", either=said, other=_TYPE_WORDS.get(name) or literal(name))
    return said


def _found(value: Any) -> Phrase:
    if isinstance(value, bool):
        return phrase("{value} (true/false)", value=str(value).lower())
    if value is None:
        return phrase("nothing (an empty value)")
    if isinstance(value, (int, float)):
        return phrase("the number {number} (put it in quotes to make it text)", number=str(value))
    if isinstance(value, str):
        return phrase("text '{text}'", text=value[:40])
    if isinstance(value, list):
        return phrase("a list")
    return phrase("a mapping of keys")


def _json_path(path: tuple[Any, ...]) -> Phrase:
    if not path:
        return NOTHING
    text = "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in path)
    return phrase(" (at {path})", path=text.lstrip("."))
