"""`import`: a regulation from a .docx, .doc or .txt into YAML files of the handbook's schema, for an editor to review.

Writes into an output folder (build/import by default; never into data/ unless --into-data is given): one file
per chapter (regulation/NN-<id>.yml) and per role (roles/<id>.yml), all status draft, and review.md, the review
report of every uncertain split with its source line. `--compare` reports clause by clause where the imported
text differs from the data (compare.md): which drafts it would replace and which clauses differ.
"""
from __future__ import annotations

import argparse
import html
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterable

from .. import pipeline
from ..stages.messages import Phrase, phrase, words
from ..stages.model import Handbook
from ..stages.write import is_inside
from ..stages.render import environment
from . import ingest_docx
from .ingest_compare import Comparison, compare
from .ingest_text import Line, Note, Regulation, split_regulation, split_sub_duties
from .ingest_yaml import dump, to_data, write_files

REVIEW, COMPARISON = "review.md", "compare.md"


@dataclass
class Imported:
    regulation: Regulation
    files: dict[str, str] = field(default_factory=dict)
    """Relative path -> YAML text."""
    notes: list[Note] = field(default_factory=list)
    paragraphs: bool = False
    """Whether source lines are .docx paragraphs."""


class ImportRefused(Exception):
    def __init__(self, reason: Phrase) -> None:
        super().__init__(str(reason))
        self.reason = reason


def read_lines(path: Path) -> tuple[list[Line], bool]:
    """The lines of a .txt, or the paragraphs of a .docx (a .doc converted first); and whether they are paragraphs."""
    suffix = path.suffix.lower()
    if suffix == ".doc":
        with tempfile.TemporaryDirectory(prefix="handbook-doc-") as tmp:
            try:
                converted = ingest_docx.convert_doc(path, Path(tmp))
            except ingest_docx.NoConverter:
                raise ImportRefused(phrase(
                    "{file} is an old binary Word file: install LibreOffice (apt-get install libreoffice-writer-nogui)"
                    " to convert it, or save it as .docx in Word and import that", file=str(path))) from None
            return ingest_docx.docx_lines(converted), True
    if suffix == ".docx":
        return ingest_docx.docx_lines(path), True
    text = path.read_bytes().decode("utf-8-sig", errors="replace")
    return [Line(n, line) for n, line in enumerate(text.splitlines(), start=1)], False


def import_regulation(path: Path, reference: Handbook | None = None) -> Imported:
    lines, paragraphs = read_lines(path)
    chapters = [c.title for c in reference.chapters] if reference else []
    roles = [r.title for r in reference.roles] if reference else []
    regulation = split_regulation(lines, chapters, roles)
    split_sub_duties(regulation)
    _note_missing_roles(regulation)
    data = to_data(regulation, reference)
    heading = _report("heading.txt.j2", source=path.name).strip()
    files = {rel: dump(document, heading) for rel, document in data.files.items()}
    return Imported(regulation, files, regulation.notes + data.notes, paragraphs)


def _note_missing_roles(regulation: Regulation) -> None:
    found = {role.title for role in regulation.roles}
    chapter_line = next((c.line for c in regulation.chapters if c.intro), 0)
    for title in regulation.roles_listed:
        if title not in found:
            regulation.notes.append(Note("role-missing", chapter_line, title))


def _report(template: str, **context: Any) -> str:
    """A plain-text report from a template: the one environment escapes values as HTML entities, undone here."""
    return html.unescape(environment().get_template(f"import/{template}").render(**context))


def review_report(imported: Imported, source: str, written: Iterable[Path] = (), out: Path | None = None) -> str:
    clauses = sum(len(c.clauses) for c in imported.regulation.chapters)
    notes = sorted(imported.notes, key=lambda n: n.line)
    return _report("review.md.j2", regulation=imported.regulation, notes=notes, source=source,
                   paragraphs=imported.paragraphs, written=[str(p) for p in written], out=str(out or ""),
                   clause_count=clauses)


def comparison_report(comparison: Comparison, data_dir: Path) -> str:
    return _report("compare.md.j2", comparison=comparison, data_dir=str(data_dir))


# The command line: wired into generator/__main__.py by `add_parser` and `run`.

def add_parser(subparsers: Any, say: Callable[[Phrase], str] = str, parents: Iterable[Any] = ()) -> Any:
    parser = subparsers.add_parser("import", parents=list(parents), say=say,
                                   help=say(phrase("split a regulation (.docx, .doc or .txt) into YAML for review")))
    parser.add_argument("file", type=Path, help=say(phrase("the regulation to import")))
    parser.add_argument("--out", type=Path, default=Path("build/import"),
                        help=say(phrase("output folder (default: build/import)")))
    parser.add_argument("--compare", action="store_true",
                        help=say(phrase("report clause by clause where the text differs from the data")))
    parser.add_argument("--into-data", action="store_true",
                        help=say(phrase("allow writing into the data folder itself")))
    if not any(action.dest == "data" for action in parser._actions):
        parser.add_argument("--data", type=Path, default=Path("data"),
                            help=say(phrase("folder of YAML data (ids and the comparison)")))
    return parser


def run(args: argparse.Namespace, lang: str) -> int:
    if is_inside(args.out, args.data) and not args.into_data:
        print(words(phrase("refusing to write into {data}: give another --out, or --into-data", data=str(args.data)), lang))
        return 2
    checked = pipeline.check(args.data) if args.data.is_dir() else None
    reference = checked.handbook if checked and checked.ok else None
    try:
        imported = import_regulation(args.file, reference)
    except ImportRefused as refusal:
        print(words(refusal.reason, lang))
        return 2
    written = write_files(imported.files, args.out)
    review = review_report(imported, str(args.file), written, args.out)
    (args.out / REVIEW).write_text(review, encoding="utf-8")
    print(review)
    if args.compare:
        if reference is None:
            print(words(phrase("cannot compare: {data} does not check clean", data=str(args.data)), lang))
            return 1
        report = comparison_report(compare(imported.regulation, reference), args.data)
        (args.out / COMPARISON).write_text(report, encoding="utf-8")
        print(report)
    return 0
