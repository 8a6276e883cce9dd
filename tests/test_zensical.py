"""The second builder: the handbook built by Zensical from the prepared tree (generator/adapter/zensical.py), with
no MkDocs hook, held to the same structural page checks as the MkDocs site, with the same redirects, Mermaid from
the site itself, and no request outside its host.

Two real `zensical build`s: of the real data (the checks a reader's view), and of a copy with a few records renamed
(former_ids), for the redirects (its redirect stubs are not pages, so the page checker does not read that site).
"""
from __future__ import annotations

import html
import json
import re
import shutil
import subprocess
import sys
from pathlib import Path
from urllib.parse import urljoin

import pytest
from bs4 import BeautifulSoup

from generator import pipeline
from generator.adapter import zensical
from pagecheck import check_list_pages, check_site, html_path, load_pages
from test_redirects import renamed_handbook

ROOT = Path(__file__).resolve().parent.parent
HOSTILE_TITLE = '仓库</a><script>window.__pwned=1</script>'
PAGE_KINDS = {"home": "", "regulation": "regulation/", "role": "roles/cs/",
              "procedure": "procedures/express-exception/", "checklist": "checklists/new-hire-pc-checklist/",
              "onboarding": "onboarding/cs/", "org chart": "org/", "glossary": "glossary/",
              "editing guide": "editing/"}


def build(data: Path, out: Path) -> tuple[zensical.Project, str]:
    """The prepared project of data, built by `zensical build --strict`; (project, zensical's output)."""
    project = zensical.prepare(data, ROOT, out)
    result = subprocess.run([sys.executable, "-m", "zensical", "build", "--strict", "-f", str(project.config)],
                            cwd=project.config.parent, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, f"zensical build failed:\n{result.stdout}\n{result.stderr}"
    return project, result.stdout + result.stderr


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory):
    """(project, handbook, zensical's output) of the real data."""
    checked = pipeline.check(ROOT / "data")
    assert checked.handbook is not None, checked.problems
    project, log = build(ROOT / "data", tmp_path_factory.mktemp("zensical") / "project")
    return project, checked.handbook, log


@pytest.fixture(scope="module")
def renamed(tmp_path_factory: pytest.TempPathFactory) -> zensical.Project:
    work = tmp_path_factory.mktemp("zensical-renamed")
    renamed_handbook(work)
    return build(work / "data", work / "project")[0]


def test_every_page_shows_the_data_as_a_reader_expects(built) -> None:
    project, handbook, _ = built
    problems = check_site(project.site, handbook)
    if problems:
        pytest.fail(f"{len(problems)} problems on the Zensical site:\n" + "\n".join(problems), pytrace=False)


def test_no_page_is_left_out(built) -> None:
    """Every Markdown page of the prepared tree, generated or hand-written, is a page of the site (Zensical
    refuses a page whose indexed text is over its size limit; that would show here and in its log)."""
    project, _, log = built
    sources = [p.relative_to(project.docs).as_posix() for p in project.docs.rglob("*.md")]
    assert len(sources) > project.pages >= 70
    missing = [uri for uri in sources if not (project.site / html_path(uri)).is_file()]
    assert missing == [], missing
    assert "error" not in log.lower(), log


def test_renamed_records_redirect_to_their_new_pages(renamed: zensical.Project) -> None:
    project = renamed
    assert project.redirects == 4
    moves = {"roles/art-designer/": "roles/designer/", "onboarding/art-designer/": "onboarding/designer/",
             "procedures/computer-setup/": "procedures/pc-setup/", "procedures/pc-setup-old/": "procedures/pc-setup/"}
    for old, new in moves.items():
        stub = (project.site / old / "index.html").read_text(encoding="utf-8")
        target = BeautifulSoup(stub, "html.parser").find("meta", attrs={"http-equiv": "refresh"})["content"]
        assert urljoin("/" + old, target.split("url=", 1)[1]) == "/" + new, (old, target)


def test_pages_with_a_diagram_load_the_sites_own_mermaid(built) -> None:
    project, _, _ = built
    script = project.site / zensical.MERMAID
    assert script.stat().st_size > 1_000_000
    with_diagram = []
    for path, page in load_pages(project.site).items():
        sources = [urljoin("/" + path, s["src"]) for s in page.soup.find_all("script", src=True)]
        has_diagram = page.soup.select_one(".mermaid") is not None
        assert ("/" + zensical.MERMAID in sources) == has_diagram, path
        with_diagram += [path] * has_diagram
    assert "org/index.html" in with_diagram  # 组织架构 always has its diagram; procedures may too


def test_the_config_is_mkdocs_yml_without_what_zensical_cannot_run(renamed: zensical.Project) -> None:
    project = renamed
    config = zensical.read_config(project.config)
    original = zensical.read_config(ROOT / "mkdocs.yml")
    assert not {"hooks", "watch"} & config.keys()
    assert [next(iter(p)) for p in config["plugins"]] == ["search", "redirects"]
    assert config["plugins"][1]["redirects"]["redirect_maps"]["roles/art-designer.md"] == "roles/designer.md"
    assert zensical.dump_config(config["markdown_extensions"]) == zensical.dump_config(original["markdown_extensions"])
    assert config["theme"]["features"] == original["theme"]["features"]
    assert config["nav"][0] == {"首页": "index.md"}


def test_a_folder_it_did_not_write_is_never_replaced(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("mine", encoding="utf-8")
    with pytest.raises(zensical.PrepareError):
        zensical.prepare(ROOT / "data", ROOT, tmp_path)
    assert (tmp_path / "notes.txt").read_text(encoding="utf-8") == "mine"


@pytest.mark.parametrize(("uri", "address"), [
    ("index.md", "assets/vendor/mermaid.min.js"),
    ("org.md", "assets/vendor/mermaid.min.js"),
    ("procedures/index.md", "../assets/vendor/mermaid.min.js"),
    ("procedures/pc-setup.md", "../assets/vendor/mermaid.min.js"),
])
def test_the_script_address_is_relative_to_the_pages_markdown_file(uri: str, address: str) -> None:
    assert zensical.mermaid_address(uri) == address


COMPANY_ROLES = 400
"""Above Zensical's search-index limit before the whole-company lists were split by department: it refused the
1,115-page site because the home page's 岗位 section held every role (89,823 bytes; at most 65,536 for that many
items)."""


@pytest.fixture(scope="module")
def company(tmp_path_factory: pytest.TempPathFactory):
    """(project, handbook, zensical's output) of a synthetic company of COMPANY_ROLES roles."""
    work = tmp_path_factory.mktemp("zensical-company")
    subprocess.run([sys.executable, str(ROOT / "benchmarks" / "synth.py"), str(COMPANY_ROLES), str(work / "data")],
                   check=True, capture_output=True, timeout=300)
    checked = pipeline.check(work / "data")
    assert checked.handbook is not None, checked.problems
    project, log = build(work / "data", work / "project")
    return project, checked.handbook, log


def test_a_company_sized_handbook_builds_with_every_page_and_lists_it_by_department(company) -> None:
    project, handbook, log = company
    sources = [p.relative_to(project.docs).as_posix() for p in project.docs.rglob("*.md")]
    assert len(sources) > 1_100
    missing = [uri for uri in sources if not (project.site / html_path(uri)).is_file()]
    assert missing == [], missing[:10]
    assert "error" not in log.lower(), log
    assert all(listing.grouped for listing in handbook.listings.values())
    listed = ["index.html", *(f"{folder}/index.html" for folder in handbook.listings)]
    pages = load_pages(project.site, listed)
    problems = [str(p) for p in check_list_pages(pages, handbook)]
    assert problems == [], "\n".join(problems[:20])


def _search_titles(project: zensical.Project) -> list[str]:
    index = json.loads((project.site / "search.json").read_text(encoding="utf-8"))
    return [text for item in index["items"] for text in (item["title"], *item["path"])]


def test_search_results_show_titles_as_text(built) -> None:
    """Zensical puts menu titles into its search results as text: 仓库(发货), not 仓库&#40;发货&#41;."""
    project, _, _ = built
    titles = _search_titles(project)
    assert "仓库(发货)" in titles
    assert [t for t in titles if re.search(r"&(#\d+|[a-z]+);", t)] == []


def test_a_title_from_the_data_stays_text_in_the_menu_and_in_search(tmp_path: Path) -> None:
    data = tmp_path / "data"
    shutil.copytree(ROOT / "data", data)
    role = data / "roles" / "warehouse.yml"
    role.write_text(role.read_text(encoding="utf-8").replace("title: 仓库(发货)", f"title: '{HOSTILE_TITLE}'", 1),
                    encoding="utf-8")
    project, _ = build(data, tmp_path / "project")
    pages = [path.read_text(encoding="utf-8") for path in project.site.rglob("*.html")]
    assert not any("<script>window.__pwned" in page for page in pages)  # Zensical prints menu titles as HTML
    own = (project.site / "roles" / "warehouse" / "index.html").read_text(encoding="utf-8")
    menu = BeautifulSoup(own, "html.parser").select(".md-nav__link")
    assert HOSTILE_TITLE in [link.get_text(strip=True) for link in menu]  # and the reader sees the text
    # Its search shows the title escaped (Zensical puts the same HTML there as text): never as markup.
    assert html.escape(HOSTILE_TITLE) in _search_titles(project) and HOSTILE_TITLE not in _search_titles(project)
