"""What the hook adds to the builder's files: the generated pages, the third-party scripts the site serves itself,
Mermaid on the pages that hold a diagram, and the address of the search worker."""
from __future__ import annotations

import hashlib
import posixpath
from collections.abc import Iterable
from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File, Files

from ..stages.render import RenderedPage

MERMAID = "assets/vendor/mermaid.min.js"
VENDOR = {MERMAID: "node_modules/mermaid/dist/mermaid.min.js"}
"""Third-party scripts served by the site itself (installed by `npm ci`, never committed)."""
SEARCH_WORKER = "assets/search-worker.js"


def worker_address(docs_dir: Path) -> str:
    """The search worker's address with a hash of the script, so that after an upgrade no browser keeps running a
    cached old one (overrides/main.html starts it only where the chunks it reads are written)."""
    worker = docs_dir / SEARCH_WORKER
    digest = hashlib.sha256(worker.read_bytes()).hexdigest()[:12] if worker.is_file() else "missing"
    return f"{SEARCH_WORKER}?v={digest}"


def add_pages(files: Files, config: MkDocsConfig, pages: Iterable[RenderedPage]) -> None:
    """The generated pages, each with its 编辑此页 link to its data file."""
    for page in pages:
        generated = File.generated(config, page.uri, content=page.markdown)
        if page.source:
            generated.edit_uri = f"../data/{page.source}"
        _replace(files, generated)


def add_vendor(files: Files, config: MkDocsConfig, root: Path) -> None:
    for uri, source in VENDOR.items():
        if not (root / source).is_file():
            raise PluginError(f"{source} is missing; run `make` (npm ci) to install the site's scripts")
        _replace(files, File.generated(config, uri, abs_src_path=str(root / source)))


def with_mermaid(html: str, url: str) -> str:
    """Material fetches Mermaid from a CDN when a diagram finds no `mermaid` global: give the pages that hold a
    diagram our copy (before </body>: it runs before Material draws diagrams on DOMContentLoaded)."""
    if 'class="mermaid"' not in html:
        return html
    folder = url if url.endswith("/") else posixpath.dirname(url)
    source = posixpath.relpath(MERMAID, folder.rstrip("/") or ".")
    return html.replace("</body>", f'<script src="{source}"></script>\n</body>', 1)


def _replace(files: Files, file: File) -> None:
    existing = files.get_file_from_path(file.src_uri)
    if existing is not None:
        files.remove(existing)
    files.append(file)
