"""Where each document stands on a given day: computed from its releases' dates, never typed by an editor.

A version is 草案 (never released), 尚未生效 (approved, its effective date ahead), 现行有效, 已被修订 (a later
version took effect) or 已废止 (the document was repealed). Pure: the day is a parameter.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from ..stages.model import Handbook, Registration, Release
from ..stages.pages import Document, documents


class Standing(StrEnum):
    DRAFT = "draft"
    PENDING = "pending"
    IN_FORCE = "in-force"
    SUPERSEDED = "superseded"
    REPEALED = "repealed"


@dataclass(frozen=True)
class Edition:
    """One released version of a document, as it stands on the day."""

    doc_no: str
    release: Release
    standing: Standing
    until: str | None = None
    """The day a later version took (or takes) its place, if any."""
    page: str = ""
    """Its own page: editions/<doc_no>/<version>.md."""


@dataclass(frozen=True)
class DocumentState:
    document: Document
    registration: Registration
    standing: Standing
    """Of the text the document's page shows (its newest version, or its draft)."""
    editions: tuple[Edition, ...]
    """Oldest first."""

    @property
    def latest(self) -> Edition | None:
        return self.editions[-1] if self.editions else None

    @property
    def in_force(self) -> Edition | None:
        """The version in force on the day (the newest one that has taken effect), if any."""
        return next((e for e in reversed(self.editions) if e.standing == Standing.IN_FORCE), None)


def edition_page(doc_no: str, version: str) -> str:
    return f"editions/{doc_no}/{version}.md"


def _took_effect(release: Release, today: date) -> bool:
    """A legacy version without a date counts as in force since before the handbook."""
    return release.effective is None or date.fromisoformat(release.effective) <= today


def editions_of(entry: Registration, today: date) -> tuple[Edition, ...]:
    current = max((n for n, r in enumerate(entry.releases) if _took_effect(r, today)), default=None)
    repealed = entry.repealed is not None and date.fromisoformat(entry.repealed.on) <= today
    found = []
    for n, release in enumerate(entry.releases):
        later = entry.releases[n + 1].effective if n + 1 < len(entry.releases) else None
        if current is None or n > current:
            standing, until = Standing.PENDING, later
        elif n < current:
            standing, until = Standing.SUPERSEDED, later
        elif repealed:
            standing, until = Standing.REPEALED, entry.repealed.on
        else:
            standing, until = Standing.IN_FORCE, later
        found.append(Edition(entry.doc_no, release, standing, until, edition_page(entry.doc_no, release.version)))
    return tuple(found)


def document_states(hb: Handbook, today: date) -> dict[str, DocumentState]:
    """The state of every registered document, by document id (regulation, glossary, or a record's id)."""
    states = {}
    for document in documents(hb):
        entry = hb.register.by_document.get(document.id)
        if entry is None:
            continue
        editions = editions_of(entry, today)
        if not editions:
            standing = Standing.DRAFT
        elif editions[-1].standing == Standing.PENDING:
            standing = Standing.PENDING
        else:
            standing = editions[-1].standing
        states[document.id] = DocumentState(document, entry, standing, editions)
    return states
