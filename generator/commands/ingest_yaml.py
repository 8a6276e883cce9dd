"""An imported regulation -> data files (regulation/NN-<chapter>.yml, roles/<role>.yml) in the handbook's schema.

Ids follow the handbook given as reference where the titles match (chapters and roles by title, clauses and
duties by position, as data/ numbers them: manager-7, manager-7-1, cs-presale-3); elsewhere they are
placeholders (chapter-2, role-1) that the review report lists. Everything is written as status draft: an editor
reviews the text and approves it.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from ..stages.model import Chapter, DutyGroup, Handbook, Item, Role
from .ingest_text import ChapterText, Duty, Group, Note, Regulation, RoleText, vocabulary

DRAFT = "draft"


@dataclass
class DataFiles:
    files: dict[str, dict[str, Any]] = field(default_factory=dict)
    """Path relative to the output folder -> the YAML document."""
    notes: list[Note] = field(default_factory=list)
    role_ids: dict[str, str] = field(default_factory=dict)
    """Role title -> id."""


def to_data(regulation: Regulation, reference: Handbook | None = None) -> DataFiles:
    out = DataFiles()
    known_roles = {role.title: role for role in reference.roles} if reference else {}
    out.role_ids = _role_ids(regulation, known_roles, out.notes)
    chapters = {c.title: c for c in reference.chapters} if reference else {}
    for chapter in regulation.chapters:
        known = chapters.get(chapter.title)
        ident = known.id if known else f"chapter-{chapter.number}"
        if known is None:
            out.notes.append(Note("new-id", chapter.line, chapter.title, {"id": ident}))
        out.files[f"regulation/{chapter.number:02d}-{ident}.yml"] = _chapter(chapter, ident, known, out)
        for clause in chapter.clauses:
            if clause.role:
                role_id = out.role_ids[clause.role.title]
                out.files[f"roles/{role_id}.yml"] = _role(clause.role, role_id, known_roles.get(clause.role.title),
                                                          regulation, known_roles, out)
    return out


def _role_ids(regulation: Regulation, known: dict[str, Role], notes: list[Note]) -> dict[str, str]:
    ids: dict[str, str] = {}
    for number, role in enumerate(regulation.roles, start=1):
        if role.title in known:
            ids[role.title] = known[role.title].id
        else:
            ids[role.title] = f"role-{number}"
            notes.append(Note("new-id", role.line, role.title, {"id": ids[role.title]}))
    return ids


def _chapter(chapter: ChapterText, ident: str, known: Chapter | None, out: DataFiles) -> dict[str, Any]:
    data: dict[str, Any] = {"id": ident, "title": chapter.title, "status": DRAFT}
    if chapter.intro:
        data["intro"] = chapter.intro
    clauses = []
    for clause in chapter.clauses:
        if clause.role:
            clauses.append({"role": out.role_ids[clause.role.title]})
            continue
        old = known.clauses[clause.number - 1].item if known and clause.number <= len(known.clauses) else None
        clause_id = old.id if old else f"{ident}-{clause.number}"
        entry: dict[str, Any] = {"id": clause_id, "text": clause.text}
        if clause.items:
            entry["items"] = [{"id": _child_id(old, n, clause_id), "text": item.text}
                              for n, item in enumerate(clause.items, start=1)]
        clauses.append(entry)
    data["clauses"] = clauses
    return data


def _child_id(old: Item | None, number: int, parent_id: str) -> str:
    if old is not None and number <= len(old.items):
        return old.items[number - 1].id
    return f"{parent_id}-{number}"


def _role(role: RoleText, ident: str, known: Role | None, regulation: Regulation, known_roles: dict[str, Role],
          out: DataFiles) -> dict[str, Any]:
    department = known.department if known else re.sub(vocabulary()["title_suffix"], "", regulation.title)
    data: dict[str, Any] = {"id": ident, "title": role.title, "department": department, "status": DRAFT}
    boss = _boss_id(role, out.role_ids, known_roles, out.notes)
    if boss:
        data["reports_to"] = boss
    if role.intro:
        data["intro"] = role.intro
    groups = role.groups
    if len(groups) == 1 and groups[0].title is None:
        old = known.groups[0] if known and known.groups and known.groups[0].title is None else None
        data["duties"] = _duties(groups[0].duties, old, ident)
    else:
        data["duty_groups"] = [_group(group, n, ident, known) for n, group in enumerate(groups, start=1)]
    return data


def _boss_id(role: RoleText, imported: dict[str, str], known: dict[str, Role], notes: list[Note]) -> str | None:
    if not role.boss:
        return None
    if role.boss in imported:
        return imported[role.boss]
    if role.boss in known:
        return known[role.boss].id
    # 网络技术部经理 for 部门经理: the title may carry the department in front.
    for title, ident in imported.items():
        if role.boss.endswith(title):
            return ident
    notes.append(Note("boss-unknown", role.line, role.boss))
    return None


def _group(group: Group, number: int, role_id: str, known: Role | None) -> dict[str, Any]:
    old = next((g for g in known.groups if g.title == group.title), None) if known else None
    ident = old.id if old and old.id else f"{role_id}-group-{number}"
    return {"id": ident, "title": group.title or "", "duties": _duties(group.duties, old, ident)}


def _duties(duties: list[Duty], old: DutyGroup | None, prefix: str) -> list[dict[str, Any]]:
    found = []
    for n, duty in enumerate(duties, start=1):
        previous = old.duties[n - 1] if old and n <= len(old.duties) else None
        ident = previous.id if previous else f"{prefix}-{n}"
        entry: dict[str, Any] = {"id": ident, "text": duty.text}
        if duty.items:
            entry["items"] = [{"id": _child_id(previous, k, ident), "text": sub.text}
                              for k, sub in enumerate(duty.items, start=1)]
        found.append(entry)
    return found


class _Dumper(yaml.SafeDumper):
    """Lists indented under their key, as the files in data/ are written."""

    def increase_indent(self, flow: bool = False, indentless: bool = False) -> Any:
        return super().increase_indent(flow, False)


def dump(document: dict[str, Any], heading: str) -> str:
    body = yaml.dump(document, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=1000)
    return "".join(f"# {line}\n" for line in heading.splitlines()) + body


def write_files(files: dict[str, str], out_dir: Path) -> list[Path]:
    written = []
    for rel, text in files.items():
        path = out_dir / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        written.append(path)
    return written
