"""Interactive checklists: ticks persist across reloads and navigation, progress figure, reset, stale ticks."""
from __future__ import annotations

import pytest

from . import sitedata

CHECKLIST = "new-hire-pc-checklist"


def _state(page) -> tuple[str, int]:
    progress = page.locator(".hb-checklist .hb-progress").first.inner_text()
    return " ".join(progress.replace("重置", "").split()), page.locator("input.hb-check:checked").count()


@pytest.mark.browser
def test_ticks_survive_reload_and_navigation_and_reset_clears_them(page, served_site: str) -> None:
    total = len(sitedata.checklist(CHECKLIST)["items"])
    page.goto(served_site + f"checklists/{CHECKLIST}/")
    assert _state(page) == (f"已完成 0 / {total}", 0)
    boxes = page.locator("input.hb-check")
    for i in (0, 2, 4):
        boxes.nth(i).check()
    assert _state(page) == (f"已完成 3 / {total}", 3)

    page.reload()
    assert _state(page) == (f"已完成 3 / {total}", 3)
    assert [boxes.nth(i).is_checked() for i in range(5)] == [True, False, True, False, True]

    page.goto(served_site)
    page.goto(served_site + f"checklists/{CHECKLIST}/")
    assert _state(page) == (f"已完成 3 / {total}", 3)

    page.get_by_role("button", name="重置").first.click()
    assert _state(page) == (f"已完成 0 / {total}", 0)
    page.reload()
    assert _state(page) == (f"已完成 0 / {total}", 0)


@pytest.mark.browser
def test_ticks_saved_for_other_items_are_not_shown(page, served_site: str) -> None:
    """An edited checklist has another fingerprint: ticks saved under the old one never show."""
    page.goto(served_site + f"checklists/{CHECKLIST}/")
    box = page.locator(".hb-checklist").first
    version = box.get_attribute("data-version")
    items = page.locator("input.hb-check").evaluate_all("els => els.map(e => e.dataset.item)")
    stale = {item: True for item in items}
    page.evaluate("([key, value]) => localStorage.setItem(key, value)",
                  [f"handbook:{CHECKLIST}:000000000000", __import__("json").dumps(stale)])
    page.reload()
    assert version and version != "000000000000"
    assert _state(page)[1] == 0
    page.evaluate("([key, value]) => localStorage.setItem(key, value)",
                  [f"handbook:{CHECKLIST}:{version}", __import__("json").dumps({items[1]: True})])
    page.reload()
    assert _state(page)[1] == 1 and page.locator("input.hb-check").nth(1).is_checked()


@pytest.mark.browser
def test_onboarding_phases_are_separate_checklists(page, served_site: str) -> None:
    page.goto(served_site + "onboarding/cs/")
    lists = page.locator(".hb-checklist")
    assert lists.count() >= 2
    lists.nth(1).locator("input.hb-check").first.check()
    page.reload()
    assert lists.nth(0).locator("input.hb-check:checked").count() == 0
    assert lists.nth(1).locator("input.hb-check:checked").count() == 1
