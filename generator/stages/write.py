"""Stage 5: write a RenderedSite as a plain Markdown tree, all or nothing, never over someone else's files."""
from __future__ import annotations

import posixpath
import shutil
import tempfile
from pathlib import Path

import yaml

from .messages import Phrase, phrase
from .render import RenderedSite

MARKER = ".handbook-render"
"""File left in every folder this command writes, so that a later run may replace it."""


class WriteRefused(Exception):
    """Why a tree is not written; `phrase` words it in any language."""

    def __init__(self, message: Phrase) -> None:
        super().__init__(str(message))
        self.phrase = message


def write_tree(site: RenderedSite, out: Path, force: bool = False, data_dir: Path | None = None) -> int:
    """Write pages (and nav.yml) into out; returns the number of pages.

    The tree is written into a hidden staging folder beside out and swapped in only when complete, so an
    interrupted run leaves either the old tree or the new one. Nothing is ever written inside data_dir.
    """
    out = out.resolve()
    _check_target(out, force, data_dir)
    for page in site.pages:
        _check_uri(page.uri)
    out.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".render-", dir=out.parent))
    old = staging.with_name(staging.name + ".old")
    try:
        for page in site.pages:
            target = staging / page.uri
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(page.markdown, encoding="utf-8")
        (staging / "nav.yml").write_text(yaml.safe_dump(site.nav, allow_unicode=True, sort_keys=False),
                                         encoding="utf-8")
        (staging / MARKER).write_text("", encoding="utf-8")
        if out.exists():
            out.rename(old)
        staging.rename(out)
    finally:
        for leftover in (staging, old):
            if leftover.exists():
                shutil.rmtree(leftover)
    return len(site.pages)


def is_inside(path: Path, folder: Path) -> bool:
    """Whether path is folder or lies below it (both resolved)."""
    try:
        path.resolve().relative_to(folder.resolve())
        return True
    except ValueError:
        return False


def _check_target(out: Path, force: bool, data_dir: Path | None) -> None:
    if data_dir is not None:
        if is_inside(out, data_dir) or is_inside(data_dir, out):
            raise WriteRefused(phrase("'{out}' is or holds the data folder '{data}'; choose a folder outside it",
                                      out=str(out), data=str(data_dir)))
    if not out.exists():
        return
    if not out.is_dir():
        raise WriteRefused(phrase("'{out}' exists and is not a folder", out=str(out)))
    if any(out.iterdir()) and not (out / MARKER).exists():
        raise WriteRefused(phrase("'{out}' is not empty and was not written by this command; "
                                  "choose a new or empty folder", out=str(out)))
    if (out / MARKER).exists() and not force:
        raise WriteRefused(phrase("'{out}' holds an earlier render; pass --force to replace it", out=str(out)))


def _check_uri(uri: str) -> None:
    """A page path must stay inside the output folder, whatever ids the data holds."""
    normal = posixpath.normpath(uri)
    if (uri.startswith(("/", "\\")) or "\\" in uri or ":" in uri or normal.startswith("..")
            or normal != uri or not uri.endswith(".md")):
        raise WriteRefused(phrase("page path '{uri}' would leave the output folder; refusing to write", uri=uri))
