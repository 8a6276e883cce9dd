"""HTML of an exported document -> .docx, in the styles of a reference document (templates/export/reference.docx).

The export templates write one small vocabulary of HTML (see templates/export/_documents.html.j2); each element
becomes the Word paragraph style of the same role: h1 Title, h2 Heading 1, h3 Heading 2, h4 Heading 3, a `p` of
class X style X when the reference has it (Clause, Item, SubItem, GroupTitle), nav.toc the 目录 (entries in
the TOC 1 / TOC 2 styles with PAGEREF page numbers), table a
"Table Grid" table. Layout, fonts (East Asian ones included), letterhead, header and footer all come from the
reference, so a company replaces that file with its own and keeps the placeholders `{title}`, `{doc_no}`,
`{version}` where the header or footer should show them.
"""
from __future__ import annotations

import copy
import re
from pathlib import Path
from typing import Any

import lxml.html
from docx import Document
from docx.enum.text import WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import RGBColor
from docx.table import _Cell

HEADINGS = {"h1": "Title", "h2": "Heading 1", "h3": "Heading 2", "h4": "Heading 3"}
DRAFT_COLOUR = RGBColor(0xB0, 0x00, 0x20)


def write_docx(html: str, target: Path, reference: Path) -> None:
    root = lxml.html.document_fromstring(html)
    doc = Document(str(reference))
    _clear_body(doc)
    title = " ".join((root.findtext(".//title") or "").split())
    doc.core_properties.title = title
    meta = {"title": title, **_title_block_facts(root)}
    _fill_placeholders(doc, meta)
    _Writer(doc, root).blocks(root.body, doc)
    _update_fields_on_open(doc)
    doc.save(str(target))


def _clear_body(doc: Any) -> None:
    """Drop the reference's sample content, keep its section properties (page size, margins, header, footer)."""
    body = doc.element.body
    for child in list(body):
        if child.tag != qn("w:sectPr"):
            body.remove(child)


def _title_block_facts(root: Any) -> dict[str, str]:
    """文件编号 and 版本 from the title block (its first row), for the header placeholders."""
    cells = [" ".join(td.text_content().split()) for td in root.xpath("//table[contains(@class,'title-block')]//td")]
    return {"doc_no": cells[0] if cells else "", "version": cells[1] if len(cells) > 1 else ""}


def _fill_placeholders(doc: Any, values: dict[str, str]) -> None:
    for section in doc.sections:
        for part in (section.header, section.footer, section.first_page_header, section.first_page_footer):
            for paragraph in part.paragraphs:
                for run in paragraph.runs:
                    for key, value in values.items():
                        if "{" + key + "}" in run.text:
                            run.text = run.text.replace("{" + key + "}", value)


def _update_fields_on_open(doc: Any) -> None:
    """Word computes the fields (the 目录's page numbers, PAGE, NUMPAGES) when it opens the file."""
    settings = doc.settings.element
    if settings.find(qn("w:updateFields")) is None:
        update = OxmlElement("w:updateFields")
        update.set(qn("w:val"), "true")
        settings.append(update)


def _classes(element: Any) -> list[str]:
    return (element.get("class") or "").split()


class _Writer:
    def __init__(self, doc: Any, root: Any) -> None:
        self.doc = doc
        self.styles = {style.name for style in doc.styles}
        self.break_before = False
        # Headings the 目录 lists get a bookmark; each entry's page number is a PAGEREF field to it, which Word
        # and LibreOffice compute when they lay the document out.
        targets = [a.get("href", "")[1:] for a in root.xpath("//nav[contains(@class,'toc')]//a")]
        self.bookmarks = {ident: f"_Toc{n:06d}" for n, ident in enumerate(dict.fromkeys(targets), start=1)}

    def blocks(self, element: Any, container: Any) -> None:
        for child in element:
            if not isinstance(child.tag, str):
                continue
            if "new-document" in _classes(child):
                self.break_before = True
            tag = child.tag
            if tag in HEADINGS:
                self.paragraph(child, container, HEADINGS[tag] if "toc-title" not in _classes(child) else "TOC Heading")
            elif tag == "p":
                self.paragraph(child, container, self.style_of(child))
            elif tag == "nav" and "toc" in _classes(child):
                self.toc(child, container)
                self.break_before = True
            elif tag == "table":
                self.table(child, container)
            else:
                self.blocks(child, container)

    def style_of(self, element: Any) -> str:
        return next((c for c in _classes(element) if c in self.styles), "Normal")

    def paragraph(self, element: Any, container: Any, style: str) -> Any:
        paragraph = container.add_paragraph(style=style if style in self.styles else None)
        if self.break_before:
            paragraph.paragraph_format.page_break_before = True
            self.break_before = False
        self.inline(element, paragraph, {})
        _strip_edges(paragraph)
        ident = element.get("id")
        if ident in self.bookmarks:
            _bookmark(paragraph, self.bookmarks[ident], len(self.bookmarks) + list(self.bookmarks).index(ident))
        return paragraph

    def inline(self, element: Any, paragraph: Any, fmt: dict[str, bool]) -> None:
        if element.text:
            self.run(paragraph, element.text, fmt)
        for child in element:
            if isinstance(child.tag, str):
                classes = _classes(child)
                inner = dict(fmt, bold=fmt.get("bold") or child.tag in ("strong", "b", "th") or "draft" in classes,
                             draft=fmt.get("draft") or "draft" in classes)
                if child.tag == "br":
                    paragraph.add_run().add_break(WD_BREAK.LINE)
                else:
                    self.inline(child, paragraph, inner)
            if child.tail:
                self.run(paragraph, child.tail, fmt)

    def run(self, paragraph: Any, text: str, fmt: dict[str, bool]) -> None:
        text = " ".join(text.split()) if text.strip() else (" " if text else "")
        if not text:
            return
        run = paragraph.add_run(text)
        if fmt.get("bold"):
            run.bold = True
        if fmt.get("draft"):
            run.font.color.rgb = DRAFT_COLOUR

    def toc(self, nav: Any, container: Any) -> None:
        """The 目录 as entries in the TOC styles, each with a PAGEREF field to its heading's bookmark: Word and
        LibreOffice both compute those page numbers (a TOC field's cached result LibreOffice shows as it is)."""
        for heading in nav.xpath("./h2|./h3"):
            self.paragraph(heading, container, "TOC Heading")
        for entry in nav.xpath(".//a"):
            level = next((c[3:] for c in _classes(entry) if c.startswith("TOC")), "1")
            paragraph = container.add_paragraph(style=f"TOC {level}" if f"TOC {level}" in self.styles else None)
            self.inline(entry, paragraph, {})
            _strip_edges(paragraph)
            bookmark = self.bookmarks.get(entry.get("href", "")[1:])
            if bookmark:
                paragraph.add_run().add_tab()
                _simple_field(paragraph, f"PAGEREF {bookmark} \\h", "1")

    def table(self, element: Any, container: Any) -> None:
        rows = element.xpath("./tr|./thead/tr|./tbody/tr|./tfoot/tr")
        if not rows:
            return
        width = max(sum(int(cell.get("colspan", 1)) for cell in row.xpath("./td|./th")) for row in rows)
        if self.break_before:
            self.paragraph(lxml.html.fromstring("<p></p>"), container, "Normal")
        table = container.add_table(rows=len(rows), cols=width)
        if "Table Grid" in self.styles:
            table.style = "Table Grid"
        self.widths(element, table)
        for r, row in enumerate(rows):
            if row.getparent().tag == "thead":
                _repeat_as_header(table.rows[r])
            column = 0
            for cell in row.xpath("./td|./th"):
                span = int(cell.get("colspan", 1))
                target = table.cell(r, column)
                if span > 1:
                    target = target.merge(table.cell(r, column + span - 1))
                self.cell(cell, target)
                column += span

    def widths(self, element: Any, table: Any) -> None:
        """Column widths from the table's <colgroup> (percentages of the text width), as the PDF has them."""
        shares = [float(m.group(1)) for col in element.xpath("./colgroup/col")
                  if (m := re.search(r"width:\s*([\d.]+)%", col.get("style", "")))]
        if len(shares) != len(table.columns):
            return
        section = self.doc.sections[-1]
        text_width = section.page_width - section.left_margin - section.right_margin
        table.autofit = False
        for column, share in zip(table.columns, shares):
            for cell in column.cells:
                cell.width = int(text_width * share / 100)

    def cell(self, element: Any, target: _Cell) -> None:
        header = element.tag == "th" or "label" in _classes(element)
        blocks = [child for child in element if isinstance(child.tag, str) and child.tag in ("p", "div", "table")]
        first = target.paragraphs[0]
        if blocks:
            first._p.getparent().remove(first._p)
            self.blocks(element, target)
        else:
            self.inline(element, first, {"bold": header})
            _strip_edges(first)
        if header:
            _shade(target)


def _strip_edges(paragraph: Any) -> None:
    runs = paragraph.runs
    if runs:
        runs[0].text = runs[0].text.lstrip()
        runs[-1].text = runs[-1].text.rstrip()


def _bookmark(paragraph: Any, name: str, number: int) -> None:
    start, end = OxmlElement("w:bookmarkStart"), OxmlElement("w:bookmarkEnd")
    start.set(qn("w:id"), str(number))
    start.set(qn("w:name"), name)
    end.set(qn("w:id"), str(number))
    paragraph._p.insert(1 if paragraph._p.pPr is not None else 0, start)
    paragraph._p.append(end)


def _simple_field(paragraph: Any, instruction: str, shown: str) -> None:
    """A complex field (begin, instruction, separate, cached result, end) in one paragraph."""
    _field_char(paragraph, "begin")
    text = OxmlElement("w:instrText")
    text.set(qn("xml:space"), "preserve")
    text.text = f" {instruction} "
    paragraph.add_run()._r.append(text)
    _field_char(paragraph, "separate")
    paragraph.add_run(shown)
    _field_char(paragraph, "end")


def _field_char(paragraph: Any, kind: str) -> None:
    char = OxmlElement("w:fldChar")
    char.set(qn("w:fldCharType"), kind)
    paragraph.add_run()._r.append(char)


def _repeat_as_header(row: Any) -> None:
    properties = row._tr.get_or_add_trPr()
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    properties.append(header)


def _shade(cell: _Cell) -> None:
    properties = cell._tc.get_or_add_tcPr()
    shading = OxmlElement("w:shd")
    for key, value in (("w:val", "clear"), ("w:color", "auto"), ("w:fill", "EEEEEE")):
        shading.set(qn(key), value)
    properties.append(copy.deepcopy(shading))
