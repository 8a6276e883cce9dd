"""Teaches jieba (which Material's search plugin segments Chinese with) the handbook's own words."""
from __future__ import annotations

from collections.abc import Callable, Iterable

from ..views.words import DictEntry, plan_entries


def apply_entries(entries: Iterable[DictEntry], tokenizer) -> None:
    """Teach a jieba Tokenizer the entries (idempotent, so `mkdocs serve` rebuilds can call it again)."""
    for entry in entries:
        if entry.parts:
            for part in entry.parts:
                if tokenizer.FREQ.get(part, 0) <= 0:
                    tokenizer.add_word(part)
            tokenizer.suggest_freq(entry.parts, tune=True)
        else:
            tokenizer.add_word(entry.word)
            tokenizer.suggest_freq(entry.word, tune=True)


def load_into_jieba(words: Iterable[str]) -> tuple[DictEntry, ...]:
    """Plan the entries against jieba's default dictionary and apply them to it; returns what was applied."""
    import jieba

    jieba.dt.initialize()
    entries = plan_entries(words, jieba.dt.FREQ)
    apply_entries(entries, jieba.dt)
    return entries


def is_word() -> Callable[[str], bool]:
    """Whether a word is in jieba's dictionary with a frequency above 0, as its search mode asks (the hook has
    loaded the handbook's own words into it; a frequency of 0 marks a word jieba must split)."""
    import jieba

    jieba.dt.check_initialized()
    freq = jieba.dt.FREQ
    return lambda word: freq.get(word, 0) > 0
