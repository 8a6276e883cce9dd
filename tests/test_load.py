"""load.py: a few lines of inline YAML each, with the exact (line, column, code) of what must be reported."""
from __future__ import annotations

import tracemalloc

import pytest

from generator.stages.load import MAX_DEPTH, decode, parse

CASES = [
    ("id: x\nid: y\n", [(2, 1, "duplicate-key")]),
    ("a:\n  b: 1\n  b: 2\n", [(3, 3, "duplicate-key")]),
    ("a: &x 1\nb: *x\n", [(1, 4, "yaml-anchor")]),
    ("a: *x\n", [(1, 4, "yaml-alias")]),
    ("a: !!python/object/apply:os.system [ls]\n", [(1, 4, "yaml-tag")]),
    ("a: !!str 1\n", [(1, 4, "yaml-tag")]),
    ("a: !local x\n", [(1, 4, "yaml-tag")]),
    ("a: 1\n---\nb: 2\n", [(2, 1, "multiple-documents")]),
    ("a: 'x\n", [(1, 4, "yaml-syntax")]),
    ("a: [1, 2\nb: 3\n", [(1, 4, "yaml-syntax")]),
    ("a:\n\t- 1\n", [(2, 1, "yaml-syntax")]),
    ("a: b: c\n", [(1, 5, "yaml-syntax")]),
    ("a: @x\n", [(1, 4, "yaml-syntax")]),
    ("a:\n  - 1\n - 2\n", [(3, 2, "yaml-syntax")]),
    ("? [a]\n: 1\n", [(1, 3, "complex-key")]),
    ("", [(1, 1, "empty-file")]),
    ("# only a comment\n\n", [(1, 1, "empty-file")]),
    ("[" * (MAX_DEPTH + 1) + "]" * (MAX_DEPTH + 1) + "\n", [(1, MAX_DEPTH + 1, "too-deep")]),
]


@pytest.mark.parametrize(("text", "expected"), CASES, ids=[repr(c[0])[:30] for c in CASES])
def test_problems(text: str, expected: list[tuple[int, int, str]]) -> None:
    _, _, problems = parse(text, "data/x.yml")
    assert [(p.line, p.column, p.code) for p in problems] == expected
    assert all(p.path == "data/x.yml" for p in problems)


def test_messages_say_what_to_do() -> None:
    found = {p.code: p.message for text, _ in CASES for p in parse(text, "x.yml")[2]}
    assert "write the value out in full" in found["yaml-alias"]
    assert "'!!python/object/apply:os.system'" in parse(CASES[4][0], "x.yml")[2][0].message
    assert parse("a: 'x\n", "x.yml")[2][0].message.startswith("the quote opened here is never closed")
    assert "indented with spaces" in parse("a:\n\t- 1\n", "x.yml")[2][0].message
    assert "put the whole value in quotes" in parse("a: b: c\n", "x.yml")[2][0].message


def test_values_and_marks() -> None:
    data, marks, problems = parse("id: x\nlist:\n  - 1\n  - 'yes'\n  - yes\n  - 2020-01-01\nnested:\n  k: ~\n",
                                  "x.yml")
    assert problems == []
    assert data == {"id": "x", "list": [1, "yes", True, "2020-01-01"], "nested": {"k": None}}
    assert marks.value(("list", 1)) == (4, 5)
    assert marks.key(("nested", "k")) == (8, 3)
    assert marks.value(("nested", "missing")) == (8, 3)  # nearest written parent


@pytest.mark.parametrize(("raw", "expected"), [
    ("id: 专员\n".encode("utf-8-sig"), None),
    (b"a: 1\r\nb: 2\r\n", None),
    ("a: 1\nb: 测试\n".encode("gbk"), (2, 4, "GBK")),
    ("a: 1\n".encode("utf-16"), (1, 1, "UTF-16")),
    ("a: 1\n".encode("utf-16-be"), (1, 1, "UTF-16")),
    (b"name: value\nb: \x00\n", (1, 1, "NUL")),
])
def test_decode(raw: bytes, expected: tuple[int, int, str] | None) -> None:
    text, problem = decode(raw, "x.yml")
    if expected is None:
        assert problem is None and "\r" not in text and not text.startswith("\ufeff")
    else:
        assert problem is not None and (problem.line, problem.column) == expected[:2]
        assert expected[2] in problem.message and problem.code == "encoding"


def test_alias_bomb_is_rejected_without_expanding() -> None:
    """Nine levels of nine aliases would be 9**9 values; the first anchor stops the parse, memory stays small."""
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for prev, name in zip("abcdefgh", "bcdefghi"):
        lines.append(f"{name}: &{name} [" + ",".join([f"*{prev}"] * 9) + "]")
    tracemalloc.start()
    try:
        _, _, problems = parse("\n".join(lines) + "\n", "x.yml")
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert [(p.line, p.column, p.code) for p in problems] == [(1, 4, "yaml-anchor")]
    assert peak < 2_000_000


def test_big_flat_file_under_the_limit_is_parsed() -> None:
    text = "items:\n" + "  - x\n" * 100_000
    data, _, problems = parse(text, "x.yml")
    assert problems == [] and len(data["items"]) == 100_000
