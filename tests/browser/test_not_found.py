"""A missing address gets the handbook's Chinese 404 page, styled and with a way back, also when the handbook is
served from a sub-folder (/handbook/) and the address is several folders deep."""
from __future__ import annotations

from pathlib import Path

import pytest

from . import harness

MISSING = ["no-such-page/", "roles/no-such-role/", "procedures/a/b/c.html", "typo"]

HEADER_STYLE = """() => { const s = getComputedStyle(document.querySelector('.md-header'));
  return { position: s.position, background: s.backgroundColor, height: Math.round(parseFloat(s.height)) }; }"""
UNSTYLED_SHEETS = """() => [...document.querySelectorAll('link[rel=stylesheet]')]
  .filter(l => !l.sheet || !l.sheet.cssRules.length).map(l => l.href)"""


def _failed_responses(page) -> list[tuple[int, str]]:
    failed: list[tuple[int, str]] = []
    page.on("response", lambda r: failed.append((r.status, r.url)) if r.status >= 400 else None)
    return failed


@pytest.mark.browser
@pytest.mark.parametrize("missing", MISSING)
def test_missing_page_below_a_sub_folder_is_the_styled_chinese_404(page, mounted_site: str, missing: str) -> None:
    page.goto(mounted_site)
    home_header = page.evaluate(HEADER_STYLE)
    failed = _failed_responses(page)
    response = page.goto(mounted_site + missing)
    assert response.status == 404
    assert page.evaluate(UNSTYLED_SHEETS) == [], "stylesheets that did not load"
    assert page.evaluate(HEADER_STYLE) == home_header, "the header is not styled as on the other pages"
    assert home_header["position"] == "sticky" and home_header["background"] != "rgba(0, 0, 0, 0)"
    assert page.locator("article h1").inner_text() == "页面不存在"
    # Only the missing page itself and the look-ups of where the site starts may answer 404.
    unexpected = [(status, url) for status, url in failed
                  if url != mounted_site + missing and not url.endswith("/404.html")]
    assert not unexpected, unexpected
    assert not page.context.request_log.outside()


@pytest.mark.browser
def test_the_404_page_leads_back_into_the_handbook(page, mounted_site: str) -> None:
    page.goto(mounted_site)
    home_title = page.title()
    page.goto(mounted_site + "roles/no-such-role/")
    page.locator(".md-header a.md-logo").click()
    page.wait_for_url(mounted_site, timeout=5_000)

    page.goto(mounted_site + "roles/no-such-role/")
    assert "搜索" in page.locator("article").inner_text()
    page.get_by_role("link", name="返回首页").click()
    page.wait_for_url(mounted_site, timeout=5_000)
    assert page.title() == home_title

    page.goto(mounted_site + "roles/no-such-role/")
    results = harness.search(page, "快递异常")
    assert results and all(path.startswith("/handbook/") for path in results), results
    page.locator("li.md-search-result__item > a.md-search-result__link").first.click()
    page.wait_for_load_state()
    assert page.url.startswith(mounted_site) and page.locator("article h1").count() == 1
    assert page.locator("article h1").inner_text() != "页面不存在"


@pytest.mark.browser
def test_missing_page_on_a_site_at_the_host_root_is_styled_too(page, built_site: Path) -> None:
    with harness.serve(built_site, not_found="404.html") as base_url:
        response = page.goto(base_url + "roles/no-such-role/")
        assert response.status == 404
        assert page.evaluate(UNSTYLED_SHEETS) == [], "stylesheets that did not load"
        assert page.evaluate("document.baseURI") == base_url
        page.get_by_role("link", name="返回首页").click()
        page.wait_for_url(base_url, timeout=5_000)
