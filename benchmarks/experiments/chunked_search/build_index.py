"""Build a chunked Chinese search index and a static search page: `build_index.py SOURCE OUT`.

SOURCE is either the Markdown tree written by `python -m generator render --data DATA --out TREE`, or a built
site's `search/search_index.json` (Material's single index: {docs: [{location, title, text}]}).

OUT receives:
- `search.html`, `search.js` (copied from this folder): a plain-JS search page, no dependency;
- `index/meta.json`: document count, shard count, doc block size, and the vocabulary (every indexed token, one
  string joined by "\\n") that the page uses to segment a query by greedy longest match, as jieba is not in
  the browser;
- `index/s/<k>.json`: shard k of the inverted index, {token: [doc, weight, doc, weight, ...]}, holding the tokens
  whose FNV-1a hash (over code points) modulo the shard count is k;
- `index/d/<b>.json`: docs b*BLOCK .. b*BLOCK+BLOCK-1 as [title, location, snippet].

Text is segmented with jieba in search mode (`cut_for_search`), which emits the sub-words of a compound as well
(计算机病毒 → 计算, 算机, 计算机, 病毒, 计算机病毒), so 病毒 finds 计算机病毒. A weight is a BM25 term weight
(k1 = 1.2, b = 0.75, title occurrences count 5 times) times the page's `search.boost`, quantised to 1..255; the
page multiplies it by the token's idf, which it computes from the length of the posting list.
"""
from __future__ import annotations

import argparse
import gzip
import html
import json
import logging
import math
import re
import shutil
import sys
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
BLOCK = 128                 # docs per doc-table file
TARGET_SHARD_BYTES = 48_000  # raw JSON per shard the shard count aims at (power of two, 16..1024)
SNIPPET = 80
K1, B, TITLE_FACTOR = 1.2, 0.75, 5
STOPWORDS = frozenset("的 了 和 与 及 或 在 是 为 对 由 将 等 并 其 之 被 把 也 就 都 而 以 于".split())
HAN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
TOKEN = re.compile(r"\w", re.UNICODE)


@dataclass(frozen=True)
class Doc:
    title: str
    location: str
    text: str
    boost: float = 1.0


def shard_of(token: str, shards: int) -> int:
    """FNV-1a (32 bit) over the token's code points, modulo the shard count; search.js has the same function."""
    h = 0x811C9DC5
    for ch in token:
        h ^= ord(ch)
        h = (h * 0x01000193) & 0xFFFFFFFF
    return h % shards


# -- reading pages --------------------------------------------------------------------------------------------
FRONT_MATTER = re.compile(r"\A---\n(.*?)\n---\n", re.S)
ATTR_LIST = re.compile(r"\s*\{[^{}\n]*\}")
LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
TAG = re.compile(r"<[^>]+>")
ADMONITION = re.compile(r"^\s*(?:!!!|\?\?\?\+?)\s*\S+(?:\s+\"([^\"]*)\")?\s*$", re.M)
MARKUP = re.compile(r"[*_`|>#]+|^\s*[-+]\s+|^\s*\d+\.\s+|^\s*-{3,}\s*$", re.M)


def markdown_text(source: str) -> tuple[str, str, float]:
    """(title, plain text, boost) of a generated Markdown page; a rough strip, good enough for indexing."""
    boost = 1.0
    match = FRONT_MATTER.match(source)
    if match:
        found = re.search(r"boost:\s*([\d.]+)", match.group(1))
        boost = float(found.group(1)) if found else 1.0
        source = source[match.end():]
    title_match = re.search(r"^# (.+)$", source, re.M)
    title = ATTR_LIST.sub("", title_match.group(1)).strip() if title_match else ""
    text = ATTR_LIST.sub("", source)
    text = LINK.sub(r"\1", text)
    text = TAG.sub(" ", text)
    text = ADMONITION.sub(r" \1 ", text)
    text = MARKUP.sub(" ", text)
    text = html.unescape(re.sub(r"\s+", " ", text)).strip()
    if title and text.startswith(title):
        text = text[len(title):].strip()
    return title, text, boost


def location_of(rel: Path) -> str:
    """URL of a page relative to the site root, as MkDocs writes it with use_directory_urls."""
    parts = rel.with_suffix("").parts
    if parts[-1] in ("index", "README"):
        parts = parts[:-1]
    return "/".join(parts) + "/" if parts else ""


def docs_from_tree(tree: Path) -> list[Doc]:
    docs = []
    for path in sorted(tree.rglob("*.md")):
        title, text, boost = markdown_text(path.read_text(encoding="utf-8"))
        docs.append(Doc(title or path.stem, location_of(path.relative_to(tree)), text, boost))
    return docs


def docs_from_search_index(index: Path) -> list[Doc]:
    """Page entries (no '#') of Material's search_index.json; their text is HTML joined by U+200B."""
    data = json.loads(index.read_text(encoding="utf-8"))
    docs = []
    for entry in data["docs"]:
        if "#" in entry["location"]:
            continue
        text = html.unescape(TAG.sub(" ", entry.get("text", ""))).replace("\u200b", "")
        title = html.unescape(TAG.sub("", entry.get("title", ""))).replace("\u200b", "")
        docs.append(Doc(title, entry["location"], re.sub(r"\s+", " ", text).strip(), float(entry.get("boost", 1))))
    return docs


# -- indexing -------------------------------------------------------------------------------------------------
def tokens(text: str) -> list[str]:
    """Search-mode jieba tokens, lower-cased, without punctuation, blanks and a few function words."""
    import jieba
    jieba.setLogLevel(logging.WARNING)
    out = []
    for token in jieba.cut_for_search(text):
        token = token.strip().lower()
        if token and TOKEN.search(token) and token not in STOPWORDS:
            out.append(token)
    return out


@dataclass(frozen=True)
class Index:
    docs: list[Doc]
    postings: dict[str, list[tuple[int, int]]]  # token -> [(doc, weight)] in doc order
    shards: int


def build(docs: list[Doc]) -> Index:
    counts: list[Counter[str]] = []
    lengths = []
    for doc in docs:
        body = Counter(tokens(doc.text))
        for token in tokens(doc.title):
            body[token] += TITLE_FACTOR
        counts.append(body)
        lengths.append(sum(body.values()))
    avg = (sum(lengths) / len(lengths)) if lengths else 1.0
    postings: dict[str, list[tuple[int, int]]] = {}
    raw: list[tuple[str, int, float]] = []
    for number, (doc, body) in enumerate(zip(docs, counts)):
        norm = K1 * (1 - B + B * lengths[number] / avg)
        for token, tf in body.items():
            raw.append((token, number, doc.boost * tf * (K1 + 1) / (tf + norm)))
    top = max((w for _, _, w in raw), default=1.0)
    for token, number, weight in raw:
        postings.setdefault(token, []).append((number, max(1, round(255 * weight / top))))
    size = sum(len(t) * 3 + 8 * len(p) for t, p in postings.items())
    shards = 16
    while shards < 1024 and size / shards > TARGET_SHARD_BYTES:
        shards *= 2
    return Index(docs, postings, shards)


def snippet(text: str) -> str:
    return text[:SNIPPET] + ("…" if len(text) > SNIPPET else "")


def dump(value: object) -> bytes:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def write(index: Index, out: Path) -> dict[str, int]:
    """Write the index and the page into OUT (replacing OUT/index); returns sizes in bytes (raw and gzip)."""
    target = out / "index"
    if target.exists():
        shutil.rmtree(target)
    (target / "s").mkdir(parents=True)
    (target / "d").mkdir()
    files: dict[str, bytes] = {}
    vocab = sorted(index.postings)
    files["meta.json"] = dump({"docs": len(index.docs), "shards": index.shards, "block": BLOCK,
                               "vocab": "\n".join(vocab)})
    grouped: list[dict[str, list[int]]] = [{} for _ in range(index.shards)]
    for token in vocab:
        grouped[shard_of(token, index.shards)][token] = [x for pair in index.postings[token] for x in pair]
    for number, shard in enumerate(grouped):
        files[f"s/{number}.json"] = dump(shard)
    for start in range(0, len(index.docs), BLOCK):
        block = [[d.title, d.location, snippet(d.text)] for d in index.docs[start:start + BLOCK]]
        files[f"d/{start // BLOCK}.json"] = dump(block)
    for name, data in files.items():
        (target / name).write_bytes(data)
    for name in ("search.html", "search.js"):
        shutil.copyfile(HERE / name, out / name)
    meta = files["meta.json"]
    return {
        "total": sum(len(v) for v in files.values()),
        "total_gz": sum(len(gzip.compress(v, 6)) for v in files.values()),
        "meta": len(meta), "meta_gz": len(gzip.compress(meta, 6)),
        "shards": index.shards, "tokens": len(vocab), "docs": len(index.docs),
    }


# -- lookup in Python (what search.js does, for tests) --------------------------------------------------------
def segment(query: str, vocab: set[str], longest: int = 8) -> list[str]:
    """Greedy longest match of Han runs against the vocabulary; other runs split on non-word characters."""
    out: list[str] = []
    for run in re.findall(r"[\u3400-\u9fff\uf900-\ufaff]+|[^\W\u3400-\u9fff\uf900-\ufaff]+", query.lower()):
        if not HAN.match(run):
            out.append(run)
            continue
        i = 0
        while i < len(run):
            for j in range(min(len(run), i + longest), i, -1):
                if run[i:j] in vocab:
                    out.append(run[i:j])
                    i = j
                    break
            else:
                i += 1  # a character no page contains: skipped
    return [t for t in dict.fromkeys(out) if t not in STOPWORDS]


def lookup(out: Path, query: str, limit: int = 10) -> list[str]:
    """Locations of the first results for QUERY, read from the written shards the way search.js reads them."""
    base = out / "index"
    meta = json.loads((base / "meta.json").read_text(encoding="utf-8"))
    terms = segment(query, set(meta["vocab"].split("\n")))
    lists = []
    for term in terms:
        shard = json.loads((base / "s" / f"{shard_of(term, meta['shards'])}.json").read_text(encoding="utf-8"))
        flat = shard.get(term, [])
        idf = math.log(1 + meta["docs"] / max(1, len(flat) // 2))
        lists.append({flat[i]: flat[i + 1] * idf for i in range(0, len(flat), 2)})
    if not lists:
        return []
    common = set(lists[0]).intersection(*lists[1:])
    candidates = common or set().union(*lists)
    scores = {d: sum(l.get(d, 0) for l in lists) for d in candidates}
    ranked = sorted(scores, key=lambda d: (-scores[d], d))[:limit]
    locations = []
    for d in ranked:
        block = json.loads((base / "d" / f"{d // meta['block']}.json").read_text(encoding="utf-8"))
        locations.append(block[d % meta["block"]][1])
    return locations


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("source", type=Path, help="Markdown tree (generator render --out) or search_index.json")
    parser.add_argument("out", type=Path)
    args = parser.parse_args(argv)
    if not args.source.exists():
        print(f"{args.source}: error: no such file or folder; expected a Markdown tree or search_index.json",
              file=sys.stderr)
        return 1
    docs = docs_from_search_index(args.source) if args.source.is_file() else docs_from_tree(args.source)
    args.out.mkdir(parents=True, exist_ok=True)
    sizes = write(build(docs), args.out)
    print(json.dumps(sizes))
    return 0


if __name__ == "__main__":
    sys.exit(main())
