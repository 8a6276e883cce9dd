"""A .docx -> its body paragraphs as lines, each with the number Word shows in front of it.

Word keeps automatic numbers out of the text: a paragraph names a list (w:numPr: numId, ilvl), directly or through
its style, and numbering.xml says how each level counts (w:start, w:numFmt, w:lvlText such as "第%1章", "%2、",
"%3." and w:lvlOverride/w:startOverride). The counters run here in document order, as Word's do: a level counts
up, the levels below it start again. An old binary .doc is first converted with LibreOffice when installed.
"""
from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path
from typing import Any

from docx import Document
from docx.oxml.ns import qn

from ..stages.render import chinese_number
from .ingest_text import Line

CHINESE_FORMATS = {"chineseCounting", "chineseCountingThousand", "ideographTraditional", "japaneseCounting",
                   "taiwaneseCountingThousand",
                   "taiwaneseCounting", "chineseLegalSimplified", "ideographDigital"}


class NoConverter(Exception):
    """A .doc was given and LibreOffice (soffice) is not installed."""


def docx_lines(path: Path) -> list[Line]:
    doc = Document(str(path))
    numbering = _Numbering(doc)
    lines = []
    for index, paragraph in enumerate(doc.paragraphs, start=1):
        style = paragraph.style.name if paragraph.style is not None else None
        lines.append(Line(index, numbering.label(paragraph) + paragraph.text, style))
    return lines


def convert_doc(path: Path, out_dir: Path) -> Path:
    """A binary .doc as .docx, through LibreOffice (`soffice --headless --convert-to docx`)."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        raise NoConverter(str(path))
    subprocess.run([soffice, "--headless", "--convert-to", "docx", "--outdir", str(out_dir), str(path)],
                   check=True, capture_output=True, timeout=180,
                   env={"HOME": tempfile.gettempdir(), "PATH": "/usr/bin:/bin"})
    return out_dir / (path.stem + ".docx")


class _Numbering:
    def __init__(self, doc: Any) -> None:
        try:
            root = doc.part.numbering_part.element
        except (KeyError, NotImplementedError):
            root = None
        self.abstract: dict[str, Any] = {}
        self.nums: dict[str, tuple[str, dict[int, int]]] = {}
        if root is not None:
            for abstract in root.findall(qn("w:abstractNum")):
                self.abstract[abstract.get(qn("w:abstractNumId"))] = abstract
            for num in root.findall(qn("w:num")):
                overrides = {int(o.get(qn("w:ilvl"))): int(start.get(qn("w:val")))
                             for o in num.findall(qn("w:lvlOverride"))
                             if (start := o.find(qn("w:startOverride"))) is not None}
                self.nums[num.get(qn("w:numId"))] = (num.find(qn("w:abstractNumId")).get(qn("w:val")), overrides)
        self.styles = {style.style_id: style for style in doc.styles}
        self.counters: dict[str, list[int | None]] = {}

    def label(self, paragraph: Any) -> str:
        num_id, level = self._num_pr(paragraph)
        if num_id is None or num_id not in self.nums or num_id == "0":
            return ""
        abstract_id, overrides = self.nums[num_id]
        levels = {int(l.get(qn("w:ilvl"))): l for l in self.abstract[abstract_id].findall(qn("w:lvl"))}
        if level not in levels:
            return ""
        counts = self.counters.setdefault(num_id, [None] * 9)
        start = overrides.get(level, _int(levels[level], "w:start", 1))
        counts[level] = start if counts[level] is None else counts[level] + 1
        for deeper in range(level + 1, 9):
            counts[deeper] = None
        return self._text(levels, counts, level, overrides)

    def _text(self, levels: dict[int, Any], counts: list[int | None], level: int, overrides: dict[int, int]) -> str:
        text_el = levels[level].find(qn("w:lvlText"))
        text = text_el.get(qn("w:val")) if text_el is not None else ""
        if _value(levels[level], "w:numFmt") == "bullet":
            return ""
        for k in range(level + 1):
            if f"%{k + 1}" in text and k in levels:
                value = counts[k] if counts[k] is not None else overrides.get(k, _int(levels[k], "w:start", 1))
                text = text.replace(f"%{k + 1}", _format(value, _value(levels[k], "w:numFmt") or "decimal"))
        return text

    def _num_pr(self, paragraph: Any) -> tuple[str | None, int]:
        ppr = paragraph._p.pPr
        num_pr = ppr.find(qn("w:numPr")) if ppr is not None else None
        style = paragraph.style
        while num_pr is None and style is not None:
            style_ppr = style.element.find(qn("w:pPr"))
            num_pr = style_ppr.find(qn("w:numPr")) if style_ppr is not None else None
            style = style.base_style
        if num_pr is None:
            return None, 0
        num_id = num_pr.find(qn("w:numId"))
        ilvl = num_pr.find(qn("w:ilvl"))
        return (num_id.get(qn("w:val")) if num_id is not None else None,
                int(ilvl.get(qn("w:val"))) if ilvl is not None else 0)


def _value(element: Any, tag: str) -> str | None:
    found = element.find(qn(tag))
    return found.get(qn("w:val")) if found is not None else None


def _int(element: Any, tag: str, default: int) -> int:
    value = _value(element, tag)
    return int(value) if value is not None else default


def _format(value: int, fmt: str) -> str:
    if fmt in CHINESE_FORMATS:
        return chinese_number(value)
    if fmt == "lowerLetter":
        return chr(ord("a") + value - 1)
    if fmt == "upperLetter":
        return chr(ord("A") + value - 1)
    return str(value)
