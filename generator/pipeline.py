"""The one place that runs the stages in order. Both the CLI and the MkDocs hook call it; it writes nothing."""
from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from .stages.build import build_handbook, declared_ids
from .stages.history import build_day, last_updated
from .stages.load import load_sources
from .stages.model import Handbook
from .stages.problems import Problem, Severity
from .stages.render import RenderedSite, SiteFacts, render_site
from .stages.pages import documents
from .stages.schema import validate_docs


@dataclass(frozen=True)
class Checked:
    handbook: Handbook | None
    problems: list[Problem]

    @property
    def ok(self) -> bool:
        return self.handbook is not None and not any(p.severity == Severity.ERROR for p in self.problems)


@dataclass(frozen=True)
class Rendered:
    site: RenderedSite | None
    problems: list[Problem]


@contextmanager
def cycle_collector_paused() -> Iterator[None]:
    """The stages allocate millions of small objects that never form cycles; Python's cycle collector would walk
    them over and over while they are made (it doubled the build stage at 2,000 roles). Collect once at the end."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def check(data_dir: Path) -> Checked:
    """Load, validate and build; every problem of every stage that could run.

    When some files break their schema, the checks across files still run on the others, so that an editor
    sees all problems in one run; references to ids those files define are then taken as resolved. When a
    file cannot even be read, its ids are unknown and the checks across files wait for it to be fixed.
    """
    with cycle_collector_paused():
        return _check(data_dir)


def _check(data_dir: Path) -> Checked:
    docs, problems = load_sources(data_dir)
    schema_problems = validate_docs(docs)
    invalid = {p.path for p in schema_problems if p.severity == Severity.ERROR}
    problems += schema_problems
    if not docs or any(p.severity == Severity.ERROR for p in problems if p.path not in invalid):
        return Checked(None, sorted(problems))
    valid = [doc for doc in docs if doc.path not in invalid]
    if invalid and not any(doc.kind == "handbook" for doc in valid):
        return Checked(None, sorted(problems))
    elsewhere = frozenset(ident for doc in docs if doc.path in invalid for ident in declared_ids(doc.data))
    handbook, found = build_handbook(valid, elsewhere)
    return Checked(None if invalid else handbook, sorted(problems + found))


def render(data_dir: Path, today: date | None = None, templates_dir: Path | None = None) -> Rendered:
    """Check, then render; `today` is the build day (it decides what is overdue for review)."""
    checked = check(data_dir)
    if not checked.ok:
        return Rendered(None, checked.problems)
    today = today or build_day()
    sources = [document.control.source for document in documents(checked.handbook)]
    facts = SiteFacts(today, last_updated(data_dir, sources, today))
    with cycle_collector_paused():
        return Rendered(render_site(checked.handbook, facts, templates_dir), checked.problems)
