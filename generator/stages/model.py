"""The handbook as typed, immutable objects. No I/O here: build.py makes them, render.py reads them."""
from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from functools import cached_property
from typing import Any, Generic, Iterable, TypeVar

T = TypeVar("T")



class Status(StrEnum):
    """Whether a record is approved regulation or a draft the handbook adds (草案)."""

    APPROVED = "approved"
    DRAFT = "draft"


APPROVED = Status.APPROVED
DRAFT = Status.DRAFT


class TargetKind(StrEnum):
    """What kind of record an id names, which decides how a reference to it reads."""

    CHAPTER = "chapter"
    CLAUSE = "clause"
    DUTY = "duty"
    GROUP = "group"
    ROLE = "role"
    PROCEDURE = "procedure"
    STEP = "step"
    CHECKLIST = "checklist"
    ITEM = "item"
    ONBOARDING = "onboarding"
    TERM = "term"


@dataclass(frozen=True)
class Control:
    """Document control of one data file: who owns it, when it is due for review, where it comes from."""

    source: str
    """Path of the YAML file relative to data/, e.g. roles/designer.yml."""
    owner: str | None = None
    review_by: str | None = None
    former_ids: tuple[str, ...] = ()


@dataclass(frozen=True)
class Item:
    """A numbered piece of text with an anchor: a clause, a clause item, a duty or a sub-duty."""

    id: str
    number: str
    """Generated position within its list, e.g. '7' or '7.2'."""
    text: str
    status: Status
    basis: tuple[str, ...] = ()
    """Effective basis: the item's own, else the nearest enclosing record's."""
    items: tuple[Item, ...] = ()
    former_ids: tuple[str, ...] = ()

    @property
    def full_text(self) -> str:
        return self.text + "".join(child.text for child in self.items)


@dataclass(frozen=True)
class DutyGroup:
    id: str | None
    title: str | None
    status: Status
    basis: tuple[str, ...]
    duties: tuple[Item, ...]


@dataclass(frozen=True)
class Section:
    """A list section of a job description (工作权限, 任职资格, 考核指标)."""

    status: Status
    basis: tuple[str, ...]
    items: tuple[str, ...]


@dataclass(frozen=True)
class Relations:
    status: Status
    basis: tuple[str, ...]
    internal: tuple[str, ...]
    external: tuple[str, ...]


@dataclass(frozen=True)
class Purpose:
    status: Status
    basis: tuple[str, ...]
    text: str


@dataclass(frozen=True)
class Role:
    id: str
    title: str
    department: str
    external: bool
    status: Status
    basis: tuple[str, ...]
    control: Control
    reports_to: str | None = None
    intro: str | None = None
    purpose: Purpose | None = None
    groups: tuple[DutyGroup, ...] = ()
    authority: Section | None = None
    qualifications: Section | None = None
    kpis: Section | None = None
    relations: Relations | None = None

    @property
    def duties(self) -> tuple[Item, ...]:
        return tuple(duty for group in self.groups for duty in group.duties)


@dataclass(frozen=True)
class Clause:
    """A clause of a chapter: either text (with items) or the duties of a role (role_id set)."""

    number: int
    item: Item | None = None
    role_id: str | None = None


@dataclass(frozen=True)
class Chapter:
    id: str
    number: int
    title: str
    status: Status
    basis: tuple[str, ...]
    control: Control
    intro: str | None
    clauses: tuple[Clause, ...]


@dataclass(frozen=True)
class Branch:
    """Where the flow goes after a step: for a decision, one labelled answer; for an action, its only way on."""

    to: str
    """Id of a step of the same procedure, or of one of its ends."""
    when: str | None = None
    """The answer that leads here (a decision's branch); None for an action's way on."""
    back: bool = False
    """A marked loop (back_to): returns to an earlier step on purpose."""


@dataclass(frozen=True)
class End:
    """A named outcome of a procedure (已退款, 转部门经理 …)."""

    id: str
    title: str | None
    """None for the end a procedure reaches after its last step when it names no end of its own."""
    procedure: str | None = None
    """Id of the procedure this outcome hands over to."""


DEFAULT_END = "done"
"""Id of the end after the last step of a procedure (a procedure may name it in its ends)."""


@dataclass(frozen=True)
class Step:
    id: str
    number: int
    actor: str
    action: str
    """What the actor does; for a decision, the question asked."""
    basis: tuple[str, ...]
    output: str | None = None
    time_limit: str | None = None
    checklist: str | None = None
    branches: tuple[Branch, ...] = ()
    """Where the flow goes next: a decision's answers, or an action's one way on."""
    decision: bool = False
    accountable: str = ""
    """The role that answers for the step (A); the actor unless the data names another."""
    consulted: tuple[str, ...] = ()
    informed: tuple[str, ...] = ()

    @property
    def roles(self) -> tuple[str, ...]:
        """Every role taking part in the step: actor, accountable, consulted, informed."""
        return tuple(dict.fromkeys((self.actor, self.accountable or self.actor, *self.consulted, *self.informed)))

    def part(self, role_id: str) -> str:
        """The role's part in the step as RACI letters, e.g. 'RA', 'C' or ''."""
        letters = [("R", role_id == self.actor), ("A", role_id == (self.accountable or self.actor)),
                   ("C", role_id in self.consulted), ("I", role_id in self.informed)]
        return "".join(letter for letter, taken in letters if taken)


RACI = ("R", "A", "C", "I")


@dataclass(frozen=True)
class Procedure:
    id: str
    title: str
    status: Status
    basis: tuple[str, ...]
    control: Control
    trigger: str
    steps: tuple[Step, ...]
    purpose: str | None = None
    notes: tuple[str, ...] = ()
    ends: tuple[End, ...] = ()
    """The outcomes the steps lead to, in the order the data names them (the default end last)."""
    chart: Any = field(default=None, compare=False)
    """The swimlane diagram, laid out when the handbook is built (a stages/diagram.py Chart)."""

    @property
    def actors(self) -> tuple[str, ...]:
        """Role ids that carry out steps, in order of first appearance: the lanes of the diagram."""
        return tuple(dict.fromkeys(step.actor for step in self.steps))

    @property
    def roles(self) -> tuple[str, ...]:
        """Every role taking part (R, A, C or I), actors first, in order of first appearance."""
        return tuple(dict.fromkeys((*self.actors, *(r for step in self.steps for r in step.roles))))

    @property
    def participants(self) -> tuple[str, ...]:
        """Every role taking part (R, A, C or I), then its owner: the roles a procedure concerns."""
        return tuple(dict.fromkeys((*self.roles, *filter(None, [self.control.owner]))))

    @cached_property
    def nodes(self) -> dict[str, Step | End]:
        """Steps and ends by id: where a branch leads."""
        return {**{end.id: end for end in self.ends}, **{step.id: step for step in self.steps}}

    def part(self, role_id: str) -> str:
        """The role's part in the procedure as RACI letters, in R, A, C, I order; A only where the role answers
        for a step that another role carries out (an actor answers for its own steps)."""
        return "".join(letter for letter in RACI if self.steps_as(role_id, letter))

    def steps_as(self, role_id: str, letter: str) -> tuple[Step, ...]:
        """The steps in which the role has the part `letter` (R, A, C or I); for A, only the steps another role
        carries out."""
        return tuple(step for step in self.steps if letter in step.part(role_id)
                     and not (letter == "A" and step.actor == role_id))


@dataclass(frozen=True)
class CheckItem:
    id: str
    text: str
    owner: str
    basis: tuple[str, ...]


@dataclass(frozen=True)
class Checklist:
    id: str
    title: str
    status: Status
    basis: tuple[str, ...]
    control: Control
    items: tuple[CheckItem, ...]
    purpose: str | None = None
    period: str | None = None


@dataclass(frozen=True)
class Reading:
    ref: str
    note: str | None


@dataclass(frozen=True)
class Contact:
    role: str
    topic: str


@dataclass(frozen=True)
class Phase:
    key: str
    """day1, week1 or month1; the template names them."""
    items: tuple[CheckItem, ...]


@dataclass(frozen=True)
class Onboarding:
    id: str
    role: str
    status: Status
    basis: tuple[str, ...]
    control: Control
    reading: tuple[Reading, ...]
    contacts: tuple[Contact, ...]
    phases: tuple[Phase, ...]

    @property
    def items(self) -> tuple[CheckItem, ...]:
        return tuple(item for phase in self.phases for item in phase.items)


@dataclass(frozen=True)
class Term:
    id: str
    term: str
    aliases: tuple[str, ...]
    meaning: str
    status: Status
    basis: tuple[str, ...]
    former_ids: tuple[str, ...] = ()


@dataclass(frozen=True)
class Glossary:
    title: str
    status: Status
    basis: tuple[str, ...]
    control: Control
    terms: tuple[Term, ...]


@dataclass(frozen=True)
class DocumentControl:
    """data/handbook.yml: the regulation's title block. Its number, versions and their dates are in the register
    (data/register.yml), like every other document's."""

    title: str
    body_title: str
    publisher: str
    interpreter: str
    status: Status
    department: str
    control: Control


@dataclass(frozen=True)
class Approval:
    by: str
    """Role id of the approver, e.g. gm."""
    on: str
    record: str
    """The record the approval is written in, e.g. 总经理办公会纪要 2026-12-05."""


@dataclass(frozen=True)
class Notice:
    """How and when a version was announced to employees (公示 / 告知)."""

    channel: str
    start: str
    end: str | None = None


@dataclass(frozen=True)
class DemocraticProcess:
    """The 民主程序 a rule touching employees' interests went through (《劳动合同法》第四条)."""

    record: str
    on: str


@dataclass(frozen=True)
class Release:
    """One released version of a document: the state of its text at a release."""

    version: str
    changes: str
    legacy: str | None = None
    """Set for a version that predates the handbook: what the original is and which facts it lacks."""
    approval: Approval | None = None
    effective: str | None = None
    democratic: DemocraticProcess | None = None
    announced: Notice | None = None
    approves: tuple[str, ...] = ()
    """Ids of the drafts this release approved."""


@dataclass(frozen=True)
class Repeal:
    on: str
    record: str
    replaced_by: str | None = None
    """The doc_no of the document that replaces it."""


@dataclass(frozen=True)
class Registration:
    """A document's entry in the register (data/register.yml): its number and its releases."""

    doc_no: str
    document: str
    """regulation, glossary, or the id of a role, procedure, checklist or onboarding."""
    touches_employees: bool
    releases: tuple[Release, ...]
    repealed: Repeal | None = None

    @property
    def latest(self) -> Release | None:
        return self.releases[-1] if self.releases else None


@dataclass(frozen=True)
class Register:
    documents: tuple[Registration, ...]
    draft_max_age_days: int | None = None
    source: str = "register.yml"

    @cached_property
    def by_document(self) -> dict[str, Registration]:
        return {entry.document: entry for entry in self.documents}


@dataclass(frozen=True)
class Target:
    """Where an id lives on the site: its page (a .md path) and anchor."""

    id: str
    kind: TargetKind
    page: str
    anchor: str | None
    label: str
    """The record's own title, or its number within its list for numbered items."""
    status: Status
    parent: str | None = None
    """Title of the record that holds a numbered item (its role, chapter, procedure or checklist)."""
    group: str | None = None
    """Title of the duty group (e.g. 售前) of a duty in a group: numbers restart in each group."""


GROUP_ABOVE = 30
"""A list of more records than this is shown by department, on the pages that list the whole handbook and in the
menu: a page or a menu section that grows with the company would cost every reader (and every page) N entries."""


@dataclass(frozen=True)
class Listing(Generic[T]):
    """The records of one kind across the handbook (roles, procedures, checklists, onboarding), for the pages and
    menu sections that list them."""

    records: tuple[T, ...]
    """In data order."""
    by_department: dict[str, tuple[T, ...]]
    """The same records grouped by the department of their role (the record's own role, or the role owning it),
    departments in role order; records whose owner is not a role come last, under ''."""

    @property
    def grouped(self) -> bool:
        """Whether the list is long enough to be shown by department."""
        return len(self.records) > GROUP_ABOVE and len(self.by_department) > 1


@dataclass(frozen=True)
class Handbook:
    document: DocumentControl
    chapters: tuple[Chapter, ...]
    roles: tuple[Role, ...]
    """Department roles in the regulation's order, then roles outside the department."""
    procedures: tuple[Procedure, ...]
    checklists: tuple[Checklist, ...]
    onboardings: tuple[Onboarding, ...]
    glossary: Glossary | None
    targets: dict[str, Target] = field(default_factory=dict)
    uses: dict[str, tuple[Target, ...]] = field(default_factory=dict)
    """For each clause or duty id, the procedures, checklists and onboardings that cite it as basis."""
    register: Register = field(default_factory=lambda: Register(()))
    roster: Roster = field(default_factory=lambda: Roster())
    """The department's people and what they acknowledged (data/people.yml, data/acks/); empty without them."""

    # Lookups the pages need, derived once per handbook so that rendering N pages stays linear in N.
    @cached_property
    def _roles_by_id(self) -> dict[str, Role]:
        return {role.id: role for role in self.roles}

    def role(self, role_id: str) -> Role:
        return self._roles_by_id[role_id]

    @cached_property
    def subordinates(self) -> dict[str, tuple[Role, ...]]:
        """直接下级 of each role id, in role order."""
        return _group((role.reports_to, role) for role in self.roles if role.reports_to)

    @cached_property
    def procedures_by_role(self) -> dict[str, tuple[Procedure, ...]]:
        """The procedures each role acts in or owns."""
        return _group((role_id, p) for p in self.procedures for role_id in p.participants)

    @cached_property
    def checklists_by_role(self) -> dict[str, tuple[Checklist, ...]]:
        """The checklists each role owns or has items in."""
        return _group((role_id, c) for c in self.checklists
                      for role_id in dict.fromkeys((*filter(None, [c.control.owner]), *(i.owner for i in c.items))))

    @cached_property
    def onboarding_by_role(self) -> dict[str, Onboarding]:
        return {onboarding.role: onboarding for onboarding in self.onboardings}

    @cached_property
    def steps_by_checklist(self) -> dict[str, tuple[Step, ...]]:
        """The procedure steps that use each checklist."""
        return _group((step.checklist, step) for p in self.procedures for step in p.steps if step.checklist)

    @cached_property
    def listings(self) -> dict[str, Listing[Any]]:
        """The records of each listed kind by folder: roles, procedures, checklists, onboarding."""
        department = {role.id: role.department for role in self.roles}
        order = {name: index for index, name in enumerate(dict.fromkeys(department.values()))}

        def listed(records: Iterable[Any], owner: Any) -> Listing[Any]:
            records = tuple(records)
            groups = _group((department.get(owner(record) or "", ""), record) for record in records)
            return Listing(records, dict(sorted(groups.items(), key=lambda group: order.get(group[0], len(order)))))

        return {
            "roles": listed(self.roles, lambda role: role.id),
            "procedures": listed(self.procedures, lambda p: p.control.owner),
            "checklists": listed(self.checklists, lambda c: c.control.owner),
            "onboarding": listed(self.onboardings, lambda o: o.role),
        }

    @staticmethod
    def department_anchor(department: str, prefix: str) -> str:
        """The anchor of a department's heading in a list shown by department: the same in every build, whatever
        the department is called; the prefix tells apart two lists on one page."""
        return prefix + "-" + hashlib.sha1(department.encode("utf-8")).hexdigest()[:8]

    def with_superiors(self, roles: Iterable[Role]) -> tuple[Role, ...]:
        """These roles and their 直接上级, in role order: the boxes of an org chart of these roles."""
        ids = {ident for role in roles for ident in (role.id, role.reports_to) if ident}
        return tuple(role for role in self.roles if role.id in ids)

    def taking_part(self, procedures: Iterable[Procedure]) -> tuple[Role, ...]:
        """The roles that own or take part in (R, A, C or I) any of these procedures, in role order: the columns
        of their RACI table."""
        ids = {role_id for p in procedures for role_id in p.participants}
        return tuple(role for role in self.roles if role.id in ids)

    @cached_property
    def general_chapters(self) -> tuple[Chapter, ...]:
        """Chapters that hold no role's duties, so apply to everyone (e.g. 总则)."""
        return tuple(c for c in self.chapters if not any(clause.role_id for clause in c.clauses))

    @cached_property
    def clause_by_role(self) -> dict[str, tuple[Chapter, Clause]]:
        """The chapter and clause of the regulation that hold each role's duties."""
        return {clause.role_id: (chapter, clause) for chapter in self.chapters for clause in chapter.clauses
                if clause.role_id}


def _group(pairs: Iterable[tuple[str, T]]) -> dict[str, tuple[T, ...]]:
    grouped: dict[str, list[T]] = {}
    for key, value in pairs:
        grouped.setdefault(key, []).append(value)
    return {key: tuple(values) for key, values in grouped.items()}


@dataclass(frozen=True)
class Person:
    """One member of the department (data/people.yml): only what the handbook needs, nothing more."""

    staff_no: str
    """工号."""
    name: str
    role: str
    """The id of the role the person holds (岗位)."""
    joined: str
    """入职日期, YYYY-MM-DD."""
    left: str | None = None
    """离职日期, YYYY-MM-DD, once the person has left."""

    def active_on(self, day: date) -> bool:
        """On the staff that day: joined on or before it and not left before it."""
        iso = day.isoformat()
        return self.joined <= iso and (self.left is None or iso <= self.left)


@dataclass(frozen=True)
class Acknowledgement:
    """One person's confirmation that they read one version of one document (a 签收单 line or a form entry)."""

    staff_no: str
    name: str
    doc_no: str
    version: str
    text_hash: str
    """The text hash of the version as the person was shown it (views/acknowledgements.py text_hash)."""
    confirmed: str
    """YYYY-MM-DD, or YYYY-MM-DD HH:MM when the form recorded the time."""
    channel: str
    """纸质签收单, 企业微信, 钉钉, 飞书 or 邮件."""
    evidence: str
    """Where the proof is: the scanned sheet's file name, the form export, the form's record id."""
    source: str
    """Its file relative to data/, e.g. acks/2026-11-regulation.yml."""
    index: int
    """Its place in that file's list of acknowledgements."""

    @property
    def day(self) -> str:
        return self.confirmed[:10]


@dataclass(frozen=True)
class Roster:
    """The department's people and their acknowledgements. Without data/people.yml (source None) the handbook
    tracks no acknowledgements and shows no names."""

    people: tuple[Person, ...] = ()
    acknowledgements: tuple[Acknowledgement, ...] = ()
    show_names: bool = True
    """Whether the site may show names (role pages, 组织架构, 签收情况); off, it shows 工号 only."""
    confirm_within_days: int | None = None
    """How long people have to confirm a version in force (from its effective date, or from joining) before
    `generator check` warns; None: no warning."""
    source: str | None = None

    @cached_property
    def by_staff_no(self) -> dict[str, Person]:
        return {person.staff_no: person for person in self.people}

    def active(self, day: date) -> tuple[Person, ...]:
        """The people on the staff that day, in roster order."""
        return tuple(person for person in self.people if person.active_on(day))

