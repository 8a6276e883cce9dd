"""The repository setting (repo_url / edit_uri in mkdocs.yml, from HANDBOOK_REPO_URL / HANDBOOK_EDIT_URI), both ways,
in real `mkdocs build --strict` builds of the small base handbook:

- unset: no Git link in the header or the drawer and no 编辑此页 button anywhere (before, both pointed at the
  placeholder host git.intranet.invalid);
- set to a GitLab host: the link and every button point at that host, each page's button at the file an editor
  changes (a generated page's YAML under data/, a hand-written page under docs/), and the link is a plain one:
  Material's `source` component, which would ask the host's API for stars and forks from the browser, is not there.
"""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

ROOT = Path(__file__).resolve().parent.parent
BASE = ROOT / "tests" / "corpus" / "_base"
REPO = "https://gitlab.example.test/netdept/handbook"
PLACEHOLDER = "git.intranet.invalid"


def build(out: Path, **settings: str) -> Path:
    env = {k: v for k, v in os.environ.items() if k not in ("HANDBOOK_REPO_URL", "HANDBOOK_EDIT_URI")}
    env.update(settings, HANDBOOK_DATA=str(BASE), NO_MKDOCS_2_WARNING="1", DISABLE_MKDOCS_2_WARNING="true")
    result = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(out), "-f",
                             str(ROOT / "mkdocs.yml")], cwd=ROOT, env=env, capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stderr
    return out


@pytest.fixture(scope="module")
def unset(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build(tmp_path_factory.mktemp("unset"))


@pytest.fixture(scope="module")
def gitlab(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build(tmp_path_factory.mktemp("gitlab"), HANDBOOK_REPO_URL=REPO, HANDBOOK_EDIT_URI="-/edit/main/docs/")


def pages(site: Path) -> dict[str, BeautifulSoup]:
    return {p.relative_to(site).as_posix(): BeautifulSoup(p.read_text(encoding="utf-8"), "html.parser")
            for p in site.rglob("*.html") if p.name != "404.html"}


def repository_links(page: BeautifulSoup) -> list[str]:
    return [a.get("href") for a in page.select("a.md-source")]


def edit_buttons(page: BeautifulSoup) -> list[str]:
    return [a.get("href") for a in page.select("a[rel=edit]")]


def test_unset_shows_no_git_link_and_no_edit_button(unset: Path) -> None:
    found = pages(unset)
    assert "roles/staff/index.html" in found and "editing/index.html" in found
    for uri, page in found.items():
        assert repository_links(page) == [] and edit_buttons(page) == [], uri
        assert not page.select("[data-md-component=source]"), uri
        assert PLACEHOLDER not in str(page), uri


def test_set_points_every_link_and_button_at_the_host(gitlab: Path) -> None:
    found = pages(gitlab)
    content = {uri: page for uri, page in found.items() if page.select("article.md-content__inner")}
    assert len(content) >= 5
    for uri, page in found.items():
        assert repository_links(page) and set(repository_links(page)) == {REPO}, uri
    buttons = {uri: edit_buttons(page) for uri, page in content.items()}
    assert all(len(b) <= 1 and all(href.startswith(f"{REPO}/-/edit/main/") for href in b) for b in buttons.values())
    from_sources = [uri for uri in buttons if uri.startswith(("roles/", "procedures/", "checklists/", "editing/"))
                    and uri != "editing/schema/index.html"]  # the field reference is made from the schemas
    assert len(from_sources) >= 5 and all(buttons[uri] for uri in from_sources), buttons


def test_each_button_opens_the_file_an_editor_changes(gitlab: Path) -> None:
    found = pages(gitlab)
    assert edit_buttons(found["roles/staff/index.html"]) == [f"{REPO}/-/edit/main/data/roles/staff.yml"]
    assert edit_buttons(found["procedures/work/index.html"]) == [f"{REPO}/-/edit/main/data/procedures/work.yml"]
    assert edit_buttons(found["editing/index.html"]) == [f"{REPO}/-/edit/main/docs/editing/index.md"]


def test_the_link_asks_no_api_of_the_host(gitlab: Path) -> None:
    """Material fetches stars and forks for the element marked data-md-component="source" when the address is on
    github.com or a host whose name holds "gitlab"; the link is there, unmarked."""
    for uri, page in pages(gitlab).items():
        assert not page.select("[data-md-component=source]"), uri
    home = pages(gitlab)["index.html"]
    assert home.select_one("header a.md-source")["href"] == REPO
