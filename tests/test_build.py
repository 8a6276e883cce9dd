"""build.py: the checks across files, on the small valid handbook of tests/corpus/_base with one edit each."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from generator import pipeline
from generator.stages.model import APPROVED, DRAFT

BASE = Path(__file__).parent / "corpus" / "_base"


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    shutil.copytree(BASE, tmp_path / "data")
    return tmp_path / "data"


def _edit(tree: Path, rel: str, old: str, new: str) -> None:
    path = tree / rel
    text = path.read_text(encoding="utf-8")
    assert old in text, (rel, old)
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _codes(tree: Path) -> list[tuple[str, int, str]]:
    checked = pipeline.check(tree)
    return [(Path(p.path).relative_to(tree).as_posix(), p.line, p.code) for p in checked.problems]


def test_the_base_tree_builds(tree: Path) -> None:
    checked = pipeline.check(tree)
    assert checked.ok, checked.problems
    handbook = checked.handbook
    assert [r.id for r in handbook.roles] == ["boss", "staff", "gm"]  # regulation order, then outside roles
    assert handbook.uses["boss-1"][0].id == "work"


def test_a_reference_to_the_wrong_kind_of_record_says_what_was_expected(tree: Path) -> None:
    _edit(tree, "procedures/work.yml", "actor: boss", "actor: work-checklist")
    checked = pipeline.check(tree)
    assert [p.message for p in checked.problems] == [
        "'work-checklist' is a checklist, but a role is expected here"]


def test_an_unknown_role_suggests_the_closest(tree: Path) -> None:
    _edit(tree, "procedures/work.yml", "actor: staff", "actor: staf")
    assert [p.message for p in pipeline.check(tree).problems] == ["unknown role 'staf' (did you mean 'staff'?)"]


def test_draft_without_basis(tree: Path) -> None:
    _edit(tree, "roles/staff.yml", "    text: 完成部门经理安排的工作。", "    text: 完成部门经理安排的工作。\n    status: draft")
    assert _codes(tree) == [("roles/staff.yml", 7, "draft-without-basis")]


def test_approved_content_cannot_rest_on_a_draft(tree: Path) -> None:
    _edit(tree, "roles/staff.yml", "    text: 完成部门经理安排的工作。",
          "    text: 完成部门经理安排的工作。\n    status: draft\n    basis: [boss-1]\n"
          "  - id: staff-2\n    text: 新职责\n    basis: [staff-1]")
    assert _codes(tree) == [("roles/staff.yml", 11, "approved-cites-draft")]


def test_role_without_duties_unless_external(tree: Path) -> None:
    _edit(tree, "roles/gm.yml", "external: true\n", "")
    assert _codes(tree) == [("roles/gm.yml", 1, "role-without-duties")]


def test_status_and_basis_are_inherited(tree: Path) -> None:
    _edit(tree, "roles/staff.yml", "status: approved", "status: draft\nbasis: [boss-1]")
    handbook = pipeline.check(tree).handbook
    staff = handbook.role("staff")
    assert staff.duties[0].status == DRAFT and staff.duties[0].basis == ("boss-1",)
    assert handbook.role("boss").duties[0].status == APPROVED


def test_every_cross_file_problem_in_one_run(tree: Path) -> None:
    _edit(tree, "roles/staff.yml", "reports_to: boss", "reports_to: staff")
    _edit(tree, "procedures/work.yml", "checklist: work-checklist", "checklist: work-list")
    _edit(tree, "roles/boss.yml", "id: boss-1", "id: staff-1")
    codes = {code for _, _, code in _codes(tree)}
    assert {"reports-to-cycle", "unknown-ref", "duplicate-id"} <= codes


def test_the_title_block_holds_no_version_of_its_own(tree: Path) -> None:
    """Versions and their dates live in the register only, so that no two places can disagree."""
    _edit(tree, "handbook.yml", "status: approved", "status: approved\nversion: '1.1'")
    assert [code for _, _, code in _codes(tree)] == ["unknown-key"]


def test_checks_across_files_still_run_when_another_file_breaks_its_schema(tree: Path) -> None:
    _edit(tree, "roles/boss.yml", "status: approved", "status: aproved")  # schema error in boss.yml
    _edit(tree, "procedures/work.yml", "actor: staff", "actor: staf")  # a reference error elsewhere
    assert _codes(tree) == [("procedures/work.yml", 14, "unknown-ref"), ("roles/boss.yml", 4, "bad-value")]
    # references to ids of the broken file (boss, boss-1) are not reported as unknown
    assert pipeline.check(tree).handbook is None
