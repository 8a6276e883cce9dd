"""Clause by clause, where an imported regulation differs from the handbook's data: which texts differ, what only
one side has, and which drafts of the handbook the imported original would replace (e.g. 售后, 网站编辑 when the
full .doc arrives). Read-only; templates/import/compare.md.j2 words the result."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable

from ..stages.model import Chapter, DutyGroup, Handbook, Item, Role, Status
from .ingest_text import ChapterText, Duty, Regulation, RoleText

SAME, DIFFERS, ONLY_IMPORT, ONLY_DATA, REPLACES_DRAFT = "same", "differs", "only-import", "only-data", "replaces-draft"


@dataclass(frozen=True)
class Place:
    """Where in the regulation: chapter number, clause number, role title, group title, duty / item number."""

    chapter: int
    clause: int | None = None
    role: str | None = None
    group: str | None = None
    item: int | None = None
    field: str = "text"
    """title, intro, reports_to, text, or all (a whole clause, role or group)."""


@dataclass(frozen=True)
class Difference:
    kind: str
    place: Place
    imported: str | None = None
    data: str | None = None
    data_status: str | None = None
    line: int | None = None
    """Source line of the imported text."""
    count: int | None = None
    """For a whole role or group: how many duties it holds."""


@dataclass(frozen=True)
class Comparison:
    differences: tuple[Difference, ...]
    same: int

    def of_kind(self, kind: str) -> list[Difference]:
        return [d for d in self.differences if d.kind == kind]


def compare(regulation: Regulation, hb: Handbook) -> Comparison:
    found: list[Difference] = []
    same = 0
    for index, chapter in enumerate(regulation.chapters):
        known = hb.chapters[index] if index < len(hb.chapters) else None
        if known is None:
            found.append(Difference(ONLY_IMPORT, Place(chapter.number, field="all"), chapter.title, line=chapter.line))
            continue
        same += _compare_chapter(chapter, known, hb, found)
    for known in hb.chapters[len(regulation.chapters):]:
        found.append(Difference(ONLY_DATA, Place(known.number, field="all"), data=known.title,
                                data_status=known.status))
    return Comparison(tuple(found), same)


def _text(kind_place: Place, imported: str | None, data: str | None, status: str | None, line: int | None,
          found: list[Difference]) -> int:
    """One text compared; 1 when the same. Original text where data/ holds a draft replaces that draft, even
    when the words agree (the draft then becomes original text)."""
    if imported is not None and data is not None and status == Status.DRAFT:
        found.append(Difference(REPLACES_DRAFT, kind_place, imported, data, status, line))
        return 0
    if imported == data:
        return 1
    if data is None:
        found.append(Difference(ONLY_IMPORT, kind_place, imported, line=line))
    elif imported is None:
        found.append(Difference(ONLY_DATA, kind_place, data=data, data_status=status))
    else:
        found.append(Difference(DIFFERS, kind_place, imported, data, status, line))
    return 0


def _compare_chapter(chapter: ChapterText, known: Chapter, hb: Handbook, found: list[Difference]) -> int:
    same = _text(Place(chapter.number, field="title"), chapter.title, known.title, known.status, chapter.line, found)
    same += _text(Place(chapter.number, field="intro"), chapter.intro, known.intro, known.status, chapter.line, found)
    seen_roles: set[str] = set()
    for index, clause in enumerate(chapter.clauses):
        old = known.clauses[index] if index < len(known.clauses) else None
        place = Place(chapter.number, clause.number)
        if clause.role:
            role = next((r for r in hb.roles if r.title == clause.role.title), None)
            if role is None:
                found.append(Difference(ONLY_IMPORT, Place(chapter.number, clause.number, clause.role.title, field="all"),
                                        clause.role.title, line=clause.role.line, count=len(clause.role.duties)))
                continue
            seen_roles.add(role.id)
            same += _compare_role(clause.role, role, chapter.number, clause.number, found)
        elif old is None or old.item is None:
            found.append(Difference(ONLY_IMPORT, place, clause.text, line=clause.line))
        else:
            same += _text(place, clause.text, old.item.text, old.item.status, clause.line, found)
            same += _items(clause.items, old.item.items, place, found)
    for old in known.clauses[len(chapter.clauses):]:
        if old.role_id and old.role_id not in seen_roles:
            role = hb.role(old.role_id)
            found.append(Difference(ONLY_DATA, Place(chapter.number, old.number, role.title, field="all"),
                                    data=role.title, data_status=role.status, count=len(role.duties)))
        elif old.item:
            found.append(Difference(ONLY_DATA, Place(chapter.number, old.number), data=old.item.text,
                                    data_status=old.item.status))
    return same


def _compare_role(role: RoleText, known: Role, chapter: int, clause: int, found: list[Difference]) -> int:
    same = _text(Place(chapter, clause, role.title, field="intro"), role.intro, known.intro, known.status,
                 role.line, found)
    groups = {group.title: group for group in known.groups}
    for group in role.groups:
        old = groups.pop(group.title, None)
        place = Place(chapter, clause, role.title, group.title)
        if old is None:
            found.append(Difference(ONLY_IMPORT, Place(chapter, clause, role.title, group.title, field="all"),
                                    group.title, line=group.line, count=len(group.duties)))
            continue
        same += _duties(group.duties, old, place, found)
    for old in groups.values():
        found.append(Difference(ONLY_DATA, Place(chapter, clause, role.title, old.title, field="all"),
                                data=old.title, data_status=old.status, count=len(old.duties)))
    return same


def _duties(duties: list[Duty], old: DutyGroup, place: Place, found: list[Difference]) -> int:
    same = 0
    for index in range(max(len(duties), len(old.duties))):
        new = duties[index] if index < len(duties) else None
        was = old.duties[index] if index < len(old.duties) else None
        here = Place(place.chapter, place.clause, place.role, place.group, index + 1)
        same += _text(here, _full(new) if new else None, was.full_text if was else None,
                      was.status if was else None, new.line if new else None, found)
    return same


def _items(items: Iterable[Duty], old: tuple[Item, ...], place: Place, found: list[Difference]) -> int:
    items = list(items)
    same = 0
    for index in range(max(len(items), len(old))):
        new = items[index] if index < len(items) else None
        was = old[index] if index < len(old) else None
        same += _text(Place(place.chapter, place.clause, item=index + 1), new.text if new else None,
                      was.text if was else None, was.status if was else None, new.line if new else None, found)
    return same


def _full(duty: Duty) -> str:
    return duty.text + "".join(item.text for item in duty.items)
