"""`make screenshots`: PNGs of what a reader sees, for the README. Builds the site, serves it on 127.0.0.1,
drives Debian's Chromium. Usage: python -m browser.screenshots OUT_DIR (with tests/ on PYTHONPATH)."""
from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from playwright.sync_api import sync_playwright

from conftest import build_site

from . import harness

WIDTH, HEIGHT = 1200, 800


def _shoot(page, out: Path, name: str) -> None:
    page.screenshot(path=str(out / f"{name}.png"))
    print(f"wrote {out / name}.png")


def take(out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp, harness.serve(Path(tmp)) as base, sync_playwright() as driver:
        build_site(Path(tmp))
        browser = harness.launch(driver)
        context = harness.new_context(browser)
        context.set_default_timeout(20_000)
        page = context.new_page()
        page.set_viewport_size({"width": WIDTH, "height": HEIGHT})
        page.goto(base, wait_until="networkidle")
        _shoot(page, out, "home")
        page.goto(base + "roles/cs/", wait_until="networkidle")
        _shoot(page, out, "role")
        page.goto(base, wait_until="networkidle")
        harness.search(page, "快递异常")
        _shoot(page, out, "search")
        page.goto(base + "procedures/express-exception/#diagram", wait_until="networkidle")
        page.wait_for_function("() => [...document.querySelectorAll('.mermaid')].every(e => e.shadowRoot"
                               " && e.shadowRoot.querySelector('svg'))")
        page.locator("#diagram").scroll_into_view_if_needed()
        page.evaluate("() => window.scrollBy(0, document.querySelector('#diagram').getBoundingClientRect().top - 60)")
        _shoot(page, out, "procedure")
        page.goto(base + "checklists/new-hire-pc-checklist/", wait_until="networkidle")
        boxes = page.locator("input.hb-check")
        for i in range(min(3, boxes.count())):
            boxes.nth(i).check()
        _shoot(page, out, "checklist")
        if context.request_log.outside():
            raise SystemExit(f"requests outside 127.0.0.1: {context.request_log.outside()}")
        browser.close()


if __name__ == "__main__":
    take(Path(sys.argv[1] if len(sys.argv) > 1 else "screenshots"))
