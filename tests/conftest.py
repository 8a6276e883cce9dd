"""Shared fixtures: the repository's paths and a real `mkdocs build --strict` of a data tree."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data"


def build_site(out_dir: Path, data_dir: Path = DATA, check: bool = True) -> subprocess.CompletedProcess[str]:
    """Run the real `mkdocs build --strict` of this repository's mkdocs.yml on data_dir into out_dir."""
    env = {**os.environ, "HANDBOOK_DATA": str(data_dir), "NO_MKDOCS_2_WARNING": "1", "DISABLE_MKDOCS_2_WARNING": "true"}
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(out_dir), "-f",
         str(ROOT / "mkdocs.yml")],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=600)
    if check and result.returncode != 0:
        raise AssertionError(f"mkdocs build failed:\n{result.stdout}\n{result.stderr}")
    return result


@pytest.fixture(scope="session")
def site_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The handbook built from data/ once per test session."""
    out = tmp_path_factory.mktemp("site")
    build_site(out)
    return out


def commit_tree(folder: Path, when: str = "2024-05-06T10:00:00Z") -> None:
    """Make folder a git repository with everything committed at `when` (dates of 最后更新 come from git)."""
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "GIT_COMMITTER_DATE": when, "GIT_AUTHOR_DATE": when,
           "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@t", "GIT_COMMITTER_NAME": "t",
           "GIT_COMMITTER_EMAIL": "t@t", "HOME": str(folder)}
    for command in (["init", "-q"], ["add", "."], ["commit", "-q", "-m", "data"]):
        subprocess.run(["git", *command], cwd=folder, check=True, env=env, capture_output=True)
