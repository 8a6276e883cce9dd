"""The one place that runs the stages in order. Both the CLI and the MkDocs hook call it; it writes nothing."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .build import build_handbook
from .load import load_sources
from .model import Handbook
from .problems import Problem, Severity
from .render import RenderedSite, render_site
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


def render(data_dir: Path, templates_dir: Path | None = None) -> Rendered:
    checked = check(data_dir)
    if not checked.ok:
        return Rendered(None, checked.problems)
    return Rendered(render_site(checked.handbook, templates_dir), checked.problems)
