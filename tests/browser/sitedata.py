"""What the browser tests expect, read straight from data/ (not from the generator)."""
from __future__ import annotations

from pathlib import Path

import yaml

from conftest import DATA


def load(path: Path) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def roles() -> dict[str, str]:
    """Role id -> title."""
    return {doc["id"]: doc["title"] for doc in map(load, sorted((DATA / "roles").glob("*.yml")))}


def procedures() -> list[dict]:
    return [load(p) for p in sorted((DATA / "procedures").glob("*.yml"))]


def checklist(ident: str) -> dict:
    return load(DATA / "checklists" / f"{ident}.yml")
