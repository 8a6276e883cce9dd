"""MkDocs hook: adds the generated handbook pages to every build and every `mkdocs serve` rebuild.

A thin adapter around pipeline.render(); nothing is written into docs/. The data folder is
$HANDBOOK_DATA, else data/ beside mkdocs.yml. Serve does not reload hooks, so no work at import time.
"""
from __future__ import annotations

import hashlib
import logging
import os
import posixpath
import sys
from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page

from generator import pipeline, search
from generator.adapter import print_view
from generator.views import words as dictionary
from generator.stages.history import build_day
from generator.stages.problems import Severity
from generator.stages.render import RenderedSite
from generator.stages.report import format_text, summary

log = logging.getLogger("mkdocs.hooks.generator")

MERMAID = "assets/vendor/mermaid.min.js"
VENDOR = {MERMAID: "node_modules/mermaid/dist/mermaid.min.js"}
"""Third-party scripts served by the site itself (installed by `npm ci`, never committed)."""

_state: dict[str, object] = {"serving": False, "site": None, "dates": {}}
"""Under `mkdocs serve`, the last site that rendered, so that a broken edit keeps the last good pages up;
`dates`: that site's last-change date of each page, for the sitemap."""


def on_startup(command: str, dirty: bool) -> None:
    _state["serving"] = command == "serve"


SEARCH_WORKER = "assets/search-worker.js"


def on_config(config: MkDocsConfig) -> MkDocsConfig:
    # overrides/main.html starts our search worker only where on_post_build writes the chunks it reads. The
    # address carries a hash of the script, so that after an upgrade no browser keeps running a cached old one.
    worker = Path(config.docs_dir) / SEARCH_WORKER
    digest = hashlib.sha256(worker.read_bytes()).hexdigest()[:12] if worker.is_file() else "missing"
    config.extra["chunked_search"] = f"{SEARCH_WORKER}?v={digest}"
    print_view.speed_up_print_site()
    return config


@event_priority(100)  # before the redirects plugin reads its redirect_maps and the list of pages
def on_files(files: Files, config: MkDocsConfig) -> Files:
    root = Path(config.config_file_path).parent
    site = _render(Path(os.environ.get("HANDBOOK_DATA") or root / "data"))
    # The search plugin segments pages with jieba after this hook: teach it the handbook's words first.
    dictionary.load_into_jieba(site.search_words)
    for page in site.pages:
        generated = File.generated(config, page.uri, content=page.markdown)
        if page.source:
            generated.edit_uri = f"../data/{page.source}"
        _add(files, generated)
    for uri, source in VENDOR.items():
        if not (root / source).is_file():
            raise PluginError(f"{source} is missing; run `make` (npm ci) to install the site's scripts")
        _add(files, File.generated(config, uri, abs_src_path=str(root / source)))
    config.nav = site.nav
    if "redirects" in config.plugins:
        config.plugins["redirects"].config["redirect_maps"] = dict(site.redirects)
    return files


def _render(data_dir: Path) -> RenderedSite:
    result = pipeline.render(data_dir, build_day())
    for problem in result.problems:
        if problem.severity == Severity.WARNING:
            log.warning(format_text(problem))
    if result.site is not None:
        _state["site"] = result.site
        _state["dates"] = {p.uri: p.updated for p in result.site.pages}
        return result.site
    report = "\n".join(format_text(p) for p in result.problems if p.severity == Severity.ERROR)
    if _state["serving"] and isinstance(_state["site"], RenderedSite):
        # Not the mkdocs logger: an error logged there would fail this rebuild and stall the server.
        sys.stderr.write(f"ERROR    -  the handbook data has errors ({summary(result.problems)}); "
                         f"still serving the last good version:\n{report}\n")
        return _state["site"]
    raise PluginError(f"the handbook data has errors ({summary(result.problems)}):\n{report}")


def on_pre_page(page: Page, config: MkDocsConfig, files: Files) -> Page:
    # The sitemap's dates come from the data's history, not the build day, so rebuilds stay identical.
    dates = _state["dates"]
    if isinstance(dates, dict) and dates:
        page.update_date = dates.get(page.file.src_uri) or max(filter(None, dates.values()), default=page.update_date)
    return page


def on_post_page(output: str, page: Page, config: MkDocsConfig) -> str:
    return _with_mermaid(output, page.url)


def on_post_build(config: MkDocsConfig) -> None:
    # Runs after the plugins, so the print view (print-site plugin) is already written.
    site = Path(config.site_dir)
    page = print_view.fix_print_page(site)
    if page is not None:
        url = page.relative_to(site).as_posix()
        page.write_text(_with_mermaid(page.read_text(encoding="utf-8"), url), encoding="utf-8")
    # The search plugin has written search/search_index.json: split it into search/chunks/ for
    # docs/assets/search-worker.js and leave a stub, so a reader's browser never loads the whole index.
    written = search.write_chunks(site, search.jieba_is_word())
    if written is not None:
        log.debug("search index: %s", written)


def _with_mermaid(html: str, url: str) -> str:
    """Material fetches Mermaid from a CDN when a diagram finds no `mermaid` global: give the pages that hold a
    diagram our copy (before </body>: it runs before Material draws diagrams on DOMContentLoaded)."""
    if 'class="mermaid"' not in html:
        return html
    folder = url if url.endswith("/") else posixpath.dirname(url)
    source = posixpath.relpath(MERMAID, folder.rstrip("/") or ".")
    return html.replace("</body>", f'<script src="{source}"></script>\n</body>', 1)


def _add(files: Files, file: File) -> None:
    existing = files.get_file_from_path(file.src_uri)
    if existing is not None:
        files.remove(existing)
    files.append(file)
