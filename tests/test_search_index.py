"""The chunked search index (generator/adapter/search.py): tokens, sub-words, shards, escaping, Mermaid source left out,
the stub left in place of search_index.json, and what the real built site's index holds. Queries are answered by
the worker itself in tests/test_search_worker.py."""
from __future__ import annotations

import html
import json
import re
from collections import Counter
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from generator.adapter import search

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


def chunked_site(folder: Path, docs: list[dict]) -> Path:
    """A site folder holding only Material's index of `docs`, chunked as the build does."""
    (folder / "search").mkdir(parents=True)
    (folder / "search" / "search_index.json").write_text(json.dumps({"config": CONFIG, "docs": docs}),
                                                         encoding="utf-8")
    assert search.write_chunks(folder, is_word) is not None
    return folder


@pytest.fixture()
def small_site(tmp_path: Path) -> Path:
    return chunked_site(tmp_path, DOCS)


def reader(site: Path):
    base = site / "search" / "chunks"
    return lambda path: json.loads((base / path).read_text(encoding="utf-8"))


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


def test_a_piece_whose_tokens_are_other_pieces_is_counted_once_whatever_the_hash_seed() -> None:
    """计算机软件 gives 计算机, which is itself a piece of the text with a sub-word (算机). The counter used to expand
    the pieces in place in set order, so 计算机 was expanded again when it came second: counts (and every BM25
    weight, through the average length) depended on PYTHONHASHSEED. Many such pairs: some come second in any order."""
    han = [chr(0x4E00 + 7 * i) for i in range(60)]
    pairs = [(a + b + c, a + b + c + d) for a, b, c, d in zip(han[0::4], han[1::4], han[2::4], han[3::4])]
    words = {word for part, compound in pairs for word in (part, part[1:])}

    def in_dictionary(word: str) -> bool:
        return word in words

    text = Z.join(word for pair in pairs for word in pair)
    separator = re.compile(SEPARATOR)
    expected = Counter(search.tokens(text, separator, in_dictionary))
    assert expected[pairs[0][0]] == 2 and expected[pairs[0][0][1:]] == 2  # once from each piece
    assert search._Counter(separator, in_dictionary)(text) == expected


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


DIAGRAM = (f"<pre><code>flowchart TB\n  subgraph lane_1[\"{Z}电商{Z}客服{Z}\"]\n    direction TB\n"
           f"    s1[\"1. {Z}每日{Z}查看{Z}#40;{Z}中差评{Z}#41;\"]\n  end\n</code></pre>")


def test_mermaid_source_is_left_out_of_the_index_and_its_snippets(tmp_path: Path) -> None:
    docs = [
        {"location": "procedures/bad-review/", "title": f"中差评{Z}处理", "text": f"<p>{Z}目的{Z}:{Z}处理{Z}中差评</p>"},
        {"location": "procedures/bad-review/#diagram", "title": "流程图", "text": DIAGRAM},
        {"location": "procedures/bad-review/#steps", "title": "步骤", "text": f"<p>{Z}查看</p> {DIAGRAM} <p>{Z}回复</p>"},
        {"location": "org/", "title": "组织", "text": "%% generated\ngraph LR\n  a --> b\n"},  # a diagram in a <div>
        {"location": "editing/", "title": "编辑",
         "text": "<pre><code>graph: yaml\ntimeline: x\n</code></pre> <p>pie chart</p>"},
    ]
    read = reader(chunked_site(tmp_path, docs))
    vocab = set(read("meta.json")["vocab"].split("\n"))
    assert not vocab & {"flowchart", "subgraph", "lane_1", "direction", "tb", "s1", "40", "end", "lr", "a", "b"}
    assert {"目的", "中差评", "查看", "回复", "流程图", "graph", "yaml", "timeline", "pie", "chart"} <= vocab
    rows = {row[1]: row for row in read("d/0.json")}
    assert rows["procedures/bad-review/#diagram"] == ["流程图", "procedures/bad-review/#diagram", ""]
    assert rows["procedures/bad-review/#steps"][2] == "查看 回复"
    assert rows["org/"][2] == ""
    assert rows["editing/"][2] == "graph: yaml timeline: x pie chart"  # code that is not a diagram stays


def test_a_page_without_text_of_its_own_shows_its_first_words(tmp_path: Path) -> None:
    docs = [{"location": "roles/cs/", "title": "客服", "text": ""},
            {"location": "roles/cs/#info", "title": "基本信息", "text": ""},
            {"location": "roles/cs/#duties", "title": "职责", "text": f"<ol><li>{Z}处理{Z}快递{Z}异常</li></ol>"},
            {"location": "glossary/", "title": "术语", "text": ""}]
    assert [row[2] for row in reader(chunked_site(tmp_path, docs))("d/0.json")] == ["处理快递异常", "", "处理快递异常", ""]


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


def test_real_index_holds_the_parts_of_compounds_for_the_manager_page(site_dir: Path) -> None:
    """病毒 is a token of the manager page (dictionary.py splits 计算机病毒; the sub-words would find it too)."""
    read = reader(site_dir)
    meta = read("meta.json")
    postings = read(f"s/{search.shard_of('病毒', meta['shards'])}.json")["病毒"]
    docs = set(postings[0::2])
    rows = {d: read(f"d/{d // meta['block']}.json")[d % meta["block"]] for d in docs}
    assert any(row[1].startswith("roles/manager/") for row in rows.values())
    assert all("病毒" in row[0] + row[2] or len(row[2]) >= search.TEASER for row in rows.values())


CONTROL_NUMBER = re.compile(r"文件编号:\s*[A-Z]+-[A-Z]+-[0-9]+")
"""A document number as the document control block shows it (the schema reference may name the field itself)."""
NOT_THE_PAGES_OWN_TEXT = ("[data-search-exclude], .hb-control, .hb-print-header, .admonition.draft, .hb-banner, "
                          ".mermaid, .hb-flow, .hb-downloads, a.headerlink, .md-content__button, h1, h2, h3, h4, h5, h6")
"""Document control, the print header, draft notices, lifecycle banners, diagrams, download links, and what the
theme adds; headings are titles."""


def _rows(site: Path) -> list[list[str]]:
    read = reader(site)
    meta = read("meta.json")
    return [row for b in range(-(-meta["docs"] // meta["block"])) for row in read(f"d/{b}.json")]


def _squashed(text: str) -> str:
    return re.sub(r"\s+", "", text.replace(Z, ""))


def _own_text(page: Path) -> tuple[str, BeautifulSoup]:
    """The text of the page's article without what is not its own, squashed; and the whole article."""
    article = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser").select_one("article")
    assert article is not None, page
    whole = BeautifulSoup(str(article), "html.parser")
    for element in article.select(NOT_THE_PAGES_OWN_TEXT):
        element.decompose()
    return _squashed(article.get_text()), whole


def test_the_real_index_holds_no_diagram_source_nor_document_control(site_dir: Path) -> None:
    vocab = set(reader(site_dir)("meta.json")["vocab"].split("\n"))
    assert not vocab & {"flowchart", "subgraph", "lane_1", "direction"}
    rows = _rows(site_dir)
    assert not [row[1] for row in rows if "flowchart" in row[2] or "subgraph" in row[2]]
    assert not [row[1] for row in rows if CONTROL_NUMBER.search(row[2])]


def test_page_snippets_start_with_the_pages_own_text(site_dir: Path) -> None:
    """Each page's snippet is the start of its own text: no document control, draft notice or diagram first."""
    wrong, boilerplate, notices = [], set(), 0
    rows = _rows(site_dir)
    for title, location, snippet in rows:
        page = site_dir / location / "index.html"
        if "#" in location or not page.is_file():
            continue
        own, article = _own_text(page)
        head = _squashed(html.unescape(snippet)).removesuffix("…")[:12]
        if not own.startswith(head):
            wrong.append((location, head, own[:12]))
        boilerplate |= {_squashed(e.get_text())[:12] for e in article.select(".hb-control, .admonition.draft, .hb-banner")}
        notices += len(article.select(".admonition.draft"))
    assert len(boilerplate) > 3 and notices > 10, "the pages' document control and draft notices were not found"
    snippets = " ".join(_squashed(html.unescape(row[2])) for row in rows)
    wrong += [("indexed", text) for text in sorted(boilerplate) if text in snippets]
    assert not wrong, wrong
