"""One build session of the site builder: the pipeline's pages for each build, and under `mkdocs serve` the last
site that rendered, so that a broken edit keeps the last good pages up instead of stalling the server."""
from __future__ import annotations

import logging
import sys
from dataclasses import dataclass, field
from pathlib import Path

from mkdocs.exceptions import PluginError

from .. import pipeline
from ..stages.history import build_day
from ..stages.messages import language, phrase, words
from ..stages.problems import Severity
from ..stages.render import RenderedSite
from ..stages.report import format_text, summary

log = logging.getLogger("mkdocs.hooks.generator")
"""Warnings go to a logger under mkdocs', so `mkdocs build --strict` counts them."""


@dataclass
class Session:
    serving: bool = False
    """True under `mkdocs serve`."""
    site: RenderedSite | None = None
    """The last site that rendered."""
    dates: dict[str, str | None] = field(default_factory=dict)
    """That site's last-change date of each page (docs path), for the sitemap."""

    def render(self, data_dir: Path, downloads: frozenset[str] = frozenset()) -> RenderedSite:
        """The site of data_dir; errors fail the build, or under serve keep the last good site. `downloads`: the
        exported files the site serves (generator/adapter/downloads.py)."""
        result = pipeline.render(data_dir, build_day(), downloads=downloads)
        for problem in result.problems:
            if problem.severity == Severity.WARNING:
                log.warning(format_text(problem))
        if result.site is not None:
            self.site, self.dates = result.site, {p.uri: p.updated for p in result.site.pages}
            return result.site
        report = "\n".join(format_text(p) for p in result.problems if p.severity == Severity.ERROR)
        if self.serving and self.site is not None:
            # Not the mkdocs logger: an error logged there would fail this rebuild and stall the server.
            heading = phrase("the handbook data has errors ({summary}); still serving the last good version:",
                             summary=summary(result.problems))
            sys.stderr.write(f"ERROR    -  {words(heading, language())}\n{report}\n")
            return self.site
        heading = phrase("the handbook data has errors ({summary}):", summary=summary(result.problems))
        raise PluginError(f"{words(heading, language())}\n{report}")

    def update_date(self, src_uri: str, default: str) -> str:
        """A page's date for the sitemap from the data's history, not the build day, so rebuilds stay identical;
        a hand-written page takes the newest date of the data."""
        if not self.dates:
            return default
        return self.dates.get(src_uri) or max(filter(None, self.dates.values()), default=default)
