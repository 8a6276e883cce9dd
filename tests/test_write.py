"""`render --out` writes all or nothing, never over someone else's folder, never inside data/."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from generator.stages.render import RenderedPage, RenderedSite
from generator.stages.write import MARKER, WriteRefused, write_tree

BASE = Path(__file__).resolve().parent / "corpus" / "_base"


def _site(*uris: str, markdown: str = "# x\n") -> RenderedSite:
    return RenderedSite(tuple(RenderedPage(uri, markdown, None) for uri in uris), [{"x": "index.md"}])


def _tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def render(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    # The English wording is pinned here; the Chinese default is tested in test_cli.py and the corpus.
    env = {**{k: v for k, v in os.environ.items() if k != "HANDBOOK_DATA"}, "HANDBOOK_LANG": "en"}
    return subprocess.run([sys.executable, "-m", "generator", "--data", "data", "render", *args], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=120)


@pytest.fixture()
def project(tmp_path: Path) -> Path:
    shutil.copytree(BASE, tmp_path / "data")
    return tmp_path


def test_render_writes_a_marked_tree(project: Path) -> None:
    result = render(project, "--out", "out")
    assert result.returncode == 0, result.stderr
    files = _tree(project / "out")
    assert result.stdout == f"wrote {sum(name.endswith('.md') for name in files)} pages to out\n"
    assert MARKER in files and "nav.yml" in files and "roles/boss.md" in files
    assert not [p for p in project.iterdir() if p.name.startswith(".render-")]


def test_render_refuses_a_folder_it_did_not_write(project: Path) -> None:
    (project / "out").mkdir()
    (project / "out" / "notes.md").write_text("mine", encoding="utf-8")
    result = render(project, "--out", "out", "--force")
    assert result.returncode == 2
    assert "is not empty and was not written by this command; choose a new or empty folder" in result.stderr
    assert "Traceback" not in result.stderr
    assert _tree(project / "out") == {"notes.md": b"mine"}


def test_render_replaces_its_own_tree_only_with_force(project: Path) -> None:
    assert render(project, "--out", "out").returncode == 0
    (project / "out" / "leftover.md").write_text("old", encoding="utf-8")
    refused = render(project, "--out", "out")
    assert refused.returncode == 2 and "pass --force to replace it" in refused.stderr
    assert (project / "out" / "leftover.md").exists()
    forced = render(project, "--out", "out", "--force")
    assert forced.returncode == 0, forced.stderr
    assert not (project / "out" / "leftover.md").exists()


def test_render_of_broken_data_writes_nothing(project: Path) -> None:
    (project / "data" / "roles" / "staff.yml").write_text("id: [\n", encoding="utf-8")
    result = render(project, "--out", "out")
    assert result.returncode == 1 and "[yaml-syntax]" in result.stderr
    assert not (project / "out").exists()


def test_render_into_a_file_is_refused(tmp_path: Path) -> None:
    (tmp_path / "out").write_text("x", encoding="utf-8")
    with pytest.raises(WriteRefused, match="exists and is not a folder"):
        write_tree(_site("index.md"), tmp_path / "out")


@pytest.mark.parametrize("out", ["data", "data/site", "."])
def test_never_writes_in_or_over_the_data_folder(tmp_path: Path, out: str) -> None:
    data = tmp_path / "data"
    shutil.copytree(BASE, data)
    (tmp_path / MARKER).write_text("", encoding="utf-8")  # even a folder marked as ours is refused if it holds data
    before = _tree(data)
    with pytest.raises(WriteRefused, match="data folder"):
        write_tree(_site("index.md"), tmp_path / out, force=True, data_dir=data)
    assert _tree(data) == before


@pytest.mark.parametrize("uri", ["../x.md", "roles/../../x.md", "/etc/x.md", "C:/x.md", "roles\\x.md", "roles/x.sh"])
def test_page_paths_cannot_leave_the_output_folder(tmp_path: Path, uri: str) -> None:
    with pytest.raises(WriteRefused, match="would leave the output folder"):
        write_tree(_site("index.md", uri), tmp_path / "out")
    assert not (tmp_path / "out").exists() and not (tmp_path / "x.md").exists()


def test_a_failure_while_writing_keeps_the_old_tree(tmp_path: Path) -> None:
    out = tmp_path / "out"
    write_tree(_site("index.md", "a.md"), out)
    before = _tree(out)
    with pytest.raises(UnicodeEncodeError):
        write_tree(RenderedSite((RenderedPage("index.md", "new", None), RenderedPage("b.md", "\udc80", None)), []),
                   out, force=True)
    assert _tree(out) == before
    assert [p.name for p in tmp_path.iterdir()] == ["out"]
