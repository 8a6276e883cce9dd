"""Mermaid diagrams drawn from the data: the org chart and one flowchart per procedure, rendered to SVG."""
from __future__ import annotations

from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from . import harness, sitedata

SVG_TEXT = """() => [...document.querySelectorAll('.mermaid')].map(e => {
  const svg = e.shadowRoot && e.shadowRoot.querySelector('svg');
  return svg ? svg.textContent : null;
})"""


def _diagram_texts(page, url: str) -> list[str]:
    page.goto(url)
    page.wait_for_function("() => document.querySelectorAll('.mermaid').length && [...document.querySelectorAll"
                           "('.mermaid')].every(e => e.shadowRoot && e.shadowRoot.querySelector('svg'))",
                           timeout=20_000)
    return page.evaluate(SVG_TEXT)


@pytest.mark.browser
def test_org_chart_renders_and_names_every_role(page, served_site: str) -> None:
    texts = _diagram_texts(page, served_site + "org/")
    assert len(texts) == 1 and texts[0]
    missing = [title for title in sitedata.roles().values() if title not in texts[0]]
    assert not missing, f"org chart lacks {missing}"


@pytest.mark.browser
def test_every_procedure_diagram_has_a_lane_per_role(page, served_site: str) -> None:
    titles = sitedata.roles()
    problems = []
    for procedure in sitedata.procedures():
        texts = _diagram_texts(page, served_site + f"procedures/{procedure['id']}/")
        actors = {titles[step["actor"]] for step in procedure["steps"]}
        lanes = page.evaluate("() => [...document.querySelector('.mermaid').shadowRoot"
                              ".querySelectorAll('.cluster')].map(c => c.textContent.trim())")
        if len(texts) != 1 or sorted(lanes) != sorted(actors):
            problems.append((procedure["id"], sorted(actors), lanes))
        elif any(f"{n}." not in texts[0] for n in range(1, len(procedure["steps"]) + 1)):
            problems.append((procedure["id"], "missing a step", texts[0]))
    assert not problems, problems


# Per diagram: what is wrong with it once the page had time to draw it (None when it is drawn).
DIAGRAM_PROBLEMS = """() => [...document.querySelectorAll('.mermaid')].map(e => {
  const svg = e.shadowRoot && e.shadowRoot.querySelector('svg');
  if (!svg) return 'no SVG';
  if (/Syntax error|Parse error/i.test(svg.textContent)) return 'Mermaid error: ' + svg.textContent.slice(0, 80);
  const box = svg.getBoundingClientRect();
  return box.width > 0 && box.height > 0 ? null : 'SVG of size 0';
})"""


def _pages_with_diagrams(site: Path) -> dict[str, int]:
    """Page path -> number of Mermaid blocks in its built HTML."""
    counts = {}
    for path in harness.page_paths(site):
        html = (site / path / "index.html").read_text(encoding="utf-8")
        if "mermaid" in html:
            blocks = len(BeautifulSoup(html, "html.parser").select(".mermaid"))
            if blocks:
                counts[path] = blocks
    return counts


@pytest.mark.browser
def test_every_diagram_on_every_page_is_drawn(page, built_site: Path, served_site: str) -> None:
    expected = _pages_with_diagrams(built_site)
    assert {"org/", *(f"procedures/{p['id']}/" for p in sitedata.procedures())} <= set(expected), expected
    problems = {}
    for path, blocks in expected.items():
        page.goto(served_site + path)
        try:
            page.wait_for_function(harness.DIAGRAMS_DRAWN, timeout=20_000)
        except PlaywrightTimeout:
            pass  # reported below, per diagram
        found = page.evaluate(DIAGRAM_PROBLEMS)
        wrong = [f"diagram {n + 1}: {problem}" for n, problem in enumerate(found) if problem]
        if len(found) != blocks or wrong:
            problems[path] = wrong or [f"{len(found)} diagrams in the browser, {blocks} in the HTML"]
    assert not problems, problems
