"""A company-sized handbook in Chromium: its lists are shown by department, and on a phone no such page scrolls
sideways; the home page's table of departments takes a reader to that department's part of the list."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT
from generator import pipeline

from . import harness
from .test_layout import PHONE, SIDEWAYS

COMPANY_ROLES = 60
"""More than 30 roles (and onboarding guides), so those lists are shown by department; 30 procedures stay one list."""
LISTS = ("", "roles/", "onboarding/", "org/")


@pytest.fixture(scope="module")
def company(tmp_path_factory: pytest.TempPathFactory, serve_site) -> tuple[str, object]:
    """(base URL of the built company site, its handbook)."""
    data = tmp_path_factory.mktemp("company") / "data"
    subprocess.run([sys.executable, str(ROOT / "benchmarks" / "synth.py"), str(COMPANY_ROLES), str(data)],
                   check=True, capture_output=True, timeout=300)
    return serve_site(data), pipeline.check(data).handbook


@pytest.mark.browser
def test_lists_by_department_fit_a_phone(browser, company) -> None:
    base, handbook = company
    context = harness.new_context(browser)
    try:
        page = context.new_page()
        page.set_viewport_size(PHONE)
        wide = {}
        for path in LISTS:
            page.goto(base + path)
            harness.wait_for_diagrams(page)
            found = page.evaluate(SIDEWAYS)
            if found["scrollWidth"] > found["clientWidth"]:
                wide[path] = found
        page.goto(base + "roles/")
        headings = page.locator("article h2").all_inner_texts()
    finally:
        context.close()
    assert not wide, f"pages wider than the 390 px screen: {wide}"
    assert [h.rstrip("¶").strip() for h in headings] == list(handbook.listings["roles"].by_department)


@pytest.mark.browser
@pytest.mark.parametrize("width", [390, 1280])
def test_a_department_on_the_home_page_opens_its_part_of_the_roles_list(browser, company, width: int) -> None:
    base, handbook = company
    department, roles = list(handbook.listings["roles"].by_department.items())[2]
    context = harness.new_context(browser)
    try:
        page = context.new_page()
        page.set_viewport_size({**PHONE, "width": width} if width == 390 else {"width": width, "height": 900})
        page.goto(base)
        row = page.locator("article table tr", has_text=department)
        row.locator("a").first.click()
        page.wait_for_url("**/roles/#" + handbook.department_anchor(department, "dept"))
        heading = page.locator(f"#{handbook.department_anchor(department, 'dept')}")
        assert heading.inner_text().rstrip("¶").strip() == department
        top = heading.evaluate("e => e.getBoundingClientRect().top")
        assert 0 <= top < page.viewport_size["height"] / 2, top  # scrolled to the department, not the page top
        table = page.locator(f"#{handbook.department_anchor(department, 'dept')} + table, "
                             f"#{handbook.department_anchor(department, 'dept')} + div table").first
        assert table.locator("tbody tr").count() == len(roles)
        assert context.request_log.outside() == []
    finally:
        context.close()
