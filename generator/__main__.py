"""Command line: python -m generator check | render --out DIR  (every command takes --data DIR)."""
from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from . import pipeline
from .problems import Problem, Severity
from .report import format_github, format_text, summary
from .write import WriteRefused, write_tree


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m generator", description="Department handbook generator")
    parser.add_argument("--data", type=Path, default=Path(os.environ.get("HANDBOOK_DATA", "data")),
                        help="folder of YAML data (default: $HANDBOOK_DATA or data/)")
    parser.add_argument("--format", choices=["text", "github"], default="text", help="how problems are printed")
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("check", help="validate the data and report every problem")
    render = commands.add_parser("render", help="write the generated pages as a plain Markdown tree")
    render.add_argument("--out", type=Path, required=True, help="output folder (new or empty)")
    render.add_argument("--force", action="store_true", help="replace a folder this command wrote before")
    args = parser.parse_args(argv)

    if args.command == "check":
        result = pipeline.check(args.data)
        return _report(result.problems, args.format, ok_message=f"{args.data}: ok")
    result = pipeline.render(args.data)
    code = _report(result.problems, args.format)
    if result.site is None:
        return code or 1
    try:
        count = write_tree(result.site, args.out, force=args.force)
    except WriteRefused as refusal:
        print(f"error: {refusal}", file=sys.stderr)
        return 2
    print(f"wrote {count} pages to {args.out}")
    return code


def _report(problems: list[Problem], style: str, ok_message: str | None = None) -> int:
    show = format_github if style == "github" else format_text
    for problem in problems:
        print(show(problem), file=sys.stderr)
    failed = any(p.severity == Severity.ERROR for p in problems)
    if problems:
        print(summary(problems), file=sys.stderr)
    elif ok_message:
        print(ok_message)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
