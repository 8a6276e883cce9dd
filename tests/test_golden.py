"""Golden Markdown: every page of a small data tree (tests/fixtures/golden-data) rendered on a fixed day and
compared with tests/golden/<page>.md, so that every template change is a diff a reviewer reads.

After a deliberate change of the templates, rewrite the golden files and review the diff:

    UPDATE_GOLDEN=1 .venv/bin/python -m pytest -q tests/test_golden.py
    git diff tests/golden/

The same pages are also read the way Python-Markdown reads them (with mkdocs.yml's extensions): each list
holds as many items as the data, no paragraph swallows the next, front matter parses. Two rules keep templates
from writing such bugs again, and are checked on the templates and on every page of data/ too: lists are
written only through templates/_partials/blocks.md.j2, and no text line of a template ends in a bare block tag
(trim_blocks eats the newline after it).
"""
from __future__ import annotations

import difflib
import os
import re
import shutil
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
import yaml
from bs4 import BeautifulSoup, Tag
from markdown import Markdown
from mkdocs.config import load_config
from mkdocs.utils.meta import get_data

from conftest import DATA, ROOT
from generator import pipeline

if TYPE_CHECKING:
    from generator.pipeline import Handbook
    from generator.stages.model import Procedure

Pages = dict[str, str]
"""Markdown of each rendered page by its uri, plus the navigation as YAML under 'nav.yml'."""

FIXTURE = Path(__file__).resolve().parent / "fixtures" / "golden-data"
GOLDEN = Path(__file__).resolve().parent / "golden"
TEMPLATES = ROOT / "templates"
TODAY = date(2027, 1, 15)
"""The build day: the procedure's review date (2026-12-31) is past, the others (2027-06-30) are not."""
UPDATE = os.environ.get("UPDATE_GOLDEN") == "1"

PAGES = [
    "index.md", "regulation.md", "roles/index.md", "roles/manager.md", "roles/cs.md", "roles/gm.md",
    "roles/warehouse.md", "procedures/index.md", "procedures/return-refund.md", "procedures/urge-shipment.md",
    "checklists/index.md", "checklists/return-checklist.md", "checklists/shipment-checklist.md",
    "onboarding/index.md", "onboarding/cs.md", "org.md", "glossary.md", "revisions.md", "review.md",
]
"""One golden file each. editing/schema.md is left to test_schemadoc.py: it follows the JSON schemas."""
LIST_PAGES = ["roles/index.md", "procedures/index.md", "checklists/index.md", "onboarding/index.md"]


def _render(data_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Pages:
    """The pages of a data tree copied outside any git repository: 最后更新 then falls back to TODAY for every
    file, where inside this repository it would follow the commits of the fixture."""
    root = tmp_path_factory.mktemp("golden")
    shutil.copytree(data_dir, root / "data")
    with pytest.MonkeyPatch.context() as env:
        env.setenv("GIT_CEILING_DIRECTORIES", str(root))
        result = pipeline.render(root / "data", TODAY)
    assert result.site is not None, result.problems
    return {page.uri: page.markdown for page in result.site.pages} | {"nav.yml": _nav_yaml(result.site.nav)}


def _nav_yaml(nav: list) -> str:
    return yaml.safe_dump(nav, allow_unicode=True, sort_keys=False)


@pytest.fixture(scope="module")
def pages(tmp_path_factory: pytest.TempPathFactory) -> Pages:
    return _render(FIXTURE, tmp_path_factory)


@pytest.fixture(scope="module")
def handbook() -> Handbook:
    checked = pipeline.check(FIXTURE)
    assert checked.handbook is not None, checked.problems
    return checked.handbook


@pytest.fixture(scope="module")
def to_html() -> Markdown:
    """Python-Markdown set up as mkdocs.yml sets it up (MkDocs strips front matter first, as `get_data` does)."""
    config = load_config(str(ROOT / "mkdocs.yml"))
    return Markdown(extensions=config.markdown_extensions, extension_configs=config.mdx_configs)


def _html(pages: Pages, uri: str, md: Markdown) -> BeautifulSoup:
    body, _ = get_data(pages[uri])
    md.reset()
    return BeautifulSoup(md.convert(body), "html.parser")


# --- golden files ----------------------------------------------------------------------------------------------

@pytest.mark.parametrize("uri", [*PAGES, "nav.yml"])
def test_page_matches_its_golden_markdown(pages: Pages, uri: str) -> None:
    golden = GOLDEN / uri
    if UPDATE:
        golden.parent.mkdir(parents=True, exist_ok=True)
        golden.write_text(pages[uri], encoding="utf-8")
    expected = golden.read_text(encoding="utf-8") if golden.is_file() else ""
    if pages[uri] != expected:
        diff = "".join(difflib.unified_diff(expected.splitlines(True), pages[uri].splitlines(True),
                                            f"tests/golden/{uri}", f"rendered {uri}"))
        pytest.fail(f"{uri} differs from its golden file (UPDATE_GOLDEN=1 rewrites it):\n{diff}", pytrace=False)


def test_every_page_kind_has_a_golden_file(pages: Pages) -> None:
    rendered = set(pages) - {"editing/schema.md", "nav.yml"}
    assert rendered == set(PAGES)
    stale = {p.relative_to(GOLDEN).as_posix() for p in GOLDEN.rglob("*") if p.is_file()} - {*PAGES, "nav.yml"}
    assert not stale, f"golden files of pages no longer rendered: {sorted(stale)}"


# --- the fixture read as a reader sees it -----------------------------------------------------------------------

def _items(ol_or_ul: Tag | None) -> list[Tag]:
    assert ol_or_ul is not None and ol_or_ul.name in {"ol", "ul"}, ol_or_ul
    return ol_or_ul.find_all("li", recursive=False)


def _list_after(soup: BeautifulSoup, heading_id: str) -> Tag | None:
    return soup.find(id=heading_id).find_next_sibling()


def _list_of(soup: BeautifulSoup, ident: str) -> Tag | None:
    return soup.find(id=ident).find_parent(["ol", "ul"])


def test_procedure_steps_are_one_list_with_their_details(pages: Pages, handbook: Handbook, to_html: Markdown) -> None:
    for procedure in handbook.procedures:
        _check_steps(_html(pages, f"procedures/{procedure.id}.md", to_html), procedure)


def _check_steps(soup: BeautifulSoup, procedure: Procedure) -> None:
    steps = _items(_list_after(soup, "steps"))
    assert [li.find(class_="hb-anchor")["id"] for li in steps] == [s.id for s in procedure.steps]
    for li, step in zip(steps, procedure.steps):
        lead, *details = li.find_all("p", recursive=False)
        assert step.action.rstrip("。") in lead.get_text() and lead.find(class_="hb-permalink")
        meta = " ".join(p.get_text() for p in details)
        for label, value in (("输出", step.output), ("时限", step.time_limit)):
            assert (f"{label}:{value}" in meta) == bool(value), (step.id, label)
        assert ("清单:" in meta) == bool(step.checklist), step.id
    participants = soup.find("strong", string="参与岗位:").parent
    assert "依据" not in participants.get_text()


def test_duty_groups_are_lists_and_a_draft_group_states_its_basis_once(pages: Pages, handbook: Handbook, to_html: Markdown) -> None:
    role = handbook.role("cs")
    for uri in ("regulation.md", "roles/cs.md"):
        soup = _html(pages, uri, to_html)
        for group in role.groups:
            assert [li.find(class_="hb-anchor")["id"] for li in _items(_list_of(soup, group.duties[0].id))] == \
                   [d.id for d in group.duties], (uri, group.id)
    regulation = _html(pages, "regulation.md", to_html)
    draft_group = next(g for g in role.groups if g.status == "draft")
    title = regulation.find(id=draft_group.id).parent
    assert title.name == "p" and title.find(class_="hb-draft-badge") and title.find(class_="hb-basis")
    for duty, li in zip(draft_group.duties, _items(_list_of(regulation, draft_group.duties[0].id))):
        assert not li.find(class_="hb-draft-badge"), duty.id
        assert bool(li.find(class_="hb-basis")) == (duty.basis != draft_group.basis), duty.id


def test_clauses_and_sub_items_keep_their_own_blocks(pages: Pages, handbook: Handbook, to_html: Markdown) -> None:
    soup = _html(pages, "regulation.md", to_html)
    for clause in handbook.chapters[0].clauses:
        block = soup.find(id=clause.item.id).parent
        assert block.name == "p" and len(block.find_all(class_="hb-anchor")) == 1, clause.item.id
    parent = next(d for d in handbook.role("manager").duties if d.items)
    assert len(_items(_list_of(soup, parent.items[0].id))) == len(parent.items)
    assert _list_of(soup, parent.items[0].id).find_parent("li").find(id=parent.id)


def test_role_page_lists_its_procedures_and_checklists_one_item_each(pages: Pages, handbook: Handbook, to_html: Markdown) -> None:
    for role in handbook.roles:
        soup = _html(pages, f"roles/{role.id}.md", to_html)
        for heading, records in (("procedures", handbook.procedures_by_role.get(role.id, [])),
                                 ("checklists", handbook.checklists_by_role.get(role.id, []))):
            following = _list_after(soup, heading)
            if records:
                assert len(_items(following)) == len(records), (role.id, heading)
            else:
                assert following.name == "p", (role.id, heading)


def test_onboarding_reading_is_a_numbered_list(pages: Pages, handbook: Handbook, to_html: Markdown) -> None:
    onboarding = handbook.onboardings[0]
    soup = _html(pages, f"onboarding/{onboarding.role}.md", to_html)
    assert len(_items(_list_after(soup, "reading"))) == len(onboarding.reading)


def test_glossary_terms_are_sections_with_aliases_apart_from_the_meaning(pages: Pages, handbook: Handbook, to_html: Markdown) -> None:
    soup = _html(pages, "glossary.md", to_html)
    levels = [int(h.name[1]) for h in soup.find_all(re.compile("^h[1-6]$"))]
    assert all(b <= a + 1 for a, b in zip(levels, levels[1:])), levels
    for term in handbook.glossary.terms:
        heading = soup.find(id=term.id)
        assert heading.name == "h2", term.id
        if term.aliases:
            aliases = heading.find_next_sibling("p")
            assert aliases.get_text().startswith("又称") and term.meaning[:8] not in aliases.get_text(), term.id


def test_front_matter_parses_and_list_pages_rank_low(pages: Pages) -> None:
    for uri in PAGES:
        if pages[uri].startswith("---"):
            assert get_data(pages[uri])[1], f"{uri}: front matter does not parse"
    for uri in LIST_PAGES:
        boost = get_data(pages[uri])[1]["search"]["boost"]
        assert boost < 1, uri
    assert get_data(pages["roles/cs.md"])[1]["search"]["boost"] > 1


def test_boilerplate_is_kept_out_of_search(pages: Pages, to_html: Markdown) -> None:
    soup = _html(pages, "procedures/return-refund.md", to_html)
    for selector in (".hb-control", ".admonition.draft", ".hb-flow"):
        found = soup.select_one(selector)
        assert found is not None and (found.has_attr("data-search-exclude")
                                      or found.find_parent(attrs={"data-search-exclude": True})), selector


def test_navigation_titles_are_the_page_headings(pages: Pages) -> None:
    """A page listed without a title takes its h1; a titled entry would be what <title> shows instead."""
    titled = {page for entry in yaml.safe_load(pages["nav.yml"]) if isinstance(entry, dict)
              for page in entry.values() if isinstance(page, str)}
    assert titled == {"index.md"}  # the home page's <title> is the site name


# --- rules that keep whitespace bugs from being written again ----------------------------------------------------

MARKER = re.compile(r"(?: {4})*(?:[-*+]|\d+\.) ")
PARAGRAPH_EXEMPT = ("#", "|", ">", "!!!", "```", "<span>", "---", "    ")
"""Line starts that are not running text: headings, tables, quotes, admonitions, fences, the spans of a document
control block (one paragraph on purpose), front matter, indented continuations."""
HTML_BLOCK = re.compile(r"</?(?:div|p|ul|ol|li|table|thead|tbody|tr|th|td|section|details|summary|pre|dl|dt|dd|nav|h[1-6])\b")


def markdown_problems(text: str) -> list[str]:
    """Places where Python-Markdown reads a page differently from what its template meant: a list item without a
    blank line before its list, a line that a list or paragraph swallows (lazy continuation), a nested list that
    a detail paragraph swallows, front matter that does not parse or sits below the first line. Line numbers
    count from the end of the front matter."""
    body, meta = get_data(text)
    problems = ["front matter does not parse"] if text.startswith("---") and not meta else []
    previous, in_list, fenced = "", False, False
    for number, line in enumerate(body.split("\n"), start=1):
        if line.startswith("```"):
            fenced = not fenced
        if fenced or line.startswith("```"):
            previous, in_list = line, False
            continue
        problems += [f"line {number}: {problem}" for problem in _line_problems(previous, line, in_list)
                     if number > 1 or line != "---"]
        # A list goes on through blank lines while its items' continuations are indented.
        if MARKER.match(line):
            in_list = True
        elif line.strip() and not line.startswith(" "):
            in_list = False
        previous = line
    return problems


def _line_problems(previous: str, line: str, in_list: bool) -> list[str]:
    problems = []
    if line == "---":
        problems.append("front matter below the first line")
    if MARKER.match(line) and not line.startswith(" ") and previous.strip() and not in_list:
        problems.append(f"list starts without a blank line: {line[:40]!r}")
    if in_list and previous.strip() and line.strip() and not line.startswith(" ") and not MARKER.match(line):
        problems.append(f"swallowed by the list above: {line[:40]!r}")
    if (MARKER.match(line) and line.startswith(" ") and previous.startswith(" ")
            and not MARKER.match(previous) and previous.strip()):
        problems.append(f"nested list swallowed by the paragraph above: {line[:40]!r}")
    if _is_paragraph_line(previous) and _is_paragraph_line(line):
        problems.append(f"two lines run into one paragraph: {line[:40]!r}")
    return problems


def _is_paragraph_line(line: str) -> bool:
    """A line of text at the left margin: templates write every paragraph on a line of its own."""
    return (bool(line.strip()) and not line.startswith(PARAGRAPH_EXEMPT) and not MARKER.match(line)
            and not HTML_BLOCK.match(line))


@pytest.mark.parametrize("uri", PAGES)
def test_golden_pages_are_well_formed_markdown(pages: Pages, uri: str) -> None:
    assert markdown_problems(pages[uri]) == []


def test_pages_of_the_real_data_are_well_formed_markdown(tmp_path_factory: pytest.TempPathFactory) -> None:
    problems = {uri: found for uri, text in _render(DATA, tmp_path_factory).items()
                if uri.endswith(".md") and uri != "editing/schema.md" and (found := markdown_problems(text))}
    assert problems == {}


TAG = re.compile(r"\{%.*?%\}|\{#.*?#\}", re.S)
"""A Jinja block tag or comment, which may span lines."""


def glued_lines(source: str) -> list[int]:
    """Lines of a template whose text ends in a bare block tag (`%}`): trim_blocks removes the newline after it,
    so the next line joins this one. End such a line with `+%}` (keep the newline) or `-%}` (join on purpose), or
    move the tag to a line of its own. `{% endmacro %}` is exempt: nothing after a macro is output."""
    lines = source.split("\n")
    text_only = TAG.sub(lambda m: "\n" * m.group().count("\n"), source).split("\n")
    found = []
    for index, line in enumerate(lines):
        stripped = line.rstrip()
        if not stripped.endswith("%}") or stripped.endswith(("-%}", "+%}")) or not text_only[index].strip():
            continue
        if re.search(r"\{%-?\s*endmacro\s*%\}$", stripped):
            continue
        following = lines[index + 1].lstrip() if index + 1 < len(lines) else ""
        if not following.startswith(("{%-", "{{-", "{#-")):
            found.append(index + 1)
    return found


def hand_written_list_lines(source: str) -> list[int]:
    """Lines of a page template that start a list item with a template value or tag on it: such items are
    written through blocks.md.j2, which indents their continuation (tables and static text are not lists)."""
    return [number for number, line in enumerate(source.split("\n"), start=1)
            if MARKER.match(line.lstrip()) and ("{{" in line or "{%" in line)]


MARKDOWN_TEMPLATES = sorted(p.relative_to(TEMPLATES).as_posix() for p in TEMPLATES.rglob("*.j2")
                            if p.name.endswith((".md.j2", ".yml.j2")))
"""Templates whose output is Markdown or YAML, where a line break is structure (not the HTML of export/)."""


@pytest.mark.parametrize("template", MARKDOWN_TEMPLATES)
def test_no_template_line_loses_its_newline(template: str) -> None:
    glued = glued_lines((TEMPLATES / template).read_text(encoding="utf-8"))
    assert not glued, (f"templates/{template}, lines {glued}: a text line ends in a bare block tag, whose newline "
                       "trim_blocks removes; end it with `+%}` to keep the newline or `-%}` to join the next line")


@pytest.mark.parametrize("template", sorted(p.name for p in TEMPLATES.glob("*.md.j2")
                                            if p.name not in {"diff.md.j2", "schema_reference.md.j2"}))
def test_page_templates_write_lists_through_the_list_macros(template: str) -> None:
    """diff.md.j2 (a pull-request comment) and the schema reference write flat lists of one line per item."""
    lines = hand_written_list_lines((TEMPLATES / template).read_text(encoding="utf-8"))
    assert not lines, f"templates/{template}, lines {lines}: write list items with b.ordered / b.bullets"


def test_the_rules_catch_the_bugs_they_are_for() -> None:
    """Each rule on a minimal example of the bug it prevents, so none can pass vacuously."""
    assert glued_lines("- a{% if x %} b{% endif %}\n- c\n") == [1]
    assert glued_lines("- a{% if x %} b{% endif +%}\n{% if y %}\nc\n{% endif %}\n") == []
    assert hand_written_list_lines("{% for s in steps %}\n1. {{ s }}\n{% endfor %}\n") == [2]
    broken_front_matter = "---\n{{ control }}\nsearch: {boost: 0.5}\n---\n# 岗位\n"
    assert markdown_problems(broken_front_matter) == [
        "front matter does not parse", "line 3: two lines run into one paragraph: 'search: {boost: 0.5}'",
        "line 4: front matter below the first line"]
    assert markdown_problems("text\n1. a\n") == ["line 2: list starts without a blank line: '1. a'"]
    assert markdown_problems("1. a\n\n    detail\n2. b\n") == []
    assert markdown_problems("1. a\ndetail\n") == ["line 2: swallowed by the list above: 'detail'"]
    assert markdown_problems("1. a\n\n    detail\n    - sub\n") == [
        "line 4: nested list swallowed by the paragraph above: '    - sub'"]
    assert markdown_problems("**一、**甲\n**二、**乙\n") == ["line 2: two lines run into one paragraph: '**二、**乙'"]
