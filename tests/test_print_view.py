"""print_view.fix_href_links rewrites a page's links for the print page exactly as mkdocs-print-site-plugin's own
function does, in one pass instead of one whole-page replace per link; the hook installs it."""
from __future__ import annotations

import importlib
import re
from pathlib import Path
from types import SimpleNamespace

import pytest
from mkdocs_print_site_plugin import urls

from conftest import ROOT
from generator.adapter import print_view

CASES = [
    '<p><a href="https://example.invalid/x">out</a> <a href="mailto:a@b.c">mail</a></p>',
    '<a href="#duties">in page</a> <a class="headerlink" href="#duties" title="x">¶</a>',
    '<a href="../cs/#cs-presale-1">duty</a> <a href="../../procedures/pc-setup/">proc</a> <a href="../cs/#">bare</a>',
    '<a href="../../assets/form.pdf">file</a> <a href="a&amp;b/">entity</a> <A HREF="#Up">caps</A>',
    '<a href="#x">one</a><a href="#x">twice</a><a\n  href="../gm/">newline</a>',
]


def _original():  # the plugin's own function, even if a hook in this process replaced it
    return importlib.reload(urls).fix_href_links


@pytest.mark.parametrize("directory_urls", [True, False])
def test_same_links_as_the_plugin_on_hand_written_cases(directory_urls: bool) -> None:
    original = _original()
    for page_url in ("roles/designer/", "index.html", "roles/designer.html"):
        key = urls.get_page_key(page_url)
        for case in CASES:
            assert print_view.fix_href_links(case, key, page_url, directory_urls) == \
                original(case, key, page_url, directory_urls), (case, page_url)


def test_every_link_of_every_page_of_the_site_is_rewritten_as_the_plugin_does(site_dir: Path) -> None:
    original = _original()
    checked = 0
    for path in sorted(site_dir.rglob("index.html")):
        page_url = path.parent.relative_to(site_dir).as_posix() + "/" if path.parent != site_dir else ""
        key = urls.get_page_key(page_url)
        for link in set(re.findall(r'<a\s+(?:[^>]*?\s+)?href=".*?"', path.read_text(encoding="utf-8"), re.I)):
            mine = print_view.fix_href_links(link, key, page_url, True)
            href = re.search(r'href="(.*?)"', link).group(1)
            target = urls.get_url_from_root(href, page_url)
            internal = not href.startswith("#") and not urls.is_external(href)
            if internal and target.startswith(print_view.UNPRINTED):  # the one deliberate difference
                assert mine == link.replace(href, "../" + target), link
            else:
                assert mine == original(link, key, page_url, True), link
            checked += 1
    assert checked > 1000


def test_each_link_is_rewritten_once() -> None:
    """The plugin's replace-all rewrote '#procedures' twice on a page that also links '../procedures/' (which
    it first turned into '#procedures'), sending the menu's 流程 link to the page's own section."""
    page = '<a href="../../procedures/">流程</a> <a href="#procedures">参与的流程</a>'
    assert print_view.fix_href_links(page, "roles-cs", "roles/cs/", True) == \
        '<a href="#procedures">流程</a> <a href="#roles-cs-procedures">参与的流程</a>'
    assert _original()(page, "roles-cs", "roles/cs/", True).count("#roles-cs-procedures") == 2


def test_the_hook_installs_it_when_mkdocs_loads_the_config() -> None:
    from generator.adapter import hook as mkdocs_hook
    try:
        mkdocs_hook.on_config(SimpleNamespace(docs_dir=str(ROOT / "docs"), extra={}))
        assert urls.fix_href_links is print_view.fix_href_links
    finally:
        importlib.reload(urls)
