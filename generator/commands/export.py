"""`export`: the handbook as documents a company prints, signs and files.

Writes, into one folder: the regulation as PDF and Word (WL-ZD-001.pdf / .docx), each job description as PDF
and Word (WL-GW-….pdf / .docx) and the 制度汇编 (handbook.pdf: regulation, job descriptions, procedures,
checklists, glossary), plus manifest.json, which says what each file holds (the site's download links read it).

By default only approved text of released documents (the register's standing is not 草案): what is in force or
about to be. `drafts=True` adds every draft, marked 草案. The wording is in templates/export/ (the HTML pages the
PDF engine and the Word writer both read); the layout of Word files comes from templates/export/reference.docx.
"""
from __future__ import annotations

import argparse
import sys
import html as html_lib
import json
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any, Callable, Iterable

from .. import pipeline
from ..stages.history import build_day
from ..stages.messages import Phrase, phrase, words
from ..stages.model import Handbook, Role, Status
from ..stages.problems import Problem, Severity
from ..stages.report import format_text
from ..stages.render import TEMPLATES_DIR, environment
from ..views.lifecycle import DocumentState, Standing, document_states
from . import docx_writer, pdf

MANIFEST = "manifest.json"
BOOK = "handbook"
"""File name (without suffix) of the 制度汇编."""


@dataclass(frozen=True)
class ExportedFile:
    name: str
    """File name inside the export folder, e.g. WL-ZD-001.pdf."""
    document: str
    """Document id (regulation, a role id, or handbook for the 制度汇编)."""
    title: str
    pages: int | None = None
    """Page count of a PDF."""


@dataclass(frozen=True)
class Skipped:
    document: str
    reason: Phrase


@dataclass(frozen=True)
class Exported:
    folder: Path
    files: tuple[ExportedFile, ...] = ()
    skipped: tuple[Skipped, ...] = ()
    problems: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """No error: a handbook with nothing released yet exports nothing without --drafts, which is no error."""
        return not any(problem.severity == Severity.ERROR for problem in self.problems)


class _Printer:
    """Renders the export templates for one handbook, with drafts or without."""

    def __init__(self, hb: Handbook, states: dict[str, DocumentState], today: date, drafts: bool,
                 templates_dir: Path) -> None:
        self.hb, self.states, self.drafts, self.templates_dir = hb, states, drafts, templates_dir
        self.env = environment(templates_dir)
        self.env.globals.update(hb=hb, states=states, today=today.isoformat(), drafts=drafts, shown=self.shown,
                                visible=self.visible, role=hb.role)

    def shown(self, record: Any) -> bool:
        return self.drafts or getattr(record, "status", Status.APPROVED) == Status.APPROVED

    def visible(self, records: Iterable[Any]) -> list[Any]:
        return [record for record in records if self.shown(record)]

    def html(self, template: str, **context: Any) -> str:
        return self.env.get_template(f"export/{template}").render(**context)

    def title(self, role: Role | None) -> str:
        """A file's title as plain text: a job description's, or the 制度汇编's (role None)."""
        return html_lib.unescape(self.html("title.txt.j2", role_=role)).strip()

    @property
    def stylesheet(self) -> Path:
        return self.templates_dir / "export" / "export.css"

    @property
    def reference(self) -> Path:
        return self.templates_dir / "export" / "reference.docx"

    def exportable(self, document_id: str, record: Any = None) -> Phrase | None:
        """Why a document is left out (None when it is printed): without drafts, only released, approved text."""
        state = self.states.get(document_id)
        if state is None:
            return phrase("not in the register (data/register.yml)")
        if self.drafts:
            return None
        if state.standing in (Standing.DRAFT, Standing.REPEALED):
            return phrase("not released ({standing}); use --drafts to print the draft", standing=str(state.standing))
        if record is not None and not self.shown(record):
            return phrase("its text is a draft; use --drafts to print it")
        return None


def export_documents(data_dir: Path, out_dir: Path, drafts: bool = False, today: date | None = None,
                     kinds: Iterable[str] = ("regulation", "roles", "book"),
                     templates_dir: Path | None = None) -> Exported:
    """Check the data, then write the documents of `kinds` into out_dir (made if missing)."""
    checked = pipeline.check(data_dir)
    if not checked.ok or checked.handbook is None:
        return Exported(out_dir, problems=checked.problems)
    hb = checked.handbook
    today = today or build_day()
    printer = _Printer(hb, document_states(hb, today), today, drafts, templates_dir or TEMPLATES_DIR)
    out_dir.mkdir(parents=True, exist_ok=True)
    files: list[ExportedFile] = []
    skipped: list[Skipped] = []
    steps: dict[str, Callable[[_Printer, Path, list[ExportedFile], list[Skipped]], None]] = {
        "regulation": _regulation, "roles": _roles, "book": _book}
    for kind in kinds:
        steps[kind](printer, out_dir, files, skipped)
    _write_manifest(out_dir, files, drafts, today)
    return Exported(out_dir, tuple(files), tuple(skipped), checked.problems)


def _regulation(printer: _Printer, out: Path, files: list[ExportedFile], skipped: list[Skipped]) -> None:
    reason = printer.exportable("regulation", printer.hb.document)
    if reason:
        skipped.append(Skipped("regulation", reason))
        return
    state = printer.states["regulation"]
    html = printer.html("regulation.html.j2")
    files += _both(printer, out, html, state.registration.doc_no, "regulation", printer.hb.document.body_title)


def _roles(printer: _Printer, out: Path, files: list[ExportedFile], skipped: list[Skipped]) -> None:
    for role in printer.hb.roles:
        reason = printer.exportable(role.id, role)
        if reason:
            skipped.append(Skipped(role.id, reason))
            continue
        html = printer.html("role.html.j2", role_=role)
        files += _both(printer, out, html, printer.states[role.id].registration.doc_no, role.id,
                       printer.title(role))


def _book(printer: _Printer, out: Path, files: list[ExportedFile], skipped: list[Skipped]) -> None:
    hb = printer.hb
    parts = {
        "regulation": None if printer.exportable("regulation", hb.document) else printer.states["regulation"],
        "roles": _printable(printer, [(r, r.id) for r in hb.roles]),
        "procedures": _printable(printer, [(p, p.id) for p in hb.procedures]),
        "checklists": _printable(printer, [(c, c.id) for c in hb.checklists]),
        "glossary": next(iter(_printable(printer, [(hb.glossary, "glossary")] if hb.glossary else [])), None),
    }
    if not any(parts.values()):
        skipped.append(Skipped(BOOK, phrase("nothing to print without --drafts")))
        return
    html = printer.html("book.html.j2", parts=parts)
    name = f"{BOOK}.pdf"
    pages = pdf.write_pdf(html, out / name, printer.stylesheet)
    files.append(ExportedFile(name, BOOK, printer.title(None), pages))


def _printable(printer: _Printer, records: list[tuple[Any, str]]) -> list[tuple[Any, DocumentState]]:
    return [(record, printer.states[ident]) for record, ident in records if printer.exportable(ident, record) is None]


def _both(printer: _Printer, out: Path, html: str, stem: str, document: str, title: str) -> list[ExportedFile]:
    pages = pdf.write_pdf(html, out / f"{stem}.pdf", printer.stylesheet)
    docx_writer.write_docx(html, out / f"{stem}.docx", printer.reference)
    return [ExportedFile(f"{stem}.pdf", document, title, pages), ExportedFile(f"{stem}.docx", document, title)]


def _write_manifest(out: Path, files: list[ExportedFile], drafts: bool, today: date) -> None:
    entries = [{"file": f.name, "document": f.document, "title": f.title, "pages": f.pages} for f in files]
    manifest = {"drafts": drafts, "day": today.isoformat(), "files": entries}
    (out / MANIFEST).write_text(json.dumps(manifest, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


# The command line: wired into generator/__main__.py by `add_parser` and `run`.

def add_parser(subparsers: Any, say: Callable[[Phrase], str] = str, parents: Iterable[Any] = ()) -> Any:
    parser = subparsers.add_parser("export", parents=list(parents), say=say,
                                   help=say(phrase("write the regulation, the job descriptions and the handbook compilation as PDF and Word")))
    parser.add_argument("--out", type=Path, default=Path("build/export"),
                        help=say(phrase("output folder (default: build/export)")))
    parser.add_argument("--drafts", action="store_true",
                        help=say(phrase("include the draft text, marked as draft (default: approved text only)")))
    parser.add_argument("--only", choices=("regulation", "roles", "book"), action="append",
                        help=say(phrase("write only these documents (repeatable)")))
    parser.add_argument("--today", type=date.fromisoformat, default=None,
                        help=say(phrase("the day that decides what is in force (default: today)")))
    if not any(action.dest == "data" for action in parser._actions):
        parser.add_argument("--data", type=Path, default=Path("data"), help=say(phrase("folder of YAML data")))
    return parser


def run(args: argparse.Namespace, lang: str) -> int:
    result = export_documents(args.data, args.out, args.drafts, args.today, args.only or ("regulation", "roles", "book"))
    for problem in result.problems:
        print(format_text(problem, lang), file=sys.stderr)
    for exported in result.files:
        print(words(phrase("wrote {file} ({pages} pages)", file=str(result.folder / exported.name),
                           pages=exported.pages if exported.pages is not None else "-"), lang))
    for skip in result.skipped:
        print(words(phrase("skipped {document}: {reason}", document=skip.document, reason=skip.reason), lang))
    return 0 if result.ok else 1
