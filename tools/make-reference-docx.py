"""Make templates/export/reference.docx (the styles and letterhead of exported Word files) from
templates/export/reference-docx.yml. Run it after changing that file: .venv/bin/python tools/make-reference-docx.py

Every style gets its East Asian font (w:eastAsia) as well as the Latin one, and no theme font (a theme font
attribute would win over both in Word).
"""
from __future__ import annotations

import re
import sys
from pathlib import Path

import yaml
from docx import Document
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_TAB_ALIGNMENT, WD_TAB_LEADER
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

FOLDER = Path(__file__).resolve().parent.parent / "templates" / "export"
ALIGN = {"center": WD_ALIGN_PARAGRAPH.CENTER, "left": WD_ALIGN_PARAGRAPH.LEFT, "justify": WD_ALIGN_PARAGRAPH.JUSTIFY}


def set_fonts(rpr, east_asia: str, latin: str, language: str | None = None) -> None:
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for key in list(fonts.attrib):
        if key.endswith("Theme"):
            del fonts.attrib[key]
    for key, value in (("w:ascii", latin), ("w:hAnsi", latin), ("w:cs", latin), ("w:eastAsia", east_asia)):
        fonts.set(qn(key), value)
    if language:
        lang = rpr.find(qn("w:lang"))
        if lang is None:
            lang = OxmlElement("w:lang")
            rpr.append(lang)
        lang.set(qn("w:eastAsia"), language)


def style_of(doc, name: str):
    names = {style.name for style in doc.styles}
    if name in names:
        return doc.styles[name]
    style = doc.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
    style.base_style = doc.styles["Normal"]
    return style


def apply_style(doc, name: str, spec: dict, fonts: dict, language: str) -> None:
    style = style_of(doc, name)
    font = fonts[spec.get("font", "body")]
    set_fonts(style.element.get_or_add_rPr(), font["east_asia"], font["latin"], language)
    style.font.size = Pt(spec["size"])
    style.font.bold = bool(spec.get("bold"))
    style.font.color.rgb = None
    fmt = style.paragraph_format
    if "align" in spec:
        fmt.alignment = ALIGN[spec["align"]]
    size = Pt(spec["size"])
    hanging = spec.get("hanging_chars", 0)
    fmt.left_indent = size * spec.get("indent_chars", 0) if spec.get("indent_chars") else None
    fmt.first_line_indent = -size * hanging if hanging else None
    fmt.space_before = Pt(spec.get("space_before", 0))
    fmt.space_after = Pt(spec.get("space_after", 0))
    if "line_spacing" in spec:
        fmt.line_spacing = spec["line_spacing"]
    if "tab_mm" in spec:
        fmt.tab_stops.add_tab_stop(Mm(spec["tab_mm"]), WD_TAB_ALIGNMENT.RIGHT, WD_TAB_LEADER.DOTS)


def add_field(paragraph, instruction: str) -> None:
    for kind, text in (("begin", None), (None, instruction), ("separate", None), (None, "1"), ("end", None)):
        run = paragraph.add_run()
        if kind:
            char = OxmlElement("w:fldChar")
            char.set(qn("w:fldCharType"), kind)
            run._r.append(char)
        elif text == instruction:
            instr = OxmlElement("w:instrText")
            instr.set(qn("xml:space"), "preserve")
            instr.text = f" {instruction} "
            run._r.append(instr)
        else:
            run.text = text


def write_line(paragraph, pattern: str) -> None:
    """Text with {PAGE} / {NUMPAGES} as Word fields; other {placeholders} stay as text for the exporter."""
    for part in re.split(r"(\{PAGE\}|\{NUMPAGES\})", pattern):
        if part in ("{PAGE}", "{NUMPAGES}"):
            add_field(paragraph, part[1:-1])
        elif part:
            paragraph.add_run(part)


def main(spec_path: Path = FOLDER / "reference-docx.yml", out: Path = FOLDER / "reference.docx") -> None:
    spec = yaml.safe_load(spec_path.read_text(encoding="utf-8"))
    doc = Document()
    body = spec["fonts"]["body"]
    defaults = doc.styles.element.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr"))
    set_fonts(defaults, body["east_asia"], body["latin"], spec["language"])
    for name, style in spec["styles"].items():
        apply_style(doc, name, style, spec["fonts"], spec["language"])
    page = spec["page"]
    section = doc.sections[0]
    section.page_width, section.page_height = Mm(page["width_mm"]), Mm(page["height_mm"])
    section.top_margin, section.bottom_margin = Mm(page["top_mm"]), Mm(page["bottom_mm"])
    section.left_margin, section.right_margin = Mm(page["left_mm"]), Mm(page["right_mm"])
    write_line(section.header.paragraphs[0], spec["header"])
    section.header.paragraphs[0].style = doc.styles["Header"]
    write_line(section.footer.paragraphs[0], spec["footer"])
    section.footer.paragraphs[0].style = doc.styles["Footer"]
    doc.core_properties.title = ""
    doc.core_properties.author = ""
    doc.save(str(out))
    print(f"wrote {out}")


if __name__ == "__main__":
    main(*(Path(a) for a in sys.argv[1:]))
