"""Stable URLs: former_ids give old page → new page redirects and old anchors on the new page."""
from __future__ import annotations

import shutil
from pathlib import Path

from generator import pipeline
from generator.views.redirects import AnchorAlias, anchor_aliases, page_redirects

ROOT = Path(__file__).resolve().parent.parent


def renamed_handbook(tmp_path: Path):
    shutil.copytree(ROOT / "data", tmp_path / "data")
    edits = {
        "roles/designer.yml": [("review_by: '2027-06-30'\n", "review_by: '2027-06-30'\nformer_ids: [art-designer]\n"),
                               ("  - id: designer-3\n", "  - id: designer-3\n    former_ids: [designer-old-3]\n")],
        "procedures/pc-setup.yml": [("review_by: '2027-06-30'\n",
                                     "review_by: '2027-06-30'\nformer_ids: [computer-setup, pc-setup-old]\n")],
        "glossary.yml": [("  - id: tmall\n", "  - id: tmall\n    former_ids: [tianmao]\n")],
    }
    for rel, pairs in edits.items():
        path = tmp_path / "data" / rel
        text = path.read_text(encoding="utf-8")
        for old, new in pairs:
            assert text.count(old) == 1
            text = text.replace(old, new)
        path.write_text(text, encoding="utf-8")
    checked = pipeline.check(tmp_path / "data")
    assert checked.ok, checked.problems
    return checked.handbook


def test_renamed_pages_redirect_from_their_old_urls(tmp_path: Path) -> None:
    hb = renamed_handbook(tmp_path)
    assert page_redirects(hb) == {
        "onboarding/art-designer.md": "onboarding/designer.md",
        "procedures/computer-setup.md": "procedures/pc-setup.md",
        "procedures/pc-setup-old.md": "procedures/pc-setup.md",
        "roles/art-designer.md": "roles/designer.md",
    }


def test_renamed_items_keep_their_old_anchor_on_their_page(tmp_path: Path) -> None:
    hb = renamed_handbook(tmp_path)
    assert anchor_aliases(hb) == {
        "roles/designer.md": (AnchorAlias("roles/designer.md", "designer-old-3", "designer-3"),),
        "glossary.md": (AnchorAlias("glossary.md", "tianmao", "tmall"),),
    }


def test_real_data_has_no_redirects_yet() -> None:
    hb = pipeline.check(ROOT / "data").handbook
    assert page_redirects(hb) == {} and anchor_aliases(hb) == {}
