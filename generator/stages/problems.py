"""Problems found in the data: records apart from their printing.

A Problem keeps its code and its message as a Phrase (a catalog phrase and the values it names); report.py words
it in Chinese or English. `problem.message` is the English wording, for logs and tests.
"""
from __future__ import annotations

import difflib
import enum
from dataclasses import dataclass
from typing import Iterable

from .messages import NOTHING, Phrase, literal, phrase, words


class Severity(enum.IntEnum):
    WARNING = 1
    ERROR = 2

    def __str__(self) -> str:
        return self.name.lower()


SEVERITY_WORDS = {Severity.ERROR: phrase("error"), Severity.WARNING: phrase("warning")}


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with the data. Lines and columns start at 1 (0 when unknown).

    `phrase` says what is wrong, in any language; plain text given instead is kept as written (not translated).
    """

    path: str
    line: int
    column: int
    code: str
    phrase: Phrase
    severity: Severity = Severity.ERROR

    def __post_init__(self) -> None:
        if isinstance(self.phrase, str):
            object.__setattr__(self, "phrase", literal(self.phrase))

    @property
    def message(self) -> str:
        """The message in English, the catalog's source language."""
        return words(self.phrase, "en")


def suggestion(word: str, candidates: Iterable[str]) -> str | None:
    """The closest candidate to a misspelt word, if any is close enough."""
    matches = difflib.get_close_matches(word, sorted(set(candidates)), n=1, cutoff=0.6)
    return matches[0] if matches else None


def did_you_mean(word: str, candidates: Iterable[str]) -> Phrase:
    """' (did you mean 'x'?)', or nothing when no candidate is close."""
    best = suggestion(word, candidates)
    return phrase(" (did you mean '{best}'?)", best=best) if best else NOTHING


def worst(problems: Iterable[Problem]) -> Severity | None:
    return max((p.severity for p in problems), default=None)
