"""The Zensical build in Chromium: its pages and its search make no request outside their own host (with the
session's browser: a second Playwright in one run fails)."""
from __future__ import annotations

from urllib.parse import urlsplit

import pytest

from test_zensical import PAGE_KINDS, build

from . import harness


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory):
    from conftest import DATA
    project, log = build(DATA, tmp_path_factory.mktemp("zensical-browser") / "project")
    return project, None, log


def zensical_search(page, query: str) -> list[str]:
    """Zensical's own search (a button opening a dialog; results link to their page with ?h=query): result paths."""
    page.locator(".md-search__button").click()
    page.keyboard.type(query)
    results = page.locator("a[href*='?h=']")
    results.first.wait_for(timeout=15_000)
    return [urlsplit(href).path for href in results.evaluate_all("els => els.map(e => e.href)")]


@pytest.mark.browser
def test_pages_and_search_make_no_request_outside_their_host(built, browser) -> None:
    project, _, _ = built
    with harness.serve(project.site) as base:
        context = harness.new_context(browser)
        try:
            for kind, path in PAGE_KINDS.items():
                page = context.new_page()
                page.goto(base + path, wait_until="networkidle")
                harness.wait_for_diagrams(page)
                page.close()
            page = context.new_page()
            page.goto(base, wait_until="networkidle")
            found = zensical_search(page, "快递异常")
            page.wait_for_load_state("networkidle")
            log = context.request_log
            assert len(log.urls) > 3 * len(PAGE_KINDS), log.urls
            assert not log.outside(), f"requests outside 127.0.0.1: {log.outside()}"
            assert "/procedures/express-exception/" in found, found
        finally:
            context.close()
