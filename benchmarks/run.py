"""The benchmark: `python benchmarks/run.py [--quick] [--ladder 50,100] [--runs 3] [--no-write]`.

For each N of the ladder: synthesise N roles (benchmarks/synth.py), time the generator's stages in a fresh
process (load, schema, build, render), the full `mkdocs build --strict` of our site (HANDBOOK_DATA=…), and the
floor: plain `mkdocs build --strict` of the Markdown tree written by `generator render --out`, with the same
theme, extensions, plugins and assets but no hook. Then the search in Chromium, validation at 2,000 roles, the
`mkdocs serve` rebuild after a one-line YAML edit, and a profile of the floor. Results go to
build/bench/results.json and into BENCHMARKS.md between the markers.
"""
from __future__ import annotations

import argparse
import gzip
import json
import os
import platform
import re
import shutil
import socket
import statistics
import subprocess
import sys
import time
from dataclasses import asdict, dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any
from urllib.parse import quote

REPO = Path(__file__).resolve().parent.parent
ROOT = REPO
"""The project measured: the working tree, or with --snapshot a copy of the last commit (git archive HEAD)."""
WORK = REPO / "build" / "bench"
PY = sys.executable
ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
LADDER = [50, 100, 200, 400, 800]
QUICK = [25, 50, 100]
SERVE_N = 200
VALIDATE_N = 2000
QUERY = "供应商"
START, END = "<!-- bench:start -->", "<!-- bench:end -->"

STAGES = r"""
import json, resource, sys, time
from pathlib import Path
t0 = time.perf_counter()
from generator.stages import load, schema, build, render
from generator.pipeline import cycle_collector_paused
t1 = time.perf_counter()
with cycle_collector_paused():  # as pipeline.check and pipeline.render run the stages
    docs, problems = load.load_sources(Path(sys.argv[1])); t2 = time.perf_counter()
    problems += schema.validate_docs(docs); t3 = time.perf_counter()
    handbook, found = build.build_handbook(docs); t4 = time.perf_counter()
    assert handbook is not None and not problems, (problems + found)[:5]
    site = render.render_site(handbook) if sys.argv[2] == "render" else None; t5 = time.perf_counter()
print(json.dumps({"import": t1 - t0, "load": t2 - t1, "schema": t3 - t2, "build": t4 - t3, "render": t5 - t4,
                  "pages": len(site.pages) if site else 0}))
"""


CHUNKS = r"""
import json, shutil, sys, time
from pathlib import Path
from generator.adapter import jieba, search
is_word = jieba.is_word()  # jieba is loaded already in a build: the search plugin segmented every page
t0 = time.perf_counter()
search.write_chunks(Path(sys.argv[1]), is_word)
print(json.dumps({"chunks": time.perf_counter() - t0}))
"""


@dataclass
class Row:
    n: int
    pages: int = 0
    data_mb: float = 0.0
    stages: dict[str, float] = field(default_factory=dict)
    generator_s: float = 0.0
    full_s: list[float] = field(default_factory=list)
    floor_s: list[float] = field(default_factory=list)
    full_rss_mb: float = 0.0
    floor_rss_mb: float = 0.0
    site_mb: float = 0.0
    index_kb: float = 0.0
    """The site's search index as a browser may fetch it: search/ (our chunks and the stub), raw and gzip."""
    index_gz_kb: float = 0.0
    material_index_kb: float = 0.0
    """Material's single search_index.json (the floor site's), raw and gzip."""
    material_index_gz_kb: float = 0.0
    query_kb: float = 0.0
    """What the first query downloaded from search/ on the full site (raw bytes)."""
    chunks_s: float = 0.0
    """The hook's split of Material's index into chunks, timed alone in a fresh process."""
    search_s: list[float] = field(default_factory=list)
    material_search_s: list[float] = field(default_factory=list)
    opened_s: list[float] = field(default_factory=list)
    """DOMContentLoaded of the searched page, full site: the part of the first result that is not search."""

    @property
    def full(self) -> float:
        return statistics.median(self.full_s)

    @property
    def floor(self) -> float:
        return statistics.median(self.floor_s)


def run(cmd: list[str], env: dict[str, str] | None = None, cwd: Path | None = None) -> tuple[float, float, str]:
    """Run a command to the end; (wall seconds, peak RSS of the process in MB, output). Fails loudly."""
    log = WORK / "last-command.log"
    with log.open("w") as out:
        start = time.perf_counter()
        proc = subprocess.Popen(cmd, cwd=cwd or ROOT, env=env or ENV, stdout=out, stderr=subprocess.STDOUT)
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    text = log.read_text(errors="replace")
    if proc.returncode != 0:
        raise SystemExit(f"command failed ({proc.returncode}): {' '.join(cmd)}\n{text[-3000:]}")
    return wall, usage.ru_maxrss / 1024, text


def tree_size(path: Path) -> int:
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file())


def stages(data: Path, what: str = "render") -> dict[str, float]:
    _, rss, text = run([PY, "-c", STAGES, str(data), what])
    result = json.loads(text.strip().splitlines()[-1])
    result["rss_mb"] = rss
    return result


def median_stages(data: Path, runs: int, what: str = "render") -> dict[str, float]:
    samples = [stages(data, what) for _ in range(runs)]
    return {key: statistics.median(s[key] for s in samples) for key in samples[0]}


def floor_project(data: Path, out: Path) -> Path:
    """The Markdown tree of `generator render` plus docs/ and the vendored script, with a hook-less mkdocs.yml."""
    if out.exists():
        shutil.rmtree(out)
    rendered = out / "rendered"
    run([PY, "-m", "generator", "--data", str(data), "render", "--out", str(rendered)])
    docs = out / "docs"
    shutil.copytree(ROOT / "docs", docs)
    shutil.copytree(ROOT / "overrides", out / "overrides")  # theme.custom_dir, relative to mkdocs.yml
    shutil.copytree(rendered, docs, dirs_exist_ok=True, ignore=shutil.ignore_patterns("nav.yml", ".handbook-render"))
    (docs / "assets" / "vendor").mkdir(parents=True, exist_ok=True)
    shutil.copy(ROOT / "node_modules" / "mermaid" / "dist" / "mermaid.min.js", docs / "assets" / "vendor")
    nav = (rendered / "nav.yml").read_text(encoding="utf-8")
    config = out / "mkdocs.yml"
    config.write_text(floor_config((ROOT / "mkdocs.yml").read_text(encoding="utf-8"), nav), encoding="utf-8")
    return config


def floor_config(text: str, nav: str) -> str:
    """The real mkdocs.yml without its top-level hooks and watch blocks, docs_dir docs, and the rendered nav."""
    kept, skipping = [], False
    for line in text.splitlines():
        top = re.match(r"^([a-z_]+):", line)
        if top:
            skipping = top.group(1) in {"hooks", "watch", "docs_dir"}
        if not skipping:
            kept.append(line)
    return "\n".join(kept) + "\ndocs_dir: docs\nnav:\n" + "".join(f"  {l}\n" for l in nav.splitlines())


def build_full(data: Path, site: Path) -> tuple[float, float]:
    env = {**ENV, "HANDBOOK_DATA": str(data)}
    wall, rss, _ = run([PY, "-m", "mkdocs", "build", "--strict", "-q", "-f", str(ROOT / "mkdocs.yml"),
                        "--site-dir", str(site)], env=env)
    return wall, rss


def build_floor(config: Path, site: Path) -> tuple[float, float]:
    wall, rss, _ = run([PY, "-m", "mkdocs", "build", "--strict", "-q", "-f", str(config), "--site-dir", str(site)],
                       cwd=config.parent)
    return wall, rss


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(predicate: Any, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise SystemExit(f"timed out waiting for {what}")
        time.sleep(0.02)


# -- search in Chromium -------------------------------------------------------------------------------------
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run", "--disable-quic"]


def serve_static(site: Path) -> tuple[subprocess.Popen[bytes], str]:
    port = free_port()
    proc = subprocess.Popen([PY, "-m", "http.server", str(port), "--bind", "127.0.0.1", "--directory", str(site)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}/"

    def up() -> bool:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return True
        except OSError:
            return False
    wait_for(up, 10, "the static server")
    return proc, url


def search_times(site: Path, runs: int, page: str = "roles/index.html", query: str = QUERY
                 ) -> tuple[list[float], list[float], int]:
    """Seconds from opening a page with the query in its address (`?q=`, Material's search deep link: no robot
    typing in the figure) to the first search result shown, fresh browser context and empty cache each run; the
    seconds to DOMContentLoaded of the same runs; and the bytes the last run fetched from search/."""
    from playwright.sync_api import sync_playwright
    server, url = serve_static(site)
    times, opened = [], []
    fetched: list[int] = []
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
            for _ in range(runs):
                context = browser.new_context()
                fetched.clear()
                # Sizes from the headers: a body read here could outlive the context (late second-phase blocks).
                context.on("response", lambda r: fetched.append(int(r.headers.get("content-length", 0)))
                           if "/search/" in r.url and r.ok else None)
                tab = context.new_page()
                start = time.perf_counter()
                tab.goto(f"{url}{page}?q={quote(query)}", wait_until="commit")
                tab.locator(".md-search-result__item").first.wait_for(state="visible", timeout=60_000)
                times.append(time.perf_counter() - start)
                opened.append(tab.evaluate("performance.timing.domContentLoadedEventEnd - "
                                           "performance.timing.navigationStart") / 1000)
                context.close()
            browser.close()
    finally:
        server.terminate()
        server.wait()
    return times, opened, sum(fetched)


def gzip_size(folder: Path) -> tuple[int, int]:
    """Bytes of every file under folder, raw and gzip level 6."""
    files = [f.read_bytes() for f in sorted(folder.rglob("*")) if f.is_file()]
    return sum(map(len, files)), sum(len(gzip.compress(f, 6)) for f in files)


def chunk_time(floor_site: Path) -> float:
    """The hook's chunking of Material's index, on a copy of the floor site's search/ (the same pages)."""
    scratch = WORK / "chunks-site"
    if scratch.exists():
        shutil.rmtree(scratch)
    shutil.copytree(floor_site / "search", scratch / "search")
    _, _, text = run([PY, "-c", CHUNKS, str(scratch)])
    return json.loads(text.strip().splitlines()[-1])["chunks"]


# -- mkdocs serve rebuild -------------------------------------------------------------------------------------
def serve_rebuilds(data: Path, edits: int = 3) -> list[float]:
    """Seconds from a one-line edit of a role's YAML to the end of the rebuild that `mkdocs serve` logs."""
    copy = WORK / f"serve-data-{data.name}"
    if copy.exists():
        shutil.rmtree(copy)
    shutil.copytree(data, copy)
    log_path = WORK / "serve.log"
    port = free_port()
    env = {**ENV, "HANDBOOK_DATA": str(copy)}
    with log_path.open("w") as log:
        proc = subprocess.Popen([PY, "-m", "mkdocs", "serve", "-f", str(ROOT / "mkdocs.yml"), "--dev-addr",
                                 f"127.0.0.1:{port}", "--watch", str(copy), "--livereload"],
                                cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    built = re.compile(r"Documentation built in")
    count = lambda: len(built.findall(log_path.read_text(errors="replace")))  # noqa: E731
    times = []
    try:
        wait_for(lambda: "Serving on" in log_path.read_text(errors="replace"), 600, "mkdocs serve to start")
        role = copy / "roles" / "r0002.yml"
        for edit in range(edits):
            time.sleep(1.5)  # let the watcher settle
            before = count()
            text = role.read_text(encoding="utf-8")
            start = time.perf_counter()
            role.write_text(text.replace("  text: ", f"  text: 第{edit}次修改", 1), encoding="utf-8")
            wait_for(lambda: count() > before, 300, "the rebuild after an edit")
            times.append(time.perf_counter() - start)
    finally:
        proc.terminate()
        proc.wait(timeout=30)
    return times


# -- profile of the floor -------------------------------------------------------------------------------------
def profile_floor(config: Path, site: Path, top: int = 25) -> str:
    prof = WORK / "floor.prof"
    run([PY, "-m", "cProfile", "-o", str(prof), "-m", "mkdocs", "build", "--strict", "-q", "-f", str(config),
         "--site-dir", str(site)], cwd=config.parent)
    code = ("import pstats, io, sys; s = io.StringIO(); p = pstats.Stats(sys.argv[1], stream=s); "
            f"p.sort_stats('cumulative').print_stats({top}); print(s.getvalue())")
    _, _, text = run([PY, "-c", code, str(prof)])
    lines = [l.replace(str(Path(PY).parent.parent), ".venv") for l in text.splitlines()]
    start = next(i for i, l in enumerate(lines) if "ncalls" in l)
    return "\n".join(lines[start:]).rstrip()


# -- the ladder -----------------------------------------------------------------------------------------------
def measure(n: int, runs: int, search_runs: int) -> tuple[Row, Path, Path]:
    sys.path.insert(0, str(Path(__file__).parent))
    import synth
    data = WORK / f"data-{n}"
    synth.write(n, data)
    row = Row(n, data_mb=tree_size(data) / 1e6)
    row.stages = median_stages(data, runs)
    config = floor_project(data, WORK / f"floor-{n}")
    site, floor_site = WORK / f"site-{n}", WORK / f"floor-site-{n}"
    for _ in range(runs):
        wall, rss = build_full(data, site)
        row.full_s.append(wall)
        row.full_rss_mb = max(row.full_rss_mb, rss)
        wall, rss = build_floor(config, floor_site)
        row.floor_s.append(wall)
        row.floor_rss_mb = max(row.floor_rss_mb, rss)
    row.pages = sum(1 for f in site.rglob("*.html") if f.name != "404.html")
    row.site_mb = tree_size(site) / 1e6
    raw, packed = gzip_size(site / "search")
    row.index_kb, row.index_gz_kb = raw / 1e3, packed / 1e3
    raw, packed = gzip_size(floor_site / "search")
    row.material_index_kb, row.material_index_gz_kb = raw / 1e3, packed / 1e3
    row.chunks_s = chunk_time(floor_site)
    row.generator_s = sum(row.stages[k] for k in ("load", "schema", "build", "render")) + row.chunks_s
    row.search_s, row.opened_s, fetched = search_times(site, search_runs)
    row.query_kb = fetched / 1e3
    row.material_search_s, _, _ = search_times(floor_site, search_runs)
    print(f"N={n}: {row.pages} pages, full {row.full:.1f} s, floor {row.floor:.1f} s, generator "
          f"{row.generator_s:.2f} s, search {statistics.median(row.search_s):.2f} s", flush=True)
    return row, config, floor_site


def versions() -> dict[str, str]:
    from importlib.metadata import version
    chromium = subprocess.run(["/usr/bin/chromium", "--version"], capture_output=True, text=True).stdout.strip()
    cpu = next((l.split(":", 1)[1].strip() for l in Path("/proc/cpuinfo").read_text().splitlines()
                if l.startswith("model name")), platform.processor())
    mem = next(l.split(":", 1)[1].strip() for l in Path("/proc/meminfo").read_text().splitlines()
               if l.startswith("MemTotal"))
    return {"python": platform.python_version(), "mkdocs": version("mkdocs"),
            "mkdocs-material": version("mkdocs-material"), "jieba": version("jieba"), "PyYAML": version("PyYAML"),
            "jsonschema": version("jsonschema"), "playwright": version("playwright"), "chromium": chromium,
            "cpu": cpu, "nproc": str(os.cpu_count()), "memory": mem, "os": platform.platform()}


def table(rows: list[Row]) -> str:
    head = ("| N roles | pages | data MB | load+schema+build s | render + search chunks s | generator share | full build s | "
            "floor build s | full / floor | ×time per doubling | pages/s | peak RSS full / floor MB | site MB | "
            "KB per page | search index KB (gzip): ours / Material's | fetched by the first query KB | "
            "first search result s: ours / Material's (page opened) |")
    lines = [head, "|" + "---|" * (head.count("|") - 1)]
    previous: Row | None = None
    for r in rows:
        doubling = "—"
        if previous and r.n == 2 * previous.n:
            doubling = f"{r.full / previous.full:.2f}"
        checked = r.stages["load"] + r.stages["schema"] + r.stages["build"]
        runs = "/".join(f"{t:.1f}" for t in r.full_s)
        lines.append(
            f"| {r.n} | {r.pages} | {r.data_mb:.1f} | {checked:.2f} | {r.stages['render']:.2f} + "
            f"{r.chunks_s:.2f} | "
            f"{100 * r.generator_s / r.full:.1f} % | {r.full:.1f} ({runs}) | {r.floor:.1f} | "
            f"{r.full / r.floor:.2f} | {doubling} | {r.pages / r.full:.0f} | {r.full_rss_mb:.0f} / "
            f"{r.floor_rss_mb:.0f} | {r.site_mb:.1f} | {1000 * r.site_mb / r.pages:.0f} | "
            f"{r.index_kb:,.0f} ({r.index_gz_kb:,.0f}) / {r.material_index_kb:,.0f} ({r.material_index_gz_kb:,.0f}) | "
            f"{r.query_kb:.0f} | {statistics.median(r.search_s):.2f} / {statistics.median(r.material_search_s):.2f} "
            f"({statistics.median(r.opened_s):.2f}) |")
        previous = r
    return "\n".join(lines)


def verdicts(rows: list[Row], validation: dict[str, float], serve: list[float], serve_n: int) -> str:
    share = max(100 * r.generator_s / r.full for r in rows)
    ratio = max(r.full / r.floor for r in rows)
    doublings = [b.full / a.full for a, b in zip(rows, rows[1:]) if b.n == 2 * a.n]
    checked = validation["load"] + validation["schema"] + validation["build"]
    search = max(statistics.median(r.search_s) for r in rows)
    material = max(statistics.median(r.material_search_s) for r in rows)
    mark = lambda ok: "met" if ok else "**missed**"  # noqa: E731
    return "\n".join([
        "| target | measured (worst over the ladder) | |",
        "|---|---|---|",
        f"| generator ≤ 5 % of the full build | {share:.1f} % | {mark(share <= 5)} |",
        f"| full build ≤ 1.10 × floor | {ratio:.2f} × | {mark(ratio <= 1.10)} |",
        f"| doubling N ≤ 2.2 × time | {max(doublings):.2f} × | {mark(max(doublings) <= 2.2)} |" if doublings else
        "| doubling N ≤ 2.2 × time | (no doubling in this ladder) | |",
        f"| validation of {validation['n']} roles < 2 s | {checked:.2f} s (load {validation['load']:.2f}, schema "
        f"{validation['schema']:.2f}, build {validation['build']:.2f}) | {mark(checked < 2)} |",
        f"| first search result < 1 s | {search:.2f} s (Material's own search: {material:.2f} s) | "
        f"{mark(search < 1)} |",
        f"| `mkdocs serve` rebuild after a one-line edit, {serve_n} roles | "
        f"{statistics.median(serve):.1f} s (runs: {', '.join(f'{t:.1f}' for t in serve)}) | reported |"
        if serve else "| `mkdocs serve` rebuild | not measured (N not in ladder) | |"])


def report(rows: list[Row], validation: dict[str, float], serve: list[float], profile: str, meta: dict[str, Any]
           ) -> str:
    v = meta["versions"]
    return f"""{START}
<!-- Written by `{meta['command']}`; edit outside the markers only. -->
Measured {meta['date']} with `{meta['command']}` ({meta['runs']} runs per size, medians; search: {meta['search_runs']}
page opens per size and site in a fresh browser context, `roles/index.html?q={QUERY}`).

Machine: {v['cpu']}, {v['nproc']} cores, {v['memory']} memory, {v['os']}. Load before / after the run:
`{meta['load_before']}` / `{meta['load_after']}` (other work was running on the same cores).
Versions: Python {v['python']}, MkDocs {v['mkdocs']}, mkdocs-material {v['mkdocs-material']}, jieba {v['jieba']},
PyYAML {v['PyYAML']}, jsonschema {v['jsonschema']}, Playwright {v['playwright']}, {v['chromium']}.

### Ladder

{table(rows)}

*generator share* = (load + schema + build + render + search chunks, each timed in a fresh process) / full build;
*full* = `mkdocs build --strict` of the real mkdocs.yml with the hook; *floor* = the same build of the pre-rendered
Markdown tree without the hook (so with Material's own search); *peak RSS* = maximum resident set of the build
process (wait4). Search index: every file under `search/`, raw and gzip level 6 — ours (chunks loaded on demand
plus the stub index) and Material's single index on the floor site; *fetched by the first query* = what the
browser downloaded from `search/` to show the first result on the full site. First search result: ours on the
full site, Material's own search on the floor site.

### Targets

{verdicts(rows, validation, serve, meta['serve_n'])}

### Profile of the floor build (N = {meta['profile_n']}, cProfile, cumulative, top 25)

```text
{profile}
```
{END}"""


def write_report(text: str) -> None:
    target = REPO / "BENCHMARKS.md"
    current = target.read_text(encoding="utf-8") if target.exists() else f"# Benchmarks\n\n{START}\n{END}\n"
    if START not in current:
        current += f"\n{START}\n{END}\n"
    before, rest = current.split(START, 1)
    after = rest.split(END, 1)[1]
    target.write_text(before + text + after, encoding="utf-8")


def use_snapshot() -> None:
    global ROOT
    WORK.mkdir(parents=True, exist_ok=True)
    src = WORK / "src"
    if src.exists():
        shutil.rmtree(src)
    src.mkdir()
    archive = subprocess.run(["git", "archive", "HEAD"], cwd=REPO, capture_output=True, check=True).stdout
    subprocess.run(["tar", "-x", "-C", str(src)], input=archive, check=True)
    (src / "node_modules").symlink_to(REPO / "node_modules")
    ROOT = src
    ENV["PYTHONPATH"] = str(src) + os.pathsep + ENV.get("PYTHONPATH", "")
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=REPO, capture_output=True, text=True)
    print(f"measuring commit {commit.stdout.strip()} in {src}", flush=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Benchmark the handbook generator and the site build at scale")
    parser.add_argument("--quick", action="store_true", help=f"small ladder {QUICK}, 1 run, for development")
    parser.add_argument("--ladder", help="comma-separated role counts, e.g. 50,100,200")
    parser.add_argument("--runs", type=int, help="builds per size (default 3, 1 with --quick)")
    parser.add_argument("--validate-n", type=int, default=VALIDATE_N, help="roles for the validation figure")
    parser.add_argument("--no-write", action="store_true", help="do not update BENCHMARKS.md")
    parser.add_argument("--snapshot", action="store_true",
                        help="measure the last commit (git archive HEAD), not a working tree others are editing")
    args = parser.parse_args(argv)
    if args.snapshot:
        use_snapshot()
    ladder = [int(x) for x in args.ladder.split(",")] if args.ladder else (QUICK if args.quick else LADDER)
    runs = args.runs or (1 if args.quick else 3)
    search_runs = 3
    WORK.mkdir(parents=True, exist_ok=True)
    load_before = Path("/proc/loadavg").read_text().strip()
    command = "python benchmarks/run.py" + "".join(f" {a}" for a in (argv if argv is not None else sys.argv[1:]))
    rows, floors = [], {}
    for n in ladder:
        # Fewer runs at the top of the ladder keeps `make bench` under half an hour on 2 cores.
        row, config, floor_site = measure(n, runs if n <= 400 else min(runs, 2), search_runs)
        rows.append(row)
        floors[n] = (config, floor_site)
    sys.path.insert(0, str(Path(__file__).parent))
    import synth
    big = WORK / f"data-{args.validate_n}"
    synth.write(args.validate_n, big)
    validation = median_stages(big, 1 if args.quick else min(runs, 3), what="check")
    validation["n"] = args.validate_n
    print(f"validation of {args.validate_n} roles: {validation}", flush=True)
    serve_n = SERVE_N if SERVE_N in ladder else max(n for n in ladder if n <= SERVE_N) if min(ladder) <= SERVE_N else 0
    serve = serve_rebuilds(WORK / f"data-{serve_n}") if serve_n else []
    print(f"serve rebuilds: {serve}", flush=True)
    profile_n = max(n for n in ladder if n <= 200)
    profile = profile_floor(*floors[profile_n])
    meta = {"serve_n": serve_n, "date": datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC"), "command": command, "runs": runs,
            "search_runs": search_runs, "validate_n": args.validate_n, "load_before": load_before, "profile_n": profile_n,
            "load_after": Path("/proc/loadavg").read_text().strip(), "versions": versions()}
    (WORK / "results.json").write_text(json.dumps(
        {"meta": meta, "rows": [asdict(r) for r in rows], "validation": validation, "serve": serve},
        ensure_ascii=False, indent=2), encoding="utf-8")
    text = report(rows, validation, serve, profile, meta)
    if not args.no_write:
        write_report(text)
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
