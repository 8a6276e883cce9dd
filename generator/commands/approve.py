"""`approve`: turn a whole draft document, or single records of it, into approved text.

Edits only the `status` lines of the document's file. The data is checked with the edit before anything is
written, so approved content still cannot cite a draft: approve the draft it rests on first (or with it). The
next `release` of the document records what was approved.
"""
from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .. import pipeline
from ..stages.load import SourceDoc, load_sources
from ..stages.pages import documents
from ..stages.messages import Phrase, phrase, words
from ..stages.problems import Problem, Severity
from ..stages.report import format_text
from .yamledit import JsonPath, approve, draft_paths, mapping_paths, value_at


@dataclass(frozen=True)
class Approval:
    problems: list[Problem]
    source: SourceDoc | None = None
    text: str = ""
    approved: tuple[str, ...] = ()
    """Ids (or the document's own id) made approved."""

    @property
    def ok(self) -> bool:
        return self.source is not None and not any(p.severity == Severity.ERROR for p in self.problems)


def plan(data_dir: Path, document: str, ids: tuple[str, ...] = ()) -> Approval:
    checked = pipeline.check(data_dir)
    if checked.handbook is None or not checked.ok:
        return Approval(checked.problems)
    found = next((d for d in documents(checked.handbook) if document in (d.id, d.title)), None)
    docs, _ = load_sources(data_dir)
    source = next((d for d in docs if found and d.rel == found.control.source), None)
    if source is None:
        return Approval([Problem(str(data_dir), 0, 0, "approve-unknown-document",
                                 phrase("'{document}' is no document of the handbook; give its id, e.g. editor",
                                        document=document))])
    drafts = draft_paths(source.data)
    paths = drafts if not ids else mapping_paths(source.data, lambda record: record.get("id") in ids)
    missing = [i for i in ids if not any(_id_at(source, p) == i for p in paths)]
    if missing:
        return Approval([Problem(source.path, 0, 0, "approve-unknown-id",
                                 phrase("no record {ids} in {file}", ids=", ".join(missing), file=source.path))])
    text = approve(source, [p for p in paths if value_at(source.data, p).get("status") != "approved"])
    problems = pipeline.check_edited(data_dir, source.rel, text)
    return Approval(problems, source, text, tuple(dict.fromkeys(_id_at(source, p) or document for p in paths)))


def apply(data_dir: Path, planned: Approval) -> None:
    assert planned.ok and planned.source is not None
    (data_dir / planned.source.rel).write_text(planned.text, encoding="utf-8")


def _id_at(source: SourceDoc, path: JsonPath) -> str | None:
    return value_at(source.data, path).get("id")


def add_parser(subparsers: Any, say: Callable[[Phrase], str], parents: Iterable[Any] = ()) -> Any:
    parser = subparsers.add_parser("approve", parents=list(parents), say=say,
                                   help=say(phrase("turn a draft document, or some of its records, into approved text")))
    parser.add_argument("document", help=say(phrase("the document's id, e.g. editor")))
    parser.add_argument("ids", nargs="*", help=say(phrase("only these records (default: every draft of the document)")))
    return parser


def run(args: argparse.Namespace, lang: str) -> int:
    planned = plan(args.data, args.document, tuple(args.ids))
    for problem in planned.problems:
        print(format_text(problem, lang), file=sys.stderr)
    if not planned.ok or planned.source is None:
        print(words(phrase("nothing was written"), lang), file=sys.stderr)
        return 1
    apply(args.data, planned)
    print(words(phrase("approved {count} records in {file}; the next release of the document records them",
                       count=len(planned.approved), file=planned.source.path), lang))
    return 0
