"""Problems found in the data: records apart from their printing."""
from __future__ import annotations

import difflib
import enum
from dataclasses import dataclass
from typing import Iterable


class Severity(enum.IntEnum):
    WARNING = 1
    ERROR = 2

    def __str__(self) -> str:
        return self.name.lower()


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with the data. Lines and columns start at 1 (0 when unknown)."""

    path: str
    line: int
    column: int
    code: str
    message: str
    severity: Severity = Severity.ERROR


def suggestion(word: str, candidates: Iterable[str]) -> str | None:
    """The closest candidate to a misspelt word, if any is close enough."""
    matches = difflib.get_close_matches(word, sorted(set(candidates)), n=1, cutoff=0.6)
    return matches[0] if matches else None


def did_you_mean(word: str, candidates: Iterable[str]) -> str:
    """' (did you mean 'x'?)' or an empty string."""
    best = suggestion(word, candidates)
    return f" (did you mean '{best}'?)" if best else ""


def worst(problems: Iterable[Problem]) -> Severity | None:
    return max((p.severity for p in problems), default=None)
