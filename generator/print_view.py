"""Fix-up of the whole-handbook print view (mkdocs-print-site-plugin's print_page).

The plugin joins every page into one and prefixes the ids of headings and list items with the page's key,
rewriting links to match (roles/cs.md#cs-presale-1 -> #roles-cs-cs-presale-1). The handbook's own anchors are
empty <span class="hb-anchor" id=…> elements, which it leaves alone; this gives them the same prefix so those
links land.
"""
from __future__ import annotations

import re
from pathlib import Path

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
