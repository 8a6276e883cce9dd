"""Diagrams as a reader sees them in Chromium: the org chart (Mermaid, drawn in the browser) and one swimlane
diagram per procedure (SVG drawn at build time): lanes, diamonds for decisions, terminals for ends, labels whole
and legible on a 390 px phone."""
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


# -- procedures: what the data says the diagram must show ------------------------------------------------------
def _falls_off_the_end(procedure: dict) -> bool:
    """Whether the last step leads on to the default end (an action without next or back_to)."""
    last = procedure["steps"][-1]
    return "question" not in last and "next" not in last and "back_to" not in last


def expected_shapes(procedure: dict) -> dict[str, object]:
    """Lanes, decisions and ends as the YAML states them (read here, not through the generator)."""
    titles = sitedata.roles()
    ends = [end["title"] for end in procedure.get("ends", [])]
    named = {end["id"] for end in procedure.get("ends", [])}
    targets = {b.get("to") for s in procedure["steps"] for b in s.get("branches", [])} | {
        s.get("next") for s in procedure["steps"]}
    if (_falls_off_the_end(procedure) or "done" in targets) and "done" not in named:
        ends.append("完成")
    return {
        "lanes": list(dict.fromkeys(titles[step["actor"]] for step in procedure["steps"])),
        "decisions": sorted(f"{n}.{s['question']}".replace(" ", "") for n, s in enumerate(procedure["steps"], 1)
                            if "question" in s),
        "ends": sorted(ends),
        "labels": sorted(b["when"] for s in procedure["steps"] for b in s.get("branches", [])),
    }


# Per procedure diagram: its lanes (title, box), nodes (kind, shape, text, box, whether the text fits in the shape),
# branch labels and the smallest text on screen.
DRAWN = """() => {
  const svg = document.querySelector('.hb-flow svg');
  if (!svg) return null;
  const box = e => { const r = e.getBoundingClientRect(); return [r.left, r.top, r.right, r.bottom]; };
  const inside = (a, b) => a[0] >= b[0] - 1 && a[1] >= b[1] - 1 && a[2] <= b[2] + 1 && a[3] <= b[3] + 1;
  const nodes = [...svg.querySelectorAll('.hb-node')].map(g => {
    const shape = g.querySelector('polygon, rect');
    return {kind: [...g.classList].find(c => c !== 'hb-node'), shape: shape.tagName,
            rounded: shape.tagName === 'rect' ? Number(shape.getAttribute('rx')) : 0,
            text: [...g.querySelectorAll('tspan')].map(t => t.textContent).join(''),
            fits: [...g.querySelectorAll('tspan')].every(t => inside(box(t), box(shape))), box: box(shape)};
  });
  const lanes = [...svg.querySelectorAll('.hb-lane')].map(g => ({title: g.querySelector('text').textContent,
                                                                 box: box(g.querySelector('rect'))}));
  const scale = svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;
  const texts = [...svg.querySelectorAll('text')].map(t => parseFloat(getComputedStyle(t).fontSize) * scale);
  return {nodes, lanes, labels: [...svg.querySelectorAll('.hb-branch')].map(t => t.textContent),
          smallest: Math.min(...texts), ellipsis: svg.textContent.includes('…')};
}"""


def _drawn(page, url: str) -> dict:
    page.goto(url)
    drawn = page.evaluate(DRAWN)
    assert drawn is not None, f"{url}: no diagram"
    return drawn


@pytest.mark.browser
def test_every_procedure_draws_its_decisions_and_ends_as_the_data_says(page, served_site: str) -> None:
    problems = {}
    for procedure in sitedata.procedures():
        drawn = _drawn(page, served_site + f"procedures/{procedure['id']}/")
        wanted = expected_shapes(procedure)
        nodes = drawn["nodes"]
        found = {
            "lanes": [lane["title"] for lane in drawn["lanes"]],
            "decisions": sorted(n["text"].replace(" ", "") for n in nodes
                                if n["kind"] == "hb-decision" and n["shape"] == "polygon"),
            "ends": sorted(n["text"] for n in nodes if n["kind"] == "hb-end" and n["rounded"] * 2 >=
                           n["box"][3] - n["box"][1] - 1),
            "labels": sorted(drawn["labels"]),
        }
        wrong = {key: (found[key], value) for key, value in wanted.items() if found[key] != value}
        if wrong:
            problems[procedure["id"]] = wrong
    assert not problems, problems


@pytest.mark.browser
def test_lanes_are_aligned_columns_labelled_once_and_every_label_is_whole(page, served_site: str) -> None:
    problems = {}
    for procedure in sitedata.procedures():
        drawn = _drawn(page, served_site + f"procedures/{procedure['id']}/")
        lanes = [lane["box"] for lane in drawn["lanes"]]
        titles = [lane["title"] for lane in drawn["lanes"]]
        aligned = all(a[1] == b[1] and a[3] == b[3] and abs(a[2] - b[0]) < 1.5 for a, b in zip(lanes, lanes[1:]))
        steps = [n for n in drawn["nodes"] if n["kind"] != "hb-end"]
        texts = [f"{n}. {s.get('action') or s['question']}" for n, s in enumerate(procedure["steps"], 1)]
        issues = [issue for issue, bad in [
            ("lanes not aligned", not aligned), ("a lane titled twice", len(titles) != len(set(titles))),
            ("a label cut", drawn["ellipsis"] or [n["text"].replace(" ", "") for n in steps]
             != [t.replace(" ", "") for t in texts]),
            ("text outside its shape", not all(n["fits"] for n in drawn["nodes"]))] if bad]
        if issues:
            problems[procedure["id"]] = issues
    assert not problems, problems


@pytest.mark.browser
def test_on_a_phone_the_diagram_scrolls_by_itself_at_a_readable_size(page, served_site: str) -> None:
    page.set_viewport_size({"width": 390, "height": 844})
    problems = {}
    for procedure in sitedata.procedures():
        drawn = _drawn(page, served_site + f"procedures/{procedure['id']}/")
        layout = page.evaluate("""() => { const s = document.querySelector('.hb-flow-scroll');
          return {page: document.documentElement.scrollWidth, inner: s.scrollWidth, outer: s.clientWidth,
                  focusable: s.tabIndex === 0, named: !!s.getAttribute('aria-label')}; }""")
        if drawn["smallest"] < 12 or layout["page"] > 390 or not (layout["focusable"] and layout["named"]):
            problems[procedure["id"]] = (drawn["smallest"], layout)
    assert not problems, problems


# -- every diagram of the site is drawn ------------------------------------------------------------------------
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
    assert "org/" in expected, expected
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
