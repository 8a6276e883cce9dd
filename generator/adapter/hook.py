"""MkDocs hook: adds the generated handbook pages to every build and every `mkdocs serve` rebuild.

A thin adapter: the pages come from pipeline.render() (through Session), nothing is written into docs/. The data
folder is $HANDBOOK_DATA, else data/ beside mkdocs.yml. Serve does not reload hooks, so no work at import time.
"""
from __future__ import annotations

import os
from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.plugins import event_priority
from mkdocs.structure.files import Files
from mkdocs.structure.pages import Page

from generator.adapter import assets, downloads, jieba, search
from generator.adapter.session import Session

_session = Session()


def on_startup(command: str, dirty: bool) -> None:
    _session.serving = command == "serve"


def on_config(config: MkDocsConfig) -> MkDocsConfig:
    config.extra["chunked_search"] = assets.worker_address(Path(config.docs_dir))
    return config


@event_priority(100)  # before the redirects plugin reads its redirect_maps and the list of pages
def on_files(files: Files, config: MkDocsConfig) -> Files:
    root = Path(config.config_file_path).parent
    site = _session.render(Path(os.environ.get("HANDBOOK_DATA") or root / "data"), downloads.available(root))
    jieba.load_into_jieba(site.search_words)  # the search plugin segments pages after this hook
    assets.add_pages(files, config, site.pages)
    assets.add_vendor(files, config, root)
    downloads.add_files(files, config, root)
    config.nav = site.nav
    if "redirects" in config.plugins:
        config.plugins["redirects"].config["redirect_maps"] = dict(site.redirects)
    return files


def on_pre_page(page: Page, config: MkDocsConfig, files: Files) -> Page:
    page.update_date = _session.update_date(page.file.src_uri, page.update_date)
    return page


def on_post_page(output: str, page: Page, config: MkDocsConfig) -> str:
    return assets.with_mermaid(output, page.url)


def on_post_build(config: MkDocsConfig) -> None:
    # After the search plugin has written its index: split it into chunks.
    search.write_chunks(Path(config.site_dir), jieba.is_word())
