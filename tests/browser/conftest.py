"""Browser test harness: the real site in Debian's headless Chromium, served on 127.0.0.1.

Fixtures for any test under tests/browser/ (mark tests with @pytest.mark.browser):
- `served_site` (session): base URL (ends with "/") of the handbook built once from data/ by the real
  `mkdocs build --strict`, served by a threaded http.server on 127.0.0.1 and a free port.
- `built_site` (session): the folder of that build. $HANDBOOK_BROWSER_SITE names an already built site to use
  instead (e.g. /tmp/baseline-site, to watch a test fail on an old build); nothing is built then.
- `mounted_site` (session): base URL (ends with "/handbook/") of the same build served from a sub-folder, with
  404.html answered for every missing path, as an intranet web server would.
- `serve_site` (session): a function `serve_site(data_dir) -> base_url` that builds the site from ANOTHER data
  folder (strict build; an AssertionError carries mkdocs' output if it fails) and serves it until the session ends.
- `browser` (session): Playwright's Browser, Debian's Chromium (`chromium` on PATH or $CHROMIUM). A missing browser
  fails the test with the install hint, never skips; `make test` installs it (tools/install-browser.sh).
- `context` / `page` (function): a fresh context (1280x900, zh-CN) whose shadow roots are open (Material draws
  Mermaid in a closed one) and whose requests are logged in `context.request_log` (harness.RequestLog: `.urls`,
  `.outside()` = every request to a host other than 127.0.0.1).
Helpers in harness.py: `search(page, query) -> [result paths]`, `serve(dir, mount, not_found)`, `launch(playwright)`,
`page_paths(site)` (every page of a build), `wait_for_diagrams(page)`.
"""
from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from contextlib import ExitStack
from pathlib import Path

import pytest

from conftest import build_site

from . import harness


@pytest.fixture(scope="session")
def built_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    if os.environ.get("HANDBOOK_BROWSER_SITE"):
        return Path(os.environ["HANDBOOK_BROWSER_SITE"])
    out = tmp_path_factory.mktemp("browser-site")
    build_site(out)
    return out


@pytest.fixture(scope="session")
def served_site(built_site: Path) -> Iterator[str]:
    with harness.serve(built_site) as base_url:
        yield base_url


@pytest.fixture(scope="session")
def mounted_site(built_site: Path) -> Iterator[str]:
    with harness.serve(built_site, mount="handbook", not_found="404.html") as base_url:
        yield base_url


@pytest.fixture(scope="session")
def serve_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Callable[[Path], str]]:
    with ExitStack() as stack:
        def serve_from(data_dir: Path) -> str:
            out = tmp_path_factory.mktemp("browser-site-other")
            build_site(out, Path(data_dir))
            return stack.enter_context(harness.serve(out))
        yield serve_from


@pytest.fixture(scope="session")
def playwright_driver() -> Iterator[object]:
    from playwright.sync_api import sync_playwright
    with sync_playwright() as driver:
        yield driver


@pytest.fixture(scope="session")
def browser(playwright_driver) -> Iterator[object]:
    try:
        chromium = harness.launch(playwright_driver)
    except RuntimeError as error:
        pytest.fail(str(error), pytrace=False)
    yield chromium
    chromium.close()


@pytest.fixture()
def context(browser) -> Iterator[object]:
    ctx = harness.new_context(browser)
    yield ctx
    ctx.close()


@pytest.fixture()
def page(context) -> object:
    return context.new_page()
