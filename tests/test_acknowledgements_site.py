"""Acknowledgements on the built site, in a scratch clone: form exports imported, then a new version of one role's
岗位说明书 released with the lifecycle's commands. Its holders turn 待确认; every other document keeps its
confirmations; the old version's records still match its text (kept by its release tag)."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
from datetime import date, datetime, timezone
from pathlib import Path

import pytest
from bs4 import BeautifulSoup, Tag

from ackfiles import FIXTURES, GOOD_XLSX, with_test_roster, workbook
from conftest import DATA, ROOT, commit_tree
from generator import pipeline
from generator.commands import acks, approve, release

DAY = "2026-12-02"


def build(data: Path, out: Path, day: str = DAY) -> Path:
    epoch = int(datetime.fromisoformat(day).replace(tzinfo=timezone.utc).timestamp())
    env = {**os.environ, "HANDBOOK_DATA": str(data), "SOURCE_DATE_EPOCH": str(epoch), "NO_MKDOCS_2_WARNING": "1",
           "DISABLE_MKDOCS_2_WARNING": "true"}
    result = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(out), "-f",
                             str(ROOT / "mkdocs.yml")], cwd=ROOT, env=env, capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stdout + result.stderr
    return out


def page(site: Path, path: str) -> BeautifulSoup:
    return BeautifulSoup((site / path / "index.html").read_text(encoding="utf-8"), "html.parser")


def status_rows(soup: BeautifulSoup, heading_id: str) -> dict[str, str]:
    """工号 -> 状态 in the table under a heading of the role page's 签收情况."""
    table = soup.find(id=heading_id).find_next("table")
    header = [th.get_text(strip=True) for th in table.find_all("th")]
    rows = [[td.get_text(strip=True) for td in tr.find_all("td")] for tr in table.find_all("tr") if tr.find("td")]
    return {row[0]: row[header.index("状态")] for row in rows}


@pytest.fixture(scope="module")
def scratch(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A git clone of data/ with the three good exports imported (everyone on the roster has then confirmed
    everything in force)."""
    root = tmp_path_factory.mktemp("acks-scratch")
    shutil.copytree(DATA, root / "data")
    with_test_roster(root / "data")
    commit_tree(root)
    data = root / "data"
    exports = [(FIXTURES / "wecom-good.csv", "企业微信"), (FIXTURES / "dingtalk-good-gbk.csv", "钉钉"),
               (workbook(root / "feishu-good.xlsx", GOOD_XLSX), "飞书")]
    for export, channel in exports:
        planned = acks.plan(data, acks.Request(export, channel), date.fromisoformat(DAY))
        assert planned.ok, planned.problems
        acks.apply(planned)
    return data


@pytest.fixture(scope="module")
def before(scratch: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build(scratch, tmp_path_factory.mktemp("site-before"))


@pytest.fixture(scope="module")
def after(scratch: Path, before: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The same clone after 电商客服's drafts were approved and released as 1.1, in force from 2026-12-01."""
    approval = approve.plan(scratch, "cs")
    assert approval.ok, approval.problems
    approve.apply(scratch, approval)
    planned = release.plan(scratch, release.Request("cs", "2026-12-01", "gm", "2026-11-30", "总经理办公会纪要 2026-11-30"))
    assert planned.ok, planned.problems
    with pytest.MonkeyPatch.context() as patch:
        for name in ("GIT_AUTHOR", "GIT_COMMITTER"):
            patch.setenv(f"{name}_NAME", "t")
            patch.setenv(f"{name}_EMAIL", "t@t")
        assert release.apply(scratch, planned, commit=True) == ["release/WL-GW-002/1.0", "release/WL-GW-002/1.1"]
    return build(scratch, tmp_path_factory.mktemp("site-after"))


def test_imported_exports_show_as_confirmed(before: Path) -> None:
    cs = page(before, "roles/cs")
    assert status_rows(cs, "ack-cs") == {"T002": "已确认", "T003": "已确认"}
    assert status_rows(cs, "ack-regulation") == {"T002": "已确认", "T003": "已确认"}
    detail = page(before, "editions/WL-GW-002/acknowledgements")
    row = next(tr for tr in detail.find_all("tr") if tr.find("td", string="T003"))
    assert [td.get_text(strip=True) for td in row.find_all("td")][-2:] == ["2026-11-29", "企业微信"]
    summary = page(before, "acknowledgements")
    counts = {tr.find("td").get_text(strip=True): tr.find_all("td")[3].get_text(strip=True)
              for tr in summary.find(id="documents").find_next("table").find_all("tr") if tr.find("td")}
    assert counts["WL-ZD-001"] == "已确认 6 / 6 人" and counts["WL-GW-002"] == "已确认 2 / 2 人"
    sheet = page(before, "editions/WL-GW-002/1.0/signoff")
    assert not [td for td in sheet.select("article table td") if td.get_text(strip=True).startswith("T")]


def test_a_new_version_of_a_job_description_resets_its_holders_only(after: Path) -> None:
    cs = page(after, "roles/cs")
    assert status_rows(cs, "ack-cs") == {"T002": "待确认", "T003": "待确认"}
    assert "1.1 版" in cs.find(id="ack-cs").find_next("p").get_text()
    # The regulation and the other job descriptions are unchanged: their confirmations stand.
    assert status_rows(cs, "ack-regulation") == {"T002": "已确认", "T003": "已确认"}
    assert status_rows(page(after, "roles/designer"), "ack-designer") == {"T004": "已确认"}
    assert status_rows(page(after, "roles/developer"), "ack-developer") == {"T005": "已确认"}
    sheet = page(after, "editions/WL-GW-002/1.1/signoff")
    names = [tr.find_all("td")[1].get_text(strip=True) for tr in sheet.select("article table tr") if tr.find("td")
             and tr.find("td").get_text(strip=True)]
    assert names == ["李四", "王五"]
    assert "本人已阅读并理解上述制度,同意遵守" in sheet.find("article").get_text()


def test_the_text_hash_of_each_version_is_printed_and_old_records_still_match(scratch: Path, after: Path) -> None:
    old, new = _hash_on(page(after, "editions/WL-GW-002/1.0")), _hash_on(page(after, "editions/WL-GW-002/1.1/signoff"))
    assert old and new and old != new
    assert _hash_on(page(after, "roles/cs")) == new
    records = (scratch / "acks" / "2026-11-28-wecom-job-descriptions.yml").read_text(encoding="utf-8")
    assert f"text_hash: '{old}'" in records  # recorded before the release, against the text now kept by its tag
    hb = pipeline.check(scratch).handbook
    assert [p.code for p in pipeline.acknowledgement_problems(scratch, hb, date.fromisoformat(DAY))
            if p.code == "ack-hash-mismatch"] == []


def _hash_on(soup: BeautifulSoup) -> str | None:
    span = next((s for s in soup.select("article span") if s.get_text(strip=True).startswith("文本指纹")), None)
    code = span.find("code") if isinstance(span, Tag) else None
    return code.get_text(strip=True) if code else None
