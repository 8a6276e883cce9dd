"""The chunked search index (generator/search.py) and the worker that reads it (docs/assets/search-worker.js):
tokens, sub-words, shards, escaping, the stub left in place of search_index.json, and queries answered the way the
worker answers them, on a small index and on the real built site."""
from __future__ import annotations

import json
import re
import shutil
import subprocess
from collections import Counter
from pathlib import Path

import pytest

from conftest import ROOT
from generator import search

WORKER = ROOT / "docs" / "assets" / "search-worker.js"
SEPARATOR = "[\\s\\u200b\\u3000\\-、。，．？！；/／]+"
CONFIG = {"lang": ["en"], "separator": SEPARATOR, "pipeline": ["stemmer"],
          "fields": {"title": {"boost": 1000.0}, "text": {"boost": 1.0}}}
WORDS = {"计算机", "算机", "病毒", "查杀", "快递", "异常"}
"""The dictionary of the small index (jieba's FREQ on the real site)."""
Z = "\u200b"

DOCS = [  # as Material's search plugin writes them: escaped HTML, jieba's words joined by U+200B
    {"location": "", "title": "首页", "text": f"<p>{Z}本{Z}手册{Z}的{Z}内容</p>"},
    {"location": "roles/manager/", "title": f"部门{Z}经理", "boost": 2,
     "text": f"<p>{Z}预防{Z}计算机病毒{Z}和{Z}黑客{Z}入侵</p>"},
    {"location": "roles/manager/#duties", "title": f"岗位{Z}职责",
     "text": f"<ol><li>{Z}组织{Z}病毒{Z}查杀{Z}。</li><li>{Z}处理{Z}快递{Z}异常</li></ol>"},
    {"location": "editing/", "title": f"编辑{Z}指南",
     "text": f"<p>{Z}写{Z} <code>&lt;b&gt;</code> {Z}不会{Z}变成{Z}粗体{Z}, YAML {Z}文件{Z} R&amp;D</p>"},
    {"location": "procedures/express/", "title": f"快递{Z}异常{Z}处理",
     "text": f"<p>{Z}快递{Z}异常{Z}时{Z}联系{Z}买家{Z}。" + f"{Z}说明" * 200 + "</p>"},
    {"location": "hostile/", "title": f"甲{Z}&lt;/title&gt;&lt;script&gt;x=1&lt;/script&gt;",
     "text": f"<p>{Z}甲{Z}&lt;img src=x onerror=&quot;alert(1)&quot;&gt;{Z}乙</p>"},
]


def is_word(word: str) -> bool:
    return word in WORDS


@pytest.fixture()
def small_site(tmp_path: Path) -> Path:
    (tmp_path / "search").mkdir()
    (tmp_path / "search" / "search_index.json").write_text(json.dumps({"config": CONFIG, "docs": DOCS}),
                                                          encoding="utf-8")
    assert search.write_chunks(tmp_path, is_word) is not None
    return tmp_path


def reader(site: Path):
    base = site / "search" / "chunks"
    return lambda path: json.loads((base / path).read_text(encoding="utf-8"))


def locations(groups: list[list[search.Hit]]) -> list[str]:
    return [hit.location for group in groups for hit in group]


# -- tokens -----------------------------------------------------------------------------------------------------
def test_tokens_split_materials_text_at_its_separator_without_segmenting_again() -> None:
    separator = re.compile(SEPARATOR)
    found = search.tokens(f"<p>{Z}处理{Z}快递{Z}异常{Z}, YAML-Files {Z}的{Z}R&amp;D</p>", separator, is_word)
    assert found == ["处理", "快递", "异常", "yaml", "files", "r", "d"]  # 的 is a stopword; no tag, no "amp"
    assert search.tokens(f"{Z}快递异常{Z}", separator, lambda w: False) == ["快递异常"]  # not cut again


def test_the_fast_counter_counts_what_tokens_gives() -> None:
    separator = re.compile(SEPARATOR)
    for doc in DOCS:
        expected = Counter(search.tokens(doc["text"], separator, is_word))
        for token in search.tokens(doc["title"], separator, is_word):
            expected[token] += search.TITLE_FACTOR
        assert search._Counter(separator, is_word)(doc["text"], doc["title"]) == expected, doc["location"]


def test_long_han_words_also_give_their_dictionary_sub_words() -> None:
    assert search.sub_words("计算机病毒", is_word) == ["算机", "病毒", "计算机"]  # 2-grams, then 3-grams
    assert search.sub_words("病毒", is_word) == []  # two characters: nothing more
    assert search.sub_words("计算机", is_word) == ["算机"]  # three: 2-grams only
    separator = re.compile(SEPARATOR)
    assert search.tokens(f"{Z}计算机病毒{Z}", separator, is_word) == ["计算机病毒", "算机", "病毒", "计算机"]


def test_shard_function_is_fnv1a_over_code_points() -> None:
    assert search.shard_of("", 1 << 32) == 0x811C9DC5
    assert search.shard_of("a", 1 << 32) == 0xE40C292C  # FNV-1a 32 of "a"
    assert search.shard_of("病毒", 16) == search.shard_of("病毒", 1 << 32) % 16


def test_entries_are_grouped_by_page_with_the_page_first() -> None:
    entries = [search.Entry("a/#x", "", ""), search.Entry("b/", "", ""), search.Entry("a/", "", ""),
               search.Entry("b/#y", "", ""), search.Entry("a/#z", "", "")]
    ordered, spans = search.in_page_order(entries)
    assert [e.location for e in ordered] == ["a/", "a/#x", "a/#z", "b/", "b/#y"] and spans == (3, 2)


def test_teaser_is_escaped_text_without_tags_and_joins_cut_to_length() -> None:
    assert search.teaser(f"<p>{Z}写{Z} <code>&lt;b&gt;</code> R&amp;D</p>") == "写 &lt;b&gt; R&amp;D"
    long = search.teaser("<p>" + f"{Z}说明" * 400 + "&lt;b&gt;</p>")
    assert long.endswith("…") and len(long) == search.TEASER + 1 and Z not in long
    # The markup is cut before it is cleaned: an entity cut in two at the end is dropped, not shown half.
    assert search.teaser("x" + "&lt;" * 400) == "x" + "&lt;" * 299 + "…"


# -- what is written --------------------------------------------------------------------------------------------
def test_write_chunks_writes_meta_shards_blocks_and_leaves_a_stub(small_site: Path) -> None:
    stub = json.loads((small_site / "search" / "search_index.json").read_text(encoding="utf-8"))
    assert stub == {"config": CONFIG, "docs": []}
    read = reader(small_site)
    meta = read("meta.json")
    assert meta["docs"] == len(DOCS) and meta["spans"] == [1, 2, 1, 1, 1] and meta["block"] == search.BLOCK
    vocab = meta["vocab"].split("\n")
    assert vocab == sorted(vocab) and {"病毒", "计算机", "yaml", "快递"} <= set(vocab) and "的" not in vocab
    for token in vocab:  # every token sits in the shard its hash names, with [doc, weight, ...] postings
        postings = read(f"s/{search.shard_of(token, meta['shards'])}.json")[token]
        assert len(postings) % 2 == 0 and all(1 <= w <= 255 for w in postings[1::2])
    rows = [row for b in range(-(-meta["docs"] // meta["block"])) for row in read(f"d/{b}.json")]
    assert [row[1] for row in rows] == [d["location"] for d in DOCS]
    assert search.write_chunks(small_site, is_word) is None  # run again on the stub: nothing to do, index kept
    assert read("meta.json") == meta


def test_blocks_keep_materials_escaping(small_site: Path) -> None:
    read = reader(small_site)
    rows = {row[1]: row for row in read("d/0.json")}
    assert rows["hostile/"][0] == "甲&lt;/title&gt;&lt;script&gt;x=1&lt;/script&gt;"
    assert rows["hostile/"][2] == '甲&lt;img src=x onerror="alert(1)"&gt;乙'
    assert rows["editing/"][2] == "写 &lt;b&gt; 不会变成粗体, YAML 文件 R&amp;D"
    assert not any("<" in cell or ">" in cell for row in rows.values() for cell in row)


def test_no_search_index_means_nothing_to_do(tmp_path: Path) -> None:
    assert search.write_chunks(tmp_path, is_word) is None
    assert not (tmp_path / "search").exists()


# -- queries ----------------------------------------------------------------------------------------------------
def test_a_sub_word_finds_the_compound_and_sections_come_with_their_page(small_site: Path) -> None:
    groups = search.answer("病毒", reader(small_site))
    assert locations(groups[:1]) in (["roles/manager/", "roles/manager/#duties"],
                                     ["roles/manager/#duties", "roles/manager/"])
    assert all(hit.terms == {"病毒": True} for hit in groups[0])


def test_every_word_must_match_before_any_word_does(small_site: Path) -> None:
    assert [g[0].location.split("#")[0] for g in search.answer("快递异常", reader(small_site))] == [
        "procedures/express/", "roles/manager/"]
    both = search.answer("病毒 快递", reader(small_site))
    assert locations(both) == ["roles/manager/#duties", "roles/manager/"]  # only the section has both
    assert both[0][1].score == 0 and both[0][1].terms == {"病毒": True, "快递": True}  # what its sections matched
    either = search.answer("黑客 编辑", reader(small_site))  # no entry has both: any of them
    assert {g[0].location for g in either} == {"roles/manager/", "editing/"}


def test_queries_segment_on_the_vocabulary_and_skip_unknown_characters() -> None:
    vocab = frozenset({"计算机", "计算机病毒", "病毒", "查杀", "yaml"})
    assert search.segment("计算机病毒查杀", vocab) == ["计算机病毒", "查杀"]
    assert search.segment("鑫计算机 YAML的", vocab) == ["计算机", "yaml"]
    assert search.segment("", vocab) == []


def test_the_worker_computes_the_same_shards_and_segments_as_python(small_site: Path) -> None:
    meta = reader(small_site)("meta.json")
    tokens = ["病毒", "计算机病毒", "yaml", "a", "𠀀字", "R&D"]
    queries = ["计算机病毒查杀", "鑫计算机 YAML的", "Yam", "快递 异常 "]
    script = """
const vm = require("vm"), fs = require("fs");
const [source, meta, tokens, queries] = JSON.parse(fs.readFileSync(0, "utf8"));
const context = { self: { location: "http://127.0.0.1/assets/search-worker.js", addEventListener() {},
  postMessage() {} }, URL, fetch: () => Promise.reject(new Error("no fetch here")), console };
vm.createContext(context);
vm.runInContext(source, context);
const m = context.prepare(meta);
console.log(JSON.stringify({
  shards: tokens.map(t => context.shardOf(t, meta.shards)),
  hashes: tokens.map(t => context.shardOf(t, 2 ** 32)),
  segments: queries.map(q => context.segment(m, q).map(t => [t.key, t.words])),
  base: String(context.BASE) }));
"""
    node = shutil.which("node")
    assert node, "node is needed (it comes with npm, which `make` uses to install the site's scripts)"
    done = subprocess.run([node, "-e", script], input=json.dumps([WORKER.read_text(encoding="utf-8"), meta,
                                                                   tokens, queries]),
                          capture_output=True, text=True, check=True, timeout=60)
    js = json.loads(done.stdout)
    assert js["shards"] == [search.shard_of(t, meta["shards"]) for t in tokens]
    assert js["hashes"] == [search.shard_of(t, 2 ** 32) for t in tokens]
    vocab = frozenset(meta["vocab"].split("\n"))
    assert [[key for key, _ in seg] for seg in js["segments"]] == [search.segment(q, vocab) for q in queries]
    assert js["segments"][2] == [["yam", ["yaml"]]]  # a Latin word being typed expands to the words it begins
    assert js["segments"][3] == [["快递", ["快递"]], ["异常", ["异常"]]]
    assert js["base"] == "http://127.0.0.1/search/chunks/"


# -- the real site ----------------------------------------------------------------------------------------------
def test_the_built_site_has_the_chunked_index_and_a_stub(site_dir: Path) -> None:
    stub = json.loads((site_dir / "search" / "search_index.json").read_text(encoding="utf-8"))
    assert stub["docs"] == [] and "\\u200b" in stub["config"]["separator"]
    read = reader(site_dir)
    meta = read("meta.json")
    assert meta["docs"] > 200 and sum(meta["spans"]) == meta["docs"] and len(meta["spans"]) > 40
    assert (site_dir / "assets" / "search-worker.js").is_file()
    page = (site_dir / "roles" / "cs" / "index.html").read_text(encoding="utf-8")
    assert '"search": "../../assets/search-worker.js?v=' in page  # with a hash of the script


@pytest.mark.parametrize(("query", "expected"), [
    ("病毒", "roles/manager/"),        # inside 计算机病毒
    ("客服", "roles/cs/"),             # inside the role name 电商客服
    ("快递异常", "procedures/express-exception/"),
    ("计算机 病毒", "procedures/virus-scan/"),
    ("旺旺", "glossary/"),
])
def test_real_queries_find_their_page_among_the_first_groups(site_dir: Path, query: str, expected: str) -> None:
    pages = [group[0].location.split("#")[0] for group in search.answer(query, reader(site_dir))][:5]
    assert expected in pages, pages


def test_real_index_holds_the_parts_of_compounds_for_the_manager_page(site_dir: Path) -> None:
    """病毒 is a token of the manager page (dictionary.py splits 计算机病毒; the sub-words would find it too)."""
    read = reader(site_dir)
    meta = read("meta.json")
    postings = read(f"s/{search.shard_of('病毒', meta['shards'])}.json")["病毒"]
    docs = set(postings[0::2])
    rows = {d: read(f"d/{d // meta['block']}.json")[d % meta["block"]] for d in docs}
    assert any(row[1].startswith("roles/manager/") for row in rows.values())
    assert all("病毒" in row[0] + row[2] or len(row[2]) >= search.TEASER for row in rows.values())
