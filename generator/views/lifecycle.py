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
from .changes import Change, diff_handbooks


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


@dataclass(frozen=True)
class RecordChange:
    """How one release changed one record (a clause, duty, step, item or term) of a document."""

    version: str
    effective: str | None
    action: str
    """added, removed, changed or renamed (views/changes.py)."""
    kind: str
    """duty, clause, step, item, term, ..."""
    label: str
    field: str | None
    """Which field the old and new wording are of: text, action, meaning, or status."""
    old: str | None
    new: str | None


def history_page(doc_no: str) -> str:
    """The page that lists a document's editions and how each changed its records."""
    return f"editions/{doc_no}/index.md"


def record_histories(states: dict[str, DocumentState], current: Handbook,
                     editions: dict[tuple[str, str], Handbook]) -> dict[str, dict[str, tuple[RecordChange, ...]]]:
    """Per document id, per record id: what each release changed in it, oldest first. Only pairs of editions
    whose text is kept (a tag, or the current text for the newest) are compared."""
    found: dict[str, dict[str, tuple[RecordChange, ...]]] = {}
    for ident, state in states.items():
        texts = [editions.get((e.doc_no, e.release.version)) or (current if e is state.latest else None)
                 for e in state.editions]
        changes: dict[str, list[RecordChange]] = {}
        for n in range(1, len(texts)):
            before, after = texts[n - 1], texts[n]
            if before is None or after is None:
                continue
            release = state.editions[n].release
            for page in diff_handbooks(before, after).pages:
                if page.uri != state.document.page.split("#")[0]:
                    continue
                for change in page.changes:
                    name, old, new = _text_change(change)
                    changes.setdefault(change.id, []).append(RecordChange(
                        release.version, release.effective, change.action, change.kind, change.label, name, old, new))
        if changes:
            found[ident] = {key: tuple(value) for key, value in changes.items()}
    return found


def _text_change(change: Change) -> tuple[str | None, str | None, str | None]:
    """Which field changed and its old and new value: the wording (text, action, meaning), else the status."""
    for name in ("text", "action", "meaning", "status"):
        field = next((f for f in change.fields if f.name == name), None)
        if field is not None:
            return name, field.old, field.new
    return None, None, None
