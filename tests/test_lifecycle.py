"""Document lifecycle: the register's checks, standings computed from the day, approve and release."""
from __future__ import annotations

import shutil
import subprocess
from datetime import date
from pathlib import Path

import pytest
import yaml

from conftest import DATA, commit_tree
from generator import pipeline
from generator.commands import approve, release
from generator.stages.history import release_tags
from generator.stages.model import Registration, Release, Repeal
from generator.views.lifecycle import Standing, document_states, editions_of


def _release(version: str, effective: str | None, legacy: str | None = None) -> Release:
    return Release(version, "x", legacy, None, effective)


def test_standing_follows_the_day() -> None:
    entry = Registration("WL-GW-005", "editor", False,
                         (_release("1.0", None, "原文件"), _release("1.1", "2027-01-01")))
    before = editions_of(entry, date(2026, 12, 31))
    assert [(e.release.version, e.standing, e.until) for e in before] == [
        ("1.0", Standing.IN_FORCE, "2027-01-01"), ("1.1", Standing.PENDING, None)]
    after = editions_of(entry, date(2027, 1, 1))
    assert [(e.release.version, e.standing) for e in after] == [
        ("1.0", Standing.SUPERSEDED), ("1.1", Standing.IN_FORCE)]
    repealed = Registration("WL-GW-005", "editor", False, entry.releases, Repeal("2027-06-01", "纪要"))
    assert [e.standing for e in editions_of(repealed, date(2027, 6, 1))] == [Standing.SUPERSEDED,
                                                                             Standing.REPEALED]
    assert editions_of(Registration("WL-LC-001", "x", False, ()), date(2027, 1, 1)) == ()


def test_the_real_data_registers_every_document_and_the_seed_is_in_force() -> None:
    checked = pipeline.check(DATA)
    assert checked.ok, checked.problems
    states = document_states(checked.handbook, date(2026, 12, 2))
    assert states["regulation"].registration.doc_no == "WL-ZD-001"
    assert states["regulation"].standing == Standing.IN_FORCE
    # 1.1 of the regulation was a format conversion: the original version stays the one in force.
    assert [e.release.version for e in states["regulation"].editions] == ["1.0"]
    assert states["cs"].standing == Standing.IN_FORCE and states["cs"].registration.doc_no.startswith("WL-GW-")
    assert states["return-refund"].standing == Standing.DRAFT
    numbers = [s.registration.doc_no for s in states.values()]
    assert len(numbers) == len(set(numbers)) == len(states)


REGISTER_CASES = {
    "unapproved": ("    releases: []\n  - doc_no: WL-GW-008", "    releases:\n      - version: '1.1'\n"
                   "        changes: x\n  - doc_no: WL-GW-006", "release-unapproved"),
    "effective-before-approval": (
        "    releases: []\n  - doc_no: WL-GW-008",
        "    releases:\n      - version: '1.1'\n        approved_by: gm\n        approved_on: '2026-12-05'\n"
        "        record: 纪要\n        effective: '2026-12-01'\n        changes: x\n  - doc_no: WL-GW-006",
        "release-effective-before-approval"),
    "unknown-approver": (
        "    releases: []\n  - doc_no: WL-GW-008",
        "    releases:\n      - version: '1.1'\n        approved_by: boss\n        approved_on: '2026-12-05'\n"
        "        record: 纪要\n        effective: '2027-01-01'\n        changes: x\n  - doc_no: WL-GW-006",
        "release-unknown-approver"),
    "duplicate-number": ("doc_no: WL-LC-002", "doc_no: WL-LC-001", "register-duplicate-number"),
    "wrong-category": ("doc_no: WL-LC-002", "doc_no: WL-QD-099", "register-wrong-category"),
    "unknown-document": ("document: gm\n", "document: gmx\n", "register-unknown-document"),
}


@pytest.mark.parametrize("case", sorted(REGISTER_CASES))
def test_register_problems_name_the_line(tmp_path: Path, case: str) -> None:
    old, new, code = REGISTER_CASES[case]
    data = tmp_path / "data"
    shutil.copytree(DATA, data)
    register = data / "register.yml"
    text = register.read_text(encoding="utf-8")
    # The entry of hr (WL-GW-007), the one before WL-GW-008.
    assert old in text
    register.write_text(text.replace(old, new, 1), encoding="utf-8")
    problems = [p for p in pipeline.check(data).problems if p.code == code]
    assert problems, f"no {code}"
    assert all(p.path.endswith("register.yml") and p.line > 0 and p.column > 0 for p in problems)


def test_a_rule_touching_employees_needs_democratic_process_and_notice(tmp_path: Path) -> None:
    data = tmp_path / "data"
    shutil.copytree(DATA, data)
    register = data / "register.yml"
    text = register.read_text(encoding="utf-8")
    text = text.replace("    document: editor\n", "    document: editor\n    touches_employees: true\n", 1)
    register.write_text(text, encoding="utf-8")
    request = release.Request("editor", "2027-01-01", "gm", "2026-12-05", "总经理办公会纪要 2026-12-05")
    assert {p.code for p in release.plan(data, request).problems} >= {"release-no-democratic",
                                                                      "release-no-announced"}
    late = release.Request("editor", "2027-01-01", "gm", "2026-12-05", "纪要",
                           announced={"channel": "企业微信", "from": "2027-01-05"},
                           democratic={"record": "职工代表大会决议", "date": "2026-12-01"})
    assert {p.code for p in release.plan(data, late).problems} == {"release-late-announced"}


@pytest.fixture()
def scratch(tmp_path: Path) -> Path:
    """A git repository holding a copy of data/, committed."""
    shutil.copytree(DATA, tmp_path / "data")
    commit_tree(tmp_path)
    return tmp_path / "data"


def _git(repo: Path, *args: str) -> str:
    return subprocess.run(["git", *args], cwd=repo, capture_output=True, text=True, check=True).stdout


def test_approve_then_release_records_the_version_and_tags_both_texts(scratch: Path) -> None:
    approval = approve.plan(scratch, "editor")
    assert approval.ok, approval.problems
    approve.apply(scratch, approval)
    editor = yaml.safe_load((scratch / "roles" / "editor.yml").read_text(encoding="utf-8"))
    assert editor["status"] == "approved" and all(d["status"] == "approved" for d in editor["duties"])
    request = release.Request("editor", "2027-01-01", "gm", "2026-12-05", "总经理办公会纪要 2026-12-05")
    planned = release.plan(scratch, request)
    assert planned.ok, planned.problems
    assert planned.entry["version"] == "1.1" and "editor-1" in planned.entry["approves"]
    assert "批准原草案" in planned.entry["changes"]
    env = {"GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@t", "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@t"}
    with pytest.MonkeyPatch.context() as patch:
        for key, value in env.items():
            patch.setenv(key, value)
        tags = release.apply(scratch, planned, commit=True)
    assert tags == ["release/WL-GW-005/1.0", "release/WL-GW-005/1.1"]
    assert set(tags) <= release_tags(scratch)
    # 1.0 is the text before the approval; 1.1 the approved text.
    old = _git(scratch, "show", "release/WL-GW-005/1.0:data/roles/editor.yml")
    assert "status: draft" in old.split("duties:")[1]
    checked = pipeline.check(scratch)
    states = document_states(checked.handbook, date(2026, 12, 31))
    assert states["editor"].standing == Standing.PENDING
    assert states["editor"].in_force.release.version == "1.0"
    assert document_states(checked.handbook, date(2027, 1, 1))["editor"].standing == Standing.IN_FORCE


def test_approving_content_that_cites_a_draft_writes_nothing(scratch: Path) -> None:
    before = (scratch / "procedures" / "return-refund.yml").read_text(encoding="utf-8")
    planned = approve.plan(scratch, "return-refund")
    assert not planned.ok
    assert any("draft" in p.message or "草案" in p.message for p in planned.problems)
    assert (scratch / "procedures" / "return-refund.yml").read_text(encoding="utf-8") == before


def test_a_release_that_breaks_the_data_writes_nothing(scratch: Path) -> None:
    before = (scratch / "register.yml").read_text(encoding="utf-8")
    planned = release.plan(scratch, release.Request("editor", "2026-01-01", "gm", "2026-12-05", "纪要"))
    assert not planned.ok and {p.code for p in planned.problems} == {"release-effective-before-approval"}
    assert (scratch / "register.yml").read_text(encoding="utf-8") == before


def test_drafts_older_than_the_register_allows_are_listed(scratch: Path) -> None:
    hb = pipeline.check(scratch).handbook
    committed = date(2024, 5, 6)  # commit_tree's date
    assert pipeline.stale_drafts(scratch, hb, date(2024, 6, 1)) == []
    late = pipeline.stale_drafts(scratch, hb, date(2025, 1, 1))
    assert late and {p.code for p in late} == {"draft-stale"}
    assert all(p.severity.name == "WARNING" for p in late)
    pages = {p.path.rsplit("/data/", 1)[1] for p in late}
    assert "procedures/return-refund.yml" in pages and "regulation/01-general.yml" not in pages
    assert f"{(date(2025, 1, 1) - committed).days} days" in late[0].message
