"""Documents past their review-by date (下次复审), for the 待复审 page. Read-only, pure: today is a parameter."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from ..stages.model import Handbook
from ..stages.pages import documents


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


def overdue(hb: Handbook, today: date) -> tuple[Overdue, ...]:
    """Documents whose review_by is before today, the longest overdue first (then in site order)."""
    titles = {r.id: r.title for r in hb.roles}
    default_owner = hb.document.control.owner
    late = []
    for document in documents(hb):
        control = document.control
        if not control.review_by:
            continue
        days = (today - date.fromisoformat(control.review_by)).days
        if days > 0:
            owner = control.owner or default_owner
            late.append(Overdue(document.title, document.page, control.source, owner, titles.get(owner or ""), control.review_by, days))
    return tuple(sorted(late, key=lambda o: -o.days_overdue))
