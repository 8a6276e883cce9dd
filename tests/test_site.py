"""The real site, built by `mkdocs build --strict` from data/, checked in its HTML."""
from __future__ import annotations

import hashlib
import json
import os
import posixpath
import re
import subprocess
import sys
from html import unescape
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

from conftest import DATA, ROOT
from generator import pipeline
from generator.stages.model import DRAFT, Handbook


class _Page(HTMLParser):
    """Collects the ids, links and list positions of a built page, and the HTML of each list item by anchor."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.ids: set[str] = set()
        self.links: list[str] = []
        self.position: dict[str, int] = {}
        """For an anchor inside a list item: the item's 1-based position in its list."""
        self._lists: list[int] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag in {"ol", "ul"}:
            self._lists.append(0)
        elif tag == "li" and self._lists:
            self._lists[-1] += 1
        if values.get("id"):
            self.ids.add(values["id"])
            if self._lists:
                self.position.setdefault(values["id"], self._lists[-1])
        if tag == "a" and values.get("href"):
            self.links.append(values["href"])

    def handle_endtag(self, tag: str) -> None:
        if tag in {"ol", "ul"} and self._lists:
            self._lists.pop()


@pytest.fixture(scope="module")
def handbook() -> Handbook:
    checked = pipeline.check(DATA)
    assert checked.ok, checked.problems
    return checked.handbook


def _html(site_dir: Path, page: str) -> str:
    return (site_dir / page.removesuffix(".md").removesuffix("index") / "index.html").read_text(encoding="utf-8")


def _parse(html: str) -> _Page:
    page = _Page()
    page.feed(html)
    return page


def _item_html(html: str, ident: str) -> str:
    """The HTML of the list item that holds anchor `ident`, up to the next item's anchor."""
    start = html.index(f'id="{ident}"')
    end = html.find('class="hb-anchor"', start + 1)
    return html[start:end if end != -1 else None]


def _text(html: str) -> str:
    return unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", html)))


def test_every_role_page_lists_its_duties_verbatim_in_order_with_their_numbers(site_dir: Path, handbook: Handbook
                                                                                 ) -> None:
    counts = {}
    for role in handbook.roles:
        html = _html(site_dir, f"roles/{role.id}.md")
        page = _parse(html)
        text = _text(html)
        positions = [html.index(f'id="{duty.id}"') for duty in role.duties]
        assert positions == sorted(positions), role.id
        for group in role.groups:
            for number, duty in enumerate(group.duties, start=1):
                assert page.position[duty.id] == number, (role.id, duty.id)
                assert duty.text in text, (role.id, duty.id)
                for child in duty.items:
                    assert child.text in text, (role.id, child.id)
        counts[role.id] = len(role.duties)
    assert counts["manager"] == 13 and counts["designer"] == 16 and counts["developer"] == 9


def test_draft_badges_sit_exactly_on_draft_duties(site_dir: Path, handbook: Handbook) -> None:
    for role in handbook.roles:
        html = _html(site_dir, f"roles/{role.id}.md")
        for duty in role.duties:
            badge = "hb-draft-badge" in _item_html(html, duty.id)
            assert badge == (duty.status == DRAFT), (role.id, duty.id)


def test_draft_pages_carry_a_notice_with_their_basis(site_dir: Path, handbook: Handbook) -> None:
    records = [(f"procedures/{p.id}.md", p) for p in handbook.procedures]
    records += [(f"checklists/{c.id}.md", c) for c in handbook.checklists]
    records += [(f"onboarding/{o.role}.md", o) for o in handbook.onboardings]
    for page, record in records:
        html = _html(site_dir, page)
        notice = re.search(r'<div class="admonition draft">(.*?)</div>', html, re.S)
        assert (notice is not None) == (record.status == DRAFT), page
        if notice:
            for ident in record.basis:
                assert f"#{ident}\"" in notice.group(1) or f"/{ident}/\"" in notice.group(1), (page, ident)


def test_seed_text_on_the_regulation_page_shows_no_draft_notice(site_dir: Path, handbook: Handbook) -> None:
    """Draft items carry a badge; inside a draft duty group the group's title line carries it, once."""
    html = _html(site_dir, "regulation.md")
    for chapter in handbook.chapters:
        for clause in chapter.clauses:
            if clause.item:
                marked = [(clause.item, chapter)]
            else:
                marked = [(duty, group) for group in handbook.role(clause.role_id).groups for duty in group.duties]
            for item, container in marked:
                badge = item.status == DRAFT and container.status != DRAFT
                assert ("hb-draft-badge" in _item_html(html, item.id)) == badge, item.id
                if item.status == DRAFT and not badge and container.id:
                    assert "hb-draft-badge" in _item_html(html, container.id), (item.id, container.id)
                assert item.text in _text(html)


def test_every_internal_link_and_anchor_resolves(site_dir: Path) -> None:
    pages = {p: _parse(p.read_text(encoding="utf-8")) for p in site_dir.rglob("*.html") if p.name != "404.html"}
    checked = 0
    for path, page in pages.items():
        for href in page.links:
            parts = urlsplit(href)
            if parts.scheme or parts.netloc or href.startswith(("mailto:", "javascript:")):
                continue
            target = path if not parts.path else (path.parent / unquote(parts.path)).resolve()
            if target.is_dir():
                target = target / "index.html"
            assert target.exists(), f"{path.relative_to(site_dir)}: broken link {href}"
            if parts.fragment and target.suffix == ".html":
                assert unquote(parts.fragment) in pages[target].ids, \
                    f"{path.relative_to(site_dir)}: missing anchor {href}"
            checked += 1
    assert checked > 1000


def test_steps_link_to_their_clause_and_clauses_list_what_carries_them_out(site_dir: Path, handbook: Handbook
                                                                            ) -> None:
    procedure = next(p for p in handbook.procedures if p.id == "virus-scan")
    html = _html(site_dir, f"procedures/{procedure.id}.md")
    for step in procedure.steps:
        for ident in step.basis:
            target = handbook.targets[ident]
            assert re.search(rf'href="[^"]*{posixpath.splitext(target.page)[0]}/#{ident}"', _item_html(html, step.id))
    regulation = _html(site_dir, "regulation.md")
    uses = _item_html(regulation, "manager-7-3")
    assert "procedures/virus-scan/" in uses


def test_edit_button_opens_the_yaml_source(site_dir: Path, handbook: Handbook) -> None:
    """With the repository setting unset (as in this build) there is no button; test_repo_setting.py builds with
    it set and checks that each button opens the page's YAML source."""
    repository = os.environ.get("HANDBOOK_REPO_URL")
    for page, source in [("roles/designer.md", "roles/designer.yml"), ("glossary.md", "glossary.yml"),
                         ("procedures/virus-scan.md", "procedures/virus-scan.yml")]:
        buttons = re.findall(r'<a href="([^"]+)" title="编辑此页"', _html(site_dir, page))
        if repository:
            assert buttons and buttons[0].endswith(f"/data/{source}"), (page, buttons)
        else:
            assert buttons == [], (page, buttons)


def test_headings_get_readable_anchors_not_numbers(site_dir: Path) -> None:
    ids = _parse(_html(site_dir, "glossary.md")).ids
    assert "wangwang" in ids
    assert not any(re.fullmatch(r"_\d+", i) for i in ids)


def test_home_cards_mark_draft_summaries(site_dir: Path, handbook: Handbook) -> None:
    html = _html(site_dir, "index.md")
    cards = re.findall(r'<li>\s*<p><strong><a href="roles/([a-z0-9-]+)/">(.*?)</li>', html, re.S)
    assert [role_id for role_id, _ in cards] == [r.id for r in handbook.roles if not r.external]
    for role_id, card in cards:
        purpose = handbook.role(role_id).purpose
        assert ("hb-draft-badge" in card) == bool(purpose and purpose.status == DRAFT), role_id


def test_org_chart_marks_draft_roles(site_dir: Path, handbook: Handbook) -> None:
    rows = re.findall(r"<tr>\s*<td>(.*?)</td>", _html(site_dir, "org.md"), re.S)
    assert len(rows) == len(handbook.roles)
    for role, cell in zip(handbook.roles, rows):
        assert ("hb-draft-badge" in cell) == (role.status == DRAFT), role.id


def _search_worker(page_html: str) -> str:
    config = re.search(r'<script id="__config" type="application/json">(.*?)</script>', page_html, re.S)
    assert config, "no __config block"
    return json.loads(config.group(1))["search"]


def test_the_search_box_uses_the_chunked_worker_whose_index_the_hook_wrote(site_dir: Path) -> None:
    worker = site_dir / "assets" / "search-worker.js"
    digest = hashlib.sha256(worker.read_bytes()).hexdigest()[:12]
    assert _search_worker((site_dir / "index.html").read_text(encoding="utf-8")) == f"assets/search-worker.js?v={digest}"
    assert _search_worker((site_dir / "roles" / "cs" / "index.html").read_text(encoding="utf-8")) == \
        f"../../assets/search-worker.js?v={digest}"
    assert (site_dir / "search" / "chunks" / "meta.json").is_file()


def test_without_the_hook_the_theme_keeps_materials_own_search(tmp_path: Path) -> None:
    """The overrides only switch the worker when the hook writes the chunks (e.g. not in the benchmark's floor)."""
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "index.md").write_text("# 首页\n\n内容\n", encoding="utf-8")
    (tmp_path / "mkdocs.yml").write_text(
        f"site_name: t\ntheme:\n  name: material\n  custom_dir: {ROOT / 'overrides'}\n  language: zh\n"
        "  font: false\nplugins:\n  - search\n", encoding="utf-8")
    subprocess.run([sys.executable, "-m", "mkdocs", "build", "-q", "--strict"], cwd=tmp_path, check=True,
                   capture_output=True, timeout=120, env={**os.environ, "NO_MKDOCS_2_WARNING": "1"})
    worker = _search_worker((tmp_path / "site" / "index.html").read_text(encoding="utf-8"))
    assert worker.startswith("assets/javascripts/workers/search.") and worker.endswith(".min.js")
    index = json.loads((tmp_path / "site" / "search" / "search_index.json").read_text(encoding="utf-8"))
    assert index["docs"] and not (tmp_path / "site" / "search" / "chunks").exists()
