"""Command line: python -m generator check | render --out DIR | diff BASE [HEAD] | codeowners (all take --data DIR)."""
from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from . import pipeline
from .stages.problems import Problem, Severity
from .stages.report import format_github, format_text, summary
from .stages.write import WriteRefused, write_tree


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m generator", description="Department handbook generator")
    parser.add_argument("--data", type=Path, default=Path(os.environ.get("HANDBOOK_DATA", "data")),
                        help="folder of YAML data (default: $HANDBOOK_DATA or data/)")
    parser.add_argument("--format", choices=["text", "github"], default="text", help="how problems are printed")
    # The same options after the command (`check --data DIR`); SUPPRESS keeps the value given before it.
    shared = argparse.ArgumentParser(add_help=False)
    shared.add_argument("--data", type=Path, default=argparse.SUPPRESS, help=argparse.SUPPRESS)
    shared.add_argument("--format", choices=["text", "github"], default=argparse.SUPPRESS, help=argparse.SUPPRESS)
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("check", parents=[shared], help="validate the data and report every problem")
    render = commands.add_parser("render", parents=[shared], help="write the generated pages as a plain Markdown tree")
    render.add_argument("--out", type=Path, required=True, help="output folder (new or empty)")
    render.add_argument("--force", action="store_true", help="replace a folder this command wrote before")
    diff = commands.add_parser("diff", parents=[shared], help="what changed in the handbook between two git revisions, as Markdown")
    diff.add_argument("base", help="the earlier revision (commit, branch or tag)")
    diff.add_argument("head", nargs="?", help="the later revision (default: the working tree)")
    owners = commands.add_parser("codeowners", parents=[shared], help="write CODEOWNERS from the owner fields of the data")
    owners.add_argument("--reviewers", type=Path, default=Path(".github/owners.yml"),
                        help="role id -> GitHub users/teams (default: .github/owners.yml)")
    owners.add_argument("--out", type=Path, default=Path("CODEOWNERS"), help="file to write ('-' for stdout)")
    owners.add_argument("--check", action="store_true", help="only report whether the file is up to date")
    args = parser.parse_args(argv)

    if args.command == "diff":
        return _diff(args.data, args.base, args.head, args.format)
    if args.command == "codeowners":
        return _codeowners(args)
    if args.command == "check":
        result = pipeline.check(args.data)
        return _report(result.problems, args.format, ok_message=f"{args.data}: ok")
    result = pipeline.render(args.data)
    code = _report(result.problems, args.format)
    if result.site is None:
        return code or 1
    try:
        count = write_tree(result.site, args.out, force=args.force, data_dir=args.data)
    except WriteRefused as refusal:
        print(f"error: {refusal}", file=sys.stderr)
        return 2
    print(f"wrote {count} pages to {args.out}")
    return code


def _diff(data: Path, base: str, head: str | None, style: str) -> int:
    from .commands.diff import diff_handbooks, handbook_at, render_diff

    loaded = [handbook_at(data, base), handbook_at(data, head)]
    failed = False
    for side in loaded:
        if side.handbook is None:
            failed = True
            unreadable = any(p.code.startswith("git-") for p in side.problems)
            what = "cannot be read" if unreadable else "has errors"
            label = f"'{side.label}'" if side.label else "the working tree"
            print(f"error: the handbook data of {label} {what}; no diff can be made:", file=sys.stderr)
            _report(side.problems, style)
    if failed:
        return 1
    old, new = loaded
    print(render_diff(diff_handbooks(old.handbook, new.handbook), old.label, new.label), end="")
    return 0


def _codeowners(args: argparse.Namespace) -> int:
    from .commands.codeowners import build_rules, format_codeowners, load_reviewers

    result = pipeline.check(args.data)
    if not result.ok:
        return _report(result.problems, args.format) or 1
    reviewers, problems = load_reviewers(args.reviewers)
    rules, found = build_rules(result.handbook, reviewers, args.data.as_posix().rstrip("/"))
    code = _report(problems + found, args.format)
    if code:
        return code
    text = format_codeowners(rules)
    if str(args.out) == "-":
        print(text, end="")
    elif args.check:
        current = args.out.read_text(encoding="utf-8") if args.out.is_file() else ""
        if current != text:
            print(f"error: {args.out} is out of date; run `python -m generator codeowners`", file=sys.stderr)
            return 1
        print(f"{args.out}: up to date")
    else:
        args.out.write_text(text, encoding="utf-8")
        print(f"wrote {args.out} ({len(rules)} files)")
    return 0


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
