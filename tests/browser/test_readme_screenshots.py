"""The README's Screenshots section shows exactly what `make screenshots` writes, and the files are there."""
from __future__ import annotations

import re

from conftest import ROOT

from .screenshots import shot_names


def test_readme_shows_every_screenshot_that_make_screenshots_writes() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("## Screenshots"):]
    shown = re.findall(r'src="screenshots/([^"]+)"', section)
    assert shown == shot_names()
    missing = [name for name in shown if not (ROOT / "screenshots" / name).is_file()]
    assert not missing, f"run `make screenshots`: {missing}"
