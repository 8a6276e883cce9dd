"""The 待复审 list: documents past their review-by date on a fixed day."""
from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

from generator import pipeline
from generator.stages.pages import documents
from generator.views.review import Overdue, overdue

ROOT = Path(__file__).resolve().parent.parent


def handbook(tmp_path: Path, edits: dict[str, tuple[str, str]]):
    shutil.copytree(ROOT / "data", tmp_path / "data")
    for rel, (old, new) in edits.items():
        path = tmp_path / "data" / rel
        text = path.read_text(encoding="utf-8")
        assert text.count(old) == 1
        path.write_text(text.replace(old, new), encoding="utf-8")
    checked = pipeline.check(tmp_path / "data")
    assert checked.ok, checked.problems
    return checked.handbook


def test_only_documents_past_their_date_are_listed_longest_first(tmp_path: Path) -> None:
    hb = handbook(tmp_path, {
        "roles/designer.yml": ("review_by: '2027-06-30'", "review_by: '2026-01-01'"),
        "checklists/publish-checklist.yml": ("review_by: '2027-06-30'", "review_by: '2026-11-30'"),
    })
    assert overdue(hb, date(2026, 12, 1)) == (
        Overdue("设计师", "roles/designer.md", "roles/designer.yml", "manager", "部门经理", "2026-01-01", 334),
        Overdue("网站内容发布前检查清单", "checklists/publish-checklist.md", "checklists/publish-checklist.yml",
                "editor", "网站编辑", "2026-11-30", 1),
    )
    # On the review-by day itself a document is not yet overdue.
    assert overdue(hb, date(2026, 11, 30))[-1].page == "roles/designer.md"


def test_every_document_is_considered(tmp_path: Path) -> None:
    hb = pipeline.check(ROOT / "data").handbook
    dated = [d for d in documents(hb) if d.control.review_by]
    late = overdue(hb, date(2100, 1, 1))
    assert len(late) == len(dated) and len(dated) >= 30
    assert {o.page for o in late} >= {"regulation.md", "regulation.md#general", "glossary.md", "onboarding/cs.md"}
