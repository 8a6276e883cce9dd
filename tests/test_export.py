"""`python -m generator export`: the regulation (PDF and Word), each 岗位说明书 and the 制度汇编 as documents.

The PDFs are read back with pypdf (pages, embedded fonts, 目录 page numbers, footer, running header, no page
holding only a heading or a signature block), the Word files with python-docx (headings, tables, East Asian
fonts, page fields), and the exported regulation is imported again: the same text, order, numbering and status.
"""
from __future__ import annotations

import html
import json
import re
import unicodedata
from pathlib import Path

import pytest
from docx import Document
from docx.oxml.ns import qn
from pypdf import PdfReader

from conftest import DATA
from generator import pipeline
from generator.commands import export, ingest
from generator.stages.model import Status
from generator.views.lifecycle import document_states

# PDF text maps some glyphs of Noto CJK to radicals (see tests/browser/test_print.py); NFKC and this table undo it.
_RADICALS = str.maketrans("戶⻔⻅⻓⻋⻜⻢⻛⻚⻄⻘⻝⻰⻳⻬⻮⻩⻨⻥⻦⻤⻣⻉⻈⻆⻍⻏⻑⻒⻗⻙⻠⻧⻪",
                          "户门见长车飞马风页西青食龙龟齐齿黄麦鱼鸟鬼骨贝讠角辶阝卩⺌冂阝阝卤黾")
FOOTER = re.compile(r"第(\d+)页共(\d+)页")
SIGNATURE_WORDS = re.compile(r"任职人签字|直接上级|签字|日期|[()()]|" + "|".join(["部门经理", "总经理"]))


def squash(text: str) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text).translate(_RADICALS))


@pytest.fixture(scope="session")
def handbook():
    checked = pipeline.check(DATA)
    assert checked.ok
    return checked.handbook


@pytest.fixture(scope="session")
def approved(tmp_path_factory: pytest.TempPathFactory) -> export.Exported:
    return export.export_documents(DATA, tmp_path_factory.mktemp("export"))


@pytest.fixture(scope="session")
def drafts(tmp_path_factory: pytest.TempPathFactory) -> export.Exported:
    return export.export_documents(DATA, tmp_path_factory.mktemp("export-drafts"), drafts=True)


def pages(path: Path) -> list[str]:
    return [page.extract_text() or "" for page in PdfReader(str(path)).pages]


def pdfs(result: export.Exported) -> list[Path]:
    return [result.folder / f.name for f in result.files if f.name.endswith(".pdf")]


def test_approved_export_writes_the_released_approved_documents(approved, handbook) -> None:
    names = {f.name for f in approved.files}
    states = document_states(handbook, pipeline.build_day())
    released = [r for r in handbook.roles if states[r.id].editions and r.status == Status.APPROVED]
    assert names == {"WL-ZD-001.pdf", "WL-ZD-001.docx", "handbook.pdf",
                     *(f"{states[r.id].registration.doc_no}.{s}" for r in released for s in ("pdf", "docx"))}
    assert {s.document for s in approved.skipped} == {r.id for r in handbook.roles} - {r.id for r in released}
    manifest = json.loads((approved.folder / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["drafts"] is False and {f["file"] for f in manifest["files"]} == names


def test_drafts_export_writes_every_job_description(drafts, handbook) -> None:
    roles = {f.document for f in drafts.files if f.name.startswith("WL-GW-") and f.name.endswith(".pdf")}
    assert roles == {r.id for r in handbook.roles} and drafts.skipped == ()


def test_every_pdf_embeds_its_fonts_and_uses_noto_cjk(approved, drafts) -> None:
    for path in pdfs(approved) + pdfs(drafts):
        fonts = {}
        for page in PdfReader(str(path)).pages:
            for font in page["/Resources"]["/Font"].values():
                font = font.get_object()
                descendant = font["/DescendantFonts"][0].get_object() if "/DescendantFonts" in font else font
                descriptor = descendant["/FontDescriptor"].get_object()
                fonts[str(font["/BaseFont"])] = any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3"))
        assert fonts and all(fonts.values()), (path.name, fonts)
        assert any("Noto-Serif-CJK-SC" in name for name in fonts), (path.name, sorted(fonts))


def test_every_page_has_the_footer_and_the_running_header(approved, drafts) -> None:
    for path in pdfs(approved) + pdfs(drafts):
        texts = pages(path)
        for number, text in enumerate(texts, start=1):
            if path.stem == export.BOOK and number == 1:
                continue  # the cover
            assert FOOTER.findall(squash(text)) == [(str(number), str(len(texts)))], (path.name, number)
        if path.stem == "WL-ZD-001":
            assert all(squash("网络技术部管理制度") in squash(t) for t in texts[1:]), "running header"


def toc_entries(text: str) -> list[tuple[str, int]]:
    return [(squash(m.group(1)), int(m.group(2))) for m in re.finditer(r"^(.+?)\s*\.{4,}\s*(\d+)\s*$", text, re.M)]


def first_page_of(texts: list[str], heading: str, after: int) -> int:
    """The page (1-based) where a line starts with the heading, after the 目录 page."""
    for number, text in enumerate(texts, start=1):
        if number > after and any(squash(line).startswith(heading) for line in text.split("\n")):
            return number
    raise AssertionError(f"{heading} not found")


@pytest.mark.parametrize("which", ["approved", "drafts"])
def test_regulation_toc_entries_carry_the_pages_of_their_headings(which, request) -> None:
    result = request.getfixturevalue(which)
    texts = pages(result.folder / "WL-ZD-001.pdf")
    entries = toc_entries(texts[0])
    assert [e for e, _ in entries][:3] == ["第一章总则", "第二章工作岗位职责", "一、部门经理"]
    assert entries[-1][0] == "修订记录"
    for heading, page in entries:
        assert first_page_of(texts, heading, after=1) == page, heading
    body = squash("".join(texts))
    if which == "approved":
        assert "(草案)" not in body and "售后:" not in body and "五、网站编辑" not in body
    else:
        assert "售后:(草案)" in body and "五、网站编辑(草案)" in body


def headings_of(html: str) -> set[str]:
    return {squash(re.sub(r"<[^>]+>", "", h)) for h in re.findall(r"<h[1-4][^>]*>(.*?)</h[1-4]>", html, re.S)}


def content_lines(text: str, title: str) -> list[str]:
    """A page's text without its running header and footer."""
    lines = [squash(line) for line in text.split("\n") if squash(line)]
    return [line for line in lines if not FOOTER.fullmatch(line) and line != squash(title)]


def test_no_page_holds_only_a_heading_or_only_a_signature_block(drafts, approved, handbook) -> None:
    printer_headings = set()
    for result in (approved, drafts):
        for f in result.files:
            if not f.name.endswith(".pdf"):
                continue
            texts = pages(result.folder / f.name)
            for number, text in enumerate(texts, start=1):
                if f.document == export.BOOK and number == 1:
                    continue  # the cover
                lines = [l for l in content_lines(text, f.title) if not l.endswith(squash(f.title))]
                assert lines, (f.name, number, "empty page")
                assert not all(SIGNATURE_WORDS.sub("", line) == "" for line in lines), (f.name, number, lines)
                if len(lines) <= 2:
                    printer_headings.add((f.name, number, tuple(lines)))
    # Short pages exist only where a document really ends with a short part (a 修订记录 table, a checklist).
    for name, number, lines in printer_headings:
        assert any(len(line) > 12 for line in lines), (name, number, lines)


def test_job_descriptions_are_one_or_two_pages_signed_by_the_actual_supervisor(drafts, handbook) -> None:
    for f in drafts.files:
        if not (f.name.startswith("WL-GW-") and f.name.endswith(".pdf")):
            continue
        role = handbook.role(f.document)
        texts = pages(drafts.folder / f.name)
        text = squash("".join(texts))
        assert 1 <= len(texts) <= 2, (f.name, len(texts))
        assert "任职人签字" in squash(texts[-1]), "the signature block ends the job description"
        if role.reports_to:
            assert f"直接上级({handbook.role(role.reports_to).title})签字" in text, f.name
        else:
            assert "直接上级(" not in text and "部门经理签字" not in text, f.name
        if role.external:
            assert squash(f"{handbook.document.department}·") not in text, f.name
            assert squash(role.department) in text


def test_book_has_cover_toc_with_pages_and_no_editor_pages(drafts, handbook) -> None:
    texts = pages(drafts.folder / "handbook.pdf")
    assert squash(f"{handbook.document.title}汇编") in squash(texts[0])
    assert not FOOTER.search(squash(texts[0])), "the cover has no page number"
    entries = toc_entries(texts[1])
    titled = {e: p for e, p in entries}
    for procedure in handbook.procedures:
        key = next(k for k in titled if k.endswith(squash(procedure.title)))
        assert first_page_of(texts, squash(procedure.title), after=2) == titled[key], procedure.title
    body = squash("".join(texts))
    for absent in ("编辑指南", "字段参考", "schema"):
        assert absent not in body
    for record in (*handbook.procedures, *handbook.checklists):
        assert squash(record.title) in body
    assert squash(handbook.glossary.title) in body


def test_each_procedure_steps_table_stays_on_one_page(drafts, handbook) -> None:
    texts = pages(drafts.folder / "handbook.pdf")
    for procedure in handbook.procedures:
        page = squash(texts[first_page_of(texts, squash(procedure.title), after=2) - 1])
        assert all(squash(step.action)[:14] in page for step in procedure.steps), procedure.id


def test_docx_has_headings_tables_east_asian_fonts_and_page_fields(drafts, handbook) -> None:
    doc = Document(str(drafts.folder / "WL-ZD-001.docx"))
    headings = [(p.style.name, p.text) for p in doc.paragraphs if p.style.name in ("Title", "Heading 1", "Heading 2")]
    assert headings[:3] == [("Title", handbook.document.body_title), ("Heading 1", "第一章 总则"),
                            ("Heading 1", "第二章 工作岗位职责")]
    assert ("Heading 2", "四、电商客服") in headings and ("Heading 1", "修订记录") in headings
    assert len(doc.tables) == 2 and doc.tables[0].cell(0, 1).text == "WL-ZD-001"
    for name in ("Normal", "Title", "Heading 1", "Clause", "Item"):
        fonts = doc.styles[name].element.rPr.find(qn("w:rFonts"))
        assert fonts.get(qn("w:eastAsia")) in ("Noto Serif CJK SC", "Noto Sans CJK SC"), name
        assert not any(key.endswith("Theme") for key in fonts.attrib), f"{name}: a theme font would win"
    section = doc.sections[0]
    assert section.header.paragraphs[0].text == handbook.document.body_title
    instructions = " ".join(e.text for e in section.footer._element.iter(qn("w:instrText")))
    assert "PAGE" in instructions and "NUMPAGES" in instructions
    bookmarks = {b.get(qn("w:name")) for b in doc.element.body.iter(qn("w:bookmarkStart"))}
    refs = [e.text.split()[1] for e in doc.element.body.iter(qn("w:instrText")) if "PAGEREF" in e.text]
    assert len(refs) == 8 and set(refs) <= bookmarks, "every 目录 entry's page number points at its heading"


def flat(regulation) -> list[tuple]:
    """An imported regulation as rows: chapter, clause, role, group, number, text, status (inherited)."""
    rows = []
    for chapter in regulation.chapters:
        rows.append((chapter.number, chapter.title, chapter.status))
        for clause in chapter.clauses:
            if clause.role:
                role = clause.role
                rows.append((clause.number, role.title, role.intro, role.status))
                for group in role.groups:
                    group_status = group.status if role.status == Status.APPROVED else Status.DRAFT
                    rows.append((group.title, group_status))
                    for duty in group.duties:
                        status = duty.status if group_status == Status.APPROVED else Status.DRAFT
                        rows.append((duty.number, duty.text, status, tuple(i.text for i in duty.items)))
            else:
                rows.append((clause.number, clause.text, clause.status, tuple(i.text for i in clause.items)))
    return rows


def flat_data(hb, drafts_too: bool) -> list[tuple]:
    def shown(record) -> bool:
        return drafts_too or record.status == Status.APPROVED
    rows = []
    for chapter in hb.chapters:
        rows.append((chapter.number, chapter.title, chapter.status))
        for clause in chapter.clauses:
            if clause.role_id:
                role = hb.role(clause.role_id)
                if not shown(role):
                    continue
                rows.append((clause.number, role.title, role.intro, role.status))
                for group in role.groups:
                    if shown(group):
                        rows.append((group.title, group.status))
                        rows += [(int(d.number), d.text, d.status, tuple(i.text for i in d.items))
                                 for d in group.duties if shown(d)]
            elif shown(clause.item):
                rows.append((clause.number, clause.item.text, clause.item.status,
                             tuple(i.text for i in clause.item.items)))
    return rows


@pytest.mark.parametrize("which", ["approved", "drafts"])
def test_export_then_import_gives_the_same_regulation(which, request, handbook) -> None:
    result = request.getfixturevalue(which)
    imported = ingest.import_regulation(result.folder / "WL-ZD-001.docx", handbook)
    assert imported.regulation.title == handbook.document.body_title
    assert flat(imported.regulation) == flat_data(handbook, which == "drafts")
    assert not [n for n in imported.notes if n.code in ("numbering-restarted", "clause-renumbered", "truncated")]


def test_command_line_exports_into_the_folder_it_is_given(tmp_path, capsys) -> None:
    from generator.__main__ import main
    assert main(["export", "--out", str(tmp_path), "--data", str(DATA), "--only", "roles"]) == 0
    printed = capsys.readouterr().out
    assert "WL-GW-001.pdf" in printed and not (tmp_path / "WL-ZD-001.pdf").exists()


def lowest_text(page) -> float:
    """The height above the page's bottom edge of its lowest line of text, the footer left out (points)."""
    heights = []

    def visit(text: str, cm: list[float], tm: list[float], font: object, size: float) -> None:
        if text.strip() and not FOOTER.search(squash(text)):
            heights.append(tm[4] * cm[1] + tm[5] * cm[3] + cm[5])

    page.extract_text(visitor_text=visit)
    return min(heights)


def test_no_page_but_a_documents_last_is_left_mostly_empty(approved, drafts) -> None:
    """A page that ends early must end its document: nothing (a row, a section) was pushed on for nothing."""
    for result in (approved, drafts):
        for f in result.files:
            if not f.name.endswith(".pdf"):
                continue
            reader = PdfReader(str(result.folder / f.name))
            starts = {len(reader.pages) + 1}
            if f.document == export.BOOK:
                starts |= {page for _, page in toc_entries(reader.pages[1].extract_text())} | {2, 3}
            if f.document == "regulation":
                starts.add(2)  # the 目录 ends its page
            for number, page in enumerate(reader.pages, start=1):
                if number + 1 not in starts:
                    height = float(page.mediabox.height)
                    assert lowest_text(page) < 0.35 * height, (f.name, number)


def test_download_links_point_at_the_exported_files_and_only_at_those(approved, tmp_path, handbook) -> None:
    from mkdocs.config import load_config
    from mkdocs.structure.files import File, Files
    from mkdocs.structure.pages import Page

    from generator.adapter import downloads

    folder = tmp_path / "export"
    (folder / "drafts").mkdir(parents=True)
    (folder / "WL-GW-002.pdf").write_bytes((approved.folder / "WL-GW-002.pdf").read_bytes())
    (folder / "drafts" / "WL-GW-002.docx").write_bytes(b"docx")
    (tmp_path / "docs").mkdir()
    (tmp_path / "mkdocs.yml").write_text("site_name: t\n", encoding="utf-8")
    config = load_config(str(tmp_path / "mkdocs.yml"))
    files = Files([])
    downloads.add_files(files, config, tmp_path / "nowhere")
    assert list(files) == [], "no export folder: no downloads"
    import os
    os.environ["HANDBOOK_EXPORT"] = str(folder)
    try:
        downloads.add_files(files, config, tmp_path)
        served = downloads.available(tmp_path)
    finally:
        del os.environ["HANDBOOK_EXPORT"]
    assert sorted(f.src_uri for f in files) == ["downloads/WL-GW-002.pdf", "downloads/drafts/WL-GW-002.docx"]

    # The pages link exactly the files the site serves (the hook hands their names to the pipeline).
    assert served == {"WL-GW-002.pdf", "drafts/WL-GW-002.docx"}
    role = next(p.markdown for p in pipeline.render(DATA, downloads=served).site.pages if p.uri == "roles/cs.md")
    links = [(html.unescape(text), href) for text, href in re.findall(r"\[(下载[^\]]*)\]\(([^)]+)\)", role)]
    assert links == [("下载 PDF", "../downloads/WL-GW-002.pdf"), ("下载 Word(含草案)", "../downloads/drafts/WL-GW-002.docx")]
    without = next(p.markdown for p in pipeline.render(DATA).site.pages if p.uri == "roles/cs.md")
    assert "hb-download" not in without, "without the files, the page shows no links at all"
