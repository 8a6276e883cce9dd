"""Fix-up of the whole-handbook print view (mkdocs-print-site-plugin's print_page).

The plugin joins every page into one and prefixes the ids of headings and list items with the page's key,
rewriting links to match (roles/cs.md#cs-presale-1 -> #roles-cs-cs-presale-1). The handbook's own anchors are
empty <span class="hb-anchor" id=…> elements, which it leaves alone; this gives them the same prefix so those
links land.

It also replaces the plugin's `fix_href_links` (mkdocs-print-site-plugin 2.9), which rewrote each link with a
`str.replace` over the whole page: quadratic in a page's size, so the index pages of a large handbook made it the
biggest superlinear cost of the build (95 s of 350 s at 2,200 pages, profiled). `fix_href_links` below rewrites
every link the same way in one pass; tests compare both on every page of the built site.
"""
from __future__ import annotations

import html as html_lib
import os
import re
from collections.abc import Callable
from pathlib import Path

from mkdocs_print_site_plugin import urls

_SECTION = re.compile(r'<section class="print-page" id="([^"]+)"')
_ANCHOR = re.compile(r'(<span class="hb-anchor" id=")([^"]+)(")')


def prefix_anchor_ids(html: str) -> str:
    """Prefix each hb-anchor id with the key of the print-page section that holds it."""
    out, start, key = [], 0, None
    for match in _SECTION.finditer(html):
        out.append(_prefix(html[start:match.start()], key))
        start, key = match.start(), match.group(1)
    out.append(_prefix(html[start:], key))
    return "".join(out)


def _prefix(chunk: str, key: str | None) -> str:
    if key is None:
        return chunk
    return _ANCHOR.sub(lambda m: f"{m.group(1)}{key}-{m.group(2)}{m.group(3)}", chunk)


def fix_print_page(site_dir: Path, basename: str = "print_page") -> Path | None:
    """Rewrite site_dir/<basename>/index.html (or <basename>.html) in place; its path, None when there is none."""
    for path in (site_dir / basename / "index.html", site_dir / f"{basename}.html"):
        if path.is_file():
            path.write_text(prefix_anchor_ids(path.read_text(encoding="utf-8")), encoding="utf-8")
            return path
    return None


def finish(site_dir: Path, add_scripts: Callable[[str, str], str]) -> None:
    """Fix the print page of a built site, then let add_scripts(html, url) add what its diagrams need."""
    page = fix_print_page(site_dir)
    if page is not None:
        url = page.relative_to(site_dir).as_posix()
        page.write_text(add_scripts(page.read_text(encoding="utf-8"), url), encoding="utf-8")


UNPRINTED = ("editions/",)
"""Folders of pages the print page leaves out (every edition of every document): links to them stay links."""
_HREF = re.compile(r"<a\s+([^>]*?\s+)?href=\"(.*?)\"", flags=re.IGNORECASE)  # the plugin's own pattern


def fix_href_links(page_html: str, page_key: str, page_url: str, directory_urls: bool = False) -> str:
    """Links of a page as links inside the print page: 'a/#x' -> '#a-x', '#x' -> '#<page_key>-x'."""
    return _HREF.sub(lambda match: _print_link(match, page_key, page_url, directory_urls), page_html)


def _print_link(match: re.Match[str], page_key: str, page_url: str, directory_urls: bool) -> str:
    url = html_lib.unescape(match.group(2))
    if urls.is_external(url):
        return match.group()
    if urls.is_attachment(url):
        url = urls.get_url_from_root(url, page_url)
        if directory_urls:
            url = os.path.join("..", url).replace(os.sep, "/")
    elif url.startswith("#"):
        url = f"#{page_key}-{url[1:]}"
    else:
        page, hash_sign, fragment = urls.get_url_from_root(url, page_url).partition("#")
        if page.startswith(UNPRINTED):
            # Not part of the print page: link to the page itself (the print page is one folder deep).
            url = "../" + page + (f"#{fragment}" if hash_sign else "")
        else:
            url = "#" + urls.get_page_key(page) + (f"-{fragment}" if hash_sign else "")
    other = match.group(1)
    return f'<a {other.rstrip()} href="{url}"' if other is not None else f'<a href="{url}"'


def speed_up_print_site() -> None:
    """Have the print-site plugin use fix_href_links above (it looks the function up in its module each time)."""
    urls.fix_href_links = fix_href_links
