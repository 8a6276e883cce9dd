"""The navigation: short sections list their pages in data order; a section too long for every page's menu is
split by department, and department names from the data stay text (MkDocs prints nav titles unescaped)."""
from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from bs4 import BeautifulSoup

from conftest import DATA, ROOT, build_site
from generator import pipeline
from generator.stages.render import escape_text
from pagecheck import check_site

HOSTILE = '</a><script>window.__pwned=1</script> & *x* "q": [y]'
LISTED = {"岗位": "roles", "流程": "procedures", "清单": "checklists", "入职": "onboarding"}


def _section(nav: list, title: str) -> list:
    return next(entry[title] for entry in nav if isinstance(entry, dict) and title in entry)


def _flatten(entries: list) -> list[str]:
    pages = []
    for entry in entries:
        if isinstance(entry, str):
            pages.append(entry)
        else:
            for value in entry.values():
                pages += _flatten(value) if isinstance(value, list) else [value]
    return pages


@pytest.fixture(scope="module")
def company(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A synthetic handbook of 60 roles in 6 departments, one role moved to a department with a hostile name."""
    data = tmp_path_factory.mktemp("nav") / "data"
    subprocess.run([sys.executable, str(ROOT / "benchmarks" / "synth.py"), "60", str(data)], check=True,
                   capture_output=True, timeout=120)
    role = data / "roles" / "r0060.yml"
    text = role.read_text(encoding="utf-8")
    role.write_text(re.sub(r"(?m)^department: .*$", "department: '" + HOSTILE.replace("'", "''") + "'", text),
                    encoding="utf-8")
    return data


def test_a_short_section_lists_its_pages_in_data_order() -> None:
    site = pipeline.render(DATA).site
    assert site is not None
    roles = _section(site.nav, "岗位")
    assert all(isinstance(entry, str) for entry in roles)
    assert roles == ["roles/index.md", *site_pages(site, "roles")]


def site_pages(site, folder: str) -> list[str]:
    return [p.uri for p in site.pages if p.uri.startswith(folder + "/") and not p.uri.endswith("index.md")]


def test_a_long_section_is_split_by_department_with_every_page_once(company: Path) -> None:
    result = pipeline.render(company)
    assert result.site is not None, result.problems
    handbook = pipeline.check(company).handbook
    departments = [escape_text(name) for name in dict.fromkeys(role.department for role in handbook.roles)]
    grouped = []
    for title, folder in LISTED.items():
        section = _section(result.site.nav, title)
        assert section[0] == f"{folder}/index.md"
        if len(site_pages(result.site, folder)) <= 30:  # procedures (30) and checklists (15) stay flat
            assert section[1:] == site_pages(result.site, folder)
            continue
        grouped.append(title)
        groups = section[1:]
        assert all(isinstance(group, dict) and len(group) == 1 for group in groups), (title, groups[:2])
        assert sorted(_flatten(groups)) == sorted(site_pages(result.site, folder)), title
        names = [next(iter(group)) for group in groups]
        assert len(names) > 1 and names == [name for name in departments if name in names], (title, names)
    assert grouped == ["岗位", "入职"]
    roles = {name: pages for group in _section(result.site.nav, "岗位")[1:] for name, pages in group.items()}
    assert roles[escape_text(HOSTILE)] == ["roles/r0060.md"]
    assert not set("<>\"") & set(escape_text(HOSTILE))


@pytest.fixture(scope="module")
def company_site(company: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The synthetic company built by the real `mkdocs build --strict` (which also refuses a link to a missing
    anchor, such as a department heading the home page points to)."""
    site = tmp_path_factory.mktemp("company-site")
    build_site(site, company)
    return site


def test_the_built_menu_shows_the_department_and_its_roles_as_text(company_site: Path) -> None:
    html = (company_site / "roles" / "r0060" / "index.html").read_text(encoding="utf-8")
    assert "<script>window" not in html
    menu = html.split("md-nav--primary", 1)[1].split("md-content", 1)[0]
    assert "&#60;/a&#62;&#60;script&#62;window.&#95;&#95;pwned" in menu  # shown as </a><script>window.__pwned
    # Only the open department lists its roles (navigation.prune): department 1 is one link to its first role.
    assert menu.count('href="../r0001/"') == 1 and "r0002/" not in html and "r0003/" not in html


def test_pages_that_list_the_whole_company_show_it_by_department_as_a_reader_expects(company: Path,
                                                                                 company_site: Path) -> None:
    """The list pages of the roles and onboarding (60 each) show one heading per department, each over one list of
    that department's records; procedures (30) stay one list; the home page is a table of departments, not 60
    cards. And every other structural check of every page holds on this company too."""
    handbook = pipeline.check(company).handbook
    assert [folder for folder, listing in handbook.listings.items() if listing.grouped] == ["roles", "onboarding"]
    # The home page's <title> is mkdocs.yml's site_name, which names the real department, not the synthetic one.
    problems = [p for p in check_site(company_site, handbook) if not p.startswith("index.html: [title]")]
    if problems:
        pytest.fail(f"{len(problems)} problems on the company's site:\n" + "\n".join(problems), pytrace=False)
    roles = BeautifulSoup((company_site / "roles" / "index.html").read_text(encoding="utf-8"), "html.parser")
    headings = [h.get_text(strip=True).rstrip("¶") for h in roles.article.find_all("h2")]
    assert headings == list(handbook.listings["roles"].by_department)
    assert len(roles.article.find_all("table")) == len(headings)
    home = BeautifulSoup((company_site / "index.html").read_text(encoding="utf-8"), "html.parser")
    assert not home.select(".grid.cards li") or len(home.select(".grid.cards li")) < 10  # 从这里开始 only
