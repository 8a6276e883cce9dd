"""The second builder and the second search engine, for benchmarks/run.py.

- Zensical on the prepared tree (generator/adapter/zensical.py): the preparation (the generator's part: render,
  copy, config) in a fresh process, then `zensical build --clean`.
- Pagefind (extended, Chinese segmentation) indexing a built site after the build, beside our chunked index.
- The first search result in Chromium opened on a light page, for ours, Material's, Zensical's own and Pagefind,
  and recall on a set of Chinese queries of the real handbook (QUERIES).
"""
from __future__ import annotations

import re
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote, urlsplit

LIGHT_PAGE = "editing/tasks/"
"""A hand-written page present at every size whose weight does not grow with the handbook (only its menu does)."""
PAGEFIND_DIR = "pagefind"


@dataclass(frozen=True)
class Query:
    text: str
    expected: str
    """The page (path below the site root, e.g. "procedures/virus-scan/") a reader wants among the first ten."""
    kind: str


QUERIES = [
    # A compound of a title found by one of its parts (jieba's accurate mode keeps 计算机病毒 whole).
    Query("病毒", "procedures/virus-scan/", "part of a compound"),
    Query("查杀", "procedures/virus-scan/", "part of a compound"),
    Query("巡检", "checklists/server-inspection-checklist/", "part of a compound"),
    Query("差评", "procedures/bad-review/", "part of a compound"),
    Query("上架", "procedures/new-listing/", "part of a compound"),
    Query("备份", "procedures/pc-offboard/", "part of a compound"),
    Query("发货", "procedures/urge-shipment/", "part of a compound"),
    # Several words, typed with a space and without.
    Query("病毒 查杀", "procedures/virus-scan/", "words with a space"),
    Query("病毒查杀", "procedures/virus-scan/", "words without a space"),
    Query("快递 异常", "procedures/express-exception/", "words with a space"),
    Query("快递异常", "procedures/express-exception/", "words without a space"),
    Query("服务器 安全", "procedures/server-security/", "words with a space"),
    Query("服务器安全", "procedures/server-security/", "words without a space"),
    Query("退货 退款", "procedures/return-refund/", "words with a space"),
    Query("退货退款", "procedures/return-refund/", "words without a space"),
    Query("内容 发布 审核", "procedures/web-publish/", "words with a space"),
    Query("内容发布审核", "procedures/web-publish/", "words without a space"),
    # A glossary term's alias (又称 …) finds the glossary.
    Query("问题件", "glossary/", "glossary alias"),
    Query("阿里旺旺", "glossary/", "glossary alias"),
    Query("钻石展位", "glossary/", "glossary alias"),
    Query("宝贝描述", "glossary/", "glossary alias"),
    Query("店铺动态评分", "glossary/", "glossary alias"),
    Query("客服介入", "glossary/", "glossary alias"),
    Query("淘宝商城", "glossary/", "glossary alias"),
]

# -- Pagefind in the page: its own module, the first result's data (what its UI shows first). ---------------------
PAGEFIND_QUERY = """async (q) => {
  const pagefind = await import("/pagefind/pagefind.js");
  const search = await pagefind.search(q);
  const shown = await Promise.all(search.results.slice(0, 10).map(r => r.data()));
  return shown.map(d => d.url);
}"""


def page_path(url: str) -> str:
    """The page a result leads to, as a path below the site root ("procedures/x/"), without query or anchor."""
    path = urlsplit(url).path.lstrip("/")
    return re.sub(r"index\.html$", "", path)


# -- the engines in Chromium ------------------------------------------------------------------------------------
def ours_results(tab, base: str, query: str, page: str = LIGHT_PAGE) -> list[str]:
    """Material's search UI (ours on the full site, Material's own on the floor) through its ?q= deep link."""
    tab.goto(f"{base}{page}?q={quote(query)}", wait_until="commit")
    tab.locator(".md-search-result__meta").filter(has_text="符合条件的结果").wait_for(timeout=60_000)
    links = tab.locator("li.md-search-result__item > a.md-search-result__link")
    return [page_path(h) for h in links.evaluate_all("els => els.map(e => e.href)")][:10]


def pagefind_results(tab, base: str, query: str, page: str = LIGHT_PAGE) -> list[str]:
    tab.goto(f"{base}{page}", wait_until="domcontentloaded")
    return [page_path(u) for u in tab.evaluate(PAGEFIND_QUERY, query)]


def zensical_results(tab, base: str, query: str, page: str = LIGHT_PAGE) -> list[str]:
    """Zensical's own search: a button opening a dialog; results link to their page with ?h=query."""
    tab.goto(f"{base}{page}", wait_until="domcontentloaded")
    tab.locator(".md-search__button").click()
    tab.keyboard.type(query)
    results = tab.locator("a[href*='?h=']")
    try:
        results.first.wait_for(timeout=20_000)
    except Exception:  # noqa: BLE001 - no result for this query (Playwright's TimeoutError)
        return []
    time.sleep(0.3)  # the list fills in one go after the first item
    seen: list[str] = []
    for href in results.evaluate_all("els => els.map(e => e.href)"):
        if page_path(href) not in seen:
            seen.append(page_path(href))
    return seen[:10]


ENGINES: dict[str, Callable] = {"ours": ours_results, "pagefind": pagefind_results, "zensical": zensical_results}


@dataclass
class Timed:
    seconds: list[float]
    fetched_kb: float
    """Bytes the last run downloaded for the search (search/, pagefind/ or search.json and its worker)."""


def is_search_request(url: str) -> bool:
    path = urlsplit(url).path
    return "/search/" in path or f"/{PAGEFIND_DIR}/" in path or path.endswith("/search.json") or \
        "/workers/search" in path or "search-worker" in path


def first_result_times(browser, base: str, engine: str, query: str, runs: int) -> Timed:
    """Seconds from opening the light page to the first result, each run in a fresh context (empty cache)."""
    times, fetched = [], []
    for _ in range(runs):
        context = browser.new_context()
        fetched.clear()
        context.on("response", lambda r: fetched.append(len(r.body())) if is_search_request(r.url) and r.ok
                   and r.request.resource_type != "preflight" else None)
        tab = context.new_page()
        start = time.perf_counter()
        found = ENGINES[engine](tab, base, query)
        times.append(time.perf_counter() - start)
        if not found:
            raise SystemExit(f"{engine}: no result for {query} at {base}")
        tab.wait_for_timeout(200)
        context.close()
    return Timed(times, sum(fetched) / 1e3)


def recall(browser, base: str, engine: str, queries: list[Query] = QUERIES) -> dict[str, object]:
    """Which queries find their page among the first ten results, and at which rank."""
    context = browser.new_context()
    tab = context.new_page()
    ranks: dict[str, int | None] = {}
    for query in queries:
        found = ENGINES[engine](tab, base, query.text)
        ranks[query.text] = found.index(query.expected) + 1 if query.expected in found else None
    context.close()
    by_kind: dict[str, list[int]] = {}
    for query in queries:
        by_kind.setdefault(query.kind, []).append(ranks[query.text] is not None)
    return {"found": sum(r is not None for r in ranks.values()), "of": len(queries),
            "first": sum(r == 1 for r in ranks.values()), "ranks": ranks,
            "by_kind": {kind: f"{sum(hits)}/{len(hits)}" for kind, hits in by_kind.items()}}


