"""Two builds of the same input are byte-identical, and building never writes under data/."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import build_site, commit_tree

BASE = Path(__file__).resolve().parent / "corpus" / "_base"
DAY = 86_400


def _tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def _differences(a: dict[str, bytes], b: dict[str, bytes]) -> list[str]:
    return sorted(name for name in a.keys() | b.keys() if a.get(name) != b.get(name))


@pytest.fixture(scope="module")
def data(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("input") / "data"
    shutil.copytree(BASE, folder)
    return folder


def _build(out: Path, data: Path, epoch: int | None = None) -> dict[str, bytes]:
    saved = os.environ.get("SOURCE_DATE_EPOCH")
    try:
        if epoch is None:
            os.environ.pop("SOURCE_DATE_EPOCH", None)
        else:
            os.environ["SOURCE_DATE_EPOCH"] = str(epoch)
        build_site(out, data)
    finally:
        if saved is None:
            os.environ.pop("SOURCE_DATE_EPOCH", None)
        else:
            os.environ["SOURCE_DATE_EPOCH"] = saved
    return _tree(out)


def test_two_mkdocs_builds_are_byte_identical(tmp_path: Path, data: Path) -> None:
    before = {**_tree(data)}
    first = _build(tmp_path / "one", data)
    second = _build(tmp_path / "two", data)
    assert len(first) > 20
    assert _differences(first, second) == []
    assert _tree(data) == before, "the build wrote under data/"


def test_a_build_on_another_day_is_byte_identical(tmp_path: Path) -> None:
    # Page dates (最后更新, the sitemap) come from the data's git history, never from the build day.
    data = tmp_path / "data"
    shutil.copytree(BASE, data)
    commit_tree(data)
    first = _build(tmp_path / "one", data, epoch=1_700_000_000)
    second = _build(tmp_path / "two", data, epoch=1_700_000_000 + 3 * DAY)
    assert _differences(first, second) == []


def test_two_renders_are_identical(tmp_path: Path, data: Path) -> None:
    before = _tree(data)
    trees = []
    for name in ("one", "two"):
        result = subprocess.run([sys.executable, "-m", "generator", "--data", str(data), "render", "--out",
                                 str(tmp_path / name)], capture_output=True, text=True, timeout=120)
        assert result.returncode == 0, result.stderr
        trees.append(_tree(tmp_path / name))
    assert len(trees[0]) > 10
    assert _differences(*trees) == []
    assert _tree(data) == before, "render wrote under data/"
