"""Mermaid diagrams drawn from the data: the org chart and one flowchart per procedure, rendered to SVG."""
from __future__ import annotations

import pytest

from . import sitedata

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
