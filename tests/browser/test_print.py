"""Printing: a role page prints as a clean 岗位说明书; the whole handbook has a print view."""
from __future__ import annotations

import io
import re
import unicodedata

import pytest

from . import sitedata
from conftest import DATA

ROLE = "cs"


def _pdf_pages(pdf: bytes) -> list[str]:
    try:
        from pypdf import PdfReader
    except ImportError:  # pragma: no cover - a missing dev package must fail, not skip
        pytest.fail("pypdf is missing: run `make test` (it installs the dev packages)", pytrace=False)
    return [p.extract_text() or "" for p in PdfReader(io.BytesIO(pdf)).pages]


# PDF text maps some glyphs of Noto CJK to radicals: Kangxi radicals (⽣ for 生, NFKC undoes them) and CJK
# radicals supplement (⻔ for 门, which NFKC keeps), and a glyph shared by two code points (户 read as 戶).
_RADICALS = str.maketrans("戶⻔⻅⻓⻋⻜⻢⻛⻚⻄⻘⻝⻰⻳⻬⻮⻩⻨⻥⻦⻤⻣⻉⻈⻆⻍⻏⻑⻒⻗⻙⻠⻧⻪",
                          "户门见长车飞马风页西青食龙龟齐齿黄麦鱼鸟鬼骨贝讠角辶阝卩⺌冂阝阝卤黾")


def _squash(text: str) -> str:
    """Without spaces, and with the radicals that PDF text extraction gives turned back into characters."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text).translate(_RADICALS))


@pytest.mark.browser
def test_role_page_prints_with_header_duties_and_signature_block(page, served_site: str) -> None:
    page.goto(served_site + f"roles/{ROLE}/", wait_until="networkidle")
    pages = _pdf_pages(page.pdf(format="A4", print_background=True))
    text = _squash("".join(pages))
    role = sitedata.load(DATA / "roles" / f"{ROLE}.yml")
    register = {entry["document"]: entry for entry in sitedata.load(DATA / "register.yml")["documents"]}[ROLE]
    duties = role.get("duties") or [d for g in role.get("duty_groups", []) for d in g["duties"]]

    assert 1 <= len(pages) <= 6, f"{len(pages)} pages"
    print(f"roles/{ROLE}: {len(pages)} PDF pages")
    for wanted in ["岗位说明书", f"文件编号:{register['doc_no']}", f"版本:{register['releases'][-1]['version']}",
                   "员工签字", "部门经理签字", "日期"]:
        assert _squash(wanted) in text, wanted
    missing = [d["id"] for d in duties if _squash(d["text"])[:20] not in text]
    assert not missing, f"duties missing from the PDF: {missing}"
    # No navigation, search or buttons on paper.
    for absent in ["搜索", "重置", "编辑此页", "回到页面顶部"]:
        assert absent not in text, absent
    assert "员工签字" in _squash(pages[-1]), "the signature block belongs at the end"


@pytest.mark.browser
def test_signature_block_is_for_print_only(page, served_site: str) -> None:
    page.goto(served_site + f"roles/{ROLE}/")
    assert not page.locator(".hb-signature").is_visible()
    page.emulate_media(media="print")
    assert page.locator(".hb-signature").is_visible()
    assert not page.locator(".md-header").is_visible() and not page.locator(".md-sidebar--primary").is_visible()
