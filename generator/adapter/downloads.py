"""The exported documents on the site: `python -m generator export` writes them into build/export (approved text)
and build/export/drafts (with drafts); the site serves them under downloads/ and each document's page links them.

`add_files` (in on_files) registers every file of the export folder ($HANDBOOK_EXPORT, else build/export beside
mkdocs.yml) as a site file at downloads/<name>; a build without an export simply has none. `available` tells
the pipeline which files there are, so that templates/_partials/downloads.md.j2 links only those.
"""
from __future__ import annotations

import os
from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File, Files

FOLDER = "downloads"
SUFFIXES = (".pdf", ".docx")


def export_folder(root: Path) -> Path:
    return Path(os.environ.get("HANDBOOK_EXPORT") or root / "build" / "export")


def available(root: Path) -> frozenset[str]:
    """The exported files, by name relative to the export folder (e.g. WL-GW-001.pdf, drafts/handbook.pdf)."""
    folder = export_folder(root)
    if not folder.is_dir():
        return frozenset()
    return frozenset(path.relative_to(folder).as_posix() for path in folder.rglob("*")
                     if path.suffix in SUFFIXES and path.is_file())


def add_files(files: Files, config: MkDocsConfig, root: Path) -> None:
    """Every exported file as a site file at downloads/<name>."""
    folder = export_folder(root)
    for name in sorted(available(root)):
        download = File(f"{FOLDER}/{name}", src_dir=None, dest_dir=config.site_dir,
                        use_directory_urls=config.use_directory_urls)
        download.abs_src_path = str(folder / name)
        existing = files.get_file_from_path(download.src_uri)
        if existing is not None:
            files.remove(existing)
        files.append(download)
