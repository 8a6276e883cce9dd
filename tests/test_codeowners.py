"""CODEOWNERS generated from the owner fields: each data file is reviewed by its owner role's reviewers."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from generator import pipeline
from generator.__main__ import main
from generator.commands.codeowners import build_rules, format_codeowners, load_reviewers

ROOT = Path(__file__).resolve().parent.parent


def test_committed_codeowners_is_up_to_date(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    assert main(["codeowners", "--check"]) == 0


def test_each_file_gets_its_owners_reviewers_and_unowned_files_the_handbook_owner(tmp_path: Path) -> None:
    shutil.copytree(ROOT / "data", tmp_path / "data")
    path = tmp_path / "data/glossary.yml"
    path.write_text(path.read_text(encoding="utf-8").replace("owner: cs\n", ""), encoding="utf-8")
    hb = pipeline.check(tmp_path / "data").handbook
    rules, problems = build_rules(hb, {"manager": ("@org/boss",), "editor": ("@ed", "ed@example.com")})
    text = format_codeowners(rules)
    lines = [line for line in text.splitlines() if line and not line.startswith("# Generated")
             and not line.startswith("# Do not")]
    assert "/data/checklists/publish-checklist.yml @ed ed@example.com" in lines
    assert "/data/glossary.yml @org/boss" in lines  # no owner: the handbook's owner
    assert "/data/roles/designer.yml @org/boss" in lines
    assert "# /data/onboarding/cs.yml (owner role 'cs' has no reviewers in .github/owners.yml)" not in lines
    assert [p.code for p in problems] == ["owners-unmapped"] * len({r.role for r in rules} - {"manager", "editor"})
    assert len(rules) == len(list((tmp_path / "data").rglob("*.yml")))


def test_bad_reviewer_file_is_a_problem(tmp_path: Path) -> None:
    bad = tmp_path / "owners.yml"
    bad.write_text("manager: [boss]\n", encoding="utf-8")
    assert [p.code for p in load_reviewers(bad)[1]] == ["owners-handle"]
    bad.write_text("manager: [\n", encoding="utf-8")
    assert [p.code for p in load_reviewers(bad)[1]] == ["owners-syntax"]
    assert [p.code for p in load_reviewers(tmp_path / "missing.yml")[1]] == ["owners-missing"]


def test_stale_codeowners_fails_check(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                      capsys: pytest.CaptureFixture[str]) -> None:
    stale = tmp_path / "CODEOWNERS"
    stale.write_text("* @someone\n", encoding="utf-8")
    monkeypatch.chdir(ROOT)
    assert main(["codeowners", "--out", str(stale), "--check", "--lang", "en"]) == 1
    assert "out of date" in capsys.readouterr().err
