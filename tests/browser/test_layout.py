"""On a phone (390 px wide) no page of the site scrolls sideways: wide tables and diagrams scroll inside their own
box, the page itself does not."""
from __future__ import annotations

from pathlib import Path

import pytest

from . import harness
from .pagekinds import MISSING_PAGE

PHONE = {"width": 390, "height": 844}

# The page's overflow, and the outermost elements that stick out past the right edge while no ancestor of theirs
# scrolls or clips sideways: the culprits to name in a failure.
SIDEWAYS = """() => {
  const root = document.scrollingElement, limit = root.clientWidth;
  const contained = e => { for (let a = e.parentElement; a && a !== document.body; a = a.parentElement) {
    if (['auto', 'scroll', 'hidden', 'clip'].includes(getComputedStyle(a).overflowX)) return true; } return false; };
  const culprits = [...document.body.querySelectorAll('*')].filter(e => {
    const box = e.getBoundingClientRect();
    return box.width && box.right > limit + 1 && !contained(e) && !(e.parentElement && e.parentElement
      .getBoundingClientRect().right > limit + 1 && !contained(e.parentElement));
  }).slice(0, 5).map(e => `${e.tagName.toLowerCase()}.${[...e.classList].join('.')} right=${
    Math.round(e.getBoundingClientRect().right)} "${(e.textContent || '').trim().slice(0, 40)}"`);
  return { scrollWidth: root.scrollWidth, clientWidth: limit, culprits };
}"""


@pytest.mark.browser
def test_no_page_scrolls_sideways_on_a_phone(browser, built_site: Path, served_site: str,
                                             mounted_site: str) -> None:
    urls = [served_site + path for path in harness.page_paths(built_site)] + [mounted_site + MISSING_PAGE]
    assert len(urls) > 30, urls
    context = harness.new_context(browser)
    try:
        page = context.new_page()
        page.set_viewport_size(PHONE)
        wide = {}
        for url in urls:
            page.goto(url)
            harness.wait_for_diagrams(page)
            found = page.evaluate(SIDEWAYS)
            if found["scrollWidth"] > found["clientWidth"]:
                wide[url] = found
    finally:
        context.close()
    assert not wide, "pages wider than the 390 px screen:\n" + "\n".join(f"{u}: {w}" for u, w in wide.items())


# For each block that holds a permalink (¶, hidden until hovered): its height with the mark and without it. A
# mark that wraps onto a line of its own makes the block one line taller.
PERMALINK_LINES = """() => [...document.querySelectorAll('article .hb-permalink')].map(mark => {
  const block = mark.closest('li, p, td, dd') || mark.parentElement;
  const tall = block.getBoundingClientRect().height;
  mark.style.display = 'none';
  const short = block.getBoundingClientRect().height;
  mark.style.display = '';
  return { extra: tall - short, text: block.textContent.trim().slice(0, 30) };
}).filter(found => found.extra > 1)"""


@pytest.mark.browser
@pytest.mark.parametrize("width", [390, 800, 1280])
def test_a_permalink_never_takes_a_line_of_its_own(browser, served_site: str, width: int) -> None:
    context = harness.new_context(browser)
    try:
        page = context.new_page()
        page.set_viewport_size({"width": width, "height": 900})
        lone = {}
        for path in ("regulation/", "roles/cs/", "roles/manager/", "procedures/return-refund/", "glossary/"):
            page.goto(served_site + path)
            found = page.evaluate(PERMALINK_LINES)
            if found:
                lone[path] = found[:5]
    finally:
        context.close()
    assert not lone, f"at {width} px, ¶ marks that wrap onto a line of their own: {lone}"
