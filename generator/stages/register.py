"""Build stage, part: the register of controlled documents (data/register.yml) and the rules of a release.

Runs after the other records are built, since it checks the register against them: every document is
registered once under a number of its kind, every release is approved, dated and (for a rule touching employees'
interests) went through a 民主程序 and was announced before it takes effect.
"""
from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date
from typing import Any

from .load import SourceDoc
from .model import (Approval, DemocraticProcess, Notice, Register, Registration, Release, Repeal)
from .pages import DocumentKind
from .messages import Phrase, phrase
from .problems import Problem, Severity

CATEGORY = {DocumentKind.REGULATION: "ZD", DocumentKind.ROLE: "GW", DocumentKind.PROCEDURE: "LC",
            DocumentKind.CHECKLIST: "QD", DocumentKind.ONBOARDING: "RZ", DocumentKind.GLOSSARY: "SY"}
"""The middle part of a 文件编号 for each kind of document (WL-GW-005: a job description)."""
REGULATION = "regulation"
"""The register's name for the regulation itself (data/handbook.yml with data/regulation/)."""

Path_ = tuple[Any, ...]


def build_register(doc: SourceDoc | None, kinds: Mapping[str, DocumentKind], roles: frozenset[str],
                   elsewhere: frozenset[str] = frozenset()) -> tuple[Register, list[Problem]]:
    """The register, checked against `kinds` (every document id that must be registered -> its kind) and the
    role ids an approver may name; `elsewhere`: ids of files that could not be built, taken as known. A handbook without a register (a small example tree) has no numbered
    documents: all of them are drafts."""
    if doc is None:
        return Register(()), []
    checker = _Checker(doc, elsewhere)
    entries = tuple(checker.registration(("documents", n), raw, kinds, roles)
                    for n, raw in enumerate(doc.data["documents"]))
    checker.unregistered(kinds, entries)
    return Register(entries, doc.data.get("draft_max_age_days"), doc.rel), checker.problems


class _Checker:
    def __init__(self, doc: SourceDoc, elsewhere: frozenset[str]) -> None:
        self.doc = doc
        self.elsewhere = elsewhere
        self.problems: list[Problem] = []
        self.numbers: dict[str, int] = {}
        self.documents: dict[str, int] = {}

    def problem(self, path: Path_, code: str, message: Phrase, severity: Severity = Severity.ERROR) -> None:
        line, column = self.doc.marks.value(path)
        self.problems.append(Problem(self.doc.path, line, column, code, message, severity))

    def registration(self, here: Path_, raw: dict[str, Any], kinds: Mapping[str, DocumentKind],
                     roles: frozenset[str]) -> Registration:
        doc_no, document = raw["doc_no"], raw["document"]
        kind = kinds.get(document)
        if kind is None and document not in self.elsewhere:
            self.problem(here + ("document",), "register-unknown-document",
                         phrase("'{document}' is no document of the handbook; expected '{regulation}', 'glossary' "
                                "or the id of a role, procedure, checklist or onboarding",
                                document=document, regulation=REGULATION))
        elif kind is not None and doc_no.split("-")[1] != CATEGORY[kind]:
            self.problem(here + ("doc_no",), "register-wrong-category",
                         phrase("{doc_no} is numbered as {written}, but '{document}' is a {kind}; its number "
                                "takes {category}", doc_no=doc_no, written=doc_no.split("-")[1], document=document,
                                kind=str(kind), category=CATEGORY[kind]))
        self._unique(self.numbers, doc_no, here + ("doc_no",), "register-duplicate-number")
        self._unique(self.documents, document, here + ("document",), "register-duplicate-document")
        touches = bool(raw.get("touches_employees", False))
        releases = tuple(self.release(here + ("releases", n), r, touches, roles)
                         for n, r in enumerate(raw["releases"]))
        self._order(here, releases)
        repealed = raw.get("repealed")
        return Registration(doc_no, document, touches, releases,
                            Repeal(repealed["date"], repealed["record"], repealed.get("replaced_by"))
                            if repealed else None)

    def _unique(self, seen: dict[str, int], value: str, path: Path_, code: str) -> None:
        if value in seen:
            self.problem(path, code, phrase("'{value}' is already registered at line {line}; each document is "
                                            "registered once, under one number", value=value, line=seen[value]))
        else:
            seen[value] = self.doc.marks.value(path)[0]

    def release(self, here: Path_, raw: dict[str, Any], touches: bool, roles: frozenset[str]) -> Release:
        approval = None
        if "legacy" not in raw:
            missing = [key for key in ("approved_by", "approved_on", "record", "effective") if key not in raw]
            if missing:
                self.problem(here, "release-unapproved",
                             phrase("version {version} lacks {keys}; a release names who approved it, when, on what "
                                    "record, and when it takes effect", version=raw["version"],
                                    keys=", ".join(missing)))
            else:
                approval = Approval(raw["approved_by"], raw["approved_on"], raw["record"])
                self._approval(here, raw, roles, touches)
        elif "approved_by" in raw:
            approval = Approval(raw["approved_by"], raw.get("approved_on", ""), raw.get("record", ""))
        democratic = raw.get("democratic")
        announced = raw.get("announced")
        return Release(raw["version"], raw["changes"], raw.get("legacy"), approval, raw.get("effective"),
                       DemocraticProcess(democratic["record"], democratic["date"]) if democratic else None,
                       Notice(announced["channel"], announced["from"], announced.get("to")) if announced else None,
                       tuple(raw.get("approves", ())))

    def _approval(self, here: Path_, raw: dict[str, Any], roles: frozenset[str], touches: bool) -> None:
        if raw["approved_by"] not in roles | self.elsewhere:
            self.problem(here + ("approved_by",), "release-unknown-approver",
                         phrase("'{approver}' is no role id; write the id of the approving role, e.g. gm",
                                approver=raw["approved_by"]))
        effective = date.fromisoformat(raw["effective"])
        if effective < date.fromisoformat(raw["approved_on"]):
            self.problem(here + ("effective",), "release-effective-before-approval",
                         phrase("version {version} takes effect on {effective}, before it was approved on "
                                "{approved}; the effective date is on or after the approval", version=raw["version"],
                                effective=raw["effective"], approved=raw["approved_on"]))
        if not touches:
            return
        version = raw["version"]
        if "democratic" not in raw:
            self.problem(here, "release-no-democratic",
                         phrase("version {version} touches employees' interests but records no democratic process; "
                                "it cannot be in force without one (Labour Contract Law, article 4)", version=version))
        elif date.fromisoformat(raw["democratic"]["date"]) > effective:
            self.problem(here + ("democratic",), "release-late-democratic",
                         phrase("the democratic process of version {version} comes after its effective date "
                                "{effective}; it must come before", version=version, effective=raw["effective"]))
        if "announced" not in raw:
            self.problem(here, "release-no-announced",
                         phrase("version {version} touches employees' interests but records no announcement to the "
                                "employees; it cannot be in force without one (Labour Contract Law, article 4)",
                                version=version))
        elif date.fromisoformat(raw["announced"]["from"]) > effective:
            self.problem(here + ("announced",), "release-late-announced",
                         phrase("the announcement of version {version} comes after its effective date {effective}; "
                                "it must come before", version=version, effective=raw["effective"]))

    def _order(self, here: Path_, releases: tuple[Release, ...]) -> None:
        versions = [tuple(int(part) for part in r.version.split(".")) for r in releases]
        for n in range(1, len(versions)):
            if versions[n] <= versions[n - 1]:
                self.problem(here + ("releases", n, "version"), "release-version-order",
                             phrase("version {version} does not follow {previous}; list releases from the oldest to "
                                    "the newest, each with a higher version", version=releases[n].version,
                                    previous=releases[n - 1].version))

    def unregistered(self, kinds: Mapping[str, DocumentKind], entries: tuple[Registration, ...]) -> None:
        registered = {entry.document for entry in entries}
        for document, kind in kinds.items():
            if document not in registered:
                number = next_number(entries, kind)
                self.problem(("documents",), "register-missing",
                             phrase("'{document}' is not registered; add `- doc_no: {number}` with "
                                    "`document: {document}` and `releases: []` under documents",
                                    document=document, number=number))


def next_number(entries: tuple[Registration, ...], kind: DocumentKind, prefix: str = "WL") -> str:
    """The next free 文件编号 of a kind (numbers are never reused)."""
    pattern = re.compile(rf"^([A-Z]+)-{CATEGORY[kind]}-([0-9]{{3}})$")
    used = [pattern.match(entry.doc_no) for entry in entries]
    numbers = [int(m.group(2)) for m in used if m]
    prefix = next((m.group(1) for m in used if m), prefix)
    return f"{prefix}-{CATEGORY[kind]}-{max(numbers, default=0) + 1:03d}"
