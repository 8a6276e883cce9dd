"""The jieba user dictionary for the search index, generated from the handbook's own words.

Material's search plugin segments Chinese with jieba's accurate mode at build time, and the browser can only find
whole index tokens (or their prefixes). Two rules follow, applied to every domain word (role names, glossary terms
and aliases, procedure and checklist titles):
- a word that jieba would break into meaningless single characters (旺旺 is fine, 淘宝客 -> 淘宝/客 is not) is added
  whole, so it stays one token;
- a compound of real words (计算机病毒, 电商客服, 快递异常) is split into those words ("split entry"), so that 病毒 and
  客服 are index tokens too. The whole compound is still found: the search box segments a query with the words of
  the index (计算机病毒 -> 计算机 病毒).
"""
from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from ..stages.model import Handbook

_HAN_RUN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")
MAX_WHOLE = 4
"""Longest word kept whole when it cannot be split into real words; longer runs are phrases left to jieba."""


@dataclass(frozen=True)
class DictEntry:
    word: str
    parts: tuple[str, ...] = ()
    """Empty: keep the word whole. Otherwise the words it is split into in the index."""


def domain_words(handbook: Handbook) -> tuple[str, ...]:
    """Runs of Han characters (2+) in the handbook's names and titles, in data order, without repeats."""
    names: list[str] = [role.title for role in handbook.roles]
    if handbook.glossary is not None:
        names += [name for term in handbook.glossary.terms for name in (term.term, *term.aliases)]
    names += [p.title for p in handbook.procedures] + [c.title for c in handbook.checklists]
    runs = (run for name in names for run in _HAN_RUN.findall(name) if len(run) >= 2)
    return tuple(dict.fromkeys(runs))


def plan_entries(words: Iterable[str], freq: Mapping[str, int]) -> tuple[DictEntry, ...]:
    """Decide for each domain word: keep whole, split into words, or leave to jieba (long phrases)."""
    words = tuple(words)
    vocabulary = {w for w in words if len(w) <= MAX_WHOLE} | {w for w, f in freq.items() if f > 0}
    entries = []
    for word in words:
        parts = best_split(word, vocabulary, freq)
        if all(len(part) >= 2 for part in parts):
            entries += _inner_compounds(parts, freq)
            entries.append(DictEntry(word, parts))
        elif len(word) <= MAX_WHOLE:
            entries.append(DictEntry(word))
    return tuple(dict.fromkeys(entries))


def _inner_compounds(parts: tuple[str, ...], freq: Mapping[str, int]) -> list[DictEntry]:
    """Split entries for dictionary words made of 2+ consecutive parts (计算机病毒 inside 计算机病毒查杀), which
    jieba would otherwise still prefer inside the split word."""
    found = []
    for i in range(len(parts)):
        for j in range(i + 2, len(parts) + (i > 0)):
            if freq.get("".join(parts[i:j]), 0) > 0:
                found.append(DictEntry("".join(parts[i:j]), parts[i:j]))
    return found


def best_split(word: str, vocabulary: set[str], freq: Mapping[str, int]) -> tuple[str, ...]:
    """The split of `word` into 2+ pieces with the fewest single characters, then the most pieces (the finest
    split into real words, so every part is a token), then the most frequent words. Pieces are vocabulary
    words or single characters."""
    n = len(word)
    # best[i]: (single characters, pieces, -log frequency) of the best split of word[i:], and its pieces
    best: list[tuple[tuple[int, int, float], tuple[str, ...]]] = [((0, 0, 0.0), ())] * (n + 1)
    for i in range(n - 1, -1, -1):
        options = []
        for j in range(i + 1, n + 1):
            piece = word[i:j]
            if (i, j) == (0, n) or (j - i > 1 and piece not in vocabulary):
                continue
            (singles, count, cost), rest = best[j]
            options.append(((singles + (j - i == 1), count - 1, cost - math.log(freq.get(piece, 0) + 1)),
                            (piece, *rest)))
        best[i] = min(options)
    return best[0][1]


def format_user_dictionary(entries: Iterable[DictEntry], freq: Mapping[str, int]) -> str:
    """The entries as a jieba user dictionary file (`word freq` a line; frequency 0 forces a split), for
    builders that load one (e.g. Material's `search: jieba_dict_user:`)."""
    lines = []
    for entry in entries:
        if entry.parts:
            lines += [f"{part} {max(freq.get(part, 0), 1)}" for part in entry.parts] + [f"{entry.word} 0"]
        else:
            lines.append(f"{entry.word} {max(freq.get(entry.word, 0), 1000)}")
    return "\n".join(dict.fromkeys(lines)) + "\n"
