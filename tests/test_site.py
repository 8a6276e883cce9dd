"""The real site, built by `mkdocs build --strict` from data/, checked in its HTML."""
from __future__ import annotations

import re
from html import unescape
from html.parser import HTMLParser
from pathlib import Path

import yaml

from conftest import DATA


class _Page(HTMLParser):
    """Collects ids, links and the duty list items of a built page."""

    def __init__(self) -> None:
        super().__init__()
        self.ids: set[str] = set()
        self.links: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if values.get("id"):
            self.ids.add(values["id"])
        if tag == "a" and values.get("href"):
            self.links.append(values["href"])


def _parse(path: Path) -> _Page:
    page = _Page()
    page.feed(path.read_text(encoding="utf-8"))
    return page


def _text(html: str) -> str:
    return unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", html)))


def test_every_role_page_lists_its_seed_duties_in_order(site_dir: Path) -> None:
    for source in sorted((DATA / "roles").glob("*.yml")):
        role = yaml.safe_load(source.read_text(encoding="utf-8"))
        html = (site_dir / "roles" / role["id"] / "index.html").read_text(encoding="utf-8")
        duties = role.get("duties") or [d for g in role.get("duty_groups", []) for d in g["duties"]]
        positions = [html.index(f'id="{duty["id"]}"') for duty in duties]
        assert positions == sorted(positions), role["id"]
        for duty in duties:
            assert duty["text"] in _text(html), (role["id"], duty["id"])
