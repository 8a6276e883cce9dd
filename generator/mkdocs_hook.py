"""MkDocs hook: adds the generated handbook pages to every build and every `mkdocs serve` rebuild.

A thin adapter around pipeline.render(); nothing is written into docs/. The data folder is
$HANDBOOK_DATA, else data/ beside mkdocs.yml. Serve does not reload hooks, so no work at import time.
"""
from __future__ import annotations

import logging
import os
from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File, Files

from generator import dictionary, pipeline, print_view
from generator.problems import Severity
from generator.report import format_text, summary

log = logging.getLogger("mkdocs.hooks.generator")

VENDOR = {"assets/vendor/mermaid.min.js": "node_modules/mermaid/dist/mermaid.min.js"}
"""Third-party scripts served by the site itself (installed by `npm ci`, never committed)."""


def on_files(files: Files, config: MkDocsConfig) -> Files:
    root = Path(config.config_file_path).parent
    data_dir = Path(os.environ.get("HANDBOOK_DATA") or root / "data")
    result = pipeline.render(data_dir)
    for problem in result.problems:
        if problem.severity == Severity.WARNING:
            log.warning(format_text(problem))
    if result.site is None:
        report = "\n".join(format_text(p) for p in result.problems if p.severity == Severity.ERROR)
        raise PluginError(f"the handbook data has errors ({summary(result.problems)}):\n{report}")
    # The search plugin segments pages with jieba after this hook: teach it the handbook's words first.
    dictionary.load_into_jieba(result.site.search_words)
    for page in result.site.pages:
        generated = File.generated(config, page.uri, content=page.markdown)
        if page.source:
            generated.edit_uri = f"../data/{page.source}"
        _add(files, generated)
    for uri, source in VENDOR.items():
        if not (root / source).is_file():
            raise PluginError(f"{source} is missing; run `make` (npm ci) to install the site's scripts")
        _add(files, File.generated(config, uri, abs_src_path=str(root / source)))
    config.nav = result.site.nav
    return files


def on_post_build(config: MkDocsConfig) -> None:
    # Runs after the plugins, so the print view (print-site plugin) is already written.
    print_view.fix_print_page(Path(config.site_dir))


def _add(files: Files, file: File) -> None:
    existing = files.get_file_from_path(file.src_uri)
    if existing is not None:
        files.remove(existing)
    files.append(file)
