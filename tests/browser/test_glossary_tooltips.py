"""Glossary terms inside Chinese sentences show their meaning on hover; never in headings, links or code."""
from __future__ import annotations

import pytest

from . import sitedata
from conftest import DATA


def _meaning(term: str) -> str:
    glossary = sitedata.load(DATA / "glossary.yml")
    return next(t["meaning"] for t in glossary["terms"] if term in (t["term"], *t.get("aliases", [])))


@pytest.mark.browser
def test_term_inside_a_chinese_sentence_shows_its_meaning_on_hover(page, served_site: str) -> None:
    page.goto(served_site + "roles/cs/")
    # 旺旺 sits inside a duty written in Chinese, with Chinese characters right before and after it.
    term = page.locator("li abbr.hb-term", has_text="旺旺").first
    sentence = term.locator("xpath=ancestor::li[1]").inner_text()
    before, after = sentence.split("旺旺", 1)
    assert "\u4e00" <= before.strip()[-1] <= "\u9fff" and "\u4e00" <= after.strip()[0] <= "\u9fff", sentence
    meaning = _meaning("旺旺")
    assert term.get_attribute("title") == meaning or term.get_attribute("data-md-tooltip") == meaning \
        or meaning in (term.evaluate("e => e.title + (e.getAttribute('aria-label') || '')") or "")
    term.hover()
    tooltip = page.get_by_text(meaning, exact=True).filter(visible=True)
    tooltip.first.wait_for(state="visible", timeout=5_000)


@pytest.mark.browser
def test_no_tooltip_markup_in_headings_links_or_code(page, served_site: str) -> None:
    for path in ["", "regulation/", "roles/cs/", "procedures/express-exception/", "glossary/", "onboarding/cs/"]:
        page.goto(served_site + path)
        bad = page.locator(":is(h1, h2, h3, h4, h5, h6, a, code, pre, .mermaid) abbr.hb-term").count()
        assert bad == 0, path
        assert page.locator("article abbr.hb-term").count() > 0 or path == ""
