"""`mkdocs serve` as an editor uses it: a YAML edit shows up without a restart, and a broken edit prints its
errors while the last good pages stay up."""
from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from typing import Callable, Iterator

import pytest

from conftest import ROOT

BASE = Path(__file__).parent / "corpus" / "_base"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait(condition: Callable[[], bool], what: str, seconds: float = 90) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.3)
    raise AssertionError(f"timed out waiting for {what}")


def _get(url: str) -> str | None:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.read().decode("utf-8")
    except OSError:
        return None


@pytest.fixture
def served(tmp_path: Path) -> Iterator[tuple[Path, str, Path]]:
    data = tmp_path / "data"
    shutil.copytree(BASE, data)
    log = tmp_path / "serve.log"
    port = _free_port()
    env = {**os.environ, "HANDBOOK_DATA": str(data), "NO_MKDOCS_2_WARNING": "1", "DISABLE_MKDOCS_2_WARNING": "true"}
    with log.open("wb") as out:
        server = subprocess.Popen(
            [sys.executable, "-m", "mkdocs", "serve", "--dev-addr", f"127.0.0.1:{port}", "--livereload", "-f",
             str(ROOT / "mkdocs.yml"), "--watch", str(data)],
            cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)
    try:
        url = f"http://127.0.0.1:{port}/roles/staff/"
        _wait(lambda: _get(url) is not None, "the first build")
        yield data, url, log
    finally:
        server.terminate()
        server.wait(timeout=30)


def test_an_edit_shows_up_and_a_broken_edit_keeps_the_last_good_site(served: tuple[Path, str, Path]) -> None:
    data, url, log = served
    role = data / "roles" / "staff.yml"
    role.write_text(role.read_text(encoding="utf-8").replace("title: 专员", "title: 高级专员"), encoding="utf-8")
    _wait(lambda: "高级专员" in (_get(url) or ""), "the edit to appear")

    good = role.read_text(encoding="utf-8")
    role.write_text(good + "colour: red\n", encoding="utf-8")
    _wait(lambda: "仍显示上一次正确的版本" in log.read_text("utf-8", "replace"), "the error report")
    assert re.search(r"roles/staff\.yml:\d+:1: 错误:不认识的字段 'colour'", log.read_text("utf-8"))
    assert "高级专员" in (_get(url) or "")  # the last good page is still served

    role.write_text(good.replace("高级专员", "首席专员"), encoding="utf-8")
    _wait(lambda: "首席专员" in (_get(url) or ""), "the fixed data to appear")
