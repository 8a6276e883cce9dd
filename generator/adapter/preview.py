"""`make preview`: the handbook served by Zensical while an editor edits it, an edit shown within about a second.

The project is prepared once (adapter/zensical.py) and `zensical serve` serves it. This process then watches data/,
templates/ and docs/: on a change it renders the handbook again in memory and writes only the pages whose Markdown
changed (and the hand-written pages that changed), so Zensical rebuilds only those. A broken edit prints its
problems, `file:line:column` in the editor's language, and writes nothing: the last good pages stay up.

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

from .. import pipeline
from ..stages.history import build_day
from ..stages.messages import language, phrase, words
from ..stages.problems import Problem
from ..stages.render import RenderedSite
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
    written: list[str]
    """The files of the project written or removed, relative to its docs/ (and mkdocs.yml for a new menu)."""
    problems: list[Problem]
    ok: bool
    """False when the data has errors: then nothing was written."""


@dataclass
class Preview:
    """A prepared project kept in step with the data: `update()` after every change."""

    data: Path
    root: Path
    out: Path
    site: RenderedSite
    """What the project holds now."""

    @classmethod
    def prepare(cls, data: Path, root: Path, out: Path) -> Preview:
        return cls(data, root, out, zensical.prepare(data, root, out).rendered)

    def update(self) -> Update:
        """Render the handbook again and write what changed; with errors, write nothing."""
        result = pipeline.render(self.data, build_day())
        if result.site is None:
            return Update([], result.problems, ok=False)
        docs = self.out / "docs"
        written = sync_tree(self.root / "docs", docs) + zensical.write_pages(result.site, docs, self.site)
        if (result.site.nav, result.site.redirects) != (self.site.nav, self.site.redirects):
            zensical.write_config(result.site, self.root, self.out)
            written.append("mkdocs.yml")
        self.site = result.site
        return Update(written, result.problems, ok=True)


def watch(preview: Preview, server: subprocess.Popen[bytes], folders: list[Path]) -> None:
    """Until the server stops: on every change under folders, update the preview and say what happened."""
    seen = snapshot(folders)
    lang = language()
    while server.poll() is None:
        time.sleep(POLL_SECONDS)
        now = snapshot(folders)
        if now == seen:
            continue
        seen = now
        started = time.perf_counter()
        update = preview.update()
        for problem in update.problems:
            print(format_text(problem, lang), flush=True)
        if not update.ok:
            message = phrase("the edit has errors: nothing changed, the last good pages stay up")
        else:
            message = phrase("{count} files updated in {seconds} s: {files}", count=len(update.written),
                             seconds=round(time.perf_counter() - started, 2), files=", ".join(update.written[:5]))
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
