"""`make screenshots`: PNGs of what a reader sees, for the README: every kind of page (pagekinds.py) plus Chinese
search results, at 1280 px (desktop) and 390 px (phone), as OUT_DIR/<kind>-<width>.png. Builds the site, serves it
from a sub-folder (/handbook/, with 404.html for missing addresses) on 127.0.0.1, drives Debian's Chromium; fails if
any page asks another host for anything.

Usage: python -m browser.screenshots OUT_DIR (with tests/ on PYTHONPATH)."""
from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

from playwright.sync_api import sync_playwright

from conftest import ROOT, build_site

from . import harness
from .pagekinds import MISSING_PAGE, PAGE_KINDS

# Width -> viewport height. A full-page shot stops at MAX_HEIGHT: the regulation is many screens long.
VIEWPORTS = {1280: 900, 390: 844}
MAX_HEIGHT = 2400
SEARCH_QUERY = "快递异常"
CHECKLIST_TICKS = 3
COMPANY_ROLES = 60
"""A synthetic company (benchmarks/synth.py) big enough that its lists are shown by department."""
COMPANY_PAGES = {"company-home": "", "company-roles-index": "roles/", "company-org": "org/"}


def shot_names() -> list[str]:
    """The files one run writes, in the order of the README's table."""
    kinds = [*PAGE_KINDS, "search", *COMPANY_PAGES]
    return [f"{kind}-{width}.png" for kind in kinds for width in VIEWPORTS]


def _shoot(page, path: Path, full_page: bool = True) -> None:
    # Material fades the search results in: a shot taken at once shows them half transparent.
    page.wait_for_function("() => document.getAnimations().every(a => a.playState !== 'running')")
    if full_page:
        height = min(page.evaluate("document.documentElement.scrollHeight"), MAX_HEIGHT)
        width = page.viewport_size["width"]
        page.screenshot(path=str(path), full_page=True, clip={"x": 0, "y": 0, "width": width, "height": height})
    else:
        page.screenshot(path=str(path))
    print(f"wrote {path}")


def _open(page, url: str) -> None:
    page.goto(url, wait_until="networkidle")
    harness.wait_for_diagrams(page)


def _tick_some(page) -> None:
    boxes = page.locator("input.hb-check")
    for i in range(min(CHECKLIST_TICKS, boxes.count())):
        boxes.nth(i).check()
    page.mouse.move(0, 0)


def _shoot_width(page, base: str, out: Path, width: int) -> None:
    page.set_viewport_size({"width": width, "height": VIEWPORTS[width]})
    for kind, spec in PAGE_KINDS.items():
        _open(page, base + (MISSING_PAGE if spec.path is None else spec.path))
        if kind == "checklist":
            _tick_some(page)
        _shoot(page, out / f"{kind}-{width}.png")
    _open(page, base)
    harness.search(page, SEARCH_QUERY)
    _shoot(page, out / f"search-{width}.png", full_page=False)


def _shoot_company(page, base: str, out: Path) -> None:
    for width in VIEWPORTS:
        page.set_viewport_size({"width": width, "height": VIEWPORTS[width]})
        for kind, path in COMPANY_PAGES.items():
            _open(page, base + path)
            _shoot(page, out / f"{kind}-{width}.png")


def _company_data(folder: Path) -> Path:
    data = folder / "data"
    subprocess.run([sys.executable, str(ROOT / "benchmarks" / "synth.py"), str(COMPANY_ROLES), str(data)],
                   check=True, capture_output=True, timeout=300)
    return data


def take(out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as driver:
        site, company = Path(tmp) / "site", Path(tmp) / "company"
        build_site(site)
        build_site(company, _company_data(Path(tmp)))
        browser = harness.launch(driver)
        context = harness.new_context(browser)
        context.set_default_timeout(20_000)
        page = context.new_page()
        with harness.serve(site, mount="handbook", not_found="404.html") as base:
            for width in VIEWPORTS:
                _shoot_width(page, base, out, width)
        with harness.serve(company, mount="handbook", not_found="404.html") as base:
            _shoot_company(page, base, out)
        outside = context.request_log.outside()
        browser.close()
    if outside:
        raise SystemExit(f"requests outside 127.0.0.1: {outside}")


if __name__ == "__main__":
    take(Path(sys.argv[1] if len(sys.argv) > 1 else "screenshots"))
