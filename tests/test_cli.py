"""`python -m generator check/render` through main(): report format, exit codes, GitHub annotations."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from generator.__main__ import main

BASE = Path(__file__).resolve().parent / "corpus" / "_base"


@pytest.fixture()
def data(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("HANDBOOK_DATA", raising=False)
    shutil.copytree(BASE, tmp_path / "data")
    return tmp_path / "data"


def test_check_ok(data: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check"]) == 0
    assert capsys.readouterr().out == "data: ok\n"


def test_check_reports_every_problem_sorted(data: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (data / "roles" / "staff.yml").write_text("id: staff\ntitle: 专员\nid: x\n", encoding="utf-8")
    (data / "glossary.yml").write_text("title: 术语表\nstatus: final\nterms: []\n", encoding="utf-8")
    assert main(["check"]) == 1
    assert capsys.readouterr().err.splitlines() == [
        "data/glossary.yml:2:9: error: 'final' is not allowed; expected one of: approved, draft (at status) "
        "[bad-value]",
        "data/glossary.yml:3:8: error: is empty; write at least one item (at terms) [empty]",
        "data/roles/staff.yml:3:1: error: duplicate key 'id' (first written on line 1); keep one, YAML would silently "
        "drop the other [duplicate-key]",
        "3 error(s), 0 warning(s)",
    ]


def test_github_annotations(data: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (data / "roles" / "staff.yml").write_text("id: staff\ntitle: !!python/name:os.system\n", encoding="utf-8")
    assert main(["--format", "github", "check"]) == 1
    assert capsys.readouterr().err.splitlines()[0] == (
        "::error file=data/roles/staff.yml,line=2,col=8,title=yaml-tag::YAML tags such as '!!python/name:os.system' "
        "are not allowed; write a plain value")


def test_environment_selects_the_data(data: Path, monkeypatch: pytest.MonkeyPatch,
                                      capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("HANDBOOK_DATA", "elsewhere")
    assert main(["check"]) == 1
    assert "elsewhere: error: data folder 'elsewhere' does not exist" in capsys.readouterr().err


def test_render_refusal_exit_code(data: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (data.parent / "out").mkdir()
    (data.parent / "out" / "keep.md").write_text("keep", encoding="utf-8")
    assert main(["render", "--out", "out"]) == 2
    assert "choose a new or empty folder" in capsys.readouterr().err
    assert (data.parent / "out" / "keep.md").read_text(encoding="utf-8") == "keep"


def test_options_may_follow_the_command(data: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (data / "roles" / "boss.yml").write_text("id: boss\n", encoding="utf-8")
    assert main(["check", "--data", str(data), "--format", "github"]) == 1
    assert capsys.readouterr().err.startswith("::error file=")


def test_render_never_writes_into_the_data_folder(data: Path, capsys: pytest.CaptureFixture[str]) -> None:
    before = sorted(p.relative_to(data) for p in data.rglob("*"))
    assert main(["render", "--data", str(data), "--out", str(data / "site")]) == 2
    assert "data folder" in capsys.readouterr().err
    assert sorted(p.relative_to(data) for p in data.rglob("*")) == before
