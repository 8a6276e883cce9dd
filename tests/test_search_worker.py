"""The search worker that ships, docs/assets/search-worker.js, answering from the chunks generator/adapter/search.py wrote.

It runs in node (tests/search_worker_host.js gives it a worker's global scope and a `fetch` that reads the built
site from disk) and is spoken to through Material's worker protocol: SETUP, then QUERY -> RESULT {items}. One node
process per site serves all the queries of a test session. tests/browser/test_search.py types queries into the
real search box in Chromium; this covers the ranking and the protocol without a browser.
"""
from __future__ import annotations

import json
import re
import select
import shutil
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from conftest import ROOT
from generator.adapter import search
from test_search_index import CONTROL_NUMBER, DOCS, Z, chunked_site

WORKER = ROOT / "docs" / "assets" / "search-worker.js"
HOST = Path(__file__).resolve().parent / "search_worker_host.js"
TOP = 5
"""A real query passes when its page is among this many first result pages."""
MARK = re.compile(r"</?mark[^>]*>")
SETUP, READY, QUERY, RESULT = 0, 1, 2, 3


@dataclass(frozen=True)
class Answer:
    results: list[list[list[dict]]]
    """The items of each RESULT the worker posted for the query, in order; the last one is what the reader sees."""
    types: list[int]
    fetched: list[str]

    @property
    def groups(self) -> list[list[dict]]:
        return self.results[-1] if self.results else []

    @property
    def pages(self) -> list[str]:
        """The page of each result group, in rank order."""
        return [group[0]["location"].split("#")[0] for group in self.groups]

    @property
    def locations(self) -> list[str]:
        return [item["location"] for group in self.groups for item in group]


class SearchWorker:
    """search-worker.js in a node process, over one built site."""

    def __init__(self, site: Path) -> None:
        node = shutil.which("node")
        assert node, "node is needed (it comes with npm, which `make` uses to install the site's scripts)"
        self.process = subprocess.Popen([node, str(HOST), str(WORKER), str(site)], stdin=subprocess.PIPE,
                                        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                        encoding="utf-8")
        self.started = self._read()

    def _read(self, timeout: float = 60) -> dict:
        assert self.process.stdout is not None
        ready, _, _ = select.select([self.process.stdout], [], [], timeout)
        line = self.process.stdout.readline() if ready else ""
        if not line:
            self.process.kill()
            raise AssertionError(f"the worker host gave no answer: {self.process.stderr.read()}")
        answer = json.loads(line)
        assert "error" not in answer, answer["error"]
        return answer

    def _ask(self, **request: object) -> dict:
        assert self.process.stdin is not None
        self.process.stdin.write(json.dumps(request, ensure_ascii=False) + "\n")
        self.process.stdin.flush()
        return self._read()

    def query(self, query: str) -> Answer:
        found = self._ask(op="query", query=query)
        return Answer(found["results"], found["types"], found["fetched"])

    def segment(self, query: str) -> list[tuple[str, list[str]]]:
        return [(key, words) for key, words in self._ask(op="segment", query=query)["terms"]]

    def shards(self, tokens: list[str], shards: int) -> list[int]:
        return self._ask(op="shard", tokens=tokens, shards=shards)["shards"]

    def close(self) -> None:
        assert self.process.stdin is not None
        self.process.stdin.close()
        self.process.wait(timeout=10)


def _worker_over(site: Path) -> Iterator[SearchWorker]:
    worker = SearchWorker(site)
    yield worker
    worker.close()


@pytest.fixture(scope="module")
def small_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return chunked_site(tmp_path_factory.mktemp("small-site"), DOCS)


@pytest.fixture(scope="module")
def small(small_site: Path) -> Iterator[SearchWorker]:
    yield from _worker_over(small_site)


@pytest.fixture(scope="session")
def real(site_dir: Path) -> Iterator[SearchWorker]:
    yield from _worker_over(site_dir)


def _meta(site: Path) -> dict:
    return json.loads((site / "search" / "chunks" / "meta.json").read_text(encoding="utf-8"))


def _plain(markup: str) -> str:
    return MARK.sub("", markup)


# -- protocol -----------------------------------------------------------------------------------------------------
def test_setup_is_answered_with_ready_after_meta_is_read(small: SearchWorker, small_site: Path) -> None:
    assert small.started["messages"] == [{"type": READY}]
    version = _meta(small_site)["version"]
    assert small.started["fetched"] == ["/search/chunks/meta.json"]
    answer = small.query("病毒")
    assert answer.types == [RESULT] and answer.groups
    # Only the shard of the word and the doc blocks of the results, each with the index's version.
    assert all(path.endswith(f".json?v={version}") for path in answer.fetched)
    shard = search.shard_of("病毒", _meta(small_site)["shards"])
    assert sorted(answer.fetched) == sorted([f"/search/chunks/s/{shard}.json?v={version}",
                                             f"/search/chunks/d/0.json?v={version}"])
    assert small.query("病毒").fetched == []  # loaded once


def test_an_empty_query_or_one_no_page_has_posts_no_results(small: SearchWorker) -> None:
    assert small.query("   ").results == [[]]
    assert small.query("鑫").results == [[]]


def test_items_are_materials_fields_with_escaped_text_and_marks(small: SearchWorker) -> None:
    [group] = small.query("甲").groups
    [item] = group
    assert set(item) == {"location", "title", "text", "score", "terms"}
    assert item["location"] == "hostile/" and item["terms"] == {"甲": True}
    assert item["title"] == "<mark data-md-highlight>甲</mark>&lt;/title&gt;&lt;script&gt;x=1&lt;/script&gt;"
    assert item["text"] == '<p><mark data-md-highlight>甲</mark>&lt;img src=x onerror="alert(1)"&gt;乙</p>'


def test_the_worker_computes_the_shards_python_writes(small: SearchWorker) -> None:
    tokens = ["病毒", "计算机病毒", "yaml", "a", "𠀀字", "R&D", ""]
    assert small.shards(tokens, 2 ** 32) == [search.shard_of(t, 2 ** 32) for t in tokens]
    assert small.shards(tokens, 16) == [search.shard_of(t, 16) for t in tokens]


# -- queries on a small index ---------------------------------------------------------------------------------------
def test_queries_segment_on_the_vocabulary_and_skip_unknown_characters(small: SearchWorker) -> None:
    assert small.segment("计算机病毒查杀") == [("计算机病毒", ["计算机病毒"]), ("查杀", ["查杀"])]
    assert small.segment("鑫计算机 YAML的") == [("计算机", ["计算机"]), ("yaml", ["yaml"])]  # 的: a stopword
    assert small.segment("Yam") == [("yam", ["yaml"])]  # a Latin word being typed: the words it begins
    assert small.segment("快递 异常 ") == [("快递", ["快递"]), ("异常", ["异常"])]
    assert small.segment("") == []


def test_a_sub_word_finds_the_compound_and_sections_come_with_their_page(small: SearchWorker) -> None:
    groups = small.query("病毒").groups
    assert sorted(item["location"] for item in groups[0]) == ["roles/manager/", "roles/manager/#duties"]
    assert all(item["terms"] == {"病毒": True} for item in groups[0])
    assert "<mark data-md-highlight>病毒</mark>" in groups[0][0]["text"]


def test_every_word_must_match_before_any_word_does(small: SearchWorker) -> None:
    assert small.query("快递异常").pages == ["procedures/express/", "roles/manager/"]
    both = small.query("病毒 快递")
    assert both.locations == ["roles/manager/#duties", "roles/manager/"]  # only the section has both
    page = both.groups[0][1]
    assert page["score"] == 0 and page["terms"] == {"病毒": True, "快递": True}  # what its sections matched
    either = small.query("黑客 编辑")  # no entry has both: any of them
    assert set(either.pages) == {"roles/manager/", "editing/"}


def test_words_typed_with_and_without_spaces_find_the_same_pages(small: SearchWorker) -> None:
    assert small.query("快递异常").pages == small.query("快递 异常").pages
    assert small.query("病毒查杀").locations == small.query("病毒 查杀").locations == [
        "roles/manager/#duties", "roles/manager/"]


def test_the_front_matter_boost_of_a_page_weighs_in_its_rank(tmp_path: Path) -> None:
    """Two pages with the same text: the one with the higher `search: boost` ranks first, whichever comes first."""
    def ranked(boosts: tuple[float, float]) -> list[str]:
        docs = [{"location": f"{name}/", "title": "清单", "text": f"<p>{Z}快递{Z}异常</p>", "boost": boost}
                for name, boost in zip(("list", "document"), boosts)]
        worker = SearchWorker(chunked_site(tmp_path / "-".join(map(str, boosts)), docs))
        try:
            return worker.query("快递").pages
        finally:
            worker.close()

    assert ranked((0.5, 1.0)) == ["document/", "list/"]
    assert ranked((1.0, 0.5)) == ["list/", "document/"]
    assert ranked((1.0, 2.0)) == ["document/", "list/"]


# -- the real site --------------------------------------------------------------------------------------------------
@pytest.mark.parametrize(("query", "expected"), [
    ("病毒", ["roles/manager/"]),                   # inside 计算机病毒
    ("客服", ["roles/cs/"]),                        # inside the role name 电商客服
    ("旺旺", ["glossary/", "roles/cs/"]),
    ("快递异常", ["procedures/express-exception/", "roles/cs/"]),
    ("快递 异常", ["procedures/express-exception/", "roles/cs/"]),
    ("计算机病毒", ["procedures/virus-scan/", "roles/manager/"]),
    ("计算机 病毒", ["procedures/virus-scan/", "roles/manager/"]),
    ("病毒查杀", ["procedures/virus-scan/", "checklists/virus-scan-checklist/"]),
    ("病毒 查杀", ["procedures/virus-scan/", "checklists/virus-scan-checklist/"]),
    ("服务器安全", ["roles/developer/"]),
    ("服务器 安全", ["roles/developer/"]),
    ("新员工电脑", ["checklists/new-hire-pc-checklist/"]),
    ("新员工 电脑", ["checklists/new-hire-pc-checklist/"]),
    ("动画", ["roles/designer/"]),
])
def test_real_queries_find_their_pages_among_the_first(real: SearchWorker, query: str, expected: list[str]) -> None:
    pages = real.query(query).pages[:TOP]
    assert all(page in pages for page in expected), pages


def test_a_broad_query_posts_ten_groups_first_then_up_to_twenty(real: SearchWorker) -> None:
    answer = real.query("网站")
    assert answer.types == [RESULT, RESULT]
    first, final = answer.results
    assert len(first) == 10 and 10 < len(final) <= 20 and final[:10] == first
    assert len(set(answer.pages)) == len(answer.pages)  # one group per page


def _h1(page: Path) -> str:
    heading = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser").select_one("article h1")
    assert heading is not None, page
    return heading.get_text().replace("\u00b6", "").strip()


def _ranks_above(pages: list[str], document: str, listing: str) -> bool:
    return document in pages and (listing not in pages or pages.index(document) < pages.index(listing))


@pytest.mark.parametrize("kind", ["roles", "procedures", "checklists", "onboarding"])
def test_a_title_finds_its_document_above_the_list_page(real: SearchWorker, site_dir: Path, kind: str) -> None:
    """A list page repeats every title (front matter `search: boost: 0.5` ranks it lower than the documents)."""
    documents = sorted(p.parent for p in (site_dir / kind).glob("*/index.html"))
    assert len(documents) >= 5
    wrong = []
    for folder in documents:
        title, document = _h1(folder / "index.html"), f"{kind}/{folder.name}/"
        pages = real.query(title).pages
        if not _ranks_above(pages, document, f"{kind}/"):
            wrong.append((title, pages[:4]))
    assert not wrong, wrong


def test_results_show_no_diagram_source_nor_document_control(real: SearchWorker) -> None:
    shown = []
    for query in ("电商客服", "快递异常处理", "计算机病毒查杀清单", "入职指引", "流程图", "组织架构"):
        shown += [(query, item["location"], _plain(item["text"])) for group in real.query(query).groups
                  for item in group]
    assert len(shown) > 50
    assert not [s for s in shown if "flowchart" in s[2] or "subgraph" in s[2] or CONTROL_NUMBER.search(s[2])]
