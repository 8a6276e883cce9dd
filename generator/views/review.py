"""Documents past their review-by date (下次复审), and drafts left unapproved too long, for the 待复审 page and
`generator check`. Read-only, pure: today is a parameter."""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

from ..stages.model import Handbook, Status
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


@dataclass(frozen=True)
class StaleDraft:
    """A document holding drafts for longer than the register allows (draft_max_age_days)."""

    title: str
    page: str
    source: str
    owner: str | None
    since: str
    """The day its file was first committed, YYYY-MM-DD."""
    days: int


def stale_drafts(hb: Handbook, today: date, added: Mapping[str, str]) -> tuple[StaleDraft, ...]:
    """Documents with drafts older than the register's draft_max_age_days, the oldest first. `added`: the day
    each data file was first committed (relative to data/)."""
    limit = hb.register.draft_max_age_days
    if limit is None:
        return ()
    drafted_pages = {t.page for t in hb.targets.values() if t.status == Status.DRAFT}
    found = []
    for document in documents(hb):
        since = added.get(document.control.source)
        if since is None or (document.status != Status.DRAFT and document.page not in drafted_pages):
            continue
        days = (today - date.fromisoformat(since)).days
        if days > limit:
            owner = document.control.owner or hb.document.control.owner
            found.append(StaleDraft(document.title, document.page, document.control.source, owner, since, days))
    return tuple(sorted(found, key=lambda d: -d.days))
