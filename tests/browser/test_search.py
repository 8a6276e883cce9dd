"""Chinese search in the real search box: each query finds its page among the first results."""
from __future__ import annotations

import re
from urllib.parse import unquote, urlsplit

import pytest
import yaml

from conftest import DATA
from generator.adapter.search import shard_of

from .harness import search

TOP = 5
"""A query passes when its page is among this many first result pages (results grouped by page)."""

QUERIES = [
    ("病毒", ["roles/manager/"]),                      # 病毒 inside 计算机病毒 (a single jieba word)
    ("旺旺", ["roles/cs/"]),
    ("快递异常", ["roles/cs/", "procedures/express-exception/"]),
    ("服务器安全", ["roles/developer/"]),
    ("动画", ["roles/designer/"]),
    ("新员工电脑", ["checklists/new-hire-pc-checklist/"]),
    ("客服", ["roles/cs/"]),                           # 客服 inside the role name 电商客服
    ("计算机病毒", ["procedures/virus-scan/", "roles/manager/"]),
    # Multi-word queries, typed with and without spaces (Material drops the last word of the latter).
    ("快递 异常", ["roles/cs/", "procedures/express-exception/"]),
    ("服务器 安全", ["roles/developer/"]),
    ("计算机 病毒", ["procedures/virus-scan/", "roles/manager/"]),
    ("病毒 查杀", ["procedures/virus-scan/", "checklists/virus-scan-checklist/"]),
    ("病毒查杀", ["procedures/virus-scan/", "checklists/virus-scan-checklist/"]),
    ("新员工 电脑", ["checklists/new-hire-pc-checklist/"]),
]


def _glossary_names() -> list[str]:
    glossary = yaml.safe_load((DATA / "glossary.yml").read_text(encoding="utf-8"))
    return [name for term in glossary["terms"] for name in (term["term"], *term.get("aliases", []))]


def _pages(paths: list[str], base_path: str) -> list[str]:
    """Result paths relative to the site root, one per page, in result order."""
    pages = [p[len(base_path):] if p.startswith(base_path) else p for p in paths]
    return list(dict.fromkeys(p.split("#")[0] for p in pages))


@pytest.mark.browser
def test_chinese_queries_find_their_pages(page, served_site: str) -> None:
    page.goto(served_site)
    misses = []
    for query, expected in QUERIES:
        found = _pages(search(page, query), "/")[:TOP]
        misses += [(query, want, found) for want in expected if want not in found]
    assert not misses, f"{len(misses)} of {sum(len(e) for _, e in QUERIES)} expectations missed: {misses}"


@pytest.mark.browser
def test_every_glossary_term_finds_the_glossary(page, served_site: str) -> None:
    page.goto(served_site)
    names = _glossary_names()
    misses = [(name, found) for name in names
              if "glossary/" not in (found := _pages(search(page, name), "/")[:TOP])]
    assert not misses, f"{len(misses)} of {len(names)} glossary terms not found: {misses}"


@pytest.mark.browser
def test_the_index_the_browser_reads_holds_the_parts_of_compounds(page, served_site: str) -> None:
    """The checks above can fail: 病毒 finds the manager page only because the chunked index the worker downloads
    posts that page under 病毒 (dictionary.py splits 计算机病毒; generator/adapter/search.py adds dictionary sub-words)."""
    get = lambda path: page.request.get(served_site + "search/chunks/" + path).json()  # noqa: E731
    meta = get("meta.json")
    postings = get(f"s/{shard_of('病毒', meta['shards'])}.json").get("病毒", [])
    docs = postings[0::2]
    locations = [get(f"d/{d // meta['block']}.json")[d % meta["block"]][1] for d in docs]
    assert any(loc.startswith("roles/manager/") for loc in locations), locations
    assert page.request.get(served_site + "search/search_index.json").json()["docs"] == []


def _results(page) -> list[str]:
    return page.locator("li.md-search-result__item a.md-search-result__link").evaluate_all(
        "els => els.map(e => e.href)")


@pytest.mark.browser
def test_a_query_downloads_only_the_chunks_it_needs(context, served_site: str) -> None:
    page = context.new_page()
    page.goto(served_site + "roles/", wait_until="networkidle")
    stub = [u for u in context.request_log.urls if u.endswith("search/search_index.json")]
    assert stub and page.request.get(stub[0]).json()["docs"] == []  # Material's own fetch: the stub, no docs
    assert search(page, "快递异常")
    page.wait_for_load_state("networkidle")
    asked = [u[len(served_site):] for u in context.request_log.urls if u.startswith(served_site + "search/")]
    meta = page.request.get(served_site + "search/chunks/meta.json").json()
    version = meta["version"]
    shards = {f"search/chunks/s/{shard_of(word, meta['shards'])}.json?v={version}" for word in ("快递", "异常")}
    assert "search/chunks/meta.json" in asked and shards <= set(asked), asked
    blocks = [u for u in asked if u.startswith("search/chunks/d/")]
    assert 0 < len(blocks) <= 20 + 10 and all(re.fullmatch(rf"search/chunks/d/\d+\.json\?v={version}", u) for u in blocks)
    assert set(asked) <= {"search/search_index.json", "search/chunks/meta.json", *shards, *blocks}, asked


@pytest.mark.browser
def test_results_highlight_the_query_words(page, served_site: str) -> None:
    page.goto(served_site)
    search(page, "快递 异常")
    marks = page.locator(".md-search-result__list mark").all_inner_texts()
    assert "快递" in marks and "异常" in marks, marks
    first = page.locator("li.md-search-result__item").first
    assert first.locator("mark[data-md-highlight]").count() > 0
    assert "?h=" in (first.locator("a").first.get_attribute("href") or "")  # highlighted on the page it opens


@pytest.mark.browser
def test_a_section_result_links_to_its_anchor(page, served_site: str) -> None:
    page.goto(served_site)
    search(page, "旺旺")
    sections = [h for h in _results(page) if "#" in h]
    assert any("/glossary/" in h for h in sections), sections
    link = page.locator("a.md-search-result__link[href*='/glossary/'][href*='#']").first
    anchor = unquote(urlsplit(link.get_attribute("href") or "").fragment)
    link.evaluate("a => a.click()")  # it may sit in a folded "more" list
    page.wait_for_url(re.compile(r".*/glossary/.*#.*"))
    assert page.evaluate("id => !!document.getElementById(id)", anchor), anchor


@pytest.mark.browser
def test_a_query_without_match_says_so(page, served_site: str) -> None:
    page.goto(served_site)
    assert search(page, "zzqqxx") == []
    assert page.locator(".md-search-result__meta").inner_text() == "没有找到符合条件的结果"
    assert search(page, "旺旺")  # and the next query works again
