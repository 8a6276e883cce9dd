"""Build stage, part: the department's people (data/people.yml) and what they acknowledged (data/acks/*.yml).

Runs after the register is built, since an acknowledgement names a released version of a registered document.
The rules one acknowledgement must keep are shared with `acks import` (commands/acks.py), which holds every row of
a form export to them before it writes anything: a rule says which record and which field is wrong (a Finding);
the caller says where that is — a line and column of a YAML file here, a row and column of a spreadsheet there.

An acknowledgement may be dated from the day its version was approved (people sign during the 公示, before the
version takes effect) to the day the person left. Whether its text hash matches the version's text is checked
where the texts of the editions are known (views/acknowledgements.py, pipeline.acknowledgement_problems).
"""
from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from .load import SourceDoc
from .messages import Phrase, phrase
from .model import Acknowledgement, Person, Register, Registration, Release, Role, Roster
from .problems import Problem, Severity, did_you_mean

PEOPLE_KEY, ACKS_KEY = "people", "acknowledgements"


@dataclass(frozen=True)
class Finding:
    """One broken rule of one record: the record's index in the list checked, and the field at fault."""

    index: int
    field: str
    code: str
    message: Phrase
    severity: Severity = Severity.ERROR


def build_roster(people: SourceDoc | None, batches: Sequence[SourceDoc], register: Register, roles: Sequence[Role],
                 elsewhere: frozenset[str] = frozenset()) -> tuple[Roster, list[Problem]]:
    """The roster with its acknowledgements, and every problem of both. `elsewhere`: ids of files that could not be
    built (a person's role may be one of them)."""
    found: list[Problem] = []
    persons: tuple[Person, ...] = ()
    if people is not None:
        persons = tuple(_person(raw) for raw in people.data[PEOPLE_KEY])
        found += _located(people, PEOPLE_KEY, check_people(persons, roles, elsewhere))
    acks, places = _acknowledgements(batches)
    by_path = {doc.path: doc for doc in batches}

    def where(index: int) -> str:
        doc, n = places[index]
        return f"{doc.path}:{doc.marks.value((ACKS_KEY, n))[0]}"

    for finding in check_acknowledgements(acks, persons, register, where):
        doc, n = places[finding.index]
        line, column = by_path[doc.path].marks.value((ACKS_KEY, n, finding.field))
        found.append(Problem(doc.path, line, column, finding.code, finding.message, finding.severity))
    data = people.data if people is not None else {}
    roster = Roster(persons, acks, bool(data.get("show_names", True)), data.get("confirm_within_days"),
                    people.rel if people is not None else None)
    return roster, found


def _person(raw: dict[str, Any]) -> Person:
    return Person(raw["staff_no"], raw["name"], raw["role"], raw["joined"], raw.get("left"))


def _acknowledgements(batches: Sequence[SourceDoc]) -> tuple[tuple[Acknowledgement, ...], list[tuple[SourceDoc, int]]]:
    """Every acknowledgement of every batch file, in file order, and where each was written."""
    acks, places = [], []
    for doc in batches:
        for n, raw in enumerate(doc.data[ACKS_KEY]):
            acks.append(acknowledgement(raw, doc.data["channel"], doc.data["evidence"], doc.rel, n))
            places.append((doc, n))
    return tuple(acks), places


def acknowledgement(raw: dict[str, Any], channel: str, evidence: str, source: str, index: int) -> Acknowledgement:
    """One record of a batch, with the batch's channel and evidence (a record may name its own evidence)."""
    return Acknowledgement(raw["staff_no"], raw["name"], raw["doc_no"], raw["version"], raw["text_hash"],
                           raw["confirmed"], channel, raw.get("evidence", evidence), source, index)


def _located(doc: SourceDoc, key: str, findings: list[Finding]) -> list[Problem]:
    return [Problem(doc.path, *doc.marks.value((key, f.index, f.field)), f.code, f.message, f.severity)
            for f in findings]


# -- the rules -------------------------------------------------------------------------------------------------
def check_people(people: Sequence[Person], roles: Sequence[Role], elsewhere: frozenset[str] = frozenset()
                 ) -> list[Finding]:
    """One entry per 工号; each holds a role of the department; dates that exist, and leaving after joining."""
    by_id = {role.id: role for role in roles}
    department = [role.id for role in roles if not role.external]
    first: dict[str, int] = {}
    found = []
    for n, person in enumerate(people):
        if person.staff_no in first:
            found.append(Finding(n, "staff_no", "person-duplicate",
                                 phrase("staff number '{staff_no}' is already listed (entry {entry}); list each "
                                        "person once", staff_no=person.staff_no, entry=first[person.staff_no] + 1)))
        first.setdefault(person.staff_no, n)
        role = by_id.get(person.role)
        if role is None and person.role not in elsewhere:
            found.append(Finding(n, "role", "person-unknown-role",
                                 phrase("unknown role '{role}'{hint}; write the id of a role of the department",
                                        role=person.role, hint=did_you_mean(person.role, department))))
        elif role is not None and role.external:
            found.append(Finding(n, "role", "person-external-role",
                                 phrase("'{role}' ({title}) is a role outside the department; the roster lists the "
                                        "department's people only", role=role.id, title=role.title)))
        found += _dates(n, person)
    return found


def _dates(n: int, person: Person) -> list[Finding]:
    joined, left = parse_day(person.joined), parse_day(person.left) if person.left else None
    found = [Finding(n, key, "bad-date", phrase("'{value}' is no date of the calendar", value=value))
             for key, value, day in (("joined", person.joined, joined), ("left", person.left, left))
             if value and day is None]
    if joined and left and left < joined:
        found.append(Finding(n, "left", "person-left-before-joined",
                             phrase("left on {left}, before joining on {joined}", left=person.left,
                                    joined=person.joined)))
    return found


def parse_day(value: str | None) -> date | None:
    """The day a YYYY-MM-DD text (or the start of a longer one) names, or None when there is no such day."""
    try:
        return date.fromisoformat((value or "")[:10])
    except ValueError:
        return None


def check_acknowledgements(acks: Sequence[Acknowledgement], people: Sequence[Person], register: Register,
                           where: Callable[[int], str]) -> list[Finding]:
    """The rules of every acknowledgement: a person of the roster under their own name, a released version of a
    registered document, dated from its approval to the person's leaving, and recorded once. `where(index)`
    names the place of a record (file:line, or file:row) for the message about a duplicate."""
    persons = {person.staff_no: person for person in people}
    entries = {entry.doc_no: entry for entry in register.documents}
    first: dict[tuple[str, str, str], int] = {}
    found = []
    for n, ack in enumerate(acks):
        found += _person_rules(n, ack, persons)
        entry = entries.get(ack.doc_no)
        if entry is None:
            found.append(Finding(n, "doc_no", "ack-unknown-document",
                                 phrase("'{doc_no}' is not in the register{hint}", doc_no=ack.doc_no,
                                        hint=did_you_mean(ack.doc_no, entries))))
        else:
            found += _release_rules(n, ack, entry, persons.get(ack.staff_no))
        key = (ack.staff_no, ack.doc_no, ack.version)
        if key in first:
            found.append(Finding(n, "staff_no", "ack-duplicate",
                                 phrase("{staff_no} already acknowledged {doc_no} {version} at {place}; keep one "
                                        "record", staff_no=ack.staff_no, doc_no=ack.doc_no, version=ack.version,
                                        place=where(first[key]))))
        first.setdefault(key, n)
    return found


def _person_rules(n: int, ack: Acknowledgement, persons: dict[str, Person]) -> list[Finding]:
    person = persons.get(ack.staff_no)
    if person is None:
        return [Finding(n, "staff_no", "ack-unknown-person",
                        phrase("no person with staff number '{staff_no}' in the roster (people.yml){hint}",
                               staff_no=ack.staff_no, hint=did_you_mean(ack.staff_no, persons)))]
    if ack.name != person.name:
        return [Finding(n, "name", "ack-wrong-name",
                        phrase("'{name}' is not the name of {staff_no}: the roster says '{expected}'",
                               name=ack.name, staff_no=ack.staff_no, expected=person.name))]
    return []


def _release_rules(n: int, ack: Acknowledgement, entry: Registration, person: Person | None) -> list[Finding]:
    release = next((r for r in entry.releases if r.version == ack.version), None)
    if release is None:
        released = ", ".join(r.version for r in entry.releases)
        if released:
            message = phrase("{doc_no} has no released version {version}; its versions: {versions}",
                             doc_no=ack.doc_no, version=ack.version, versions=released)
        else:
            message = phrase("{doc_no} has not been released yet: there is no version {version} to acknowledge",
                             doc_no=ack.doc_no, version=ack.version)
        return [Finding(n, "version", "ack-unknown-version", message)]
    day = parse_day(ack.confirmed)
    if day is None:
        return [Finding(n, "confirmed", "bad-date", phrase("'{value}' is no date of the calendar",
                                                           value=ack.confirmed))]
    return _dated(n, ack, day, release, person)


def _dated(n: int, ack: Acknowledgement, day: date, release: Release, person: Person | None) -> list[Finding]:
    approved = parse_day(release.approval.on) if release.approval else None
    if approved is not None and day < approved:
        return [Finding(n, "confirmed", "ack-before-approval",
                        phrase("acknowledged on {day}, before {doc_no} {version} was approved on {approved}; no one "
                               "can have read a text before it was approved", day=ack.day, doc_no=ack.doc_no,
                               version=ack.version, approved=release.approval.on))]
    left = parse_day(person.left) if person and person.left else None
    if left is not None and day > left:
        return [Finding(n, "confirmed", "ack-after-leaving",
                        phrase("acknowledged on {day}, after {name} left on {left}", day=ack.day, name=person.name,
                               left=person.left))]
    return []
