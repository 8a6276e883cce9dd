"""benchmarks/synth.py writes data trees that the generator accepts, at any size the benchmark uses."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from conftest import ROOT


def synth(n: int, out: Path) -> None:
    subprocess.run([sys.executable, str(ROOT / "benchmarks" / "synth.py"), str(n), str(out)], check=True,
                   capture_output=True, text=True, timeout=120)


@pytest.mark.parametrize("n", [1, 12])
def test_synthetic_tree_passes_check(tmp_path: Path, n: int) -> None:
    data = tmp_path / "data"
    synth(n, data)
    result = subprocess.run([sys.executable, "-m", "generator", "--data", str(data), "check"], cwd=ROOT,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    assert len(list((data / "roles").glob("r*.yml"))) == n
    assert len(list((data / "onboarding").glob("*.yml"))) == n


def test_synthetic_tree_is_deterministic_and_chinese(tmp_path: Path) -> None:
    synth(12, tmp_path / "a")
    synth(12, tmp_path / "b")
    first = (tmp_path / "a" / "roles" / "r0003.yml").read_text(encoding="utf-8")
    assert first == (tmp_path / "b" / "roles" / "r0003.yml").read_text(encoding="utf-8")
    role = yaml.safe_load(first)
    text = "".join(d["text"] for d in role["duties"])
    assert sum("\u4e00" <= c <= "\u9fff" for c in text) > 50
