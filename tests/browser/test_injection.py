"""Text from YAML is inert: HTML, script, javascript:/data: links and attribute tricks show as written.

The hostile tree is the corpus base handbook with a payload in every kind of text field. The first test renders
it and runs the Markdown through the site's Markdown extensions (no browser); the others build the real site,
open every generated page in Chromium, and search for the payloads in Material's search box (results come from
the chunked index through docs/assets/search-worker.js, and Material writes them with innerHTML).
"""
from __future__ import annotations

import re
import shutil
from html import unescape
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import markdown
import pytest
import yaml

from generator import pipeline

from .harness import search

BASE = Path(__file__).resolve().parent.parent / "corpus" / "_base"

PAYLOADS = [
    "<script>window.__pwned=1</script>",
    "</title><script>window.__pwned=10</script>",  # lands in titles: Material's <title> unescapes them
    '<img src=x onerror="window.__pwned=2">',
    "[点我](javascript:window.__pwned=3)",
    "[数据](data:text/html,<script>window.__pwned=4</script>)",
    '{: onclick="window.__pwned=5" }',
    "**粗体** _斜体_ `代码` <b>b</b> &amp; &lt;",
    "<svg onload=window.__pwned=6>",
    '"><iframe src="javascript:window.__pwned=7"></iframe>',
    '![图](x" onerror="window.__pwned=8)',
    "<javascript:window.__pwned=9> {{ 7*7 }} {% raw %} #标题 | 表 | ~~删~~",
]

FIELDS = [  # (file, path of a text field): one payload each, cycling through PAYLOADS
    ("handbook.yml", ("body_title",)),
    ("regulation/01-general.yml", ("title",)),
    ("regulation/01-general.yml", ("clauses", 0, "text")),
    ("roles/boss.yml", ("title",)),
    ("roles/boss.yml", ("intro",)),
    ("roles/boss.yml", ("duties", 0, "text")),
    ("roles/staff.yml", ("duties", 0, "text")),
    ("roles/staff.yml", ("department",)),
    ("procedures/work.yml", ("title",)),
    ("procedures/work.yml", ("trigger",)),
    ("procedures/work.yml", ("steps", 0, "action")),
    ("procedures/work.yml", ("steps", 1, "action")),
    ("checklists/work-checklist.yml", ("title",)),
    ("checklists/work-checklist.yml", ("items", 0, "text")),
    ("onboarding/staff.yml", ("reading", 0, "note")),
    ("onboarding/staff.yml", ("contacts", 0, "topic")),
    ("onboarding/staff.yml", ("day1", 0, "text")),
    ("glossary.yml", ("terms", 0, "term")),
    ("glossary.yml", ("terms", 0, "meaning")),
]

EXTENSIONS = ["admonition", "attr_list", "md_in_html", "tables", "toc", "pymdownx.details", "pymdownx.superfences"]
LIVE_TAGS = {"script", "img", "svg", "iframe", "object", "embed", "style", "del"}
"""Tags the templates never write: any of them in a page came from the data. (Emphasis and code the templates do
write; the literal `**`, `_` and backticks in the visible text show that the data's did not become markup.)"""


def hostile_tree(folder: Path) -> Path:
    shutil.copytree(BASE, folder)
    for index, (name, path) in enumerate(FIELDS):
        file = folder / name
        data = yaml.safe_load(file.read_text(encoding="utf-8"))
        holder: Any = data
        for key in path[:-1]:
            holder = holder[key]
        holder[path[-1]] = f"甲{PAYLOADS[index % len(PAYLOADS)]}乙"
        file.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return folder


class _Html(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.flows = 0
        self.bad: list[str] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if "hb-flow" in (dict(attrs).get("class") or "").split():
            self.flows += 1  # a procedure diagram: the one <svg> the templates write, drawn from the layout
        self.tags.append(tag)
        for name, value in attrs:
            if name.startswith("on") or re.match(r"\s*(javascript|data|vbscript):", value or "", re.I):
                self.bad.append(f"<{tag} {name}={value!r}>")

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def test_rendered_markdown_has_no_live_markup(tmp_path: Path) -> None:
    rendered = pipeline.render(hostile_tree(tmp_path / "data"))
    assert rendered.site is not None, rendered.problems
    seen = ""
    for page in rendered.site.pages:
        html = _Html()
        html.feed(markdown.markdown(page.markdown, extensions=EXTENSIONS))
        assert not html.bad, (page.uri, html.bad)
        assert html.tags.count("svg") <= html.flows, (page.uri, "an <svg> outside a procedure diagram")
        assert not (LIVE_TAGS - {"svg"}) & set(html.tags), (page.uri, LIVE_TAGS & set(html.tags))
        seen += " ".join("".join(html.text).split())
    for payload in PAYLOADS:
        assert f"甲{' '.join(payload.split())}乙" in seen, payload


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory: pytest.TempPathFactory, serve_site) -> str:
    """Base URL of the real site built from the hostile tree (built once for the tests below)."""
    return serve_site(hostile_tree(tmp_path_factory.mktemp("hostile") / "data"))


@pytest.mark.browser
def test_hostile_text_is_shown_as_written_and_nothing_runs(hostile_site: str, page) -> None:
    base_url = hostile_site
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    shown = ""
    for uri in ("", "regulation/", "roles/boss/", "roles/staff/", "procedures/work/", "checklists/work-checklist/",
                "onboarding/staff/", "glossary/", "revisions/", "org/", "roles/", "procedures/"):
        page.goto(base_url + uri)
        page.wait_for_load_state("load")
        for link in page.locator("article a[href]").all():
            href = (link.get_attribute("href") or "").strip().lower()
            assert not href.startswith(("javascript:", "data:")), (uri, href)
        for element in page.locator("article [onclick], article [onerror], article [onload]").all():
            raise AssertionError(f"{uri}: event attribute on {element.evaluate('e => e.outerHTML')}")
        assert page.evaluate("() => window.__pwned") is None, uri
        shown += " ".join(page.locator("article").inner_text().split())
    assert dialogs == []
    for payload in PAYLOADS:
        assert f"甲{' '.join(payload.split())}乙" in shown, payload


SEARCH_LIVE = ".md-search-result script, .md-search-result img, .md-search-result svg:not(.md-icon svg), " \
              ".md-search-result iframe, .md-search-result [onerror], .md-search-result [onload], " \
              ".md-search-result [onclick], .md-search-result a[href^='javascript:'], .md-search-result a[href^='data:']"


@pytest.mark.browser
def test_searching_hostile_text_shows_it_as_written_and_runs_nothing(hostile_site: str, page) -> None:
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    page.goto(hostile_site)
    shown = ""
    for query in ("script", "onerror", "iframe", "javascript", "pwned", PAYLOADS[2], PAYLOADS[6]):
        found = search(page, query)
        live = page.locator(SEARCH_LIVE)
        assert live.count() == 0, (query, live.first.evaluate("e => e.outerHTML"))
        assert page.evaluate("() => window.__pwned") is None, query
        shown += " ".join(page.locator(".md-search-result__list").inner_text().split()) if found else ""
    assert dialogs == []
    # The payloads came back as results, shown as text, their words highlighted (not their tags).
    assert "<script>window.__pwned=1</script>" in shown or "</title><script>window.__pwned=10</script>" in shown
    assert '<img src=x onerror="window.__pwned=2">' in shown, shown[:2000]
    marks = page.locator(".md-search-result__list mark").all_inner_texts()
    assert marks and all("<" not in mark for mark in marks), marks
