"""Document control on the built site: every document page states its own number, version and status, every page
its owner and last change; overdue reviews are listed; renamed records keep their old addresses. Built from the small tree of tests/corpus/_base."""
from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from conftest import build_site, commit_tree

BASE = Path(__file__).parent / "corpus" / "_base"


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, (path, old)
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("control")
    data = root / "data"
    shutil.copytree(BASE, data)
    # staff was once 'clerk' with duty 'clerk-1'; the procedure is overdue for review.
    _edit(data / "roles" / "staff.yml", "reports_to: boss", "reports_to: boss\nformer_ids: [clerk]")
    _edit(data / "roles" / "staff.yml", "  - id: staff-1", "  - id: staff-1\n    former_ids: [clerk-1]")
    _edit(data / "procedures" / "work.yml", "trigger:", "review_by: '2020-01-31'\nowner: staff\ntrigger:")
    commit_tree(data, "2024-05-06T10:00:00Z")
    build_site(root / "site", data)
    return root / "site"


def _page(site: Path, uri: str) -> str:
    return (site / uri / "index.html").read_text(encoding="utf-8")


def _control(site: Path, uri: str) -> str:
    control = re.search(r'<div class="hb-control">(.*?)</div>', _page(site, uri), re.S)
    assert control, uri
    return re.sub(r"<[^>]+>", "", control.group(1))


DOCUMENTS = {"regulation": "T-ZD-001", "roles/staff": "T-GW-002", "procedures/work": "T-LC-001",
             "checklists/work-checklist": "T-QD-001", "onboarding/staff": "T-RZ-001", "glossary": "T-SY-001"}


@pytest.mark.parametrize("uri", sorted(DOCUMENTS))
def test_every_document_page_states_its_number_version_status_owner_and_last_update(site: Path, uri: str) -> None:
    text = _control(site, uri)
    assert f"文件编号:{DOCUMENTS[uri]}" in text, (uri, text)
    # Never released: a draft shows no 生效日期 and no approver.
    assert "版本:未发布" in text and "状态:草案" in text and "生效日期" not in text and "批准人" not in text, text
    for label in ("负责人:", "下次复审:", "版本历史"):
        assert label in text, (uri, label)
    assert "最后更新:2024-05-06" in text, uri  # from git, not the build day


@pytest.mark.parametrize("uri", ["", "roles", "revisions", "review"])
def test_pages_that_are_no_document_state_owner_and_last_update_only(site: Path, uri: str) -> None:
    text = _control(site, uri)
    assert "负责人:" in text and "最后更新:2024-05-06" in text, (uri, text)
    assert "文件编号" not in text and "版本" not in text, (uri, text)


def test_overdue_documents_are_listed_for_review(site: Path) -> None:
    review = _page(site, "review")
    rows = re.findall(r"<tr>(.*?)</tr>", review, re.S)
    assert len(rows) == 2  # header + the one overdue procedure
    assert "日常工作" in rows[1] and "2020-01-31" in rows[1] and "专员" in rows[1]
    assert "已到期" in _page(site, "procedures/work") and "已到期" not in _page(site, "roles/staff")


def test_old_page_address_redirects_and_old_anchor_still_resolves(site: Path) -> None:
    redirect = _page(site, "roles/clerk")
    assert re.search(r'http-equiv="refresh" content="0; url=\.\./staff/"', redirect)
    assert 'id="clerk-1"' in _page(site, "roles/staff")
