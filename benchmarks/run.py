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
import urllib.request
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
    zensical_prep_s: float = 0.0
    """generator/adapter/zensical.py in a fresh process: render, copy docs/ and the scripts, write the config."""
    zensical_s: list[float] = field(default_factory=list)
    """`zensical build --clean` of the prepared tree."""
    zensical_rss_mb: float = 0.0
    zensical_pages: int = 0
    zensical_refused: str = ""
    """What Zensical refused (a page over its size limit), if the build failed."""
    zensical_index_kb: float = 0.0
    zensical_index_gz_kb: float = 0.0
    pagefind_s: float = 0.0
    """Pagefind (extended) indexing the full MkDocs site after its build."""
    pagefind_rss_mb: float = 0.0
    pagefind_kb: float = 0.0
    pagefind_gz_kb: float = 0.0
    light: dict[str, dict[str, Any]] = field(default_factory=dict)
    """First result on the light page, per engine: {"s": [...], "kb": fetched}."""

    @property
    def full(self) -> float:
        return statistics.median(self.full_s)

    @property
    def floor(self) -> float:
        return statistics.median(self.floor_s)

    @property
    def zensical(self) -> float:
        return statistics.median(self.zensical_s) if self.zensical_s else float("nan")


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


def run_soft(cmd: list[str], cwd: Path | None = None) -> tuple[float, float, str, int]:
    """Like run, but a failure is a result: (wall seconds, peak RSS MB, output, exit code)."""
    log = WORK / "last-command.log"
    with log.open("w") as out:
        start = time.perf_counter()
        proc = subprocess.Popen(cmd, cwd=cwd or ROOT, env=ENV, stdout=out, stderr=subprocess.STDOUT)
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - start
    return wall, usage.ru_maxrss / 1024, log.read_text(errors="replace"), os.waitstatus_to_exitcode(status)


def prepare_zensical(data: Path, out: Path) -> tuple[float, Path]:
    """The Zensical project of data (generator/adapter/zensical.py) in a fresh process; (seconds, its config)."""
    wall, _, _ = run([PY, "-m", "generator.adapter.zensical", "--data", str(data), "--root", str(ROOT),
                      "--out", str(out)])
    return wall, out / "mkdocs.yml"


def build_zensical(config: Path) -> tuple[float, float, str, int]:
    return run_soft([PY, "-m", "zensical", "build", "--clean", "-f", str(config)], cwd=config.parent)


PAGEFIND_ARGS = ["--root-selector", "article", "--exclude-selectors", "#print-site-page",
                 "--exclude-selectors", ".headerlink", "--exclude-selectors", "[data-search-exclude]"]
"""What an integration would mark: the article only (not menus), not the print page (all pages in one), not the ¶
marks or the Mermaid source (which our index leaves out through data-search-exclude)."""


def pagefind_index(site: Path) -> tuple[float, float]:
    if (site / "pagefind").exists():
        shutil.rmtree(site / "pagefind")
    wall, rss, _ = run([PY, "-m", "pagefind", "--site", str(site), *PAGEFIND_ARGS])
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
def scratch_copy(data: Path, name: str) -> Path:
    """A fresh copy of a data tree under WORK, for a measurement that edits it."""
    copy = WORK / name
    if copy.exists():
        shutil.rmtree(copy)
    shutil.copytree(data, copy)
    return copy


def serve_rebuilds(data: Path, edits: int = 3, role_file: str = "roles/r0002.yml") -> list[float]:
    """Seconds from a one-line edit of a role's YAML to the end of the rebuild that `mkdocs serve` logs (the
    browser's live reload then fetches the page: milliseconds on 127.0.0.1)."""
    copy = scratch_copy(data, f"serve-data-{data.name}")
    log_path = WORK / "serve.log"
    port = free_port()
    env = {**ENV, "HANDBOOK_DATA": str(copy)}
    with log_path.open("w") as log:
        proc = subprocess.Popen([PY, "-m", "mkdocs", "serve", "-f", str(ROOT / "mkdocs.yml"), "--dev-addr",
                                 f"127.0.0.1:{port}", "--watch", str(copy), "--livereload"],
                                cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    # The first build logs "Documentation built in"; a rebuild under serve ends with "Reloading browsers" only.
    built = re.compile(r"Reloading browsers")
    count = lambda: len(built.findall(log_path.read_text(errors="replace")))  # noqa: E731
    times = []
    try:
        wait_for(lambda: "Serving on" in log_path.read_text(errors="replace"), 600, "mkdocs serve to start")
        time.sleep(1.5)  # the first build's own browser reload
        role = copy / role_file
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


def preview_rebuilds(data: Path, edits: int = 3, role_file: str = "roles/r0002.yml",
                     also: str = "regulation/") -> dict[str, list[float]]:
    """Seconds from a one-line edit of a role's YAML until `make preview` serves it (generator/adapter/preview.py
    writes the edited record's page first, then the other pages the edit changed; `zensical serve` rebuilds
    them), polled over HTTP as a browser's reload would fetch it: on the role's page ("page") and also on the
    page `also`, which shows the same text and is written in the second pass ("everywhere"; the real handbook's
    first text of roles/cs.yml is its purpose, shown on the home page; a synthetic role's is a duty, in 制度)."""
    copy = scratch_copy(data, f"preview-data-{data.name}")
    out = WORK / f"preview-{data.name}"
    if out.exists():
        shutil.rmtree(out)
    port = free_port()
    base = f"http://127.0.0.1:{port}/"
    log = (WORK / "preview.log").open("w")
    proc = subprocess.Popen([PY, "-m", "generator.adapter.preview", "--data", str(copy), "--root", str(ROOT),
                             "--out", str(out), "--address", f"127.0.0.1:{port}"],
                            cwd=ROOT, env=ENV, stdout=log, stderr=subprocess.STDOUT)

    def page(path: str) -> str:
        try:
            with urllib.request.urlopen(base + path, timeout=5) as response:
                return response.read().decode("utf-8")
        except OSError:
            return ""

    role_page = role_file.removesuffix(".yml") + "/"
    times: dict[str, list[float]] = {"page": [], "everywhere": []}
    try:
        wait_for(lambda: bool(page(role_page)), 600, "the preview to start")
        role = copy / role_file
        for edit in range(edits):
            time.sleep(1.5)  # let the watchers settle
            text = role.read_text(encoding="utf-8")
            mark = f"第{edit}次修改"
            start = time.perf_counter()
            role.write_text(text.replace("  text: ", f"  text: {mark}", 1), encoding="utf-8")
            wait_for(lambda: mark in page(role_page), 300, "the edit to show")
            times["page"].append(time.perf_counter() - start)
            wait_for(lambda: mark in page(also), 300, f"the edit to show on {also or 'the home page'}")
            times["everywhere"].append(time.perf_counter() - start)
    finally:
        proc.terminate()
        proc.wait(timeout=30)
        log.close()
    return times


def edit_figures(serve_n: int) -> dict[str, Any]:
    """A one-line YAML edit until it shows, on the real handbook and at serve_n roles: `mkdocs serve` (the
    rebuild it logs) and `make preview` (the role's page served, and another page that shows the text)."""
    sys.path.insert(0, str(Path(__file__).parent))
    import synth
    if not (WORK / f"data-{serve_n}").exists():
        synth.write(serve_n, WORK / f"data-{serve_n}")
    figures = {"serve_real": serve_rebuilds(ROOT / "data", role_file="roles/cs.yml"),
               "serve": serve_rebuilds(WORK / f"data-{serve_n}"),
               "preview_real": preview_rebuilds(ROOT / "data", role_file="roles/cs.yml", also=""),
               "preview": preview_rebuilds(WORK / f"data-{serve_n}")}
    print(f"one-line edits until they show (s): {figures}", flush=True)
    return figures


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
    zensical_site = measure_zensical(row, data, runs)
    row.pagefind_s, row.pagefind_rss_mb = pagefind_index(site)
    raw, packed = gzip_size(site / "pagefind")
    row.pagefind_kb, row.pagefind_gz_kb = raw / 1e3, packed / 1e3
    sites = {"ours": site, "material": floor_site, "pagefind": site}
    if zensical_site is not None:
        sites["zensical"] = zensical_site
    row.light = light_page_times(sites, search_runs)
    print(f"N={n}: {row.pages} pages, full {row.full:.1f} s, floor {row.floor:.1f} s, zensical "
          f"{row.zensical_prep_s:.1f} + {row.zensical:.1f} s {row.zensical_refused}, generator "
          f"{row.generator_s:.2f} s, search {statistics.median(row.search_s):.2f} s, light page "
          f"{ {k: round(statistics.median(v['s']), 2) for k, v in row.light.items()} }", flush=True)
    return row, config, floor_site


def measure_zensical(row: Row, data: Path, runs: int) -> Path | None:
    """Prepare and build the Zensical site of data; None (and the refusal in the row) if Zensical refused it."""
    row.zensical_prep_s, config = prepare_zensical(data, WORK / f"zensical-{row.n}")
    for _ in range(runs):
        wall, rss, log, code = build_zensical(config)
        if code != 0:
            row.zensical_refused = refusal(log)
            print(f"N={row.n}: zensical failed: {log[-1500:]}", flush=True)
            return None
        row.zensical_s.append(wall)
        row.zensical_rss_mb = max(row.zensical_rss_mb, rss)
    site = config.parent / "site"
    row.zensical_pages = sum(1 for f in site.rglob("*.html") if f.name != "404.html")
    index = site / "search.json"
    row.zensical_index_kb, row.zensical_index_gz_kb = (index.stat().st_size / 1e3,
                                                       len(gzip.compress(index.read_bytes(), 6)) / 1e3)
    return site


def refusal(log: str) -> str:
    lines = [l.strip() for l in log.splitlines() if re.search(r"error|panic|limit|exceed", l, re.IGNORECASE)]
    return "; ".join(lines[:3])[:300] or log.strip().splitlines()[-1][:300]


def light_page_times(sites: dict[str, Path], runs: int) -> dict[str, dict[str, Any]]:
    """First result on the light page (engines.LIGHT_PAGE) per engine, each on its site."""
    sys.path.insert(0, str(Path(__file__).parent))
    import engines
    from playwright.sync_api import sync_playwright
    engine_of = {"ours": "ours", "material": "ours", "pagefind": "pagefind", "zensical": "zensical"}
    found: dict[str, dict[str, Any]] = {}
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        for name, site in sites.items():
            server, url = serve_static(site)
            try:
                timed = engines.first_result_times(browser, url, engine_of[name], QUERY, runs)
            finally:
                server.terminate()
                server.wait()
            found[name] = {"s": timed.seconds, "kb": timed.fetched_kb}
        browser.close()
    return found


def real_handbook(runs: int) -> dict[str, Any]:
    """The real handbook (data/): both builders, Pagefind on both sites, and recall of every engine on
    engines.QUERIES (the queries name pages of the real data)."""
    sys.path.insert(0, str(Path(__file__).parent))
    import engines
    from playwright.sync_api import sync_playwright
    data = ROOT / "data"
    site = WORK / "site-real"
    full = [build_full(data, site)[0] for _ in range(runs)]
    prep, config = prepare_zensical(data, WORK / "zensical-real")
    builds = []
    for _ in range(runs):
        wall, _, log, code = build_zensical(config)
        if code != 0:
            raise SystemExit(f"zensical build of the real handbook failed:\n{log[-3000:]}")
        builds.append(wall)
    zensical_site = config.parent / "site"
    pagefind_s = pagefind_index(site)[0]
    pagefind_index(zensical_site)
    result: dict[str, Any] = {"full_s": full, "zensical_prep_s": prep, "zensical_s": builds,
                              "pagefind_s": pagefind_s, "recall": {}}
    engines_on = {"ours": ("ours", site), "pagefind": ("pagefind", site),
                  "zensical": ("zensical", zensical_site), "pagefind on Zensical": ("pagefind", zensical_site)}
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        for name, (engine, where) in engines_on.items():
            server, url = serve_static(where)
            try:
                result["recall"][name] = engines.recall(browser, url, engine)
            finally:
                server.terminate()
                server.wait()
        browser.close()
    print(f"real handbook: {json.dumps(result, ensure_ascii=False)}", flush=True)
    return result


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
            "zensical": version("zensical"), "pagefind": version("pagefind_bin_extended"),
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


def median(values: list[float]) -> float:
    return statistics.median(values) if values else float("nan")


def builders_table(rows: list[Row]) -> str:
    head = ("| N roles | pages | MkDocs full build s (generator in the hook) | MkDocs on the pre-rendered tree s | "
            "Zensical: prepare + clean build s | Zensical pages | Zensical / MkDocs full | MkDocs full / faster "
            "builder on the pre-rendered tree | generator share: MkDocs full / Zensical path | peak RSS MB: MkDocs / "
            "Zensical |")
    lines = [head, "|" + "---|" * (head.count("|") - 1)]
    for r in rows:
        faster = min(r.floor, r.zensical) if r.zensical_s else r.floor
        total = r.zensical_prep_s + r.zensical
        if r.zensical_s:
            zensical, ratio, share = (f"{r.zensical_prep_s:.1f} + {r.zensical:.1f}", f"{total / r.full:.2f}",
                                      f"{100 * r.zensical_prep_s / total:.1f} %")
        else:
            zensical, ratio, share = f"{r.zensical_prep_s:.1f} + refused: {r.zensical_refused[:160]}", "—", "—"
        lines.append(
            f"| {r.n} | {r.pages} | {r.full:.1f} | {r.floor:.1f} | {zensical} | {r.zensical_pages or '—'} | "
            f"{ratio} | {r.full / faster:.2f} | {100 * r.generator_s / r.full:.1f} % / {share} | "
            f"{r.full_rss_mb:.0f} / {r.zensical_rss_mb or '—'} |")
    return "\n".join(lines)


def search_table(rows: list[Row]) -> str:
    head = ("| N roles | engine | index time s | index on disk KB (gzip) | fetched by the first query KB | "
            "first result s, light page (runs) |")
    lines = [head, "|" + "---|" * (head.count("|") - 1)]
    for r in rows:
        index = {"ours": (f"{r.chunks_s:.2f} (split of Material's index; its build is in the build)",
                          f"{r.index_kb:,.0f} ({r.index_gz_kb:,.0f})"),
                 "material": ("in the build", f"{r.material_index_kb:,.0f} ({r.material_index_gz_kb:,.0f})"),
                 "zensical": ("in the build", f"{r.zensical_index_kb:,.0f} ({r.zensical_index_gz_kb:,.0f})"),
                 "pagefind": (f"{r.pagefind_s:.1f} (peak {r.pagefind_rss_mb:.0f} MB)",
                              f"{r.pagefind_kb:,.0f} ({r.pagefind_gz_kb:,.0f})")}
        names = {"ours": "ours (chunked, MkDocs site)", "material": "Material's own (pre-rendered MkDocs site)",
                 "zensical": "Zensical's own", "pagefind": "Pagefind 1.5.2 extended (MkDocs site)"}
        for engine, measured in r.light.items():
            runs = "/".join(f"{t:.2f}" for t in measured["s"])
            lines.append(f"| {r.n} | {names[engine]} | {index[engine][0]} | {index[engine][1]} | "
                         f"{measured['kb']:,.0f} | {median(measured['s']):.2f} ({runs}) |")
    return "\n".join(lines)


def recall_table(real: dict[str, Any]) -> str:
    sys.path.insert(0, str(Path(__file__).parent))
    import engines
    kinds = list(dict.fromkeys(q.kind for q in engines.QUERIES))
    head = "| engine (site of data/) | found in the first 10 | ranked first | " + " | ".join(kinds) + " | missed |"
    lines = [head, "|" + "---|" * (head.count("|") - 1)]
    for name, result in real["recall"].items():
        missed = ", ".join(q for q, rank in result["ranks"].items() if rank is None) or "—"
        lines.append(f"| {name} | {result['found']}/{result['of']} | {result['first']} | " +
                     " | ".join(result["by_kind"][k] for k in kinds) + f" | {missed} |")
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
        f"| `mkdocs serve`: one-line YAML edit to the rebuilt page, {serve_n} roles, ≤ 5 s | "
        f"{statistics.median(serve):.1f} s (runs: {', '.join(f'{t:.1f}' for t in serve)}) | "
        f"{mark(statistics.median(serve) <= 5)} |"
        if serve else "| `mkdocs serve` rebuild | not measured (N not in ladder) | |",
        *builder_verdicts(rows)])


def preview_verdicts(meta: dict[str, Any]) -> str:
    mark = lambda ok: "met" if ok else "**missed**"  # noqa: E731
    lines = []
    for what, times, target in (("the real handbook", meta["preview_real"], 1.0),
                                (f"{meta['serve_n']} roles", meta["preview"], 5.0)):
        typical, everywhere = statistics.median(times["page"]), statistics.median(times["everywhere"])
        lines.append(f"| `make preview`: one-line YAML edit to the role's page served, {what}, ≤ {target:.0f} s | "
                     f"{typical:.2f} s (runs: {', '.join(f'{t:.2f}' for t in times['page'])}; on every page: "
                     f"{everywhere:.2f} s) | {mark(typical <= target)} |")
    return "\n".join(lines)


def builder_verdicts(rows: list[Row]) -> list[str]:
    lines = []
    for r in rows:
        if r.n < 400:
            continue
        faster = min(r.floor, r.zensical) if r.zensical_s else r.floor
        ok = r.full / faster <= 1.10
        lines.append(f"| default full build ≤ 1.10 × the faster builder on the pre-rendered tree, {r.n} roles | "
                     f"{r.full / faster:.2f} × ({r.full:.1f} s against {faster:.1f} s) | "
                     f"{'met' if ok else '**missed**'} |")
    light = [(r.n, median(r.light.get('ours', {}).get('s', []))) for r in rows]
    if light:
        n, worst = max(light, key=lambda x: x[1])
        lines.append(f"| first result ≤ 1 s, ours, light page | {worst:.2f} s at {n} roles | "
                     f"{'met' if worst <= 1 else '**missed**'} |")
    return lines


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
PyYAML {v['PyYAML']}, jsonschema {v['jsonschema']}, Zensical {v['zensical']}, Pagefind (extended) {v['pagefind']},
Playwright {v['playwright']}, {v['chromium']}.

### Ladder

{table(rows)}

*generator share* = (load + schema + build + render + search chunks, each timed in a fresh process) / full build;
*full* = `mkdocs build --strict` of the real mkdocs.yml with the hook; *floor* = the same build of the pre-rendered
Markdown tree without the hook (so with Material's own search); *peak RSS* = maximum resident set of the build
process (wait4). Search index: every file under `search/`, raw and gzip level 6 — ours (chunks loaded on demand
plus the stub index) and Material's single index on the floor site; *fetched by the first query* = what the
browser downloaded from `search/` to show the first result on the full site. First search result: ours on the
full site, Material's own search on the floor site.

### Builders side by side

{builders_table(rows)}

*MkDocs full* = `mkdocs build --strict` with the hook (the generator inside it); *pre-rendered* = the same MkDocs
build of the `generator render --out` tree without the hook (the floor above); *Zensical* = the adapter
(generator/adapter/zensical.py, a fresh process: render + copying docs/ and Mermaid + the config) and then
`zensical build --clean` of that tree. Generator share on the Zensical path = prepare / (prepare + build).

### Search engines side by side

{search_table(rows)}

Each engine on its own site, opened on `{meta['light_page']}?q={QUERY}` (ours and Material's: the deep link
shows the results) or opened there and then asked (Pagefind: its module's `search()` and the first ten results'
data, what its UI would show; Zensical: its search dialog, typed). Index on disk: `search/` (ours, Material's),
`search.json` (Zensical), `pagefind/` (Pagefind, run with `{' '.join(meta['pagefind_args'])}`).

### Recall on the real handbook

{recall_table(meta['real'])}

{len(meta['real']['recall']['ours']['ranks'])} queries of benchmarks/engines.py `QUERIES`, each with the page a reader wants; *found* = that page is among
the first ten results. Builds of data/: MkDocs {median(meta['real']['full_s']):.1f} s, Zensical
{meta['real']['zensical_prep_s']:.1f} + {median(meta['real']['zensical_s']):.1f} s, Pagefind
{meta['real']['pagefind_s']:.1f} s. One-line edit of data/roles/cs.yml: `mkdocs serve` to the rebuilt page
{' / '.join(f'{t:.1f}' for t in meta['serve_real'])} s; `make preview` to the page served
{' / '.join(f'{t:.2f}' for t in meta['preview_real']['page'])} s (on the home page too:
{' / '.join(f'{t:.2f}' for t in meta['preview_real']['everywhere'])} s).

### Targets

{verdicts(rows, validation, serve, meta['serve_n'])}
{preview_verdicts(meta)}

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
    # This session's uncommitted second builder, measured with the commit it adapts.
    for extra in ("generator/adapter/zensical.py",):
        if (REPO / extra).is_file() and not (src / extra).is_file():
            shutil.copy(REPO / extra, src / extra)
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
    parser.add_argument("--serve-n", type=int, default=SERVE_N, help="roles for the `mkdocs serve` rebuild figure")
    parser.add_argument("--no-profile", action="store_true", help="skip the cProfile of the floor build")
    parser.add_argument("--snapshot", action="store_true",
                        help="measure the last commit (git archive HEAD), not a working tree others are editing")
    parser.add_argument("--edits-only", action="store_true",
                        help="measure only the one-line YAML edit under `mkdocs serve` and `make preview`, print it")
    args = parser.parse_args(argv)
    if args.snapshot:
        use_snapshot()
    if args.edits_only:
        WORK.mkdir(parents=True, exist_ok=True)
        edit_figures(args.serve_n)
        return 0
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
    real = real_handbook(runs)
    serve_n = args.serve_n
    edits = edit_figures(serve_n)
    serve_real, serve = edits["serve_real"], edits["serve"]
    profile_n = max(n for n in ladder if n <= 200) if min(ladder) <= 200 else 0
    profile = profile_floor(*floors[profile_n]) if profile_n and not args.no_profile else "(not profiled in this run)"
    sys.path.insert(0, str(Path(__file__).parent))
    import engines
    meta = {"real": real, "serve_real": serve_real, "preview_real": edits["preview_real"],
            "preview": edits["preview"], "light_page": engines.LIGHT_PAGE, "pagefind_args": PAGEFIND_ARGS,
            "serve_n": serve_n, "date": datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC"), "command": command, "runs": runs,
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
