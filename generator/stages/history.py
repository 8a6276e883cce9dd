"""Git history of the data: last-updated dates of data files, and the data folder as it was at a revision.

Read-only: git is asked, never changed. Every git failure comes back as a Problem, not an exception.
"""
from __future__ import annotations

import io
import os
import subprocess
import tarfile
from dataclasses import dataclass
from datetime import date, datetime, timezone
from pathlib import Path, PurePosixPath
from typing import Iterable

from .messages import literal, phrase
from .problems import Problem

_MARK = "\x1fcommit "
"""Starts each commit's header line in `git log` output; no file name can contain it."""


@dataclass(frozen=True)
class GitResult:
    ok: bool
    stdout: bytes
    stderr: str


def git(cwd: Path, *args: str) -> GitResult:
    """Run one git command in cwd; a missing git or a failure is a value, never an exception."""
    try:
        done = subprocess.run(["git", "-C", str(cwd), *args], capture_output=True, timeout=120)
    except (OSError, subprocess.TimeoutExpired) as failure:
        return GitResult(False, b"", str(failure))
    return GitResult(done.returncode == 0, done.stdout, done.stderr.decode("utf-8", "replace").strip())


def build_day() -> date:
    """Today, or the day of SOURCE_DATE_EPOCH when set (reproducible builds, as MkDocs does)."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "")
    if epoch.isdigit():
        return datetime.fromtimestamp(int(epoch), tz=timezone.utc).date()
    return date.today()


def last_updated(data_dir: Path, rel_paths: Iterable[str], today: date | None = None) -> dict[str, str]:
    """Date (YYYY-MM-DD) of the last commit that touched each data file, by its path relative to data_dir.

    One `git log` for all files. A file without history (not committed, or no git at all) gets today's
    date: the build time, as the page is then as new as the build.
    """
    wanted = list(dict.fromkeys(rel_paths))
    fallback = (today or date.today()).isoformat()
    found = _commit_dates(data_dir)
    return {rel: found.get(rel, fallback) for rel in wanted}


def _commit_dates(data_dir: Path, *options: str, oldest: bool = False) -> dict[str, str]:
    """{path relative to data_dir: date of its newest (or oldest) commit}, from one `git log --name-only`."""
    result = git(data_dir, "log", "--relative", "--name-only", "--no-renames", "-z", *options,
                 f"--format={_MARK}%cI", "--", ".")
    if not result.ok:
        return {}
    dates: dict[str, str] = {}
    current = ""
    # With -z, names are NUL-separated; each commit header starts a new record after the mark. The log runs
    # newest first.
    for field in result.stdout.decode("utf-8", "replace").split("\0"):
        for part in field.split("\n"):
            if part.startswith(_MARK):
                current = part[len(_MARK):len(_MARK) + 10]
            elif part and current:
                if oldest:
                    dates[part] = current
                else:
                    dates.setdefault(part, current)
    return dates


def repo_root(path: Path) -> tuple[Path | None, Problem | None]:
    """The top folder of the git work tree that holds path."""
    result = git(path, "rev-parse", "--show-toplevel")
    if not result.ok:
        return None, Problem(str(path), 0, 0, "git-no-repository",
                             phrase("{path} is not inside a git repository ({reason})", path=str(path),
                                    reason=literal(result.stderr) if result.stderr else phrase("git failed")))
    return Path(result.stdout.decode().strip()), None


def resolve(repo: Path, revision: str) -> tuple[str | None, Problem | None]:
    """The full commit id a revision name stands for."""
    result = git(repo, "rev-parse", "--verify", "--quiet", f"{revision}^{{commit}}")
    if not result.ok:
        return None, Problem(revision, 0, 0, "git-unknown-revision",
                             phrase("unknown revision '{revision}'; expected a commit, branch or tag of {repo}",
                                    revision=revision, repo=str(repo)))
    return result.stdout.decode().strip(), None


def export_folder(repo: Path, revision: str, folder: str, dest: Path) -> Problem | None:
    """Write the files of `folder` (relative to the repository top) as they were at `revision` under dest."""
    commit, problem = resolve(repo, revision)
    if problem:
        return problem
    result = git(repo, "archive", "--format=tar", commit or revision, "--", folder or ".")
    if not result.ok:
        return Problem(revision, 0, 0, "git-no-data",
                       phrase("revision '{revision}' has no folder '{folder}' ({reason})", revision=revision,
                              folder=folder, reason=literal(result.stderr)))
    with tarfile.open(fileobj=io.BytesIO(result.stdout)) as archive:
        members = [m for m in archive.getmembers() if _safe(m)]
        archive.extractall(dest, members=members, filter="data")
    return None


def _safe(member: tarfile.TarInfo) -> bool:
    parts = PurePosixPath(member.name).parts
    return (member.isfile() or member.isdir()) and ".." not in parts and not member.name.startswith("/")


RELEASE_TAG_PREFIX = "release/"


def release_tag(doc_no: str, version: str) -> str:
    """The git tag that marks the text of a released version, e.g. release/WL-GW-005/1.1."""
    return f"{RELEASE_TAG_PREFIX}{doc_no}/{version}"


def release_tags(data_dir: Path) -> frozenset[str]:
    """The release tags of the repository that holds data_dir (none outside git)."""
    result = git(data_dir, "tag", "--list", f"{RELEASE_TAG_PREFIX}*")
    if not result.ok:
        return frozenset()
    return frozenset(result.stdout.decode().split())


def first_added(data_dir: Path) -> dict[str, str]:
    """The day each data file (relative to data_dir) was first committed, YYYY-MM-DD."""
    return _commit_dates(data_dir, "--diff-filter=A", oldest=True)
