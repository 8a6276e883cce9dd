"""Problems as text for people, or as GitHub Actions annotations for pull requests."""
from __future__ import annotations

from .problems import Problem


def format_text(problem: Problem) -> str:
    where = problem.path if not problem.line else f"{problem.path}:{problem.line}:{problem.column}"
    return f"{where}: {problem.severity}: {problem.message} [{problem.code}]"


def format_github(problem: Problem) -> str:
    message = problem.message.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    level = "error" if str(problem.severity) == "error" else "warning"
    position = f",line={problem.line},col={problem.column}" if problem.line else ""
    return f"::{level} file={problem.path}{position},title={problem.code}::{message}"


def summary(problems: list[Problem]) -> str:
    errors = sum(1 for p in problems if str(p.severity) == "error")
    warnings = len(problems) - errors
    return f"{errors} error(s), {warnings} warning(s)"
