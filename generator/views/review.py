"""Documents past their review-by date (下次复审), for the 待复审 page. Read-only, pure: today is a parameter."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from ..stages.model import Control, Handbook


@dataclass(frozen=True)
class Overdue:
    """One document whose review-by date has passed."""

    title: str
    page: str
    """Site page of the document (.md path), with an anchor for a chapter, e.g. regulation.md#general."""
    source: str
    """Its YAML file relative to data/."""
    owner: str | None
    """Owner role id (the document's own, else the handbook's)."""
    owner_title: str | None
    review_by: str
    days_overdue: int


def documents(hb: Handbook) -> list[tuple[str, str, Control]]:
    """(title, page, control) of every document that has document control, in site order."""
    found = [(hb.document.title, "revisions.md", hb.document.control)]
    found += [(c.title, f"regulation.md#{c.id}", c.control) for c in hb.chapters]
    found += [(r.title, f"roles/{r.id}.md", r.control) for r in hb.roles]
    found += [(p.title, f"procedures/{p.id}.md", p.control) for p in hb.procedures]
    found += [(c.title, f"checklists/{c.id}.md", c.control) for c in hb.checklists]
    titles = {r.id: r.title for r in hb.roles}
    found += [(titles.get(o.role, o.role), f"onboarding/{o.role}.md", o.control) for o in hb.onboardings]
    if hb.glossary:
        found.append((hb.glossary.title, "glossary.md", hb.glossary.control))
    return found


def overdue(hb: Handbook, today: date) -> tuple[Overdue, ...]:
    """Documents whose review_by is before today, the longest overdue first (then in site order)."""
    titles = {r.id: r.title for r in hb.roles}
    default_owner = hb.document.control.owner
    late = []
    for title, page, control in documents(hb):
        if not control.review_by:
            continue
        days = (today - date.fromisoformat(control.review_by)).days
        if days > 0:
            owner = control.owner or default_owner
            late.append(Overdue(title, page, control.source, owner, titles.get(owner or ""), control.review_by, days))
    return tuple(sorted(late, key=lambda o: -o.days_overdue))
