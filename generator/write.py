"""Stage 5: write a RenderedSite as a plain Markdown tree, all or nothing, never over someone else's files."""
from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

import yaml

from .render import RenderedSite

MARKER = ".handbook-render"
"""File left in every folder this command writes, so that a later run may replace it."""


class WriteRefused(Exception):
    pass


def write_tree(site: RenderedSite, out: Path, force: bool = False) -> int:
    """Write pages (and nav.yml) into out; returns the number of pages."""
    out = out.resolve()
    if out.exists():
        if not out.is_dir():
            raise WriteRefused(f"'{out}' exists and is not a folder")
        if any(out.iterdir()) and not (out / MARKER).exists():
            raise WriteRefused(f"'{out}' is not empty and was not written by this command; "
                               "choose a new or empty folder")
        if (out / MARKER).exists() and not force:
            raise WriteRefused(f"'{out}' holds an earlier render; pass --force to replace it")
    out.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".render-", dir=out.parent))
    try:
        for page in site.pages:
            target = staging / page.uri
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(page.markdown, encoding="utf-8")
        (staging / "nav.yml").write_text(yaml.safe_dump(site.nav, allow_unicode=True, sort_keys=False),
                                         encoding="utf-8")
        (staging / MARKER).write_text("", encoding="utf-8")
        if out.exists():
            shutil.rmtree(out)
        staging.rename(out)
    finally:
        if staging.exists():
            shutil.rmtree(staging)
    return len(site.pages)
