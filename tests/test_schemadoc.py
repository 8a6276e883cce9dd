"""The schema reference page: every field of every schema, with type, required, allowed values and example."""
from __future__ import annotations

import json
from pathlib import Path

import html as html_lib

import markdown

from generator.stages.render import render_schema_reference
from generator.views.schemadoc import KINDS, SCHEMA_DIR, load_schema_docs


def property_paths(node: dict, prefix: str = "") -> set[str]:
    """Every property name of a schema file, independently of schemadoc (local $defs only, no common.json)."""
    found = set()
    for key, sub in node.get("properties", {}).items():
        found.add(prefix + key)
        for branch in (sub, sub.get("items", {})):
            found |= property_paths(branch, "") if isinstance(branch, dict) else set()
    for word in ("then", "else", "items", "$defs"):
        value = node.get(word)
        if isinstance(value, dict):
            found |= property_paths(value) if word != "$defs" else set().union(*map(property_paths, value.values()))
    return found


def test_every_property_of_every_schema_is_listed() -> None:
    docs = {d.kind: d for d in load_schema_docs()}
    assert tuple(docs) == KINDS
    for kind in KINDS:
        schema = json.loads((SCHEMA_DIR / f"{kind}.json").read_text(encoding="utf-8"))
        listed = {f.path.rsplit(".", 1)[-1].replace("[]", "") for f in docs[kind].fields}
        expected = property_paths(schema)
        if kind in ("checklist", "onboarding"):
            expected |= {"text", "owner"}  # checklist items come from common.json
        assert expected <= listed, (kind, expected - listed)


def test_fields_carry_type_required_allowed_values_and_example() -> None:
    role = {f.path: f for f in next(d for d in load_schema_docs() if d.kind == "role").fields}
    assert role["id"].required and role["id"].example == "designer" and role["id"].pattern
    assert role["status"].type == "enum" and role["status"].allowed == ("approved", "draft")
    assert not role["reports_to"].required and role["reports_to"].type == "string"
    assert role["duties[].items[].text"].required
    assert role["basis"].type == "array of string"
    assert role["external"].type == "boolean"
    assert role["title"].example == "设计师" and role["title"].description == "岗位名称."
    # A text field does not borrow the shared definition's example, which would mislead.
    assert role["department"].example == "网络技术部" and role["intro"].example.startswith("设计师")
    procedure = {f.path: f for f in next(d for d in load_schema_docs() if d.kind == "procedure").fields}
    assert procedure["steps[].action"].example is None
    chapter = {f.path: f for f in next(d for d in load_schema_docs() if d.kind == "chapter").fields}
    assert chapter["clauses[].role"].variant == "A" and chapter["clauses[].text"].variant == "B"


def test_page_renders_one_table_row_per_field() -> None:
    text = render_schema_reference()
    html = markdown.markdown(text, extensions=["tables"])
    rows = html.count("<tr>") - html.count("<th>") // 6
    assert rows == sum(len(d.fields) for d in load_schema_docs())
    assert text.startswith("# 字段参考\n")
    assert "| <code>status</code> | enum | 是 | <code>approved</code>、<code>draft</code> |" in text
    shown = html_lib.unescape(text)  # values are escaped as entities
    assert "<code>duty_groups</code> 只能二选一" not in shown and "<code>duties / duty_groups</code> 只能二选一" in shown
    for kind in KINDS:
        assert f"<code>generator/schemas/{kind}.json</code>" in text
