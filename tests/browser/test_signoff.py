"""The 签收单 as Chromium prints it (page.pdf, A4): one page for 20 people, and a longer list over more pages with the
table's header repeated; nothing of the site's chrome on paper."""
from __future__ import annotations

import io
import re
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import DATA

SHEET_HEADER = ["工号", "姓名", "岗位", "签字", "日期"]


def _roster(holders: dict[str, int]) -> str:
    """A roster of made-up people: so many holders per role, numbered T101, T102, …"""
    lines = ["show_names: true", "people:"]
    number = 100
    for role, count in holders.items():
        for _ in range(count):
            number += 1
            lines += [f"  - staff_no: T{number}", f"    name: 测试{number}", f"    role: {role}",
                      "    joined: '2020-01-01'"]
    return "\n".join(lines) + "\n"


@pytest.fixture(scope="module")
def crowded(serve_site: Callable[[Path], str], tmp_path_factory: pytest.TempPathFactory) -> str:
    """The handbook with 20 电商客服 and 25 others, none of whom has confirmed anything yet."""
    data = tmp_path_factory.mktemp("crowded") / "data"
    shutil.copytree(DATA, data)
    shutil.rmtree(data / "acks", ignore_errors=True)
    (data / "people.yml").write_text(_roster({"cs": 20, "designer": 10, "developer": 10, "editor": 5}),
                                     encoding="utf-8")
    return serve_site(data)


def _pdf(page, url: str) -> list[str]:
    from pypdf import PdfReader

    page.goto(url, wait_until="networkidle")
    pdf = page.pdf(format="A4", print_background=True)
    return [p.extract_text() or "" for p in PdfReader(io.BytesIO(pdf)).pages]


def _squash(text: str) -> str:
    import unicodedata
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


def _names(text: str) -> list[str]:
    return re.findall(r"T1\d\d", text)


@pytest.mark.browser
def test_a_sheet_of_twenty_people_prints_on_one_a4_page(page, crowded: str) -> None:
    pages = _pdf(page, crowded + "editions/WL-GW-002/1.0/signoff/")
    assert len(pages) == 1, f"{len(pages)} pages"
    text = _squash(pages[0])
    for wanted in ["电商客服岗位说明书1.0版签收单", "文件编号:WL-GW-002", "版本:1.0", "生效日期:", "文本指纹:",
                   "本人已阅读并理解上述制度,同意遵守", "".join(SHEET_HEADER)]:
        assert _squash(wanted) in text, wanted
    assert _names(text) == [f"T{n}" for n in range(101, 121)]
    for absent in ["搜索", "编辑指南", "返回签收情况", "Ctrl+P"]:
        assert absent not in text, absent


@pytest.mark.browser
def test_a_longer_sheet_repeats_its_header_on_every_page(page, crowded: str) -> None:
    pages = _pdf(page, crowded + "editions/WL-ZD-001/1.0/signoff/")
    assert len(pages) == 2, f"{len(pages)} pages"
    first, second = (_squash(p) for p in pages)
    assert "".join(SHEET_HEADER) in first and "".join(SHEET_HEADER) in second
    assert "本人已阅读并理解上述制度" in first and "本人已阅读并理解上述制度" not in second
    # Every person once, in roster order, no row cut in two.
    assert _names(first) + _names(second) == [f"T{n}" for n in range(101, 146)]


@pytest.mark.browser
def test_the_sheet_shows_how_to_print_it_on_screen_only(page, crowded: str) -> None:
    page.goto(crowded + "editions/WL-GW-002/1.0/signoff/")
    assert page.locator(".hb-signoff-help").is_visible()
    page.emulate_media(media="print")
    assert not page.locator(".hb-signoff-help").is_visible()
    assert page.locator(".hb-signoff table thead").count() == 1


@pytest.mark.browser
def test_a_printed_job_description_leaves_the_acknowledgements_out(page, served_site: str) -> None:
    page.goto(served_site + "roles/cs/")
    assert page.locator(".hb-acknowledgements").is_visible()
    text = _squash("".join(_pdf(page, served_site + "roles/cs/")))
    assert "员工签字" in text and "待确认" not in text and "已确认" not in text
