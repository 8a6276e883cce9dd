"""Chinese search in the real search box: each query finds its page among the first results."""
from __future__ import annotations

import pytest
import yaml

from conftest import DATA

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
def test_search_without_the_user_dictionary_would_miss_compound_parts(page, served_site: str) -> None:
    """The check above can fail: 病毒 is only an index token on the manager page because of dictionary.py."""
    index = page.request.get(served_site + "search/search_index.json").json()
    manager = " ".join(doc["text"] for doc in index["docs"] if doc["location"].startswith("roles/manager/"))
    assert "\u200b病毒\u200b" in manager and "计算机病毒" not in manager.replace("\u200b", " ").split()
