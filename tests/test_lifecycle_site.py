"""The lifecycle on the built site: a release with an effective date ahead, then the build day moved past it."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
from datetime import datetime, timezone
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from conftest import DATA, ROOT, commit_tree
from generator.commands import approve, release


def _build(data: Path, out: Path, day: str) -> Path:
    epoch = int(datetime.fromisoformat(day).replace(tzinfo=timezone.utc).timestamp())
    env = {**os.environ, "HANDBOOK_DATA": str(data), "SOURCE_DATE_EPOCH": str(epoch), "NO_MKDOCS_2_WARNING": "1",
           "DISABLE_MKDOCS_2_WARNING": "true"}
    result = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(out), "-f",
                             str(ROOT / "mkdocs.yml")], cwd=ROOT, env=env, capture_output=True, text=True,
                            timeout=600)
    assert result.returncode == 0, result.stdout + result.stderr
    return out


def _page(site: Path, path: str) -> BeautifulSoup:
    return BeautifulSoup((site / path / "index.html").read_text(encoding="utf-8"), "html.parser")


def _control(page: BeautifulSoup) -> str:
    return page.select_one("article .hb-control").get_text(" ", strip=True)


def _banner(page: BeautifulSoup) -> BeautifulSoup | None:
    return page.select_one("article .hb-banner")


@pytest.fixture(scope="module")
def released(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A scratch clone in which 网站编辑's drafts were approved and released as 1.1, in force from 2027-01-01."""
    root = tmp_path_factory.mktemp("scratch")
    shutil.copytree(DATA, root / "data")
    commit_tree(root)
    data = root / "data"
    approval = approve.plan(data, "editor")
    assert approval.ok, approval.problems
    approve.apply(data, approval)
    planned = release.plan(data, release.Request("editor", "2027-01-01", "gm", "2026-12-05",
                                                 "总经理办公会纪要 2026-12-05"))
    assert planned.ok, planned.problems
    with pytest.MonkeyPatch.context() as patch:
        for name in ("GIT_AUTHOR", "GIT_COMMITTER"):
            patch.setenv(f"{name}_NAME", "t")
            patch.setenv(f"{name}_EMAIL", "t@t")
        assert release.apply(data, planned, commit=True) == ["release/WL-GW-005/1.0", "release/WL-GW-005/1.1"]
    return data


def test_before_the_effective_date_the_page_says_not_yet_in_force(released: Path, tmp_path: Path) -> None:
    site = _build(released, tmp_path / "site", "2026-12-20")
    page = _page(site, "roles/editor")
    assert "文件编号:WL-GW-005" in _control(page) and "版本:1.1" in _control(page)
    assert "状态: 尚未生效" in _control(page) or "状态:尚未生效" in _control(page)
    assert "批准人:总经理" in _control(page) and "批准日期:2026-12-05" in _control(page)
    banner = _banner(page)
    assert banner is not None and "尚未生效" in banner.get_text() and "2027-01-01" in banner.get_text()
    link = banner.find("a", string="1.0 版")
    assert link is not None and link["href"].rstrip("/").endswith("editions/WL-GW-005/1.0")
    old = _page(site, "editions/WL-GW-005/1.0")
    assert "现行有效" in _banner(old).get_text()
    # The old edition is the text before the approval: its duties are still drafts.
    assert old.select("article .hb-draft-badge")


def test_after_the_effective_date_it_is_in_force_and_the_old_edition_superseded(released: Path,
                                                                                tmp_path: Path) -> None:
    site = _build(released, tmp_path / "site", "2027-01-02")
    page = _page(site, "roles/editor")
    assert "现行有效" in _control(page) and _banner(page) is None
    assert not page.select("article .hb-draft-badge")
    old = _page(site, "editions/WL-GW-005/1.0")
    banner = _banner(old)
    assert banner is not None and "已被修订" in banner.get_text()
    current = banner.find("a", string="1.1 版")
    assert current is not None and current["href"].rstrip("/").endswith("roles/editor")
    assert old.find("h1").get_text(strip=True).startswith("网站编辑 · 1.0 版")
    history = _page(site, "editions/WL-GW-005")
    table = history.find(id="editions").find_next("table")
    rows = [[cell.get_text(strip=True) for cell in row.find_all("td")] for row in table.find_all("tr") if row.find("td")]
    assert [row[:2] for row in rows] == [["1.1 版", "现行有效"], ["1.0 版", "已被修订"]]
