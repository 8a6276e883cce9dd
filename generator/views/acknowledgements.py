"""Who has acknowledged which version: per document version, the people it applies to and who confirmed it.

The text hash of a version is a sha256 over the approved text of the document's page in the handbook of that
version (the records `views/changes.py` flattens it into, drafts left out, since they are no part of a version),
shortened to 12 hex digits for a paper sheet. An acknowledgement counts for a version when it is for that version,
or for another version of the same document whose text hashes the same: a new version whose text changed
resets everyone to 待确认, an unchanged one keeps their confirmations. An acknowledgement whose recorded hash does
not match its version's text counts for nothing (`pipeline.acknowledgement_problems` reports it).

Who a document applies to: the regulation and the glossary, the whole department; a 岗位说明书 and an onboarding
guide, the holders of the role; a procedure or checklist, the holders of the roles that take part in it. People
count from the day they join to the day they leave. Pure: the day and the texts of the editions are parameters.
"""
from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import cached_property

from ..stages import pages as site
from ..stages.model import Acknowledgement, Handbook, Person, Status
from ..stages.pages import Document, DocumentKind
from ..stages.people import parse_day
from .changes import Page, flatten
from .lifecycle import DocumentState, Edition, Standing

HASH_LENGTH = 12
CONTROL_FIELDS = frozenset({"status", "owner", "review_by"})
"""Fields of a page that are document control, not text a reader agrees to."""
ROLE_SECTIONS = {"purpose": "purpose", "authority": "authority", "qualifications": "qualifications",
                 "kpis": "kpis", "internal": "relations", "external": "relations"}
"""Fields of a role's flattened page that come from a section with a status of its own."""


def text_hash(hb: Handbook, document: Document, pages: Mapping[str, Page] | None = None) -> str | None:
    """The text hash of `document` as `hb` holds it (None when hb lacks its page). `pages`: flatten(hb), if
    already made."""
    page = (pages if pages is not None else flatten(hb)).get(document.page.split("#")[0])
    if page is None:
        return None
    if page.fields.get("status") == Status.DRAFT:
        content: list[object] = [page.title]
    else:
        drafts = _draft_sections(hb, document)
        fields = {k: v for k, v in page.fields.items() if k not in CONTROL_FIELDS and k not in drafts}
        records = [[r.kind, r.label, {k: v for k, v in r.fields.items()
                                      if k != "status" and (r.kind != "chapter" or k not in CONTROL_FIELDS)}]
                   for r in page.records.values() if r.fields.get("status") != Status.DRAFT]
        content = [page.title, fields, records]
    text = json.dumps(content, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:HASH_LENGTH]


def _draft_sections(hb: Handbook, document: Document) -> frozenset[str]:
    if document.kind != DocumentKind.ROLE:
        return frozenset()
    role = next((r for r in hb.roles if r.id == document.id), None)
    sections = {name: getattr(role, attribute, None) for name, attribute in ROLE_SECTIONS.items()}
    return frozenset(name for name, part in sections.items() if part is not None and part.status == Status.DRAFT)


@dataclass(frozen=True)
class Entry:
    """One person a version applies to, and the acknowledgement that counts for it, if any."""

    person: Person
    ack: Acknowledgement | None = None

    @property
    def confirmed(self) -> bool:
        return self.ack is not None


@dataclass(frozen=True)
class Sheet:
    """One version of one document: its text hash and, for each person it applies to today, confirmed or not."""

    state: DocumentState
    edition: Edition
    text_hash: str | None
    """None when the text of the version is not kept (an old version without its release tag)."""
    entries: tuple[Entry, ...]
    page: str
    """Its 签收单 (editions/<文件编号>/<版本>/signoff.md)."""

    @property
    def confirmed(self) -> tuple[Entry, ...]:
        return tuple(e for e in self.entries if e.confirmed)

    @property
    def pending(self) -> tuple[Entry, ...]:
        return tuple(e for e in self.entries if not e.confirmed)

    def of_role(self, role_id: str) -> tuple[Entry, ...]:
        return tuple(e for e in self.entries if e.person.role == role_id)


@dataclass(frozen=True)
class Mismatch:
    """An acknowledgement whose recorded text hash is not that of its version's text."""

    ack: Acknowledgement
    expected: str


@dataclass(frozen=True)
class Overdue:
    """A version in force that some people have not confirmed within the time the roster allows."""

    sheet: Sheet
    late: tuple[Entry, ...]


@dataclass(frozen=True)
class Acknowledgements:
    """The view the pages read (the `acks` global of the templates). Disabled without a roster."""

    hb: Handbook
    today: date
    states: Mapping[str, DocumentState] = field(default_factory=dict)
    sheets: dict[tuple[str, str], Sheet] = field(default_factory=dict)
    """Every version of every registered document, by (文件编号, 版本)."""
    mismatches: tuple[Mismatch, ...] = ()

    @property
    def enabled(self) -> bool:
        return self.hb.roster.source is not None

    @property
    def show_names(self) -> bool:
        return self.hb.roster.show_names

    def hash_of(self, edition: Edition | None) -> str | None:
        sheet = self.sheets.get((edition.doc_no, edition.release.version)) if edition else None
        return sheet.text_hash if sheet else None

    def sheet_of(self, edition: Edition | None) -> Sheet | None:
        return self.sheets.get((edition.doc_no, edition.release.version)) if edition else None

    @staticmethod
    def detail_page(state: DocumentState) -> str:
        """The page of one document's 签收情况."""
        return site.acknowledgements_page(state.registration.doc_no)

    def audience(self, document: Document) -> tuple[str, ...]:
        """The ids of the roles whose holders the document applies to, in role order."""
        roles = _audience_roles(self.hb, document)
        return tuple(role.id for role in self.hb.roles if role.id in roles)

    def current(self, document_id: str) -> Sheet | None:
        """The sheet of the document's version in force today."""
        return next((s for s in self.of_document(document_id) if s.edition.standing == Standing.IN_FORCE), None)

    def of_document(self, document_id: str) -> tuple[Sheet, ...]:
        """The sheets of a document's versions in force or pending (approved, not yet in effect), oldest first."""
        return self._by_document.get(document_id, ())

    @cached_property
    def _by_document(self) -> dict[str, tuple[Sheet, ...]]:
        found: dict[str, list[Sheet]] = {}
        for sheet in self.sheets.values():
            if sheet.edition.standing in (Standing.IN_FORCE, Standing.PENDING):
                found.setdefault(sheet.state.document.id, []).append(sheet)
        return {key: tuple(value) for key, value in found.items()}

    @cached_property
    def documents(self) -> tuple[DocumentState, ...]:
        """The documents that have a version in force or pending, in site order."""
        return tuple(sheets[0].state for sheets in self._by_document.values())

    def role_documents(self, role_id: str) -> tuple[DocumentState, ...]:
        """The registered documents that apply to a role's holders, in site order: the regulation, the role's
        own 岗位说明书 and onboarding guide, the procedures and checklists it takes part in, the glossary."""
        return tuple(state for state in self.states.values() if role_id in _audience_roles(self.hb, state.document))

    def holders(self, role_id: str) -> tuple[Person, ...]:
        return tuple(p for p in self.hb.roster.active(self.today) if p.role == role_id)

    @cached_property
    def people(self) -> tuple[Person, ...]:
        """The people on the staff today."""
        return self.hb.roster.active(self.today)

    def pending_for(self, person: Person) -> tuple[Sheet, ...]:
        """The versions in force that the person has yet to confirm."""
        return tuple(sheet for state in self.documents if (sheet := self.current(state.document.id))
                     and any(e.person is person and not e.confirmed for e in sheet.entries))

    def overdue(self) -> tuple[Overdue, ...]:
        """Versions in force longer than the roster's confirm_within_days with someone still to confirm; a
        person's time runs from the later of the effective date and their joining."""
        limit = self.hb.roster.confirm_within_days
        if not limit:
            return ()
        found = []
        for state in self.documents:
            sheet = self.current(state.document.id)
            if sheet is None:
                continue
            effective = parse_day(sheet.edition.release.effective)
            late = tuple(e for e in sheet.pending
                         if self.today > max(filter(None, [effective, parse_day(e.person.joined)]))
                         + timedelta(days=limit))
            if late:
                found.append(Overdue(sheet, late))
        return tuple(found)


def acknowledgements(hb: Handbook, states: Mapping[str, DocumentState], editions: Mapping[tuple[str, str], Handbook],
                     today: date) -> Acknowledgements:
    """The view of the day: every version's text hash and who confirmed it. `editions`: the handbook at each
    tagged release (the current one stands for the newest version without a tag)."""
    if hb.roster.source is None:
        return Acknowledgements(hb, today, states)
    hashes = _hashes(hb, states, editions)
    mismatches = tuple(Mismatch(ack, hashes[key]) for ack in hb.roster.acknowledgements
                       if (key := (ack.doc_no, ack.version)) in hashes and hashes[key] is not None
                       and ack.text_hash != hashes[key])
    bad = {id(m.ack) for m in mismatches}
    valid = [ack for ack in hb.roster.acknowledgements if id(ack) not in bad]
    people = hb.roster.active(today)
    sheets = {}
    for state in states.values():
        audience = _audience(hb, state.document, people)
        for edition in state.editions:
            key = (edition.doc_no, edition.release.version)
            entries = tuple(Entry(person, _counting(person, state, edition, valid, hashes)) for person in audience)
            sheets[key] = Sheet(state, edition, hashes.get(key), entries,
                                site.signoff_page(edition.doc_no, edition.release.version))
    return Acknowledgements(hb, today, states, sheets, mismatches)


def _hashes(hb: Handbook, states: Mapping[str, DocumentState],
            editions: Mapping[tuple[str, str], Handbook]) -> dict[tuple[str, str], str | None]:
    flattened: dict[int, dict[str, Page]] = {}
    found: dict[tuple[str, str], str | None] = {}
    for state in states.values():
        for edition in state.editions:
            key = (edition.doc_no, edition.release.version)
            source = editions.get(key) or (hb if edition is state.latest else None)
            if source is None:
                found[key] = None
                continue
            pages = flattened.setdefault(id(source), flatten(source))
            found[key] = text_hash(source, state.document, pages)
    return found


def _counting(person: Person, state: DocumentState, edition: Edition, acks: list[Acknowledgement],
              hashes: Mapping[tuple[str, str], str | None]) -> Acknowledgement | None:
    """The person's acknowledgement that counts for the edition: of this version, else of a version with the
    same text hash; the newest of those."""
    target = hashes.get((edition.doc_no, edition.release.version))
    mine = [a for a in acks if a.staff_no == person.staff_no and a.doc_no == edition.doc_no]
    same = [a for a in mine if a.version == edition.release.version]
    same = same or [a for a in mine if target is not None and hashes.get((a.doc_no, a.version)) == target]
    return max(same, key=lambda a: a.confirmed, default=None)


def _audience_roles(hb: Handbook, document: Document) -> frozenset[str]:
    """The roles whose holders a document applies to."""
    department = frozenset(role.id for role in hb.roles if not role.external)
    if document.kind in (DocumentKind.REGULATION, DocumentKind.GLOSSARY):
        return department
    if document.kind == DocumentKind.ROLE:
        return frozenset({document.id})
    if document.kind == DocumentKind.ONBOARDING:
        return frozenset(o.role for o in hb.onboardings if o.id == document.id)
    takes_part = hb.procedures_by_role if document.kind == DocumentKind.PROCEDURE else hb.checklists_by_role
    return frozenset(role_id for role_id, records in takes_part.items() if any(r.id == document.id for r in records))


def _audience(hb: Handbook, document: Document, people: tuple[Person, ...]) -> tuple[Person, ...]:
    roles = _audience_roles(hb, document)
    return tuple(person for person in people if person.role in roles)
