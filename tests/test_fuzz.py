"""Property-based tests: whatever the YAML, load + schema + build end in a Handbook or in Problems, never in an
exception. Fixed budget and derandomized, so a CI run is repeatable and bounded.

Inputs are real data files mutated the way careless edits and hostile pull requests change them (lines deleted or
doubled, characters swapped, tabs, tags, anchors, aliases, odd Unicode, invalid bytes), and random YAML-like text.
"""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator import pipeline
from generator.stages.load import NEEDS_MESSAGES, clean_data, decode, parse
from generator.stages.problems import Severity
from generator.stages.render import render_site

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data"
BASE = Path(__file__).resolve().parent / "corpus" / "_base"
FILES = sorted(p.relative_to(DATA).as_posix() for p in DATA.rglob("*.yml"))

BUDGET = settings(max_examples=200, deadline=None, derandomize=True, database=None,
                  suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])

SNIPPETS = ["\t", "  ", "- ", ": ", ":", "#", "&a ", "*a", "&x [1, 2] ", "!!python/object/apply:os.system ",
            "!!str ", "!!binary ", "!local ", "!!map ", "? ", "---\n", "...\n", "%YAML 1.1\n", "|\n", ">-\n", "'",
            '"', "[", "]", "{", "}", ",", "\n", "\r", "\r\n", "\ufeff", "\u200b", "\u2028", "\x85", "\x00", "\x1b",
            "null", "~", "yes", "no", "0x1F", "1e3", ".inf", "2020-01-01", "<script>x</script>", "é", "中文", "😀",
            "\\", "\\u0000", "id", "duties", "basis", "reports_to", "status", "draft", "approved"]


@st.composite
def mutations(draw: st.DrawFn, text: str) -> bytes:
    """Apply 1–4 random edits to a file's text; the result may not even be UTF-8."""
    lines = text.split("\n")
    for _ in range(draw(st.integers(1, 4))):
        where = draw(st.integers(0, max(len(lines) - 1, 0)))
        line = lines[where] if lines else ""
        edit = draw(st.sampled_from(["delete", "duplicate", "swap", "insert", "indent", "dedent", "truncate"]))
        if edit == "delete" and lines:
            del lines[where]
        elif edit == "duplicate" and lines:
            lines.insert(where, line)
        elif edit == "swap" and len(line) >= 2:
            i = draw(st.integers(0, len(line) - 2))
            lines[where] = line[:i] + line[i + 1] + line[i] + line[i + 2:]
        elif edit == "insert":
            i = draw(st.integers(0, len(line)))
            piece = draw(st.sampled_from(SNIPPETS) | st.text(max_size=3))
            lines[where:where + 1] = [line[:i] + piece + line[i:]] if lines else [piece]
        elif edit in {"indent", "dedent"} and lines:
            lines[where] = ("  " + line) if edit == "indent" else line[2:]
        elif edit == "truncate":
            lines = lines[:where]
    result = "\n".join(lines).encode("utf-8", errors="surrogatepass")
    if draw(st.integers(0, 9)) == 0:  # sometimes bytes that are not UTF-8 at all
        i = draw(st.integers(0, len(result)))
        result = result[:i] + draw(st.binary(min_size=1, max_size=4)) + result[i:]
    return result


def _assert_outcome(data_dir: Path, changed: str) -> pipeline.Checked:
    result = pipeline.check(data_dir)
    errors = [p for p in result.problems if p.severity == Severity.ERROR]
    if result.handbook is None:
        assert errors, "no Handbook and no error"
    else:
        assert not errors
    for problem in result.problems:
        assert problem.path.endswith(".yml") or problem.path.endswith("/"), problem
        assert problem.line >= 1 and problem.column >= 1, problem
        assert problem.message and problem.code, problem
    return result


@pytest.fixture(scope="module")
def real_tree(tmp_path_factory: pytest.TempPathFactory) -> Path:
    data = tmp_path_factory.mktemp("fuzz") / "data"
    shutil.copytree(DATA, data)
    return data


@pytest.fixture(scope="module")
def base_tree(tmp_path_factory: pytest.TempPathFactory) -> Path:
    data = tmp_path_factory.mktemp("fuzz-base") / "data"
    shutil.copytree(BASE, data)
    return data


@BUDGET
@given(st.data())
def test_mutated_real_files_never_raise(real_tree: Path, data: st.DataObject) -> None:
    name = data.draw(st.sampled_from(FILES), label="file")
    path = real_tree / name
    original = (DATA / name).read_text(encoding="utf-8")
    path.write_bytes(data.draw(mutations(original), label="content"))
    try:
        _assert_outcome(real_tree, name)
    finally:
        path.write_text(original, encoding="utf-8")


YAMLISH = st.lists(st.sampled_from(SNIPPETS) | st.text(max_size=4), max_size=40).map("".join)


@BUDGET
@given(st.sampled_from(["roles/staff.yml", "procedures/work.yml", "handbook.yml", "glossary.yml",
                        "checklists/new.yml"]),
       YAMLISH | st.text(max_size=200))
def test_random_yaml_never_raises_and_valid_data_renders(base_tree: Path, name: str, text: str) -> None:
    path = base_tree / name
    original = (BASE / name).read_bytes() if (BASE / name).exists() else None
    path.write_bytes(text.encode("utf-8", errors="surrogatepass"))
    try:
        result = _assert_outcome(base_tree, name)
        if result.handbook is not None:
            assert render_site(result.handbook).pages
    finally:
        if original is None:
            path.unlink()
        else:
            path.write_bytes(original)


def assert_lean_pass_agrees(text: str) -> None:
    """clean_data accepts exactly the texts parse() finds no problem in, with the same values (types included)."""
    lean = clean_data(text)
    data, _, problems = parse(text, "x.yml")
    assert (lean is NEEDS_MESSAGES) == bool(problems), (text, problems)
    if lean is not NEEDS_MESSAGES:
        assert repr(lean) == repr(data)


@pytest.mark.parametrize("path", sorted(DATA.rglob("*.yml")) + sorted((ROOT / "tests" / "corpus").rglob("*.yml")),
                         ids=lambda p: p.relative_to(ROOT).as_posix())
def test_lean_pass_agrees_on_real_and_corpus_files(path: Path) -> None:
    text, problem = decode(path.read_bytes(), path.name)
    if problem is None:
        assert_lean_pass_agrees(text)


@settings(max_examples=1000, deadline=None, derandomize=True, database=None)
@given(st.data())
def test_lean_pass_agrees_on_mutated_and_random_text(data: st.DataObject) -> None:
    name = data.draw(st.sampled_from(FILES), label="file")
    raw = data.draw(mutations((DATA / name).read_text(encoding="utf-8")) | YAMLISH.map(str.encode), label="content")
    text, problem = decode(raw, name)
    if problem is None:
        assert_lean_pass_agrees(text)
