"""Two builds of the same input are byte-identical, and building never writes under data/.

Python randomises str hashes per process (PYTHONHASHSEED), so set iteration order differs between two runs of
the same build: a builder that depends on it differs only across processes. The builds here are therefore
separate `mkdocs build` processes with different hash seeds, of the real handbook (a small corpus did not show
the search index's difference), run side by side to keep the suite fast.
"""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from conftest import DATA, ROOT, build_site, commit_tree

BASE = Path(__file__).resolve().parent / "corpus" / "_base"
DAY = 86_400


def _tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def _differences(a: dict[str, bytes], b: dict[str, bytes]) -> list[str]:
    return sorted(name for name in a.keys() | b.keys() if a.get(name) != b.get(name))


def _mkdocs_build(out: Path, data: Path, hash_seed: int) -> dict[str, bytes]:
    """A real `mkdocs build --strict` in its own process, with the given PYTHONHASHSEED."""
    env = {**os.environ, "HANDBOOK_DATA": str(data), "PYTHONHASHSEED": str(hash_seed),
           "NO_MKDOCS_2_WARNING": "1", "DISABLE_MKDOCS_2_WARNING": "true"}
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(out), "-f", str(ROOT / "mkdocs.yml")],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, f"mkdocs build failed:\n{result.stdout}\n{result.stderr}"
    return _tree(out)


def test_builds_in_processes_with_different_hash_seeds_are_byte_identical(tmp_path: Path) -> None:
    data = tmp_path / "data"
    shutil.copytree(DATA, data)
    commit_tree(data)  # one clone: the pages' dates come from its history
    before = _tree(data)
    with ThreadPoolExecutor(2) as pool:
        first, second = pool.map(lambda seed: _mkdocs_build(tmp_path / f"seed{seed}", data, seed), (1, 2))
    assert any(name.startswith("search/chunks/s/") for name in first), "the search index is part of the tree"
    assert len(first) > 100
    assert _differences(first, second) == []
    assert _tree(data) == before, "the build wrote under data/"


def _build_on(out: Path, data: Path, epoch: int) -> dict[str, bytes]:
    saved = os.environ.get("SOURCE_DATE_EPOCH")
    os.environ["SOURCE_DATE_EPOCH"] = str(epoch)
    try:
        build_site(out, data)
    finally:
        if saved is None:
            os.environ.pop("SOURCE_DATE_EPOCH", None)
        else:
            os.environ["SOURCE_DATE_EPOCH"] = saved
    return _tree(out)


def test_a_build_on_another_day_is_byte_identical(tmp_path: Path) -> None:
    # Page dates (最后更新, the sitemap) come from the data's git history, never from the build day.
    data = tmp_path / "data"
    shutil.copytree(BASE, data)
    commit_tree(data)
    first = _build_on(tmp_path / "one", data, epoch=1_700_000_000)
    second = _build_on(tmp_path / "two", data, epoch=1_700_000_000 + 3 * DAY)
    assert _differences(first, second) == []


@pytest.fixture(scope="module")
def base_data(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("input") / "data"
    shutil.copytree(BASE, folder)
    return folder


def test_two_renders_are_identical(tmp_path: Path, base_data: Path) -> None:
    before = _tree(base_data)
    trees = []
    for name in ("one", "two"):
        result = subprocess.run([sys.executable, "-m", "generator", "--data", str(base_data), "render", "--out",
                                 str(tmp_path / name)], capture_output=True, text=True, timeout=120)
        assert result.returncode == 0, result.stderr
        trees.append(_tree(tmp_path / name))
    assert len(trees[0]) > 10
    assert _differences(*trees) == []
    assert _tree(base_data) == before, "render wrote under data/"
