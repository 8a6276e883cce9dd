"""Edits of a data file's text that keep everything else as written: comments, order, quoting.

The commands that change data (approve, release) edit lines found through the file's marks, never re-dump the
file, so the editor's diff in the merge request shows exactly the lines that changed.
"""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

import yaml

from ..stages.load import SourceDoc

JsonPath = tuple[Any, ...]


def mapping_paths(data: Any, wanted: Callable[[dict[str, Any]], bool], path: JsonPath = ()) -> list[JsonPath]:
    """Paths of the mappings in data (depth first) for which `wanted` is true."""
    found: list[JsonPath] = []
    if isinstance(data, dict):
        if wanted(data):
            found.append(path)
        for key, value in data.items():
            found += mapping_paths(value, wanted, path + (key,))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            found += mapping_paths(value, wanted, path + (index,))
    return found


def draft_paths(data: Any) -> list[JsonPath]:
    """Paths of the mappings in data whose own `status` is draft."""
    return mapping_paths(data, lambda record: record.get("status") == "draft")


def approve(doc: SourceDoc, paths: list[JsonPath]) -> str:
    """The file's text with `status: approved` for the records at paths: a written `status: draft` is changed in
    place; a record that inherits draft gets its own status line under its id."""
    lines = doc.text.splitlines(keepends=True)
    inserts: list[tuple[int, str]] = []
    for path in paths:
        record = value_at(doc.data, path)
        if "status" in record:
            line = doc.marks.value(path + ("status",))[0] - 1
            lines[line] = lines[line].replace("draft", "approved", 1)
        else:
            line, column = doc.marks.key(path + ("id",))
            inserts.append((line, " " * (column - 1) + "status: approved\n"))
    for line, text in sorted(inserts, reverse=True):
        lines.insert(line, text)
    return "".join(lines)


def append_release(doc: SourceDoc, index: int, entry: dict[str, Any]) -> str:
    """The register's text with one release added to the end of the releases of documents[index]."""
    lines = doc.text.splitlines(keepends=True)
    block = yaml.safe_dump([entry], allow_unicode=True, sort_keys=False, default_flow_style=False, width=1000)
    indent = doc.marks.key(("documents", index, "doc_no"))[1] + 1  # the list under the key, two deeper
    block_lines = ["" if not text else " " * indent + text for text in block.splitlines()]
    body = "".join(text + "\n" for text in block_lines)
    releases = doc.data["documents"][index]["releases"]
    if not releases:
        line = doc.marks.key(("documents", index, "releases"))[0] - 1
        lines[line] = lines[line].replace("releases: []", "releases:", 1)
        lines.insert(line + 1, body)
        return "".join(lines)
    documents = doc.data["documents"]
    end = doc.marks.value(("documents", index + 1))[0] - 1 if index + 1 < len(documents) else len(lines)
    while end > 0 and not lines[end - 1].strip():
        end -= 1
    lines.insert(end, body)
    return "".join(lines)


def value_at(data: Any, path: JsonPath) -> Any:
    for key in path:
        data = data[key]
    return data
