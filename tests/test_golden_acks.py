"""Golden Markdown of the acknowledgement pages: tests/fixtures/golden-data with the register, roster and records
of tests/fixtures/golden-acks, rendered on test_golden's day and compared with tests/golden-acks/<page>.md. Whole
pages for 签收情况, a document's 签收情况 and a 签收单; for the pages other templates share, only the section this
feature adds (a role page's 签收情况, an onboarding page's 阅读并签收, 组织架构's 在岗人员).

    UPDATE_GOLDEN=1 .venv/bin/python -m pytest -q tests/test_golden_acks.py && git diff tests/golden-acks/
"""
from __future__ import annotations

import difflib
import shutil
from pathlib import Path

import pytest

from generator import pipeline
from test_golden import FIXTURE, TODAY, UPDATE, markdown_problems

OVERLAY = Path(__file__).resolve().parent / "fixtures" / "golden-acks"
GOLDEN = Path(__file__).resolve().parent / "golden-acks"
WHOLE = ["acknowledgements.md", "editions/WL-GW-002/acknowledgements.md", "editions/WL-GW-002/1.1/signoff.md",
         "editions/WL-GW-002/1.0/signoff.md"]
SECTIONS = {  # page -> (the section's first line, the line that follows it)
    "roles/cs.md": ('<link rel="stylesheet" href="../../assets/signoff.css">', '<div class="hb-signature" markdown>'),
    "onboarding/cs.md": ("## 阅读并签收 { #sign }", "## 先读这些 { #reading }"),
    "org.md": ("## 在岗人员 { #people }", None),
}


def records(hashes: dict[tuple[str, str], str | None]) -> str:
    """李四 confirmed the regulation on paper, 电商客服 1.0 in a form, and the pending 1.1 in advance; 张三 the
    regulation. Each hash is the one the site shows (1.0 of 电商客服 has none: its text is not kept)."""
    def one(no: str, name: str, doc_no: str, version: str, day: str) -> str:
        value = hashes[(doc_no, version)] or "0" * 12
        return (f"  - staff_no: {no}\n    name: {name}\n    doc_no: {doc_no}\n    version: '{version}'\n"
                f"    text_hash: '{value}'\n    confirmed: '{day}'\n")
    return ("channel: 企业微信\nevidence: 表单导出.xlsx\nacknowledgements:\n"
            + one("T001", "张三", "WL-ZD-001", "1.0", "2027-01-06") + one("T002", "李四", "WL-ZD-001", "1.0", "2027-01-06")
            + one("T002", "李四", "WL-GW-002", "1.0", "2027-01-06 10:05")
            + one("T002", "李四", "WL-GW-002", "1.1", "2027-01-12 16:30"))


@pytest.fixture(scope="module")
def pages(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    root = tmp_path_factory.mktemp("golden-acks")
    data = root / "data"
    shutil.copytree(FIXTURE, data)
    for file in OVERLAY.iterdir():
        shutil.copy(file, data / file.name)
    with pytest.MonkeyPatch.context() as env:
        env.setenv("GIT_CEILING_DIRECTORIES", str(root))
        first = pipeline.render(data, TODAY)
        assert first.site is not None, first.problems
        hashes = _hashes(data)
        (data / "acks").mkdir()
        (data / "acks" / "form.yml").write_text(records(hashes), encoding="utf-8")
        result = pipeline.render(data, TODAY)
    assert result.site is not None, result.problems
    return {page.uri: page.markdown for page in result.site.pages}


def _hashes(data: Path) -> dict[tuple[str, str], str | None]:
    from generator.views.acknowledgements import acknowledgements
    from generator.views.lifecycle import document_states

    hb = pipeline.check(data).handbook
    view = acknowledgements(hb, document_states(hb, TODAY), {}, TODAY)
    return {key: sheet.text_hash for key, sheet in view.sheets.items()}


def section(markdown: str, first: str, after: str | None) -> str:
    start = markdown.index(first + "\n")
    end = markdown.index(after, start) if after else len(markdown)
    return markdown[start:end].rstrip("\n") + "\n"


def shown(pages: dict[str, str]) -> dict[str, str]:
    found = {uri: pages[uri] for uri in WHOLE}
    found |= {uri: section(pages[uri], *marks) for uri, marks in SECTIONS.items()}
    return found


@pytest.mark.parametrize("uri", [*WHOLE, *SECTIONS])
def test_matches_its_golden_markdown(pages: dict[str, str], uri: str) -> None:
    text = shown(pages)[uri]
    golden = GOLDEN / uri
    if UPDATE:
        golden.parent.mkdir(parents=True, exist_ok=True)
        golden.write_text(text, encoding="utf-8")
    expected = golden.read_text(encoding="utf-8") if golden.is_file() else ""
    if text != expected:
        diff = "".join(difflib.unified_diff(expected.splitlines(True), text.splitlines(True),
                                            f"tests/golden-acks/{uri}", f"rendered {uri}"))
        pytest.fail(f"{uri} differs from its golden file (UPDATE_GOLDEN=1 rewrites it):\n{diff}", pytrace=False)


def test_no_golden_file_is_stale() -> None:
    files = {p.relative_to(GOLDEN).as_posix() for p in GOLDEN.rglob("*") if p.is_file()}
    assert files == {*WHOLE, *SECTIONS}


@pytest.mark.parametrize("uri", WHOLE)
def test_pages_are_well_formed_markdown(pages: dict[str, str], uri: str) -> None:
    assert markdown_problems(pages[uri]) == []


def test_what_the_fixture_holds(pages: dict[str, str]) -> None:
    """The cases the golden files are there to show: a version pending with a confirmation given in advance, a
    version in force whose text is not kept, a person who left (not listed), one who has confirmed nothing."""
    cs = pages["editions/WL-GW-002/acknowledgements.md"]
    assert "## 1.1 版(尚未生效)" in cs and "## 1.0 版(现行有效)" in cs and "不详(这一版的全文没有留存)" in cs
    assert "T004" not in cs and "周九" not in pages["acknowledgements.md"]
    pending_sheet = pages["editions/WL-GW-002/1.1/signoff.md"]
    assert "| T003 | 王五 | 电商客服 |" in pending_sheet and "| T002 |" not in pending_sheet
