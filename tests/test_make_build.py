"""`make build` replaces site/ only when the whole build succeeded: a failed build leaves the last good site.

The real Makefile recipe runs in a temporary copy of the repository (Makefile, mkdocs.yml, docs/, the hook),
with the venv and node_modules linked in and their install stamps taken as done (`make -o`), so the test never
touches this checkout's site/ or build/.
"""
from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
BASE = Path(__file__).resolve().parent / "corpus" / "_base"
MAKE = shutil.which("make")


@pytest.fixture(scope="module")
def repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    copy = tmp_path_factory.mktemp("repo")
    for name in ("Makefile", "mkdocs.yml", "pyproject.toml", "constraints.txt", "package.json",
                 "package-lock.json"):
        shutil.copy2(ROOT / name, copy / name)
    shutil.copytree(ROOT / "docs", copy / "docs")
    (copy / "generator" / "adapter").mkdir(parents=True)
    shutil.copy2(ROOT / "generator" / "adapter" / "hook.py", copy / "generator" / "adapter" / "hook.py")
    for name in (".venv", "node_modules", "templates", "overrides", "tools"):
        (copy / name).symlink_to(ROOT / name)
    shutil.copytree(BASE, copy / "data")  # mkdocs.yml watches data/; HANDBOOK_DATA picks the tree to build
    shutil.copytree(BASE, copy / "good")
    shutil.copytree(BASE, copy / "broken")
    (copy / "broken" / "roles" / "staff.yml").write_text("id: staff\ntitle: [\n", encoding="utf-8")
    return copy


def make_build(repo: Path, data: str) -> subprocess.CompletedProcess[str]:
    assert MAKE, "make is not installed"
    env = {**os.environ, "HANDBOOK_DATA": str(repo / data), "NO_MKDOCS_2_WARNING": "1"}
    return subprocess.run([MAKE, "-o", ".venv/.installed", "-o", "node_modules/.installed", "build"], cwd=repo,
                          env=env, capture_output=True, text=True, timeout=600)


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_failed_build_keeps_the_last_good_site(repo: Path) -> None:
    site = repo / "site"
    site.mkdir()
    (site / "index.html").write_text("last good site", encoding="utf-8")
    before = snapshot(site)

    failed = make_build(repo, "broken")

    assert failed.returncode != 0
    assert "broken/roles/staff.yml:" in failed.stderr and "[yaml-syntax]" in failed.stderr
    assert "Traceback" not in failed.stderr
    assert snapshot(site) == before
    assert not (repo / "build" / "site.old").exists()


def test_good_build_replaces_the_site(repo: Path) -> None:
    site = repo / "site"
    site.mkdir(exist_ok=True)
    (site / "stale.html").write_text("from an older build", encoding="utf-8")

    built = make_build(repo, "good")

    assert built.returncode == 0, built.stdout + built.stderr
    assert "site/ is up to date" in built.stdout
    assert not (site / "stale.html").exists()
    assert "部门经理" in (site / "roles" / "boss" / "index.html").read_text(encoding="utf-8")
    assert not (repo / "build" / "site.new").exists() and not (repo / "build" / "site.old").exists()
