"""Zero requests outside the site's own host, on every kind of page and with search in use."""
from __future__ import annotations

import pytest

from .harness import search

PAGE_TYPES = {
    "home": "",
    "regulation": "regulation/",
    "role": "roles/cs/",
    "procedure": "procedures/express-exception/",
    "checklist": "checklists/new-hire-pc-checklist/",
    "onboarding": "onboarding/cs/",
    "org chart": "org/",
    "glossary": "glossary/",
}


@pytest.mark.browser
@pytest.mark.parametrize("kind", PAGE_TYPES)
def test_page_makes_no_request_outside_its_host(context, served_site: str, kind: str) -> None:
    page = context.new_page()
    page.goto(served_site + PAGE_TYPES[kind], wait_until="networkidle")
    if page.locator(".mermaid").count():
        page.wait_for_function("() => [...document.querySelectorAll('.mermaid')]"
                               ".every(e => e.shadowRoot && e.shadowRoot.querySelector('svg'))")
    log = context.request_log
    assert len(log.urls) > 3, f"{kind}: the request log saw almost nothing: {log.urls}"
    assert not log.outside(), f"{kind}: requests outside 127.0.0.1: {log.outside()}"
    print(f"{kind}: {len(log.urls)} requests, all to 127.0.0.1")


@pytest.mark.browser
def test_search_in_use_makes_no_request_outside_its_host(context, served_site: str) -> None:
    page = context.new_page()
    page.goto(served_site, wait_until="networkidle")
    assert search(page, "快递异常")
    page.wait_for_load_state("networkidle")
    log = context.request_log
    assert any(u.endswith("search/search_index.json") for u in log.urls), log.urls
    assert not log.outside(), f"search: requests outside 127.0.0.1: {log.outside()}"
    print(f"search: {len(log.urls)} requests, all to 127.0.0.1")


@pytest.mark.browser
def test_the_request_log_sees_a_request_to_another_host(context, served_site: str) -> None:
    """The check above can fail: a page that loads a script from another host shows up in the log."""
    page = context.new_page()
    page.route("http://example.invalid/**", lambda route: route.fulfill(status=200, body=""))
    page.goto(served_site, wait_until="networkidle")
    page.evaluate("() => fetch('http://example.invalid/x.js').catch(() => null)")
    page.wait_for_load_state("networkidle")
    assert context.request_log.outside() == ["http://example.invalid/x.js"]


@pytest.mark.browser
@pytest.mark.parametrize("kind", PAGE_TYPES)
def test_mermaid_is_loaded_only_where_there_is_a_diagram(context, served_site: str, kind: str) -> None:
    page = context.new_page()
    page.goto(served_site + PAGE_TYPES[kind], wait_until="networkidle")
    loaded = any(u.endswith("/assets/vendor/mermaid.min.js") for u in context.request_log.urls)
    assert loaded == (page.locator(".mermaid").count() > 0), kind
