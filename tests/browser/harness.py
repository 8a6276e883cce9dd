"""Plain helpers behind the browser fixtures and `make screenshots`: serve a built site on 127.0.0.1,
launch Debian's Chromium through Playwright, log every request, open Material's closed shadow roots."""
from __future__ import annotations

import functools
import os
import shutil
import tempfile
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http import HTTPStatus
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"]
LOCAL_HOST = "127.0.0.1"
NO_NETWORK_SCHEMES = {"data", "blob", "about"}

# Material draws Mermaid diagrams into a *closed* shadow root; open every shadow root so a test can read the SVG.
OPEN_SHADOW_ROOTS = """
(() => {
  const attach = Element.prototype.attachShadow;
  Element.prototype.attachShadow = function (init) { return attach.call(this, { ...init, mode: "open" }); };
})();
"""

MISSING_BROWSER = ("Chromium was not found (looked for $CHROMIUM, then `chromium` on PATH). `make test` installs it "
                   "(tools/install-browser.sh: apt-get install chromium fonts-noto-cjk, as root).")


def find_chromium() -> str | None:
    """Debian's Chromium: $CHROMIUM if set, else `chromium` on PATH."""
    candidate = os.environ.get("CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
    return candidate if Path(candidate).is_file() and os.access(candidate, os.X_OK) else None


class _QuietHandler(SimpleHTTPRequestHandler):
    """http.server without its log; with `not_found` set, a missing path gets that page with status 404, as
    GitHub Pages, nginx's error_page or `mkdocs serve` answer with the site's 404.html."""

    def __init__(self, *args: object, not_found: Path | None = None, **kwargs: object) -> None:
        self.not_found = not_found
        super().__init__(*args, **kwargs)

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - signature of the base class
        pass

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        if code != HTTPStatus.NOT_FOUND or self.not_found is None:
            super().send_error(code, message, explain)
            return
        body = self.not_found.read_bytes()
        self.send_response(code)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)


@contextmanager
def serve(directory: Path, mount: str = "", not_found: str | None = None) -> Iterator[str]:
    """Serve a built site with a threaded http.server on 127.0.0.1 and a free port; yields the base URL.

    mount: a sub-folder to serve the site from ("handbook" gives http://127.0.0.1:PORT/handbook/), as an
    intranet server may. not_found: the site's page (e.g. "404.html") answered for every missing path.
    """
    with tempfile.TemporaryDirectory() as parent:
        root = Path(directory)
        if mount:
            (Path(parent) / mount).symlink_to(root.resolve(), target_is_directory=True)
            root = Path(parent)
        error_page = Path(directory) / not_found if not_found else None
        handler = functools.partial(_QuietHandler, directory=str(root), not_found=error_page)
        server = ThreadingHTTPServer((LOCAL_HOST, 0), handler)
        server.daemon_threads = True
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        try:
            yield f"http://{LOCAL_HOST}:{server.server_address[1]}/" + (f"{mount}/" if mount else "")
        finally:
            server.shutdown()
            server.server_close()


def launch(playwright):  # -> playwright.sync_api.Browser
    """Headless Debian Chromium; raises RuntimeError with the install hint when it is missing."""
    executable = find_chromium()
    if executable is None:
        raise RuntimeError(MISSING_BROWSER)
    return playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS, headless=True)


class RequestLog:
    """Every request a browser context makes (pages and their workers), in order."""

    def __init__(self, context) -> None:
        self.urls: list[str] = []
        context.on("request", lambda request: self.urls.append(request.url))

    def outside(self) -> list[str]:
        """Requests that would leave the machine: any host other than 127.0.0.1."""
        return [u for u in self.urls
                if urlsplit(u).scheme not in NO_NETWORK_SCHEMES and urlsplit(u).hostname != LOCAL_HOST]

    def clear(self) -> None:
        self.urls.clear()


def new_context(browser, **options):
    """A browser context with shadow roots opened and a request log at `context.request_log`."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN", **options)
    context.add_init_script(OPEN_SHADOW_ROOTS)
    context.request_log = RequestLog(context)
    return context


def search(page, query: str, timeout: float = 15_000) -> list[str]:
    """Type a query into Material's search box and return the result pages' URLs (paths), best first.

    Material reacts to keyup and Playwright's typing of Chinese sends none, so End is pressed after typing.
    """
    box = page.locator("input.md-search__input")
    meta = page.locator(".md-search-result__meta")
    if not box.is_visible():
        page.locator("label.md-search__icon, label[for='__search']").first.click()
    box.fill("")
    box.press("End")
    page.wait_for_function("() => !document.querySelector('.md-search-result__meta')"
                           ".textContent.includes('符合条件的结果')", timeout=timeout)
    box.fill(query)
    box.press("End")
    meta.filter(has_text="符合条件的结果").wait_for(timeout=timeout)
    links = page.locator("li.md-search-result__item > a.md-search-result__link")
    return [urlsplit(href).path for href in links.evaluate_all("els => els.map(e => e.href)")]


def page_paths(site: Path) -> list[str]:
    """Every page of a built site as a path below its root ("" for the home page, "roles/cs/" ...), from the
    folders that hold an index.html; redirect stubs of renamed records (a meta refresh) are not pages."""
    paths = []
    for index in sorted(Path(site).rglob("index.html")):
        if 'http-equiv="refresh"' in index.read_text(encoding="utf-8")[:2000]:
            continue
        folder = index.parent.relative_to(site).as_posix()
        paths.append("" if folder == "." else folder + "/")
    return paths


# True once every Mermaid diagram of the page has an SVG (the harness opens the shadow roots they are drawn in).
DIAGRAMS_DRAWN = ("() => [...document.querySelectorAll('.mermaid')]"
                  ".every(e => e.shadowRoot && e.shadowRoot.querySelector('svg'))")


def wait_for_diagrams(page, timeout: float = 20_000) -> None:
    """Wait until the page's diagrams (if any) are drawn, so that what is measured next is the drawn page."""
    if page.locator(".mermaid").count():
        page.wait_for_function(DIAGRAMS_DRAWN, timeout=timeout)
