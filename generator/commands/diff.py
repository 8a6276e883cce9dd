"""`diff`: what changed in the handbook between two git revisions, in Chinese Markdown for a merge-request
comment. The comparison is views/changes.py; the data of a revision comes from pipeline.handbook_at.
"""
from __future__ import annotations

from ..pipeline import handbook_at
from ..stages.render import render_template
from ..views.changes import HandbookDiff, diff_handbooks

__all__ = ["diff_handbooks", "handbook_at", "render_diff"]


def render_diff(diff: HandbookDiff, base: str | None, head: str | None) -> str:
    """The diff as Markdown (templates/diff.md.j2); a revision of None is the working tree."""
    return render_template("diff.md.j2", diff=diff, base=base, head=head).rstrip() + "\n"
