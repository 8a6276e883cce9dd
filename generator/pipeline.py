"""The one place that runs the stages in order. Both the CLI and the MkDocs hook call it; it writes nothing."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from .build import build_handbook
from .history import build_day, last_updated
from .load import load_sources
from .model import Handbook
from .problems import Problem, Severity
from .render import RenderedSite, SiteFacts, render_site
from .review import documents
from .schema import validate_docs


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


def check(data_dir: Path) -> Checked:
    """Load, validate and build; every problem of every stage that could run."""
    docs, problems = load_sources(data_dir)
    problems += validate_docs(docs)
    failed = {p.path for p in problems if p.severity == Severity.ERROR}
    if failed or not docs:
        return Checked(None, sorted(problems))
    handbook, found = build_handbook(docs)
    return Checked(handbook, sorted(problems + found))


def render(data_dir: Path, today: date | None = None, templates_dir: Path | None = None) -> Rendered:
    """Check, then render; `today` is the build day (it decides what is overdue for review)."""
    checked = check(data_dir)
    if not checked.ok:
        return Rendered(None, checked.problems)
    today = today or build_day()
    sources = [control.source for _, _, control in documents(checked.handbook)]
    facts = SiteFacts(today, last_updated(data_dir, sources, today))
    return Rendered(render_site(checked.handbook, facts, templates_dir), checked.problems)
