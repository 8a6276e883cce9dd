"""Chunked search index: Material's `search/search_index.json` split so a query downloads only what it needs.

Material's search worker loads the whole index before it answers (3-10 s at 300-2,200 pages). After the search
plugin has written its index, `write_chunks(site_dir, is_word)` turns it into `search/chunks/`:
- `meta.json`: {version, docs, shards, block, spans, vocab}: `spans` is the number of entries of each page (a
  page entry, then its sections, in that order), `vocab` every indexed token joined by "\\n" (the worker segments
  a Chinese query by greedy longest match on it, as jieba is not in the browser);
- `s/<k>.json`: shard k of the inverted index, {token: [doc, weight, doc, weight, ...]}, the tokens whose FNV-1a
  hash (32 bit, over code points) modulo the shard count is k; a weight is a BM25 term weight quantised to 1..255;
- `d/<b>.json`: entries b*block .. b*block+block-1 as [title, location, teaser], title and teaser HTML-escaped
  text without tags (a page with no text before its first section shows the start of its sections: `teasers`).
and replaces `search_index.json` by a stub {config, docs: []}: Material's main script still fetches it (for the
separator its on-page highlighting uses) and posts it to the worker, docs/assets/search-worker.js, which answers
from the chunks.

Tokens come from the text Material wrote, already segmented by jieba (accurate mode, words joined by U+200B):
split with the index's separator, never segmented again. Like jieba's search mode, a Han word longer than two
characters also yields its 2-grams and (longer than three) 3-grams that are dictionary words, so 病毒 finds
计算机病毒. Mermaid source still in Material's index is dropped (see `without_diagrams`). A weight carries the
entry's front matter `search: boost` (list pages 0.5, job descriptions 2); the worker adds Material's post-boost
of page entries and ranks. tests/test_search_worker.py runs that worker itself, in node.
"""
from __future__ import annotations

import hashlib
import html
import json
import re
import shutil
from collections import Counter, defaultdict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

CHUNKS = "chunks"
BLOCK = 16
"""Entries per doc block: a page and its sections mostly share one block; a block is ~6 KB gzipped."""
TARGET_SHARD_BYTES = 48_000
"""Raw JSON a shard aims at; the shard count is a power of two from 16 to 4096."""
TEASER = 300
"""Characters of an entry's text kept for the result list (Material shows the whole section)."""
K1, B, TITLE_FACTOR = 1.2, 0.75, 5
MAX_TF_WEIGHT = K1 + 1
"""The BM25 term-frequency factor never exceeds k1 + 1: weights are quantised against it times the top boost."""
STOPWORDS = frozenset("的 了 和 与 及 或 在 是 为 对 由 将 等 并 其 之 被 把 也 就 都 而 以 于".split())
HAN_CLASS = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
RUN = re.compile(f"[{HAN_CLASS}]+|[^\\W{HAN_CLASS}]+")
"""A token is split into runs of Han characters and runs of other word characters; search-worker.js has the same."""
HAN = re.compile(f"[{HAN_CLASS}]")
TAG = re.compile(r"<[^>]*>")
SPACE = re.compile(r"\s+")
ZWSP = "\u200b"
MERMAID_TYPES = ("flowchart graph sequenceDiagram classDiagram stateDiagram stateDiagram-v2 erDiagram journey gantt "
                 "pie quadrantChart requirementDiagram gitGraph C4Context C4Container C4Component C4Dynamic C4Deployment "
                 "mindmap timeline zenuml sankey-beta xychart-beta block-beta packet-beta kanban architecture-beta "
                 "radar-beta treemap-beta").split()
MERMAID_SOURCE = re.compile(r"\s*(?:%%[^\n]*\n\s*)*(?:---\n.*?\n---[ \t]*\n\s*)?(?:"
                            + "|".join(map(re.escape, sorted(MERMAID_TYPES, key=len, reverse=True)))
                            + r")(?:[ \t][^\n]*)?\n", re.S)
"""The start of a Mermaid diagram's source: comments and a front matter block, then the line naming the diagram's
type, and more lines."""
PRE = re.compile(r"<pre>(?:<code>)?(.*?)(?:</code>)?</pre>", re.S)

IsWord = Callable[[str], bool]


@dataclass(frozen=True)
class Entry:
    """One entry of Material's index: a page (location without '#') or a section of it. Title and text are
    HTML as Material writes them: kept tags (p, code, li, ...) without attributes, data escaped, jieba's words
    joined by U+200B."""

    location: str
    title: str
    text: str
    boost: float = 1.0


@dataclass(frozen=True)
class MaterialIndex:
    config: Mapping[str, object]
    entries: tuple[Entry, ...]


@dataclass(frozen=True)
class ChunkedIndex:
    entries: tuple[Entry, ...]
    """In page order: each page entry followed by its sections."""
    spans: tuple[int, ...]
    """Entries per page, in order."""
    postings: Mapping[str, tuple[int, ...]]
    """token -> (doc, weight, doc, weight, ...) in doc order."""
    shards: int


@dataclass(frozen=True)
class Written:
    docs: int
    pages: int
    shards: int
    tokens: int
    files: int
    size: int
    """Bytes of all chunk files."""
    meta_size: int


# -- reading Material's index -----------------------------------------------------------------------------------
def parse_material_index(raw: str | bytes) -> MaterialIndex:
    data = json.loads(raw)
    entries = tuple(Entry(str(e["location"]), str(e.get("title", "")), str(e.get("text", "")),
                          float(e.get("boost", 1.0))) for e in data["docs"])
    return MaterialIndex(data["config"], entries)


def in_page_order(entries: Sequence[Entry]) -> tuple[tuple[Entry, ...], tuple[int, ...]]:
    """Entries grouped by page (the part of the location before '#'), pages in order of first appearance, the
    page's own entry first; and the size of each group. Material writes them so already; this makes sure."""
    groups: dict[str, list[Entry]] = {}
    for entry in entries:
        groups.setdefault(entry.location.split("#")[0], []).append(entry)
    ordered: list[Entry] = []
    for page, group in groups.items():
        group.sort(key=lambda e: e.location != page)  # stable: sections keep their order
        ordered += group
    return tuple(ordered), tuple(len(g) for g in groups.values())


# -- content only -----------------------------------------------------------------------------------------------
def is_diagram_source(markup: str) -> bool:
    return MERMAID_SOURCE.match(plain(markup[:1000]).replace(ZWSP, "")) is not None


def without_diagrams(entry: Entry) -> Entry:
    """The entry without Mermaid source. Pages mark diagrams `data-search-exclude`, which Material's search plugin
    honours; a diagram that still arrives is code, not content (its node labels repeat the page's steps and its
    syntax would fill results and snippets): as `<pre><code>` (superfences), or as the whole bare text of an entry
    (a diagram in a `<div>`, whose tags Material drops)."""
    if not entry.text.startswith("<") and is_diagram_source(entry.text):
        return replace(entry, text="")
    if "<pre>" not in entry.text:
        return entry
    text = PRE.sub(lambda block: " " if is_diagram_source(block.group(1)) else block.group(0), entry.text)
    return entry if text == entry.text else replace(entry, text=text)


# -- tokens ---------------------------------------------------------------------------------------------------
def plain(markup: str) -> str:
    """Material's escaped HTML as plain text: tags become blanks, entities characters."""
    return html.unescape(TAG.sub(" ", markup) if "<" in markup else markup)


def sub_words(word: str, is_word: IsWord) -> list[str]:
    """jieba's search mode, cheaply: the dictionary 2-grams of a Han word longer than 2, and its 3-grams if
    longer than 3."""
    found = []
    for size in (2, 3):
        if len(word) > size:
            found += [word[i:i + size] for i in range(len(word) - size + 1) if is_word(word[i:i + size])]
    return found


def token_expander(is_word: IsWord) -> Callable[[str], tuple[str, ...]]:
    """A memoised function: one piece of Material's text (between separators) -> its index tokens."""
    memo: dict[str, tuple[str, ...]] = {}

    def expand(piece: str) -> tuple[str, ...]:
        found = memo.get(piece)
        if found is None:
            out: list[str] = []
            for run in RUN.findall(piece):
                out.append(run)
                if len(run) > 2 and HAN.match(run):
                    out += sub_words(run, is_word)
            found = memo[piece] = tuple(t for t in out if t not in STOPWORDS)
        return found
    return expand


def tokens(text: str, separator: re.Pattern[str], is_word: IsWord) -> list[str]:
    """Index tokens of Material's escaped, U+200B-joined text (lower-cased; the same piece gives the same tokens)."""
    expand = token_expander(is_word)
    return [t for piece in separator.split(plain(text).lower()) if piece for t in expand(piece)]


class _Counter:
    """Token counts of Material's text. The text is first split at U+200B, which joins jieba's words (a plain
    str.split, several times faster than the separator's regex); most pieces are then one token already and are
    counted as they are, the others (holding blanks or punctuation, stopwords, compounds with sub-words) go
    through the separator and the expander, memoised."""

    def __init__(self, separator: re.Pattern[str], is_word: IsWord) -> None:
        self.separator = separator
        self.presplit = ZWSP if separator.fullmatch(ZWSP) else None
        self.expand_token = token_expander(is_word)
        self.known: dict[str, tuple[str, ...] | None] = {}
        """piece -> its tokens, or None when the piece is its own single token."""
        self.irregular: set[str] = set()

    def _split(self, text: str) -> list[str]:
        text = plain(text).lower()
        return text.split(self.presplit) if self.presplit else self.separator.split(text)

    def __call__(self, text: str, title: str = "") -> Counter[str]:
        """Token counts of an entry; a title word counts TITLE_FACTOR times."""
        pieces = self._split(text)
        if title:
            pieces += self._split(title) * TITLE_FACTOR
        pieces_counted = Counter(pieces)
        for piece in pieces_counted:
            if piece not in self.known:
                found = tuple(t for part in self.separator.split(piece) if part for t in self.expand_token(part))
                self.known[piece] = None if found == (piece,) else found
                if found != (piece,):
                    self.irregular.add(piece)
        # A new Counter, not the pieces' one expanded in place: a piece's tokens can be another piece of the
        # text (计算机软件 gives 计算机, itself a piece with sub-words), which must not be expanded a second time.
        counts: Counter[str] = Counter()
        for piece, n in pieces_counted.items():
            if piece in self.irregular:
                for token in self.known[piece] or ():
                    counts[token] += n
            else:
                counts[piece] += n
        return counts


# -- the index ------------------------------------------------------------------------------------------------
def build(index: MaterialIndex, is_word: IsWord) -> ChunkedIndex:
    """BM25 term weights (k1 1.2, b 0.75, title words count 5 times, times the entry's boost), quantised."""
    entries, spans = in_page_order(tuple(map(without_diagrams, index.entries)))
    count = _Counter(re.compile(str(index.config.get("separator") or r"[\s\u200b]+")), is_word)
    counts = [count(entry.text, entry.title) for entry in entries]
    lengths = [sum(c.values()) for c in counts]
    average = (sum(lengths) / len(lengths) if lengths else 1.0) or 1.0
    scale = 255 / (MAX_TF_WEIGHT * max((max(e.boost, 0.0) for e in entries), default=1.0) or 1.0)
    postings: defaultdict[str, list[int]] = defaultdict(list)
    for doc, (entry, body) in enumerate(zip(entries, counts)):
        if not body:
            continue
        norm = K1 * (1 - B + B * lengths[doc] / average)
        factor = scale * max(entry.boost, 0.0) * (K1 + 1)
        weight = {tf: max(1, min(255, round(factor * tf / (tf + norm)))) for tf in set(body.values())}
        for token, tf in body.items():
            postings[token] += (doc, weight[tf])
    size = sum(len(t) * 3 + 8 * len(p) for t, p in postings.items())
    shards = 16
    while shards < 4096 and size / shards > TARGET_SHARD_BYTES:
        shards *= 2
    return ChunkedIndex(entries, spans, {t: tuple(p) for t, p in postings.items()}, shards)


def shard_of(token: str, shards: int) -> int:
    """FNV-1a (32 bit) over the token's code points, modulo the shard count; search-worker.js has the same."""
    h = 0x811C9DC5
    for ch in token:
        h ^= ord(ch)
        h = (h * 0x01000193) & 0xFFFFFFFF
    return h % shards


def teaser(markup: str, limit: int = TEASER) -> str:
    """Escaped plain text of Material's HTML, without U+200B and tags, cut to `limit` characters."""
    # Only the start is shown: cut the markup first (a tag or entity cut in two is dropped), then clean it.
    cut = len(markup) > limit * 4
    text = SPACE.sub(" ", plain(_whole(markup[:limit * 4]) if cut else markup).replace(ZWSP, "")).strip()
    if cut or len(text) > limit:
        text = text[:limit].rstrip() + "…"
    return html.escape(text, quote=False)


def _whole(head: str) -> str:
    """The start of Material's HTML without a tag or entity cut in two at its end."""
    if head.rfind("<") > head.rfind(">"):
        head = head[:head.rfind("<")]
    if head.rfind("&") > head.rfind(";"):
        head = head[:head.rfind("&")]
    return head


def _dump(value: object) -> bytes:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def teasers(index: ChunkedIndex) -> list[str]:
    """The teaser of each entry. A page whose text before its first section is empty (a job description opens
    with its 基本信息 table) shows the start of its first section that has text: the page's own first words."""
    out = [teaser(entry.text) for entry in index.entries]
    start = 0
    for span in index.spans:
        if not out[start] and "#" not in index.entries[start].location:
            out[start] = next((text for text in out[start + 1:start + span] if text), "")
        start += span
    return out


def chunk_files(index: ChunkedIndex) -> dict[str, bytes]:
    """Relative path under search/chunks/ -> content."""
    files: dict[str, bytes] = {}
    vocab = sorted(index.postings)
    grouped: list[dict[str, tuple[int, ...]]] = [{} for _ in range(index.shards)]
    for token in vocab:
        grouped[shard_of(token, index.shards)][token] = index.postings[token]
    for number, shard in enumerate(grouped):
        files[f"s/{number}.json"] = _dump(shard)
    rows = [[teaser(e.title, 200), e.location, text] for e, text in zip(index.entries, teasers(index))]
    for start in range(0, len(rows), BLOCK):
        files[f"d/{start // BLOCK}.json"] = _dump(rows[start:start + BLOCK])
    digest = hashlib.sha256()
    for name in sorted(files):
        digest.update(name.encode() + b"\0" + files[name])
    files["meta.json"] = _dump({"version": digest.hexdigest()[:12], "docs": len(index.entries),
                                "shards": index.shards, "block": BLOCK, "spans": list(index.spans),
                                "vocab": "\n".join(vocab)})
    return files


def stub(index: MaterialIndex) -> bytes:
    """What Material's main script still fetches: the config (its highlighter needs the separator), no docs."""
    return json.dumps({"config": index.config, "docs": []}, separators=(",", ":")).encode("utf-8")


def write_chunks(site_dir: Path, is_word: IsWord) -> Written | None:
    """Chunk `site_dir/search/search_index.json` into `site_dir/search/chunks/` and replace the index by its stub.
    None when there is no index (search plugin off) or it is already a stub (nothing to do)."""
    source = site_dir / "search" / "search_index.json"
    if not source.is_file():
        return None
    material = parse_material_index(source.read_bytes())
    if not material.entries and (site_dir / "search" / CHUNKS / "meta.json").is_file():
        return None
    index = build(material, is_word)
    files = chunk_files(index)
    target = site_dir / "search" / CHUNKS
    staging = site_dir / "search" / f".{CHUNKS}.tmp"
    shutil.rmtree(staging, ignore_errors=True)
    (staging / "s").mkdir(parents=True)
    (staging / "d").mkdir()
    for name, content in files.items():
        (staging / name).write_bytes(content)
    shutil.rmtree(target, ignore_errors=True)
    staging.rename(target)
    source.write_bytes(stub(material))
    return Written(len(index.entries), len(index.spans), index.shards, len(index.postings), len(files),
                   sum(len(c) for c in files.values()), len(files["meta.json"]))
