"""Command line: python -m generator check | render | diff | codeowners | approve | release | export | import
(all take --data DIR).

Every message, the help included, comes from the message catalog: Chinese by default, English with `--lang en`
(or HANDBOOK_LANG=en).
"""
from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import Any, Callable, NoReturn, TextIO

from . import pipeline
from .commands import acks, approve, export, ingest, release
from .stages.messages import LANGUAGES, Phrase, language, literal, phrase, words
from .stages.problems import Problem, Severity
from .stages.report import format_github, format_gitlab, format_text, summary
from .stages.write import WriteRefused, write_tree

FORMATS = ("text", "github", "gitlab")
COMMANDS = {"approve": approve, "release": release, "export": export, "import": ingest, "acks": acks}
"""The commands that bring their own options (add_parser) and run (run)."""


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    lang = language(_asked_language(argv))
    args = _parser(lang).parse_args(argv)
    lang = language(args.lang)
    if args.command in COMMANDS:
        return COMMANDS[args.command].run(args, lang)
    if args.command == "diff":
        return _diff(args.data, args.base, args.head, args.format, lang)
    if args.command == "codeowners":
        return _codeowners(args, lang)
    if args.command == "check":
        result = pipeline.check(args.data)
        problems = result.problems
        if result.ok:
            problems = sorted(problems + pipeline.stale_drafts(args.data, result.handbook)
                              + pipeline.acknowledgement_problems(args.data, result.handbook))
        return _report(problems, args.format, lang, ok=phrase("{data}: ok", data=str(args.data)))
    result = pipeline.render(args.data)
    code = _report(result.problems, args.format, lang)
    if result.site is None:
        return code or 1
    try:
        count = write_tree(result.site, args.out, force=args.force, data_dir=args.data)
    except WriteRefused as refusal:
        _say(phrase("error: {reason}", reason=refusal.phrase), lang, sys.stderr)
        return 2
    _say(phrase("wrote {count} pages to {out}", count=count, out=str(args.out)), lang)
    return code


def _asked_language(argv: list[str]) -> str | None:
    """--lang, wherever it stands, so that the help itself is worded in that language."""
    early = argparse.ArgumentParser(add_help=False)
    early.add_argument("--lang")
    known, _ = early.parse_known_args([word for word in argv if word not in ("-h", "--help")])
    return known.lang


def _parser(lang: str) -> argparse.ArgumentParser:
    def say(message: Phrase) -> str:
        return words(message, lang)

    parser = _Parser(prog="python -m generator", description=say(phrase("Department handbook generator")), say=say)
    _add_options(parser, say, after_command=False)
    shared = argparse.ArgumentParser(add_help=False)
    shared._optionals.title = parser._optionals.title
    _add_options(shared, say, after_command=True)
    commands = parser.add_subparsers(dest="command", required=True, title=say(phrase("commands")))
    commands.add_parser("check", parents=[shared], say=say,
                        help=say(phrase("validate the data and report every problem")))
    render = commands.add_parser("render", parents=[shared], say=say,
                                 help=say(phrase("write the generated pages as a plain Markdown tree")))
    render.add_argument("--out", type=Path, required=True, help=say(phrase("output folder (new or empty)")))
    render.add_argument("--force", action="store_true", help=say(phrase("replace a folder this command wrote before")))
    diff = commands.add_parser("diff", parents=[shared], say=say,
                               help=say(phrase("what changed in the handbook between two git revisions, as Markdown")))
    diff.add_argument("base", help=say(phrase("the earlier revision (commit, branch or tag)")))
    diff.add_argument("head", nargs="?", help=say(phrase("the later revision (default: the working tree)")))
    owners = commands.add_parser("codeowners", parents=[shared], say=say,
                                 help=say(phrase("write CODEOWNERS from the owner fields of the data")))
    owners.add_argument("--reviewers", type=Path, default=Path(".github/owners.yml"),
                        help=say(phrase("role id -> GitHub users/teams (default: .github/owners.yml)")))
    owners.add_argument("--out", type=Path, default=Path("CODEOWNERS"),
                        help=say(phrase("file to write ('-' for stdout)")))
    owners.add_argument("--check", action="store_true", help=say(phrase("only report whether the file is up to date")))
    for command in COMMANDS.values():
        command.add_parser(commands, say, parents=[shared])
    return parser


class _Parser(argparse.ArgumentParser):
    """argparse with its own words from the catalog too: the usage line, the titles of the groups, -h, errors."""

    def __init__(self, *args: Any, say: Callable[[Phrase], str] | None = None, **kwargs: Any) -> None:
        """`say` words a phrase in the language asked for; sub-commands get it from add_parser(..., say=say)."""
        say = say or (lambda message: words(message, language()))
        usage = say(phrase("usage: "))

        class Formatter(argparse.HelpFormatter):
            def add_usage(self, text: Any, actions: Any, groups: Any, prefix: str | None = None) -> None:
                super().add_usage(text, actions, groups, usage if prefix is None else prefix)

        super().__init__(*args, add_help=False, formatter_class=Formatter, **kwargs)
        self.say = say
        # argparse titles its two default groups itself; the attributes have kept these names since Python 3.2.
        self._positionals.title = say(phrase("positional arguments"))
        self._optionals.title = say(phrase("options"))
        self.add_argument("-h", "--help", action="help", default=argparse.SUPPRESS,
                          help=say(phrase("show this help message and exit")))

    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        self.exit(2, self.say(phrase("{prog}: error: {detail}", prog=self.prog, detail=literal(message))) + "\n")


def _add_options(target: argparse.ArgumentParser, say: Callable[[Phrase], str], after_command: bool) -> None:
    """--data, --format and --lang. The same options after the command (`check --data DIR`) have no default
    (SUPPRESS), which keeps the value given before it."""
    def default(value: object) -> object:
        return argparse.SUPPRESS if after_command else value

    def helps(message: Phrase) -> str:
        return argparse.SUPPRESS if after_command else say(message)

    target.add_argument("--data", type=Path, default=default(Path(os.environ.get("HANDBOOK_DATA", "data"))),
                        help=helps(phrase("folder of YAML data (default: $HANDBOOK_DATA or data/)")))
    target.add_argument("--format", choices=FORMATS, default=default("text"),
                        help=helps(phrase("how problems are printed: text, GitHub annotations, or a GitLab Code "
                                          "Quality report (JSON on standard output)")))
    target.add_argument("--lang", choices=LANGUAGES, default=default(None),
                        help=helps(phrase("language of the messages: zh (default) or en; also $HANDBOOK_LANG")))


def _diff(data: Path, base: str, head: str | None, style: str, lang: str) -> int:
    from .commands.diff import diff_handbooks, handbook_at, render_diff

    loaded = [handbook_at(data, base), handbook_at(data, head)]
    failed = False
    for side in loaded:
        if side.handbook is None:
            failed = True
            _say(_no_diff(side.label, any(p.code.startswith("git-") for p in side.problems)), lang, sys.stderr)
            _report(side.problems, style, lang)
    if failed:
        return 1
    old, new = loaded
    print(render_diff(diff_handbooks(old.handbook, new.handbook), old.label, new.label), end="")
    return 0


def _no_diff(label: str | None, unreadable: bool) -> Phrase:
    """Why one side of a diff has no handbook: a whole sentence for each case, so that each reads well."""
    if label and unreadable:
        return phrase("error: the handbook data of '{revision}' cannot be read; no diff can be made:", revision=label)
    if label:
        return phrase("error: the handbook data of '{revision}' has errors; no diff can be made:", revision=label)
    if unreadable:
        return phrase("error: the handbook data of the working tree cannot be read; no diff can be made:")
    return phrase("error: the handbook data of the working tree has errors; no diff can be made:")


def _codeowners(args: argparse.Namespace, lang: str) -> int:
    from .commands.codeowners import build_rules, format_codeowners, load_reviewers

    result = pipeline.check(args.data)
    if not result.ok:
        return _report(result.problems, args.format, lang) or 1
    reviewers, problems = load_reviewers(args.reviewers)
    rules, found = build_rules(result.handbook, reviewers, args.data.as_posix().rstrip("/"))
    code = _report(problems + found, args.format, lang)
    if code:
        return code
    text = format_codeowners(rules)
    if str(args.out) == "-":
        print(text, end="")
    elif args.check:
        current = args.out.read_text(encoding="utf-8") if args.out.is_file() else ""
        if current != text:
            _say(phrase("error: {file} is out of date; run `python -m generator codeowners`", file=str(args.out)),
                 lang, sys.stderr)
            return 1
        _say(phrase("{file}: up to date", file=str(args.out)), lang)
    else:
        args.out.write_text(text, encoding="utf-8")
        _say(phrase("wrote {file} ({count} files)", file=str(args.out), count=len(rules)), lang)
    return 0


def _report(problems: list[Problem], style: str, lang: str, ok: Phrase | None = None) -> int:
    """Print the problems (the worst decides the exit status). A GitLab report goes to standard output, as a
    file for the merge request, with the same problems as text for the job's log."""
    if style == "gitlab":
        print(format_gitlab(problems, lang), end="")
    show = format_github if style == "github" else format_text
    for problem in problems:
        print(show(problem, lang), file=sys.stderr)
    if problems:
        print(summary(problems, lang), file=sys.stderr)
    elif ok is not None:
        _say(ok, lang, sys.stderr if style == "gitlab" else sys.stdout)
    return 1 if any(p.severity == Severity.ERROR for p in problems) else 0


def _say(message: Phrase, lang: str, stream: TextIO | None = None) -> None:
    print(words(message, lang), file=stream or sys.stdout)


if __name__ == "__main__":
    sys.exit(main())
