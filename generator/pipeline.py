"""The one place that runs the stages in order. Both the CLI and the MkDocs hook call it; it writes nothing."""
from __future__ import annotations

import gc
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path

from .stages.build import build_handbook, declared_ids
from .stages.history import (build_day, export_folder, first_added, last_updated, release_tag, release_tags,
                             repo_root)
from .stages.load import load_sources
from .stages.model import Handbook
from .stages.messages import phrase
from .stages.problems import Problem, Severity
from .stages.render import RenderedPage, RenderedSite, SiteFacts, render_record_pages, render_site
from .stages.pages import documents
from .views import review
from .views.acknowledgements import Overdue, acknowledgements
from .views.lifecycle import document_states
from .stages.schema import validate_docs


@dataclass(frozen=True)
class Checked:
    handbook: Handbook | None
    problems: list[Problem]

    @property
    def ok(self) -> bool:
        return self.handbook is not None and not any(p.severity == Severity.ERROR for p in self.problems)


@dataclass(frozen=True)
class Rendered:
    site: RenderedSite | None
    problems: list[Problem]


@contextmanager
def cycle_collector_paused() -> Iterator[None]:
    """The stages allocate millions of small objects that never form cycles; Python's cycle collector would walk
    them over and over while they are made (it doubled the build stage at 2,000 roles). Collect once at the end."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def check(data_dir: Path) -> Checked:
    """Load, validate and build; every problem of every stage that could run.

    When some files break their schema, the checks across files still run on the others, so that an editor
    sees all problems in one run; references to ids those files define are then taken as resolved. When a
    file cannot even be read, its ids are unknown and the checks across files wait for it to be fixed.
    """
    with cycle_collector_paused():
        return _check(data_dir)


def _check(data_dir: Path) -> Checked:
    docs, problems = load_sources(data_dir)
    schema_problems = validate_docs(docs)
    invalid = {p.path for p in schema_problems if p.severity == Severity.ERROR}
    problems += schema_problems
    if not docs or any(p.severity == Severity.ERROR for p in problems if p.path not in invalid):
        return Checked(None, sorted(problems))
    valid = [doc for doc in docs if doc.path not in invalid]
    if invalid and not any(doc.kind == "handbook" for doc in valid):
        return Checked(None, sorted(problems))
    elsewhere = frozenset(ident for doc in docs if doc.path in invalid for ident in declared_ids(doc.data))
    handbook, found = build_handbook(valid, elsewhere)
    return Checked(None if invalid else handbook, sorted(problems + found))


def render(data_dir: Path, today: date | None = None, templates_dir: Path | None = None,
           downloads: frozenset[str] = frozenset(), *, checked: Checked | None = None,
           facts: SiteFacts | None = None) -> Rendered:
    """Check, then render; `today` is the build day (it decides what is in force and what is overdue for review);
    `downloads`: the exported PDF and Word files the site serves, which the pages link. `checked` and `facts`:
    what a caller already has of this data (a live preview that rendered some pages first)."""
    checked = checked or check(data_dir)
    if not checked.ok:
        return Rendered(None, checked.problems)
    facts = facts or site_facts(data_dir, checked.handbook, today or build_day(), downloads)
    with cycle_collector_paused():
        return Rendered(render_site(checked.handbook, facts, templates_dir), checked.problems)


def site_facts(data_dir: Path, handbook: Handbook, today: date, downloads: frozenset[str] = frozenset()) -> SiteFacts:
    """What the pages need from outside the data: the build day, the git history of the data and its releases."""
    sources = [document.control.source for document in documents(handbook)]
    sources.append(handbook.register.source)
    return SiteFacts(today, last_updated(data_dir, sources, today), first_added(data_dir),
                     load_editions(data_dir, handbook), downloads)


def render_edited(checked: Checked, edited: set[str], facts: SiteFacts) -> list[RenderedPage]:
    """The pages of the records defined in the edited data files (relative to data/), as render() makes them:
    what a live preview shows before it renders the whole site again."""
    assert checked.handbook is not None
    with cycle_collector_paused():
        return render_record_pages(checked.handbook, edited, facts)


@dataclass(frozen=True)
class Loaded:
    """The handbook of one revision, or why there is none."""

    label: str | None
    """The revision, or None for the working tree."""
    handbook: Handbook | None
    problems: list[Problem]


def handbook_at(data_dir: Path, revision: str | None) -> Loaded:
    """The handbook of data_dir as committed at `revision`, or as in the working tree when revision is None."""
    if revision is None:
        checked = check(data_dir)
        return Loaded(None, checked.handbook if checked.ok else None, checked.problems)
    root, problem = repo_root(data_dir)
    if problem or root is None:
        return Loaded(revision, None, [problem] if problem else [])
    folder = data_dir.resolve().relative_to(root.resolve()).as_posix()
    with tempfile.TemporaryDirectory(prefix="handbook-at-") as tmp:
        problem = export_folder(root, revision, folder, Path(tmp))
        if problem:
            return Loaded(revision, None, [problem])
        exported = Path(tmp) / folder
        checked = check(exported)
        # Paths in problems should read as in the repository, not the temporary copy.
        problems = [_relocate(p, exported, folder, revision) for p in checked.problems]
    return Loaded(revision, checked.handbook if checked.ok else None, problems)


def _relocate(problem: Problem, exported: Path, folder: str, revision: str) -> Problem:
    """A problem of an exported revision, its paths as they read in the repository (revision:folder/file)."""
    inside = f"{folder}/" if folder != "." else ""

    def rewrite(text: str) -> str:
        for prefix in {str(exported) + "/", str(exported.resolve()) + "/"}:
            text = text.replace(prefix, inside)
        return text

    return replace(problem, path=f"{revision}:{rewrite(problem.path)}", phrase=problem.phrase.mapped(rewrite))


def load_editions(data_dir: Path, hb: Handbook) -> dict[tuple[str, str], Handbook]:
    """The handbook as it was at each release that has its tag, by (doc_no, version): the text of old editions.
    A release without a tag (one that predates the handbook, or not yet tagged) has none."""
    tags = release_tags(data_dir)
    found: dict[tuple[str, str], Handbook] = {}
    for entry in hb.register.documents:
        for release in entry.releases:
            tag = release_tag(entry.doc_no, release.version)
            if tag in tags:
                loaded = handbook_at(data_dir, tag)
                if loaded.handbook is not None:
                    found[(entry.doc_no, release.version)] = loaded.handbook
    return found


def check_edited(data_dir: Path, rel: str, text: str) -> list[Problem]:
    """The problems data_dir would have with the file `rel` (relative to it) changed to `text`; checked in a
    copy, so that a command writes nothing when its edit would break the data."""
    with tempfile.TemporaryDirectory(prefix="handbook-edit-") as tmp:
        copy = Path(tmp) / "data"
        shutil.copytree(data_dir, copy)
        (copy / rel).write_text(text, encoding="utf-8")
        checked = check(copy)
        return [replace(p, path=p.path.replace(str(copy), str(data_dir), 1)) for p in checked.problems]


def stale_drafts(data_dir: Path, hb: Handbook, today: date | None = None) -> list[Problem]:
    """Warnings for the documents whose drafts are older than the register allows (`generator check`; the site
    build lists them on 待复审 instead of failing)."""
    late = review.stale_drafts(hb, today or build_day(), first_added(data_dir))
    return [Problem(f"{data_dir}/{d.source}", 1, 1, "draft-stale",
                    phrase("{title} has held drafts for {days} days (since {since}), longer than the {limit} days "
                           "allowed; approve them or take them out", title=d.title, days=d.days, since=d.since,
                           limit=hb.register.draft_max_age_days), Severity.WARNING) for d in late]


def acknowledgement_problems(data_dir: Path, hb: Handbook, today: date | None = None) -> list[Problem]:
    """For `generator check`, beside stale_drafts: an error for each acknowledgement whose text hash is not that of
    its version's text (the texts of old versions come from their release tags), and a warning for each version in
    force with people who have not confirmed it within the roster's confirm_within_days. The site build shows
    both on 签收情况 instead (a mismatched acknowledgement counts as 待确认) and never fails on them."""
    if hb.roster.source is None:
        return []
    today = today or build_day()
    view = acknowledgements(hb, document_states(hb, today), load_editions(data_dir, hb), today)
    docs = {doc.rel: doc for doc in load_sources(data_dir)[0]}
    found = []
    for mismatch in view.mismatches:
        ack = mismatch.ack
        line, column = docs[ack.source].marks.value(("acknowledgements", ack.index, "text_hash"))
        found.append(Problem(docs[ack.source].path, line, column, "ack-hash-mismatch", phrase(
            "text hash {given} is not that of {doc_no} {version}, whose text hashes to {expected}: the record is of "
            "another text; check the sheet or form, or release the changed text as a new version",
            given=ack.text_hash, doc_no=ack.doc_no, version=ack.version, expected=mismatch.expected)))
    found += [_unconfirmed(hb, docs, late, hb.roster.confirm_within_days or 0) for late in view.overdue()]
    return found


def _unconfirmed(hb: Handbook, docs: dict, late: Overdue, limit: int) -> Problem:
    """A warning at the version's line in the register, naming who is late."""
    edition = late.sheet.edition
    entry = next(n for n, e in enumerate(hb.register.documents) if e.doc_no == edition.doc_no)
    release = hb.register.documents[entry].releases.index(edition.release)
    register = docs[hb.register.source]
    line, column = register.marks.value(("documents", entry, "releases", release, "version"))
    people = ", ".join(f"{e.person.staff_no} {e.person.name}" for e in late.late)
    return Problem(register.path, line, column, "ack-unconfirmed", phrase(
        "{doc_no} {version} ({title}) is in force, and {count} of its people have not acknowledged it within "
        "{limit} days of its taking effect or of their joining: {people}; have them sign its sign-off sheet or "
        "confirm it in the form", doc_no=edition.doc_no, version=edition.release.version, title=late.sheet.state.document.title,
        count=len(late.late), limit=limit, people=people), Severity.WARNING)

