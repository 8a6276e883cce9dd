"""`make preview` as an editor uses it: Zensical serves the handbook, an edit of the data shows up with only the
pages it changes written again, and a broken edit prints its errors in Chinese while the last good pages stay up."""
from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Iterator

import pytest

from conftest import ROOT
from generator import pipeline
from generator.adapter import preview, zensical
from generator.stages.history import build_day
from test_serve import _free_port, _get, _wait

ROLE = "roles/cs.yml"
PAGE = "roles/cs.md"


def _edit(data: Path, old: str, new: str) -> None:
    path = data / ROLE
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


@pytest.fixture
def project(tmp_path: Path) -> preview.Preview:
    data = tmp_path / "data"
    shutil.copytree(ROOT / "data", data)
    return preview.Preview.prepare(data, ROOT, tmp_path / "project")


def test_an_edit_writes_only_the_pages_it_changes(project: preview.Preview) -> None:
    """A one-line edit of a text (what benchmarks/run.py times) rewrites the pages that show it, not the site."""
    docs = project.out / "docs"
    untouched = docs / "procedures" / "pc-setup.md"
    before = untouched.stat().st_mtime_ns
    _edit(project.data, "  text: ", "  text: 已修改")
    update = project.update({ROLE})
    assert update.ok
    assert update.first == [PAGE]  # the edited record's page, before the rest of the site is rendered
    assert PAGE in update.written and "procedures/pc-setup.md" not in update.written
    assert len(update.written) <= 5, update.written
    assert "已修改" in (docs / PAGE).read_text(encoding="utf-8")
    assert untouched.stat().st_mtime_ns == before
    assert project.update({ROLE}).written == []  # nothing changed since


def test_the_pages_rendered_first_are_the_pages_the_whole_render_makes() -> None:
    """The edited records' pages come from the same renderer and facts as the whole site, so the second pass
    never has to correct what the editor already sees."""
    checked = pipeline.check(ROOT / "data")
    facts = pipeline.site_facts(ROOT / "data", checked.handbook, build_day())
    edited = {ROLE, "onboarding/cs.yml", "procedures/express-exception.yml", "glossary.yml"}
    first = pipeline.render_edited(checked, edited, facts)
    assert [page.uri for page in first] == [PAGE, "procedures/express-exception.md", "onboarding/cs.md"]
    whole = {page.uri: page for page in pipeline.render(ROOT / "data", checked=checked, facts=facts).site.pages}
    assert all(page == whole[page.uri] for page in first)


def test_a_new_title_rewrites_the_menu(project: preview.Preview) -> None:
    """Zensical's menu names each page by its title (zensical.titled_nav): a renamed role is renamed there too."""
    _edit(project.data, "title: 电商客服", "title: 电商客服专员")
    update = project.update({ROLE})
    assert "mkdocs.yml" in update.written
    assert "电商客服专员: roles/cs.md" in (project.out / "mkdocs.yml").read_text(encoding="utf-8")


def test_a_broken_edit_writes_nothing(project: preview.Preview) -> None:
    page = project.out / "docs" / PAGE
    before = page.read_text(encoding="utf-8")
    _edit(project.data, "title: 电商客服", "title: [电商客服")
    update = project.update({ROLE})
    assert not update.ok and update.written == [] and update.first == []
    assert any(problem.code == "yaml-syntax" and problem.line for problem in update.problems)
    assert page.read_text(encoding="utf-8") == before


def test_a_page_the_data_no_longer_has_is_removed(tmp_path: Path) -> None:
    site = zensical.render(ROOT / "data")
    docs, written = tmp_path / "docs", {}
    assert len(zensical.write_pages(site.pages, docs, written)) == len(site.pages)
    fewer = type(site)(tuple(p for p in site.pages if p.uri != PAGE), site.nav, site.search_words, site.redirects)
    assert zensical.write_pages(fewer.pages, docs, written) == []
    assert zensical.remove_pages(fewer, docs, written) == [PAGE]
    assert not (docs / PAGE).exists() and PAGE not in written


def _start(data: Path, out: Path, port: int, log: Path) -> subprocess.Popen[bytes]:
    with log.open("wb") as output:
        return subprocess.Popen(
            [sys.executable, "-m", "generator.adapter.preview", "--data", str(data), "--root", str(ROOT),
             "--out", str(out), "--address", f"127.0.0.1:{port}"],
            cwd=ROOT, stdout=output, stderr=subprocess.STDOUT)


@pytest.fixture
def served(tmp_path: Path) -> Iterator[tuple[Path, str, Path]]:
    data = tmp_path / "data"
    shutil.copytree(ROOT / "data", data)
    log = tmp_path / "preview.log"
    port = _free_port()
    server = _start(data, tmp_path / "project", port, log)
    try:
        url = f"http://127.0.0.1:{port}/roles/cs/"
        _wait(lambda: "电商客服" in (_get(url) or ""), "the first build")
        yield data, url, log
    finally:
        server.terminate()
        server.wait(timeout=30)


def test_the_served_preview_shows_an_edit_and_keeps_the_last_good_pages(served: tuple[Path, str, Path]) -> None:
    data, url, log = served
    _edit(data, "title: 电商客服", "title: 电商客服专员")
    _wait(lambda: "电商客服专员" in (_get(url) or ""), "the edit to appear")
    # The edited page is served before the rest of the site is written, and the report comes after the rest.
    report = re.compile(r"已更新 \d+ 个文件,用时 [\d.]+ 秒\(先更新 roles/cs\.md,用时 [\d.]+ 秒\):")
    _wait(lambda: report.search(log.read_text("utf-8", "replace")) is not None, "the update report")

    _edit(data, "title: 电商客服专员", "title: [电商客服专员")
    _wait(lambda: "这次修改有错误" in log.read_text("utf-8", "replace"), "the error report")
    assert re.search(r"roles/cs\.yml:3:\d+: 错误:.*\[yaml-syntax\]", log.read_text("utf-8"))
    assert "电商客服专员" in (_get(url) or "")  # the last good page is still served

    _edit(data, "title: [电商客服专员", "title: 电商客服主管")
    _wait(lambda: "电商客服主管" in (_get(url) or ""), "the fixed data to appear")


def test_stopping_the_preview_stops_its_server(tmp_path: Path) -> None:
    """SIGTERM (what a supervisor or `kill` sends) must not leave Zensical running and holding the port."""
    port = _free_port()
    server = _start(ROOT / "data", tmp_path / "project", port, tmp_path / "preview.log")
    url = f"http://127.0.0.1:{port}/"
    try:
        _wait(lambda: _get(url) is not None, "the first build")
    finally:
        server.terminate()
        server.wait(timeout=30)
    _wait(lambda: _get(url) is None, "the server to stop", seconds=15)
