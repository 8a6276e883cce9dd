"""`make preview`: the handbook served by Zensical while an editor edits it, an edit shown within about a second.

The project is prepared once (adapter/zensical.py) and `zensical serve` serves it. This process then watches data/,
templates/ and docs/: on a change it checks the data, writes the pages of the records in the edited files first (the
page an editor is looking at), then renders the whole handbook again in memory and writes only the pages whose
Markdown changed (and the hand-written pages that changed), so Zensical rebuilds only those. A broken edit prints
its problems, `file:line:column` in the editor's language, and writes nothing: the last good pages stay up.

    python -m generator.adapter.preview --data data --out build/preview --address 127.0.0.1:8000
"""
from __future__ import annotations

import argparse
import filecmp
import shutil
import signal
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable

from .. import pipeline
from ..stages.history import build_day
from ..stages.messages import language, phrase, words
from ..stages.problems import Problem
from ..stages.report import format_text
from . import zensical

POLL_SECONDS = 0.1
"""How often the watched folders are looked at: a stat of each file, a few milliseconds for a company's data."""

Snapshot = dict[Path, tuple[int, int]]


def snapshot(folders: list[Path]) -> Snapshot:
    """Every file under the folders with its modification time and size: what tells that something changed."""
    found: Snapshot = {}
    for folder in folders:
        for path in folder.rglob("*"):
            if path.is_file():
                stat = path.stat()
                found[path] = (stat.st_mtime_ns, stat.st_size)
    return found


def sync_tree(source: Path, target: Path) -> list[str]:
    """Copy into target the files of source that are new or differ; returns their paths relative to source.
    (Files only target has, the generated pages among them, are left alone.)"""
    changed = []
    for path in sorted(source.rglob("*")):
        if not path.is_file():
            continue
        relative = path.relative_to(source)
        copy = target / relative
        if not copy.is_file() or not filecmp.cmp(path, copy, shallow=False):
            copy.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, copy)
            changed.append(relative.as_posix())
    return changed


@dataclass(frozen=True)
class Update:
    first: list[str]
    """The pages of the records in the edited files, written before the rest of the site was rendered again."""
    first_seconds: float
    written: list[str]
    """Every file of the project written or removed, relative to its docs/ (and mkdocs.yml for a new menu)."""
    problems: list[Problem]
    ok: bool
    """False when the data has errors: then nothing was written."""


@dataclass
class Preview:
    """A prepared project kept in step with the data: `update()` after every change."""

    data: Path
    root: Path
    out: Path
    written: dict[str, str]
    """The Markdown of every generated page in the project's docs/, by page."""
    menu: tuple[list[Any], dict[str, str]]
    """The menu (with its titles) and redirects in the project's mkdocs.yml (zensical.menu)."""

    @classmethod
    def prepare(cls, data: Path, root: Path, out: Path) -> Preview:
        site = zensical.prepare(data, root, out).rendered
        return cls(data, root, out, {page.uri: page.markdown for page in site.pages}, zensical.menu(site))

    def update(self, edited: Iterable[str] = ()) -> Update:
        """Render again and write what changed: first the pages of the records in the edited data files
        (relative to data/, e.g. roles/cs.yml), the page an editor is looking at, then the rest of the site.
        With errors, nothing is written."""
        started = time.perf_counter()
        checked = pipeline.check(self.data)
        if not checked.ok:
            return Update([], 0.0, [], checked.problems, ok=False)
        assert checked.handbook is not None
        docs = self.out / zensical.DOCS
        facts = pipeline.site_facts(self.data, checked.handbook, build_day())
        first = zensical.write_pages(pipeline.render_edited(checked, set(edited), facts), docs, self.written)
        first_seconds = time.perf_counter() - started
        site = pipeline.render(self.data, checked=checked, facts=facts).site
        assert site is not None
        written = first + sync_tree(self.root / "docs", docs) + zensical.write_pages(site.pages, docs, self.written)
        written += zensical.remove_pages(site, docs, self.written)
        menu = zensical.menu(site)
        if menu != self.menu:
            zensical.write_config(site, self.root, self.out)
            self.menu = menu
            written.append("mkdocs.yml")
        return Update(first, first_seconds, written, checked.problems, ok=True)


def edited_files(before: Snapshot, now: Snapshot, data: Path) -> set[str]:
    """The data files (relative to data, e.g. roles/cs.yml) added, changed or removed between two snapshots."""
    changed = {path for path in before.keys() | now.keys() if before.get(path) != now.get(path)}
    return {path.relative_to(data).as_posix() for path in changed if path.is_relative_to(data)}


def watch(preview: Preview, server: subprocess.Popen[bytes], folders: list[Path]) -> None:
    """Until the server stops: on every change under folders, update the preview and say what happened."""
    seen = snapshot(folders)
    lang = language()
    while server.poll() is None:
        time.sleep(POLL_SECONDS)
        now = snapshot(folders)
        if now == seen:
            continue
        started = time.perf_counter()
        update = preview.update(edited_files(seen, now, preview.data))
        seen = now
        for problem in update.problems:
            print(format_text(problem, lang), flush=True)
        if not update.ok:
            message = phrase("the edit has errors: nothing changed, the last good pages stay up")
        else:
            message = phrase("{count} files updated in {seconds} s ({first} first, in {first_seconds} s): {files}",
                             count=len(update.written), seconds=round(time.perf_counter() - started, 2),
                             first=", ".join(update.first) or "-", first_seconds=round(update.first_seconds, 2),
                             files=", ".join(update.written[:5]))
        print(words(message, lang), flush=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m generator.adapter.preview",
                                     description="Serve the handbook with Zensical and show every edit at once")
    parser.add_argument("--data", type=Path, default=Path("data"))
    parser.add_argument("--root", type=Path, default=Path("."), help="the repository (mkdocs.yml, docs/, templates/)")
    parser.add_argument("--out", type=Path, default=Path("build/preview"))
    parser.add_argument("--address", default="127.0.0.1:8000")
    args = parser.parse_args(argv)
    try:
        preview = Preview.prepare(args.data, args.root, args.out)
    except zensical.PrepareError as error:
        sys.stderr.write(f"{error}\n")
        return 1
    server = subprocess.Popen([sys.executable, "-m", "zensical", "serve", "-f", "mkdocs.yml", "-a", args.address],
                              cwd=args.out)
    # Stopped by a signal (a supervisor, `kill`), this process must still stop the server it started.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    try:
        watch(preview, server, [args.data, args.root / "templates", args.root / "docs"])
    except KeyboardInterrupt:
        pass
    finally:
        server.terminate()
        server.wait(timeout=30)
    return 0


if __name__ == "__main__":
    sys.exit(main())
