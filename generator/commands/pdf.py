"""HTML -> PDF through WeasyPrint: paged media (running headers, `counter(pages)`, `target-counter` for the
目录), with the CJK fonts embedded (subset). Needs Debian's pango (tools/install-export.sh)."""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path


@lru_cache(maxsize=1)
def _fonts():  # type: ignore[no-untyped-def]
    """One font configuration for every document of a run: fontconfig's lookups are then made once."""
    from weasyprint.text.fonts import FontConfiguration
    return FontConfiguration()


def write_pdf(html: str, target: Path, stylesheet: Path) -> int:
    """Write the PDF of `html` (styled by `stylesheet`) to target; its page count."""
    # Imported here: WeasyPrint loads pango through cffi, which only `export` needs.
    from weasyprint import CSS, HTML
    fonts = _fonts()
    document = HTML(string=html, base_url=str(stylesheet.parent)).render(
        stylesheets=[CSS(filename=str(stylesheet), font_config=fonts)], font_config=fonts)
    document.write_pdf(target)
    return len(document.pages)
