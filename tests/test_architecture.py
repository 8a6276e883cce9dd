"""The package's layout holds: import contracts (pyproject.toml, [tool.importlinter]) and a thin MkDocs hook."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LINT_IMPORTS = Path(sys.executable).parent / "lint-imports"


def test_import_contracts_are_kept() -> None:
    result = subprocess.run([str(LINT_IMPORTS), "--no-cache"], cwd=ROOT, capture_output=True, text=True,
                            timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


def test_the_hook_is_a_thin_adapter() -> None:
    lines = (ROOT / "generator" / "adapter" / "hook.py").read_text(encoding="utf-8").splitlines()
    assert len(lines) <= 60, f"generator/adapter/hook.py has {len(lines)} lines; move the work into a module"


def test_no_state_dict_in_the_hook() -> None:
    source = (ROOT / "generator" / "adapter" / "hook.py").read_text(encoding="utf-8")
    assert "dict[str, object]" not in source
