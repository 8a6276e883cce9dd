"""Time to the first search result of the chunked index in Chromium, next to Material's figures.

    .venv/bin/python benchmarks/experiments/chunked_search/measure.py [--ladder 100,200,400,800] [--runs 3]
        [--work DIR] [--write]

Per N: `benchmarks/synth.py N` → `generator render --out TREE` → build_index.py TREE → serve the index and
search.html with a threaded http.server on 127.0.0.1 → Debian's Chromium opens search.html in a fresh context
(empty cache), types the query, and the time from navigation start to the first result shown is taken (median of
RUNS). Also the real data/. Prints a Markdown table; --write puts it into RESULTS.md between the markers.
"""
from __future__ import annotations

import argparse
import functools
import gzip
import platform
import shutil
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[2]
PY = sys.executable
sys.path.insert(0, str(HERE))
import build_index  # noqa: E402

QUERY = "供应商"  # the query benchmarks/run.py types into Material's search box
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run", "--disable-quic"]

# Material 9.8.1's search, from BENCHMARKS.md (run of 2026-11-26 19:51 UTC, `python benchmarks/run.py --snapshot
# --ladder 100,200,400,800 --runs 2`, 3 page opens of roles/index.html per size, query 供应商):
# N -> (pages, search_index.json KB, gzip KB, first result s)
MATERIAL = {100: (291, 4070, 416, 2.08), 200: (566, 8047, 803, 3.35), 400: (1116, 16033, 1584, 6.03),
            800: (2216, 32438, 3158, 9.46)}


@dataclass
class Row:
    label: str
    n: int | None
    docs: int
    shards: int
    tokens: int
    index_kb: float
    index_gz_kb: float
    meta_gz_kb: float
    times: list[float]
    opened: list[float]
    query_kb: float
    query_gz_kb: float
    query_files: int
    build_s: float


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        pass


@contextmanager
def serve(directory: Path) -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(directory)))
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


def first_result_times(out: Path, query: str, runs: int) -> tuple[list[float], list[float], list[str]]:
    """Seconds from navigation start to the first result shown, and to DOMContentLoaded; and the index files
    fetched (last run)."""
    from playwright.sync_api import sync_playwright
    times: list[float] = []
    opened: list[float] = []
    fetched: list[str] = []
    with serve(out) as url, sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        try:
            for _ in range(runs):
                context = browser.new_context()
                fetched = []
                context.on("requestfinished",
                           lambda r: fetched.append(r.url[len(url):]) if "/index/" in r.url else None)
                tab = context.new_page()
                start = time.perf_counter()
                tab.goto(url + "search.html", wait_until="domcontentloaded")
                opened.append(time.perf_counter() - start)
                tab.locator("#q").fill(query)
                tab.locator("#results li").first.wait_for(state="visible", timeout=60_000)
                times.append(time.perf_counter() - start)
                context.close()
        finally:
            browser.close()
    return times, opened, fetched


def measure(label: str, n: int | None, tree: Path, out: Path, query: str, runs: int) -> Row:
    began = time.perf_counter()
    sizes = build_index.write(build_index.build(build_index.docs_from_tree(tree)), out)
    build_s = time.perf_counter() - began
    if not build_index.lookup(out, query):
        raise SystemExit(f"{label}: no result for {query!r} in the index")
    times, opened, fetched = first_result_times(out, query, runs)
    data = [(out / f).read_bytes() for f in fetched]
    return Row(label, n, sizes["docs"], sizes["shards"], sizes["tokens"], sizes["total"] / 1024,
               sizes["total_gz"] / 1024, sizes["meta_gz"] / 1024, times, opened, sum(map(len, data)) / 1024,
               sum(len(gzip.compress(d, 6)) for d in data) / 1024, len(fetched), build_s)


def render(data: Path, tree: Path) -> None:
    if tree.exists():
        shutil.rmtree(tree)
    subprocess.run([PY, "-m", "generator", "render", "--data", str(data), "--out", str(tree)], cwd=ROOT,
                   check=True, stdout=subprocess.DEVNULL)


def table(rows: list[Row]) -> str:
    lines = [
        "| data | pages (ours / Material's) | Material: index KB (gzip) | Material: first result s "
        "| chunked: index KB (gzip) | shards | vocabulary tokens (meta.json gzip KB) "
        "| chunked: fetched for the query, files / KB (gzip) | chunked: first result s, median (runs) "
        "| of which page opened (DOMContentLoaded) s | index build s |",
        "|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for r in rows:
        m = MATERIAL.get(r.n) if r.n else None
        mat = (f"{m[0]:,}", f"{m[1]:,} ({m[2]:,})", f"{m[3]:.2f}") if m else ("—", "—", "—")
        runs = "/".join(f"{t:.2f}" for t in r.times)
        lines.append(
            f"| {r.label} | {r.docs:,} / {mat[0]} | {mat[1]} | {mat[2]} | {r.index_kb:,.0f} ({r.index_gz_kb:,.0f}) "
            f"| {r.shards} | {r.tokens:,} ({r.meta_gz_kb:.1f}) | {r.query_files} / {r.query_kb:.0f} "
            f"({r.query_gz_kb:.0f}) | **{statistics.median(r.times):.2f}** ({runs}) | {statistics.median(r.opened):.2f} | {r.build_s:.1f} |")
    return "\n".join(lines)


def chromium_version() -> str:
    try:
        return subprocess.run(["/usr/bin/chromium", "--version"], capture_output=True, text=True).stdout.strip()
    except OSError:
        return "?"


def main() -> int:
    parser = argparse.ArgumentParser(description="chunked search: first result in Chromium per size")
    parser.add_argument("--ladder", default="100,200,400,800")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--work", type=Path, default=Path("/tmp/chunked-search-bench"))
    parser.add_argument("--write", action="store_true", help="write the table into RESULTS.md")
    args = parser.parse_args()
    args.work.mkdir(parents=True, exist_ok=True)
    rows = []
    tree = args.work / "tree-real"
    render(ROOT / "data", tree)
    rows.append(measure("data/ (real)", None, tree, args.work / "out-real", QUERY, args.runs))
    print(table(rows[-1:]).splitlines()[-1], flush=True)
    for n in (int(x) for x in args.ladder.split(",")):
        data, tree = args.work / f"data-{n}", args.work / f"tree-{n}"
        if data.exists():
            shutil.rmtree(data)
        subprocess.run([PY, str(ROOT / "benchmarks" / "synth.py"), str(n), str(data)], check=True,
                       stdout=subprocess.DEVNULL)
        render(data, tree)
        rows.append(measure(f"synth N={n}", n, tree, args.work / f"out-{n}", QUERY, args.runs))
        print(table(rows[-1:]).splitlines()[-1], flush=True)
    with open("/proc/loadavg") as f:
        load = f.read().strip()
    header = (f"Measured {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())} with `{' '.join(sys.argv)}`; "
              f"{chromium_version()}, Python {platform.python_version()}; load after the run `{load}`; "
              f"query “{QUERY}”.")
    text = header + "\n\n" + table(rows)
    print("\n" + text)
    if args.write:
        results = HERE / "RESULTS.md"
        body = results.read_text(encoding="utf-8")
        start, end = "<!-- measure:start -->", "<!-- measure:end -->"
        head, rest = body.split(start, 1)
        results.write_text(head + start + "\n" + text + "\n" + end + rest.split(end, 1)[1], encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
