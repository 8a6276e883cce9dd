"""Problems worded for people (text), for GitHub Actions (annotations) or for GitLab (a Code Quality report).

Every word goes through the message catalog (messages.py): one Problem prints in Chinese or in English, and its
code, the last thing on a text line, is the same in both.
"""
from __future__ import annotations

import hashlib
import json

from .messages import language, phrase, words
from .problems import SEVERITY_WORDS, Problem, Severity

GITLAB_SEVERITY = {Severity.ERROR: "major", Severity.WARNING: "minor"}
"""GitLab's scale is info, minor, major, critical, blocker; errors rank above warnings in the merge request."""


def format_text(problem: Problem, lang: str | None = None) -> str:
    lang = language(lang)
    where = problem.path if not problem.line else f"{problem.path}:{problem.line}:{problem.column}"
    return words(phrase("{where}: {severity}: {message} [{code}]", where=where,
                        severity=SEVERITY_WORDS[problem.severity], message=problem.phrase, code=problem.code), lang)


def format_github(problem: Problem, lang: str | None = None) -> str:
    message = words(problem.phrase, language(lang))
    message = message.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    level = "error" if problem.severity == Severity.ERROR else "warning"
    position = f",line={problem.line},col={problem.column}" if problem.line else ""
    return f"::{level} file={problem.path}{position},title={problem.code}::{message}"


def format_gitlab(problems: list[Problem], lang: str | None = None) -> str:
    """GitLab's Code Quality report: a JSON list, one entry per problem, shown inline in the merge request."""
    lang = language(lang)
    return json.dumps([_code_quality_entry(problem, lang) for problem in problems], ensure_ascii=False, indent=2) + "\n"


def _code_quality_entry(problem: Problem, lang: str) -> dict[str, object]:
    return {
        "description": words(problem.phrase, lang),
        "check_name": problem.code,
        "fingerprint": fingerprint(problem),
        "severity": GITLAB_SEVERITY[problem.severity],
        # GitLab needs a line; a problem with the whole file (line 0) is shown on its first line.
        "location": {"path": problem.path, "lines": {"begin": max(problem.line, 1)}},
    }


def fingerprint(problem: Problem) -> str:
    """The same for the same problem in any language and on every run; different for two problems."""
    key = "\0".join((problem.path, str(problem.line), str(problem.column), problem.code, problem.message))
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


def summary(problems: list[Problem], lang: str | None = None) -> str:
    errors = sum(1 for p in problems if p.severity == Severity.ERROR)
    return words(phrase("{errors} error(s), {warnings} warning(s)", errors=errors,
                        warnings=len(problems) - errors), language(lang))
