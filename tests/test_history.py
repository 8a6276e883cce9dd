"""Last-updated dates of data files from git, one `git log` for all; build date where there is no history."""
from __future__ import annotations

import subprocess
from datetime import date
from pathlib import Path

from generator.stages.history import export_folder, last_updated, resolve

TODAY = date(2031, 1, 2)


def commit(repo: Path, when: str, *files: str) -> None:
    for name in files:
        path = repo / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(f"{name} {when}\n", encoding="utf-8")
    env = {"GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.invalid", "GIT_COMMITTER_NAME": "t",
           "GIT_COMMITTER_EMAIL": "t@example.invalid", "GIT_AUTHOR_DATE": when, "GIT_COMMITTER_DATE": when,
           "PATH": "/usr/bin:/bin"}
    subprocess.run(["git", "-C", str(repo), "add", "-A"], check=True, env=env)
    subprocess.run(["git", "-C", str(repo), "commit", "-q", "-m", when], check=True, env=env)


def test_dates_come_from_the_newest_commit_of_each_file(tmp_path: Path) -> None:
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    commit(tmp_path, "2024-03-01T10:00:00+08:00", "data/roles/a.yml", "data/roles/b.yml", "README")
    commit(tmp_path, "2025-07-15T09:30:00+08:00", "data/roles/b.yml", "data/glossary.yml")
    commit(tmp_path, "2025-08-01T09:30:00+08:00", "README")  # outside data/: changes nothing
    (tmp_path / "data/roles/new.yml").write_text("x\n", encoding="utf-8")  # never committed
    dates = last_updated(tmp_path / "data", ["roles/a.yml", "roles/b.yml", "glossary.yml", "roles/new.yml"],
                         today=TODAY)
    assert dates == {"roles/a.yml": "2024-03-01", "roles/b.yml": "2025-07-15", "glossary.yml": "2025-07-15",
                     "roles/new.yml": "2031-01-02"}


def test_without_git_every_file_gets_the_build_date(tmp_path: Path) -> None:
    (tmp_path / "data").mkdir()
    assert last_updated(tmp_path / "data", ["handbook.yml"], today=TODAY) == {"handbook.yml": "2031-01-02"}


def test_export_folder_writes_the_files_of_a_revision(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    subprocess.run(["git", "init", "-q", str(repo)], check=True)
    commit(repo, "2024-03-01T10:00:00+08:00", "data/roles/a.yml")
    commit(repo, "2024-04-01T10:00:00+08:00", "data/roles/a.yml")
    out = tmp_path / "out"
    assert export_folder(repo, "HEAD~1", "data", out) is None
    assert (out / "data/roles/a.yml").read_text(encoding="utf-8") == "data/roles/a.yml 2024-03-01T10:00:00+08:00\n"
    _, problem = resolve(repo, "nope")
    assert problem is not None and problem.code == "git-unknown-revision"
    missing = export_folder(repo, "HEAD", "no-such-folder", tmp_path / "out2")
    assert missing is not None and missing.code == "git-no-data"
