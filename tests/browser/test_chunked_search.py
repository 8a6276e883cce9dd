"""The chunked search prototype (benchmarks/experiments/chunked_search): its index finds Chinese sub-words, and its
static page shows a result in real Chromium."""
from __future__ import annotations

import importlib.util
import json
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import DATA

from . import harness

ROOT = Path(__file__).resolve().parents[2]
HERE = ROOT / "benchmarks" / "experiments" / "chunked_search"
TOP = 5


def _module():
    spec = importlib.util.spec_from_file_location("chunked_search_build_index", HERE / "build_index.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


build_index = _module()


@pytest.fixture(scope="module")
def index_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The index of the real data/, built by the command line: render the Markdown tree, then build_index.py."""
    work = tmp_path_factory.mktemp("chunked")
    tree, out = work / "tree", work / "out"
    subprocess.run([sys.executable, "-m", "generator", "render", "--data", str(DATA), "--out", str(tree)],
                   cwd=ROOT, check=True, capture_output=True)
    done = subprocess.run([sys.executable, str(HERE / "build_index.py"), str(tree), str(out)],
                          check=True, capture_output=True, text=True)
    sizes = json.loads(done.stdout)
    assert sizes["docs"] == len(list(tree.rglob("*.md")))
    return out


@pytest.mark.parametrize(("query", "expected"), [
    ("病毒", "roles/manager/"),       # inside 计算机病毒, one word for jieba's accurate mode
    ("旺旺", "roles/cs/"),
    ("快递异常", "procedures/express-exception/"),
    ("新员工电脑", "checklists/new-hire-pc-checklist/"),
])
def test_lookup_finds_the_page(index_dir: Path, query: str, expected: str) -> None:
    assert expected in build_index.lookup(index_dir, query)[:TOP]


def test_a_word_no_page_has_finds_nothing(index_dir: Path) -> None:
    assert build_index.lookup(index_dir, "龘靐齉") == []


def test_query_needs_only_its_shards(index_dir: Path) -> None:
    meta = json.loads((index_dir / "index" / "meta.json").read_text(encoding="utf-8"))
    vocab = set(meta["vocab"].split("\n"))
    assert {"计算机病毒", "病毒", "计算机"} <= vocab          # search mode keeps the compound and its parts
    assert build_index.segment("计算机病毒", vocab) == ["计算机病毒"]
    assert build_index.segment("维护下单", vocab) == ["维护", "下单"]
    shard = json.loads((index_dir / "index" / "s" / f"{build_index.shard_of('病毒', meta['shards'])}.json")
                       .read_text(encoding="utf-8"))
    assert "病毒" in shard
    others = [p for p in (index_dir / "index" / "s").glob("*.json") if "病毒" in json.loads(p.read_text("utf-8"))]
    assert len(others) == 1


def test_shard_function_matches_the_page() -> None:
    """The JS shard function (FNV-1a over code points) gives the Python one's values, checked in Node-free way:
    the constants and the loop in search.js are those of build_index.shard_of."""
    script = (HERE / "search.js").read_text(encoding="utf-8")
    assert "0x811c9dc5" in script and "0x01000193" in script and "codePointAt" in script
    assert build_index.shard_of("病毒", 64) == build_index.shard_of("病毒", 1 << 20) % 64
    assert build_index.shard_of("a", 1 << 32) == ((0x811C9DC5 ^ 0x61) * 0x01000193) & 0xFFFFFFFF


@pytest.mark.browser
def test_page_shows_results_in_chromium(index_dir: Path, browser) -> None:  # noqa: ANN001 - Playwright's Browser
    with harness.serve(index_dir) as url:
        page = browser.new_page()
        try:
            requests: list[str] = []
            page.on("request", lambda r: requests.append(r.url))
            page.goto(url + "search.html")
            page.locator("#q").fill("病毒")
            page.locator("#results li").first.wait_for(state="visible", timeout=10_000)
            links = page.locator("#results li a").evaluate_all("els => els.map(a => a.getAttribute('href'))")
            assert "/roles/manager/" in links[:TOP]
            # shards in the page agree with Python's: exactly the shard of 病毒 was fetched
            meta = json.loads((index_dir / "index" / "meta.json").read_text(encoding="utf-8"))
            shards = [u for u in requests if "/index/s/" in u]
            assert shards == [f"{url}index/s/{build_index.shard_of('病毒', meta['shards'])}.json"]
            assert all(u.startswith(url) for u in requests)
            page.locator("#q").fill("龘靐齉")
            page.get_by_text("没有找到结果").wait_for(timeout=10_000)
        finally:
            page.close()
