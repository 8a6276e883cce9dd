"""What changed between two handbooks: for a reviewer (`generator diff`), for a release's 修改内容 and for the
history of a clause across editions. Read-only and pure.

`diff_handbooks(old, new)` flattens each handbook into pages of records keyed by id (duties, steps,
checklist items, terms, clauses, ...), then compares them record by record and field by field. A record
whose `former_ids` names a removed id counts as the same record, renamed.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Iterable

from ..stages import pages as site
from ..stages.model import Handbook, Item, Role

ADDED, REMOVED, CHANGED, RENAMED = "added", "removed", "changed", "renamed"


@dataclass(frozen=True)
class Record:
    """One comparable thing on a page: its kind (duty, step, item, term, ...), a label and its fields."""

    id: str
    kind: str
    label: str
    fields: dict[str, str]
    former_ids: tuple[str, ...] = ()


@dataclass(frozen=True)
class Page:
    uri: str
    kind: str
    """regulation, role, procedure, checklist, onboarding, glossary or document."""
    title: str
    fields: dict[str, str]
    records: dict[str, Record] = field(default_factory=dict)
    former_ids: tuple[str, ...] = ()


@dataclass(frozen=True)
class FieldChange:
    name: str
    old: str | None
    new: str | None


@dataclass(frozen=True)
class Change:
    """A record added, removed, renamed or changed; `fields` holds the changed fields (all of them when added)."""

    action: str
    kind: str
    id: str
    label: str
    fields: tuple[FieldChange, ...] = ()
    old_id: str | None = None


@dataclass(frozen=True)
class PageDiff:
    uri: str
    kind: str
    title: str
    action: str
    fields: tuple[FieldChange, ...]
    changes: tuple[Change, ...]
    old_uri: str | None = None


@dataclass(frozen=True)
class HandbookDiff:
    pages: tuple[PageDiff, ...]

    @property
    def empty(self) -> bool:
        return not self.pages


# -- flattening ------------------------------------------------------------------------------------------
def _fields(**values: object) -> dict[str, str]:
    """Only the fields that have a value, as text (lists joined one per line)."""
    out = {}
    for name, value in values.items():
        if value is None or value == ():
            continue
        out[name] = "\n".join(value) if isinstance(value, tuple) else str(value)
    return out


def _items(kind: str, items: Iterable[Item]) -> Iterable[Record]:
    for item in items:
        yield Record(item.id, kind, item.number, _fields(text=item.text, status=item.status), item.former_ids)
        yield from _items(kind, item.items)


def _control(control, status: str, title: str) -> dict[str, str]:
    return _fields(title=title, status=status, owner=control.owner, review_by=control.review_by)


def _role_page(role: Role) -> Page:
    fields = _control(role.control, role.status, role.title)
    fields.update(_fields(department=role.department, reports_to=role.reports_to, intro=role.intro,
                          purpose=role.purpose.text if role.purpose else None))
    for name in ("authority", "qualifications", "kpis"):
        section = getattr(role, name)
        if section:
            fields[name] = "\n".join(section.items)
    if role.relations:
        fields.update(_fields(internal=role.relations.internal, external=role.relations.external))
    records = [Record(g.id, "group", g.title or "", _fields(title=g.title, status=g.status))
               for g in role.groups if g.id]
    for group in role.groups:
        records.extend(_items("duty", group.duties))
    return Page(site.role_page(role.id), "role", role.title, fields, {r.id: r for r in records},
                role.control.former_ids)


def flatten(hb: Handbook) -> dict[str, Page]:
    """The handbook as pages of comparable records, in site order."""
    doc = hb.document
    releases = {f"{entry.doc_no}/{r.version}": Record(f"{entry.doc_no}/{r.version}", "revision",
                                                       f"{entry.doc_no} {r.version}", _fields(
        approved_by=r.approval.by if r.approval else None, approved_on=r.approval.on if r.approval else None,
        effective_date=r.effective, changes=r.changes)) for entry in hb.register.documents for r in entry.releases}
    pages = [Page(site.REVISIONS, "document", doc.title, _fields(
        title=doc.title, body_title=doc.body_title, status=doc.status, owner=doc.control.owner,
        review_by=doc.control.review_by), releases)]
    clauses: list[Record] = []
    for ch in hb.chapters:
        clauses.append(Record(ch.id, "chapter", str(ch.number), _fields(
            title=ch.title, status=ch.status, intro=ch.intro, owner=ch.control.owner,
            review_by=ch.control.review_by), ch.control.former_ids))
        for clause in ch.clauses:
            if clause.item:
                clauses.extend(_items("clause", [clause.item]))
    pages.append(Page(site.REGULATION, "regulation", doc.body_title, {}, {r.id: r for r in clauses}))
    pages.extend(_role_page(role) for role in hb.roles)
    for p in hb.procedures:
        steps = [Record(s.id, "step", str(s.number), _fields(actor=s.actor, action=s.action, output=s.output,
                                                               time_limit=s.time_limit, checklist=s.checklist))
                 for s in p.steps]
        fields = _control(p.control, p.status, p.title)
        fields.update(_fields(purpose=p.purpose, trigger=p.trigger, notes=p.notes))
        pages.append(Page(site.procedure_page(p.id), "procedure", p.title, fields, {s.id: s for s in steps},
                          p.control.former_ids))
    for c in hb.checklists:
        items = [Record(i.id, "item", str(n + 1), _fields(text=i.text, owner=i.owner))
                 for n, i in enumerate(c.items)]
        fields = _control(c.control, c.status, c.title)
        fields.update(_fields(purpose=c.purpose, period=c.period))
        pages.append(Page(site.checklist_page(c.id), "checklist", c.title, fields, {i.id: i for i in items},
                          c.control.former_ids))
    for o in hb.onboardings:
        items = [Record(i.id, "item", f"{ph.key}-{n + 1}", _fields(text=i.text, owner=i.owner))
                 for ph in o.phases for n, i in enumerate(ph.items)]
        fields = _control(o.control, o.status, o.role)
        fields.update(_fields(reading=tuple(r.ref for r in o.reading),
                              contacts=tuple(f"{c.role}: {c.topic}" for c in o.contacts)))
        pages.append(Page(site.onboarding_page(o.role), "onboarding", o.role, fields, {i.id: i for i in items},
                          o.control.former_ids))
    if hb.glossary:
        g = hb.glossary
        terms = [Record(t.id, "term", t.term, _fields(term=t.term, aliases=t.aliases, meaning=t.meaning,
                                                      status=t.status), t.former_ids) for t in g.terms]
        pages.append(Page(site.GLOSSARY, "glossary", g.title, _control(g.control, g.status, ""),
                          {t.id: t for t in terms}))
    return {page.uri: page for page in pages}


# -- comparing -------------------------------------------------------------------------------------------
def _field_changes(old: dict[str, str], new: dict[str, str]) -> tuple[FieldChange, ...]:
    names = list(dict.fromkeys([*new, *old]))
    return tuple(FieldChange(n, old.get(n), new.get(n)) for n in names if old.get(n) != new.get(n))


def _match(old: dict, new: dict) -> dict[str, str]:
    """{new key: old key} for keys kept as they are, or renamed (old key listed in the new one's former_ids)."""
    matched = {key: key for key in new if key in old}
    for key, thing in new.items():
        if key in matched:
            continue
        former = [f for f in thing.former_ids if f in old and f not in new]
        former += [_page_key(old, f, thing) for f in thing.former_ids]
        former = [f for f in former if f and f in old and f not in new]
        if former:
            matched[key] = former[0]
    return matched


def _page_key(pages: dict, former_id: str, thing: object) -> str | None:
    """Old page uri for a page-level former id: the same folder, the former id as file name."""
    uri = getattr(thing, "uri", None)
    if not uri or "/" not in uri:
        return None
    return f"{uri.rsplit('/', 1)[0]}/{former_id}.md"


def _records(old: dict[str, Record], new: dict[str, Record]) -> tuple[Change, ...]:
    matched = _match(old, new)
    changes = []
    for key, rec in new.items():
        if key not in matched:
            changes.append(Change(ADDED, rec.kind, rec.id, rec.label, _field_changes({}, rec.fields)))
            continue
        before = old[matched[key]]
        fields = _field_changes(before.fields, rec.fields)
        if matched[key] != key:
            changes.append(Change(RENAMED, rec.kind, rec.id, rec.label, fields, before.id))
        elif fields:
            changes.append(Change(CHANGED, rec.kind, rec.id, rec.label, fields))
    kept = set(matched.values())
    changes += [Change(REMOVED, r.kind, r.id, r.label, _field_changes(r.fields, {}))
                for key, r in old.items() if key not in kept]
    return tuple(changes)


def diff_handbooks(old: Handbook, new: Handbook) -> HandbookDiff:
    """Every page that differs, in the new handbook's order; removed pages last."""
    before, after = flatten(old), flatten(new)
    matched = _match(before, after)
    pages = []
    for uri, page in after.items():
        if uri not in matched:
            pages.append(PageDiff(uri, page.kind, page.title, ADDED, _field_changes({}, page.fields),
                                  _records({}, page.records)))
            continue
        was = before[matched[uri]]
        fields, changes = _field_changes(was.fields, page.fields), _records(was.records, page.records)
        if fields or changes or matched[uri] != uri:
            action = RENAMED if matched[uri] != uri else CHANGED
            pages.append(PageDiff(uri, page.kind, page.title, action, fields, changes,
                                  matched[uri] if action == RENAMED else None))
    kept = set(matched.values())
    pages += [PageDiff(uri, p.kind, p.title, REMOVED, (), ()) for uri, p in before.items() if uri not in kept]
    return HandbookDiff(tuple(pages))
