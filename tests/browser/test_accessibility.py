"""Accessibility: axe-core finds no serious or critical violation on any kind of page; keyboard focus is visible on
checklist boxes and glossary terms; every page says it is written in Simplified Chinese (zh-CN)."""
from __future__ import annotations

from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from conftest import ROOT

from . import harness
from .pagekinds import MISSING_PAGE, PAGE_KINDS

AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
BLOCKING = {"serious", "critical"}

RUN_AXE = """async () => (await axe.run(document, { resultTypes: ['violations'] })).violations.map(v => ({
  id: v.id, impact: v.impact, help: v.help,
  nodes: v.nodes.map(n => n.target.join(' ') + (n.failureSummary ? ' :: ' + n.failureSummary.replace(/\\s+/g, ' ')
    .slice(0, 200) : ''))
}))"""


@pytest.fixture(scope="module")
def shared_page(browser):
    """One page for the axe runs of every kind: a fresh context per kind costs more than axe itself."""
    context = harness.new_context(browser)
    yield context.new_page()
    context.close()


def _axe_violations(page) -> list[dict]:
    if not AXE.is_file():
        pytest.fail(f"{AXE} is missing: run `make test` (npm ci installs axe-core)", pytrace=False)
    page.add_script_tag(path=str(AXE))
    return page.evaluate(RUN_AXE)


def _describe(violations: list[dict]) -> str:
    return "\n".join(f"{v['id']} ({v['impact']}): {v['help']}\n    " + "\n    ".join(v["nodes"][:8])
                     + (f"\n    … {len(v['nodes']) - 8} more" if len(v["nodes"]) > 8 else "") for v in violations)


@pytest.mark.browser
@pytest.mark.parametrize("kind", PAGE_KINDS)
def test_axe_finds_no_serious_violation(shared_page, served_site: str, mounted_site: str, kind: str) -> None:
    page, path = shared_page, PAGE_KINDS[kind].path
    # The 404 page as a reader meets it: a missing address below the site served from a sub-folder.
    page.goto(mounted_site + MISSING_PAGE if path is None else served_site + path)
    harness.wait_for_diagrams(page)
    violations = _axe_violations(page)
    blocking = [v for v in violations if v["impact"] in BLOCKING]
    others = [f"{v['id']} ({v['impact']})" for v in violations if v["impact"] not in BLOCKING]
    print(f"{kind}: other violations: {others or 'none'}")
    assert not blocking, f"axe on {kind} ({page.url}):\n{_describe(blocking)}"


def _focus_just_before(page, selector: str) -> None:
    """Focus the last focusable element that comes before the first `selector` in document order, so that one
    Tab press moves the keyboard focus onto it, as a reader tabbing through the page would."""
    page.evaluate("""selector => {
      const target = document.querySelector(selector);
      const focusable = [...document.querySelectorAll('a[href], button, input, select, textarea, [tabindex]')]
        .filter(e => e.tabIndex >= 0 && !e.disabled && e.getClientRects().length &&
                     (e.compareDocumentPosition(target) & Node.DOCUMENT_POSITION_FOLLOWING));
      focusable[focusable.length - 1].focus();
    }""", selector)


def _region_around(page, locator, margin: int = 8) -> dict:
    box = locator.bounding_box()
    return {"x": max(box["x"] - margin, 0), "y": max(box["y"] - margin, 0),
            "width": box["width"] + 2 * margin, "height": box["height"] + 2 * margin}


@pytest.mark.browser
def test_keyboard_focus_on_a_checklist_box_is_visible(page, served_site: str) -> None:
    page.goto(served_site + "checklists/new-hire-pc-checklist/")
    box = page.locator("input.hb-check").first
    box.scroll_into_view_if_needed()
    region = _region_around(page, box)
    page.mouse.move(0, 0)
    unfocused = page.screenshot(clip=region)
    _focus_just_before(page, "input.hb-check")
    page.keyboard.press("Tab")
    assert box.evaluate("e => e === document.activeElement"), "Tab did not reach the first checklist box"
    focused = page.screenshot(clip=region)
    assert focused != unfocused, "a checklist box looks the same with and without the keyboard focus"


@pytest.mark.browser
def test_glossary_term_is_reached_with_tab_shows_focus_and_meaning(page, served_site: str) -> None:
    page.goto(served_site + "roles/cs/")
    term = page.locator("article abbr.hb-term").first
    term.scroll_into_view_if_needed()
    _focus_just_before(page, "article abbr.hb-term")
    page.keyboard.press("Tab")
    assert term.evaluate("e => e === document.activeElement"), \
        "Tab skips the glossary terms in running text (abbr.hb-term needs tabindex=\"0\")"
    assert term.evaluate("e => getComputedStyle(e).outlineStyle") not in ("none", "")
    tooltip = page.locator(".md-tooltip2--active")
    tooltip.wait_for(state="visible", timeout=5_000)
    assert tooltip.inner_text().strip(), "the focused term shows no meaning"


def test_every_page_is_marked_as_simplified_chinese(built_site: Path) -> None:
    pages = [built_site / path / "index.html" for path in harness.page_paths(built_site)]
    pages.append(built_site / "404.html")
    langs = {}
    for html in pages:
        tag = BeautifulSoup(html.read_text(encoding="utf-8"), "html.parser").find("html")
        langs.setdefault(tag.get("lang"), []).append(html.relative_to(built_site).as_posix())
    assert set(langs) == {"zh-CN"}, {lang: files[:3] for lang, files in langs.items()}
