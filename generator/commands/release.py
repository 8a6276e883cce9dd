"""`release`: record a new version of one document in data/register.yml, and mark its text with a git tag.

The entry names who approved the version, when and on what record, when it takes effect, and (for a rule that
touches employees' interests) its 民主程序 and 公示. Its 修改内容 is drafted from what `diff` finds since the last
release, for the editor to reword. The whole data is checked with the new entry before anything is written.
A version's text is the data as committed when it is tagged `release/<文件编号>/<版本>`: the command tags the
commit before the release for the previous version when that has no tag yet (its text is what HEAD holds), and
with --commit commits the data and tags the new version.
"""
from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from .. import pipeline
from ..stages.history import git, release_tag, release_tags, repo_root
from ..stages.load import SourceDoc, load_sources
from ..stages.model import Handbook, Registration
from ..stages.pages import documents
from ..stages.messages import Phrase, phrase, words
from ..stages.problems import Problem, Severity
from ..stages.report import format_text
from ..stages.render import render_template
from ..views.changes import PageDiff, diff_handbooks
from .yamledit import append_release


@dataclass(frozen=True)
class Request:
    document: str
    """A 文件编号 (WL-GW-005) or a document id (editor, regulation)."""
    effective: str
    approved_by: str
    approved_on: str
    record: str
    version: str | None = None
    """Default: the latest version plus 0.1 (1.0 for a first release)."""
    changes: str | None = None
    """Default: drafted from the diff since the last release."""
    announced: dict[str, str] | None = None
    democratic: dict[str, str] | None = None


@dataclass(frozen=True)
class Plan:
    """What a release writes, or why it cannot be made."""

    problems: list[Problem]
    entry: dict[str, Any] = field(default_factory=dict)
    register: SourceDoc | None = None
    text: str = ""
    """The register's new text."""
    doc_no: str = ""
    previous: str | None = None
    """The previous version, if any."""

    @property
    def ok(self) -> bool:
        return bool(self.entry) and not any(p.severity == Severity.ERROR for p in self.problems)


def plan(data_dir: Path, request: Request) -> Plan:
    checked = pipeline.check(data_dir)
    if not checked.ok or checked.handbook is None:
        return Plan(checked.problems)
    hb = checked.handbook
    docs, _ = load_sources(data_dir)
    register = next((d for d in docs if d.kind == "register"), None)
    index = _find(hb, request.document)
    if register is None or index is None:
        return Plan([Problem(str(data_dir / "register.yml"), 0, 0, "release-unknown-document",
                             phrase("'{document}' is not in the register; give a document number or id",
                                    document=request.document))])
    entry_of = hb.register.documents[index]
    previous = entry_of.latest.version if entry_of.latest else None
    version = request.version or _next_version(previous)
    base = _base(data_dir, entry_of, previous)
    changes, approves = _changes(data_dir, hb, entry_of, base)
    entry = _entry(request, version, request.changes or changes, approves)
    text = append_release(register, index, entry)
    problems = pipeline.check_edited(data_dir, register.rel, text)
    return Plan(problems, entry, register, text, entry_of.doc_no, previous)


def apply(data_dir: Path, planned: Plan, commit: bool) -> list[str]:
    """Write the register; tag the previous version's text if untagged; with commit, commit and tag. Returns the
    tags made."""
    assert planned.ok and planned.register is not None
    (data_dir / planned.register.rel).write_text(planned.text, encoding="utf-8")
    root, _ = repo_root(data_dir)
    if root is None:
        return []
    made = []
    tags = release_tags(data_dir)
    if planned.previous and release_tag(planned.doc_no, planned.previous) not in tags:
        made.append(_tag(root, release_tag(planned.doc_no, planned.previous), "HEAD"))
    if commit:
        version = planned.entry["version"]
        git(root, "add", "--", str(data_dir.resolve()))
        result = git(root, "commit", "-q", "-m", f"release {planned.doc_no} {version}")
        if result.ok:
            made.append(_tag(root, release_tag(planned.doc_no, version), "HEAD"))
    return made


def _tag(root: Path, tag: str, revision: str) -> str:
    git(root, "tag", tag, revision)
    return tag


def _find(hb: Handbook, name: str) -> int | None:
    return next((n for n, e in enumerate(hb.register.documents) if name in (e.doc_no, e.document)), None)


def _next_version(previous: str | None) -> str:
    if previous is None:
        return "1.0"
    major, minor = (int(part) for part in previous.split("."))
    return f"{major}.{minor + 1}"


def _base(data_dir: Path, entry: Registration, previous: str | None) -> str | None:
    """The revision whose text the new version is compared with: the previous version's tag, else HEAD."""
    if previous and release_tag(entry.doc_no, previous) in release_tags(data_dir):
        return release_tag(entry.doc_no, previous)
    root, _ = repo_root(data_dir)
    return "HEAD" if root is not None else None


def _changes(data_dir: Path, hb: Handbook, entry: Registration, base: str | None) -> tuple[str, list[str]]:
    """The drafted 修改内容 and the ids of drafts this version approves."""
    page = next((d.page for d in documents(hb) if d.id == entry.document), None)
    old = pipeline.handbook_at(data_dir, base).handbook if base else None
    diffs: list[PageDiff] = []
    if old is not None:
        diffs = [p for p in diff_handbooks(old, hb).pages if p.uri == page]
    approves = [c.id for p in diffs for c in p.changes
                if any(f.name == "status" and f.old == "draft" and f.new == "approved" for f in c.fields)]
    edits = [c for p in diffs for c in p.changes if c.id not in approves]
    text = render_template("release_changes.md.j2", edits=edits, approves=approves, first=not entry.releases)
    return " ".join(text.split()), approves


def _entry(request: Request, version: str, changes: str, approves: list[str]) -> dict[str, Any]:
    entry: dict[str, Any] = {"version": version, "approved_by": request.approved_by,
                             "approved_on": request.approved_on, "record": request.record,
                             "effective": request.effective}
    if request.democratic:
        entry["democratic"] = request.democratic
    if request.announced:
        entry["announced"] = request.announced
    if approves:
        entry["approves"] = approves
    entry["changes"] = changes
    return entry


def add_parser(subparsers: Any, say: Callable[[Phrase], str], parents: Iterable[Any] = ()) -> Any:
    parser = subparsers.add_parser("release", parents=list(parents), say=say,
                                   help=say(phrase("record a new version of a document in data/register.yml")))
    parser.add_argument("document", help=say(phrase("the document: its number or its id, e.g. WL-GW-005 or editor")))
    parser.add_argument("--effective", required=True, help=say(phrase("the day it takes effect, YYYY-MM-DD")))
    parser.add_argument("--approved-by", required=True, help=say(phrase("the approving role's id, e.g. gm")))
    parser.add_argument("--approved-on", required=True, help=say(phrase("the day of the approval, YYYY-MM-DD")))
    parser.add_argument("--record", required=True,
                        help=say(phrase("the written record of the approval, e.g. the minutes of a meeting")))
    parser.add_argument("--version", help=say(phrase("the new version (default: the last one plus 0.1)")))
    parser.add_argument("--changes", help=say(phrase("what changed (default: drafted from the diff since the last release)")))
    parser.add_argument("--announced", help=say(phrase("how and when it was announced: CHANNEL:FROM[:TO]")))
    parser.add_argument("--democratic", help=say(phrase("its democratic process: RECORD:DATE")))
    parser.add_argument("--commit", action="store_true",
                        help=say(phrase("commit the data and tag the version's text release/<number>/<version>")))
    return parser


def run(args: argparse.Namespace, lang: str) -> int:
    request = Request(args.document, args.effective, args.approved_by, args.approved_on, args.record, args.version,
                      args.changes, _announced(args.announced), _democratic(args.democratic))
    planned = plan(args.data, request)
    for problem in planned.problems:
        print(format_text(problem, lang), file=sys.stderr)
    if not planned.ok or planned.register is None:
        print(words(phrase("nothing was written"), lang), file=sys.stderr)
        return 1
    tags = apply(args.data, planned, args.commit)
    entry = yaml.safe_dump([planned.entry], allow_unicode=True, sort_keys=False, width=1000)
    print(words(phrase("added version {version} of {doc_no} to {file}:", version=planned.entry["version"],
                       doc_no=planned.doc_no, file=planned.register.path), lang))
    print(entry, end="")
    for tag in tags:
        print(words(phrase("tagged {tag}", tag=tag), lang))
    if not args.commit:
        print(words(phrase("reword the changes if needed, commit, then tag the text: git tag {tag}",
                           tag=release_tag(planned.doc_no, planned.entry["version"])), lang))
    return 0


def _announced(value: str | None) -> dict[str, str] | None:
    if not value:
        return None
    channel, start, *end = value.split(":")
    return {"channel": channel, "from": start, **({"to": end[0]} if end else {})}


def _democratic(value: str | None) -> dict[str, str] | None:
    if not value:
        return None
    record, _, day = value.rpartition(":")
    return {"record": record, "date": day}
