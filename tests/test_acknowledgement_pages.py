"""The acknowledgement pages of the real built site as a reader sees them (pagecheck.check_acknowledgements), and each
deliberate break of them reported, so that none of those checks can pass vacuously. The breaks pick their people and
versions from the data, whatever roster data/people.yml holds."""
from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from conftest import DATA
from generator import pipeline
from pagecheck import Page, check_acknowledgements, load_pages

Edit = Callable[[dict[str, Page]], None]


@pytest.fixture(scope="module")
def handbook():
    checked = pipeline.check(DATA)
    assert checked.ok, checked.problems
    assert checked.handbook.roster.source is not None, "data/people.yml is needed for these pages"
    return checked.handbook


@pytest.fixture()
def pages(site_dir: Path) -> dict[str, Page]:
    return load_pages(site_dir)


def test_the_built_site_shows_every_person_and_sheet(pages: dict[str, Page], handbook) -> None:
    assert check_acknowledgements(pages, handbook, date.today()) == []
    sheets = [path for path in pages if path.endswith("/signoff/index.html")]
    assert len(sheets) == sum(len(e.releases) for e in handbook.register.documents) > 0


def _drop_row(path: str, staff_no: str) -> Edit:
    def edit(pages: dict[str, Page]) -> None:
        cell = pages[path].root.find("td", string=staff_no)
        assert cell is not None, (path, staff_no)
        cell.find_parent("tr").decompose()
    return edit


def _merge_rows(path: str) -> Edit:
    """The rows of the first table under 签收情况 written as one paragraph, as a table that failed to parse."""
    def edit(pages: dict[str, Page]) -> None:
        table = pages[path].root.find(id="acknowledgements").find_next("table")
        table.replace_with(BeautifulSoup(f"<p>{table.get_text(' ')}</p>", "html.parser").p)
    return edit


def _rename_header(path: str) -> Edit:
    def edit(pages: dict[str, Page]) -> None:
        pages[path].root.find("th", string="签字").string = "备注"
    return edit


def _breaks(handbook) -> dict[str, tuple[Edit, str, str]]:
    people = handbook.roster.active(date.today())
    holder = people[-1]
    role_page = f"roles/{holder.role}/index.html"
    first = next(p for p in people if p.role == holder.role)
    entry = next(e for e in handbook.register.documents if e.releases)
    sheet = f"editions/{entry.doc_no}/{entry.releases[-1].version}/signoff/index.html"
    return {
        "a holder missing from the role's table": (_drop_row(role_page, holder.staff_no), role_page,
                                                   f"{holder.staff_no} is not there"),
        "the role's table as a paragraph": (_merge_rows(role_page), role_page,
                                            f"{first.staff_no} is in <p>, not a list item"),
        "a person missing from 按人员": (_drop_row("acknowledgements/index.html", holder.staff_no),
                                        "acknowledgements/index.html", f"{holder.staff_no} is not there"),
        "a version without its 签收单": (lambda pages: pages.pop(sheet), sheet, "has no 签收单"),
        "a 签收单 without 签字": (_rename_header(sheet), sheet, "expected one table headed"),
    }


BREAKS = ["a holder missing from the role's table", "the role's table as a paragraph", "a person missing from 按人员",
          "a version without its 签收单", "a 签收单 without 签字"]


@pytest.mark.parametrize("name", BREAKS)
def test_each_break_is_reported(pages: dict[str, Page], handbook, name: str) -> None:
    edit, path, says = _breaks(handbook)[name]
    edit(pages)
    problems = check_acknowledgements(pages, handbook, date.today())
    assert any(p.page == path and says in p.message for p in problems), "\n".join(map(str, problems))
