"""Stage 3: schema-valid SourceDocs -> one Handbook, with the checks that span files.

Checks: ids unique across the handbook, every reference resolves to the right kind of record, no cycle in
reports_to, no department role without duties, every draft names a basis, no approved record cites a draft.
"""
from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any, Iterator

from .load import SourceDoc
from . import diagram, flow, pages
from .pages import DocumentKind
from .register import REGULATION, build_register
from .people import build_roster
from .model import (APPROVED, DRAFT, Status, TargetKind, Chapter, CheckItem, Checklist, Clause, Contact, Control, DocumentControl,
                    DutyGroup, Glossary, Handbook, Item, Onboarding, Phase, Procedure, Purpose, Reading, Relations,
                    Role, Section, Step, Target, Term)
from .messages import Phrase, literal, phrase
from .problems import Problem, Severity, did_you_mean

REGULATION_KINDS = frozenset({"chapter", "clause", "duty", "group", "role"})
ROLE_KINDS = frozenset({"role"})
CHECKLIST_KINDS = frozenset({"checklist"})
ANY_KIND = frozenset({"chapter", "clause", "duty", "group", "role", "procedure", "step", "checklist", "item",
                      "onboarding", "term"})
RESERVED_IDS = frozenset({"index", "search", "assets", "404", "sitemap", "print-page"})
"""Names the site already uses for its own pages and folders."""
DEVICE_NAMES = frozenset({"con", "prn", "aux", "nul", *(f"com{n}" for n in range(1, 10)),
                          *(f"lpt{n}" for n in range(1, 10))})
"""Names Windows cannot use for a file (roles/con.md), so a checkout or a render there would fail."""
PHASES = ("day1", "week1", "month1")

Path_ = tuple[Any, ...]


@dataclass(frozen=True)
class _Ref:
    doc: SourceDoc
    path: Path_
    id: str
    kinds: frozenset[str]
    noun: str
    """What the reference should name, for messages: 'role', 'clause or duty', …"""


@dataclass(frozen=True)
class _Claim:
    """A record's status and effective basis, kept to check the draft rules once all ids are known."""

    doc: SourceDoc
    path: Path_
    status: str
    basis: tuple[str, ...]
    own_basis: bool


class _Builder:
    def __init__(self, elsewhere: frozenset[str] = frozenset()) -> None:
        self.elsewhere = elsewhere
        self.targets: dict[str, Target] = {}
        self.defined_at: dict[str, tuple[SourceDoc, Path_]] = {}
        self.refs: list[_Ref] = []
        self.claims: list[_Claim] = []
        self.problems: list[Problem] = []
        self.uses: dict[str, list[Target]] = {}

    # -- helpers -------------------------------------------------------------------------------------
    def problem(self, doc: SourceDoc, path: Path_, code: str, message: Phrase, key: bool = False) -> None:
        line, column = doc.marks.key(path) if key else doc.marks.value(path)
        self.problems.append(Problem(doc.path, line, column, code, message))

    def define(self, doc: SourceDoc, path: Path_, target: Target, former_ids: tuple[str, ...] = ()) -> None:
        for index, ident in enumerate((target.id, *former_ids)):
            where = path + ("id",) if index == 0 else path + ("former_ids", index - 1)
            if ident in self.defined_at:
                first_doc, first_path = self.defined_at[ident]
                line, _ = first_doc.marks.value(first_path)
                self.problem(doc, where, "duplicate-id",
                             phrase("id '{id}' is already used at {file}:{line}; ids must be unique in the whole "
                                    "handbook", id=ident, file=first_doc.path, line=line))
                continue
            if ident in RESERVED_IDS:
                self.problem(doc, where, "reserved-id",
                             phrase("id '{id}' is reserved by the site; choose another", id=ident))
            elif ident in DEVICE_NAMES:
                self.problem(doc, where, "reserved-id",
                             phrase("id '{id}' is a device name on Windows and cannot name a file; choose another",
                                    id=ident))
            self.defined_at[ident] = (doc, where)
            if index == 0:
                self.targets[ident] = target

    def ref(self, doc: SourceDoc, path: Path_, ident: str | None, kinds: frozenset[str], noun: str) -> None:
        if ident is not None:
            self.refs.append(_Ref(doc, path, ident, kinds, noun))

    def status_basis(self, doc: SourceDoc, path: Path_, raw: dict[str, Any], parent_status: str,
                     parent_basis: tuple[str, ...]) -> tuple[str, tuple[str, ...]]:
        """Effective status and basis of a record: its own, else inherited; registers basis refs and the claim."""
        status = Status(raw.get("status", parent_status))
        own = tuple(raw.get("basis", ()))
        for index, ident in enumerate(own):
            self.ref(doc, path + ("basis", index), ident, REGULATION_KINDS, "clause, duty or role")
        self.claims.append(_Claim(doc, path, status, own or parent_basis, bool(own)))
        return status, own or parent_basis

    def cite(self, basis: tuple[str, ...], page: Target) -> None:
        """Record that the page-level record `page` (a procedure, checklist or onboarding) carries out basis."""
        for ident in basis:
            users = self.uses.setdefault(ident, [])
            if page not in users:
                users.append(page)


def control_of(doc: SourceDoc) -> Control:
    data = doc.data
    return Control(source=doc.rel, owner=data.get("owner"), review_by=data.get("review_by"),
                   former_ids=tuple(data.get("former_ids", ())))


# -- records ---------------------------------------------------------------------------------------------
def _item(b: _Builder, doc: SourceDoc, here: Path_, raw: dict[str, Any], kind: str, page: str, number: str,
          status: str, basis: tuple[str, ...], parent: str, group: str | None = None) -> Item:
    item_status, item_basis = b.status_basis(doc, here, raw, status, basis)
    former = tuple(raw.get("former_ids", ()))
    b.define(doc, here, Target(raw["id"], kind, page, raw["id"], number, item_status, parent, group), former)
    children = tuple(_item(b, doc, here + ("items", index), child, kind, page, f"{number}.{index + 1}",
                           item_status, item_basis, parent, group)
                     for index, child in enumerate(raw.get("items", [])))
    return Item(raw["id"], number, raw["text"], item_status, item_basis, children, former)


def _items(b: _Builder, doc: SourceDoc, path: Path_, raws: list[dict[str, Any]], kind: str, page: str,
           status: str, basis: tuple[str, ...], parent: str, group: str | None = None) -> tuple[Item, ...]:
    return tuple(_item(b, doc, path + (index,), raw, kind, page, str(index + 1), status, basis, parent, group)
                 for index, raw in enumerate(raws))


def build_chapter(b: _Builder, doc: SourceDoc, number: int) -> Chapter:
    data, page = doc.data, pages.REGULATION
    status, basis = b.status_basis(doc, (), data, APPROVED, ())
    b.define(doc, (), Target(data["id"], TargetKind.CHAPTER, page, data["id"], data["title"], status),
             tuple(data.get("former_ids", ())))
    clauses = []
    for index, raw in enumerate(data["clauses"]):
        if "role" in raw:
            b.ref(doc, ("clauses", index, "role"), raw["role"], ROLE_KINDS, "role")
            clauses.append(Clause(index + 1, role_id=raw["role"]))
            continue
        item = _item(b, doc, ("clauses", index), raw, TargetKind.CLAUSE, page, str(index + 1), status, basis,
                     data["title"])
        clauses.append(Clause(index + 1, item=item))
    return Chapter(data["id"], number, data["title"], status, basis, control_of(doc), data.get("intro"),
                   tuple(clauses))


def build_role(b: _Builder, doc: SourceDoc) -> Role:
    data = doc.data
    role_id, page = data["id"], pages.role_page(data["id"])
    status, basis = b.status_basis(doc, (), data, APPROVED, ())
    b.define(doc, (), Target(role_id, TargetKind.ROLE, page, None, data["title"], status), tuple(data.get("former_ids", ())))
    b.ref(doc, ("reports_to",), data.get("reports_to"), ROLE_KINDS, "role")
    groups = []
    if "duties" in data:
        groups.append(DutyGroup(None, None, status, basis,
                                _items(b, doc, ("duties",), data["duties"], TargetKind.DUTY, page, status, basis,
                                       data["title"])))
    for index, raw in enumerate(data.get("duty_groups", [])):
        here = ("duty_groups", index)
        group_status, group_basis = b.status_basis(doc, here, raw, status, basis)
        b.define(doc, here, Target(raw["id"], TargetKind.GROUP, page, raw["id"], raw["title"], group_status, data["title"]))
        duties = _items(b, doc, here + ("duties",), raw["duties"], TargetKind.DUTY, page, group_status, group_basis,
                        data["title"], raw["title"])
        groups.append(DutyGroup(raw["id"], raw["title"], group_status, group_basis, duties))
    if not groups and not data.get("external"):
        b.problem(doc, (), "role-without-duties",
                  phrase("role '{role}' has no duties; add 'duties' (or 'duty_groups'), or set 'external: true' "
                         "for a role outside the department", role=role_id))
    return Role(role_id, data["title"], data["department"], bool(data.get("external")), status, basis,
                control_of(doc), data.get("reports_to"), data.get("intro"),
                _purpose(b, doc, data, status, basis), tuple(groups),
                *(_section(b, doc, data, key, status, basis) for key in ("authority", "qualifications", "kpis")),
                _relations(b, doc, data, status, basis))


def _purpose(b: _Builder, doc: SourceDoc, data: dict[str, Any], status: str, basis: tuple[str, ...]
             ) -> Purpose | None:
    raw = data.get("purpose")
    if raw is None:
        return None
    own_status, own_basis = b.status_basis(doc, ("purpose",), raw, status, basis)
    return Purpose(own_status, own_basis, raw["text"])


def _section(b: _Builder, doc: SourceDoc, data: dict[str, Any], key: str, status: str,
             basis: tuple[str, ...]) -> Section | None:
    raw = data.get(key)
    if raw is None:
        return None
    own_status, own_basis = b.status_basis(doc, (key,), raw, status, basis)
    return Section(own_status, own_basis, tuple(raw["items"]))


def _relations(b: _Builder, doc: SourceDoc, data: dict[str, Any], status: str,
               basis: tuple[str, ...]) -> Relations | None:
    raw = data.get("relations")
    if raw is None:
        return None
    own_status, own_basis = b.status_basis(doc, ("relations",), raw, status, basis)
    return Relations(own_status, own_basis, tuple(raw.get("internal", ())), tuple(raw.get("external", ())))


def _basis(doc: SourceDoc) -> tuple[str, ...]:
    """The basis a top-level record names itself (it has nothing to inherit from)."""
    return tuple(doc.data.get("basis", ()))


def _page_record(b: _Builder, doc: SourceDoc, kind: str, page: str, label: str) -> Target:
    """Register a record that has a page of its own (procedure, checklist, onboarding): its id, its basis
    (which it carries out) and its owner."""
    data = doc.data
    status, basis = b.status_basis(doc, (), data, APPROVED, ())
    target = Target(data["id"], kind, page, None, label, status)
    b.define(doc, (), target, tuple(data.get("former_ids", ())))
    b.cite(basis, target)
    b.ref(doc, ("owner",), data.get("owner"), ROLE_KINDS, "role")
    return target


def build_procedure(b: _Builder, doc: SourceDoc) -> Procedure:
    data = doc.data
    target = _page_record(b, doc, TargetKind.PROCEDURE, pages.procedure_page(data["id"]), data["title"])
    page, status = target.page, target.status
    steps = []
    for index, raw in enumerate(data["steps"]):
        here = ("steps", index)
        _, step_basis = b.status_basis(doc, here, raw, status, ())
        step_target = Target(raw["id"], TargetKind.STEP, page, raw["id"], str(index + 1), status, data["title"])
        b.define(doc, here, step_target)
        b.cite(step_basis, target)
        b.ref(doc, here + ("actor",), raw["actor"], ROLE_KINDS, "role")
        b.ref(doc, here + ("checklist",), raw.get("checklist"), CHECKLIST_KINDS, "checklist")
        for path, role_id in flow.role_refs(raw):
            b.ref(doc, here + path, role_id, ROLE_KINDS, "role")
        steps.append(Step(raw["id"], index + 1, raw["actor"], raw.get("action", raw.get("question", "")), step_basis,
                          raw.get("output"), raw.get("time_limit"), raw.get("checklist"), **flow.step_flow(data, index)))
    procedure = Procedure(data["id"], data["title"], status, _basis(doc), control_of(doc), data["trigger"],
                          tuple(steps), data.get("purpose"), tuple(data.get("notes", ())), flow.ends_of(data, steps))
    return replace(procedure, chart=diagram.layout(procedure))


def _check_items(b: _Builder, doc: SourceDoc, path: Path_, raws: list[dict[str, Any]], owner: Target,
                 label: str) -> tuple[CheckItem, ...]:
    items = []
    for index, raw in enumerate(raws):
        here = path + (index,)
        _, basis = b.status_basis(doc, here, raw, owner.status, ())
        b.define(doc, here, Target(raw["id"], TargetKind.ITEM, owner.page, raw["id"], str(index + 1), owner.status, label))
        b.cite(basis, owner)
        b.ref(doc, here + ("owner",), raw["owner"], ROLE_KINDS, "role")
        items.append(CheckItem(raw["id"], raw["text"], raw["owner"], basis))
    return tuple(items)


def build_checklist(b: _Builder, doc: SourceDoc) -> Checklist:
    data = doc.data
    target = _page_record(b, doc, TargetKind.CHECKLIST, pages.checklist_page(data["id"]), data["title"])
    items = _check_items(b, doc, ("items",), data["items"], target, data["title"])
    return Checklist(data["id"], data["title"], target.status, _basis(doc), control_of(doc), items,
                     data.get("purpose"), data.get("period"))


def build_onboarding(b: _Builder, doc: SourceDoc) -> Onboarding:
    data = doc.data
    target = _page_record(b, doc, TargetKind.ONBOARDING, pages.onboarding_page(data["role"]), data["role"])
    b.ref(doc, ("role",), data["role"], ROLE_KINDS, "role")
    for index, raw in enumerate(data["reading"]):
        b.ref(doc, ("reading", index, "ref"), raw["ref"], ANY_KIND, "page or record")
    for index, raw in enumerate(data["contacts"]):
        b.ref(doc, ("contacts", index, "role"), raw["role"], ROLE_KINDS, "role")
    role_target = b.targets.get(data["role"])
    label = role_target.label if role_target else data["role"]
    phases = tuple(Phase(key, _check_items(b, doc, (key,), data[key], target, label)) for key in PHASES)
    return Onboarding(data["id"], data["role"], target.status, _basis(doc), control_of(doc),
                      tuple(Reading(r["ref"], r.get("note")) for r in data["reading"]),
                      tuple(Contact(c["role"], c["topic"]) for c in data["contacts"]), phases)


def build_glossary(b: _Builder, doc: SourceDoc) -> Glossary:
    data = doc.data
    status, basis = b.status_basis(doc, (), data, APPROVED, ())
    b.ref(doc, ("owner",), data.get("owner"), ROLE_KINDS, "role")
    terms = []
    for index, raw in enumerate(data["terms"]):
        here = ("terms", index)
        term_status, term_basis = b.status_basis(doc, here, raw, status, basis)
        former = tuple(raw.get("former_ids", ()))
        b.define(doc, here, Target(raw["id"], TargetKind.TERM, pages.GLOSSARY, raw["id"], raw["term"], term_status), former)
        terms.append(Term(raw["id"], raw["term"], tuple(raw.get("aliases", ())), raw["meaning"], term_status,
                          term_basis, former))
    return Glossary(data["title"], status, basis, control_of(doc), tuple(terms))


def build_document(b: _Builder, doc: SourceDoc) -> DocumentControl:
    data = doc.data
    status, _ = b.status_basis(doc, (), data, APPROVED, ())
    b.ref(doc, ("owner",), data.get("owner"), ROLE_KINDS, "role")
    return DocumentControl(data["title"], data["body_title"], data["publisher"], data["interpreter"], status,
                           data["department"], control_of(doc))


# -- the whole handbook ------------------------------------------------------------------------------------
def build_handbook(docs: list[SourceDoc], elsewhere: frozenset[str] = frozenset()
                   ) -> tuple[Handbook | None, list[Problem]]:
    """Build the Handbook from schema-valid docs; None when a cross-file check failed.

    `elsewhere`: ids defined in files that could not be built; references to them are not reported.
    """
    b = _Builder(elsewhere)
    by_kind: dict[str, list[SourceDoc]] = {}
    for doc in docs:
        by_kind.setdefault(doc.kind, []).append(doc)
    if not by_kind.get("handbook"):
        b.problems.append(Problem("data/handbook.yml", 0, 0, "missing-file",
                                  phrase("data/handbook.yml is missing; it holds the title, version and revision "
                                         "history")))
        return None, b.problems
    document = build_document(b, by_kind["handbook"][0])
    chapters = tuple(build_chapter(b, doc, n) for n, doc in enumerate(by_kind.get("chapter", []), start=1))
    roles = [build_role(b, doc) for doc in by_kind.get("role", [])]
    procedures = tuple(build_procedure(b, doc) for doc in by_kind.get("procedure", []))
    checklists = tuple(build_checklist(b, doc) for doc in by_kind.get("checklist", []))
    onboardings = tuple(build_onboarding(b, doc) for doc in by_kind.get("onboarding", []))
    glossary = build_glossary(b, by_kind["glossary"][0]) if by_kind.get("glossary") else None
    register, found = build_register(next(iter(by_kind.get("register", [])), None),
                                     _registrable(roles, procedures, checklists, onboardings, glossary),
                                     frozenset(role.id for role in roles), b.elsewhere)
    b.problems += found
    roster, found = build_roster(next(iter(by_kind.get("people", [])), None), by_kind.get("acknowledgements", []),
                                 register, roles, b.elsewhere)
    b.problems += found
    _check_refs(b)
    _check_claims(b)
    _check_reports_to(b, roles, by_kind.get("role", []))
    _check_onboarding(b, onboardings, roles, by_kind.get("onboarding", []))
    b.problems += flow.check_procedures(procedures, by_kind.get("procedure", []), roles, checklists, b.targets,
                                        b.elsewhere)
    if any(p.severity == Severity.ERROR for p in b.problems):
        return None, b.problems
    handbook = Handbook(document, chapters, _ordered_roles(roles, chapters), procedures, checklists, onboardings,
                        glossary, b.targets, {k: tuple(v) for k, v in b.uses.items()}, register, roster)
    return handbook, b.problems


def _registrable(roles: list[Role], procedures: tuple[Procedure, ...], checklists: tuple[Checklist, ...],
                 onboardings: tuple[Onboarding, ...], glossary: Glossary | None) -> dict[str, DocumentKind]:
    """Every document that the register must number: document id -> kind."""
    kinds = {REGULATION: DocumentKind.REGULATION}
    kinds |= {r.id: DocumentKind.ROLE for r in roles} | {p.id: DocumentKind.PROCEDURE for p in procedures}
    kinds |= {c.id: DocumentKind.CHECKLIST for c in checklists} | {o.id: DocumentKind.ONBOARDING for o in onboardings}
    if glossary is not None:
        kinds["glossary"] = DocumentKind.GLOSSARY
    return kinds


def declared_ids(value: Any) -> Iterator[str]:
    """Every id and former id written anywhere in a document's data, whatever its shape."""
    if isinstance(value, dict):
        for key, item in value.items():
            if key == "id" and isinstance(item, str):
                yield item
            elif key == "former_ids" and isinstance(item, list):
                yield from (i for i in item if isinstance(i, str))
            else:
                yield from declared_ids(item)
    elif isinstance(value, list):
        for item in value:
            yield from declared_ids(item)


def _check_refs(b: _Builder) -> None:
    for ref in b.refs:
        target = b.targets.get(ref.id)
        if target is not None and target.kind in ref.kinds or target is None and ref.id in b.elsewhere:
            continue
        candidates = [t.id for t in b.targets.values() if t.kind in ref.kinds]
        if target is None:
            message = _unknown(ref.noun, ref.id, did_you_mean(ref.id, candidates))
        else:
            message = phrase("'{id}' is a {kind}, but a {noun} is expected here", id=ref.id,
                             kind=KIND_WORDS.get(target.kind) or literal(target.kind),
                             noun=NOUN_WORDS.get(ref.noun) or literal(ref.noun))
        b.problem(ref.doc, ref.path, "unknown-ref", message)


KIND_WORDS = {
    "chapter": phrase("chapter"), "clause": phrase("clause"), "duty": phrase("duty"), "group": phrase("group"),
    "role": phrase("role"), "procedure": phrase("procedure"), "step": phrase("step"),
    "checklist": phrase("checklist"), "item": phrase("item"), "onboarding": phrase("onboarding"),
    "term": phrase("term"),
}
"""Each kind of record, as a reference error names it."""
NOUN_WORDS = {"role": phrase("role"), "checklist": phrase("checklist"),
              "clause, duty or role": phrase("clause, duty or role"), "page or record": phrase("page or record")}
"""What a reference should name, as its error says it."""


def _unknown(noun: str, ident: str, hint: Phrase) -> Phrase:
    """`unknown role 'x'`: one sentence per noun, so that each reads well in every language."""
    if noun == "role":
        return phrase("unknown role '{id}'{hint}", id=ident, hint=hint)
    if noun == "checklist":
        return phrase("unknown checklist '{id}'{hint}", id=ident, hint=hint)
    if noun == "clause, duty or role":
        return phrase("unknown clause, duty or role '{id}'{hint}", id=ident, hint=hint)
    if noun == "page or record":
        return phrase("unknown page or record '{id}'{hint}", id=ident, hint=hint)
    return phrase("unknown {noun} '{id}'{hint}", noun=literal(noun), id=ident, hint=hint)


def _check_claims(b: _Builder) -> None:
    for claim in b.claims:
        if claim.status == DRAFT and not claim.basis:
            b.problem(claim.doc, claim.path, "draft-without-basis",
                      phrase("draft content must name its basis: add 'basis: [<id of the clause or duty it rests "
                             "on>]'"))
        if claim.status == APPROVED and claim.own_basis:
            for ident in claim.basis:
                target = b.targets.get(ident)
                if target is not None and target.status == DRAFT:
                    b.problem(claim.doc, claim.path, "approved-cites-draft",
                              phrase("approved content cites draft '{id}' as its basis; approve '{id}' first "
                                     "or mark this content 'status: draft'", id=ident))


def _check_reports_to(b: _Builder, roles: list[Role], docs: list[SourceDoc]) -> None:
    superior = {role.id: role.reports_to for role in roles}
    reported: set[str] = set()
    for role, doc in zip(roles, docs):
        seen = [role.id]
        current = superior.get(role.id)
        while current is not None and current in superior and current not in seen:
            seen.append(current)
            current = superior[current]
        if current in seen and not reported & set(seen):
            reported.update(seen)
            chain = " → ".join(seen[seen.index(current):] + [current])
            b.problem(doc, ("reports_to",), "reports-to-cycle",
                      phrase("reports_to forms a cycle ({chain}); one role in it must report outside the cycle",
                             chain=chain))


def _check_onboarding(b: _Builder, onboardings: tuple[Onboarding, ...], roles: list[Role],
                      docs: list[SourceDoc]) -> None:
    seen: dict[str, SourceDoc] = {}
    for onboarding, doc in zip(onboardings, docs):
        if onboarding.role in seen:
            b.problem(doc, ("role",), "duplicate-onboarding",
                      phrase("role '{role}' already has an onboarding in {file}", role=onboarding.role,
                             file=seen[onboarding.role].path))
        seen[onboarding.role] = doc


def _ordered_roles(roles: list[Role], chapters: tuple[Chapter, ...]) -> tuple[Role, ...]:
    """Roles in the order the regulation lists them, then department roles it does not list, then outsiders."""
    listed = [clause.role_id for chapter in chapters for clause in chapter.clauses if clause.role_id]
    rank = {role_id: index for index, role_id in enumerate(listed)}
    return tuple(sorted(roles, key=lambda role: (role.external, rank.get(role.id, len(rank)))))
