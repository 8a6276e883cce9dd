"""What a reader sees on every page of a built handbook site, held against the data.

`check_site(site_dir, handbook)` parses each page of a built site once (a real HTML parser) and returns every
problem it finds as a readable line, e.g. `roles/cs/index.html: [list] 参与的流程: expected one list of 6 items ...`.
It knows the data model and the reader's view, not the templates: a list of N records must be ONE list element of N
items in data order (items found by their anchors, their first link or their text), the <title> is the h1 plus the
site name, no Markdown or YAML syntax shows as text, headings do not skip a level, nothing is titled "Index", and a
glossary term's aliases and definition are separate elements. It assumes directory URLs (page.md -> page/index.html)
and nothing else about the builder, so it can judge another builder's site of the same data.
"""
from __future__ import annotations

import re
from collections import Counter
from datetime import date
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import unquote, urljoin, urlsplit

from bs4 import BeautifulSoup, NavigableString, Tag

if TYPE_CHECKING:  # annotations only: the checker reads the records' fields, whatever module defines them
    from generator.pipeline import Handbook
    from generator.stages.model import Checklist, DutyGroup, Item, Onboarding, Procedure, Reading, Role, Term

ROOT = Path(__file__).resolve().parent.parent
TITLE_SEPARATOR = " - "
"""Material's <title>: "H1 - site name" (as on the hand-written editing/index.html); the home page: the site name."""
PRINT_PAGE = "print_page/index.html"
"""All pages in one (print-site): its headings are the pages' own, so it has many h1 and no title of its own."""

# Section headings a reader looks for on a page: the lists of the data that sit under them.
PROCEDURES_OF_ROLE = "参与的流程"
CHECKLISTS_OF_ROLE = "相关清单"
READING = "先读这些"
CONTACTS = "问谁"
NOTES = "注意事项"
DIAGRAM = "流程图"
RELATIONS = "工作关系"
ROLE_SECTIONS = {"authority": "工作权限", "qualifications": "任职资格", "kpis": "考核指标"}
HOME_ROLES = "岗位"
ACKNOWLEDGED = "签收情况"
"""The section of a role page, and the page, of who has confirmed the documents in force."""
BY_PERSON = "按人员"
SIGNOFF_HEADER = ["工号", "姓名", "岗位", "签字", "日期"]
SIGNOFF_STATEMENT = "本人已阅读并理解上述制度,同意遵守"

HEADINGS = ("h1", "h2", "h3", "h4", "h5", "h6")
BLOCKS = ("p", "li", "dd", "dt", "td", "th", "div", "blockquote", "section", "figcaption", "label", *HEADINGS)
LINE_BLOCKS = ("p", "li", "dd", "dt", "td", "th", "div", "blockquote", "section", "article", "main", "body", *HEADINGS)
READABLE_ATTRIBUTES = ("title", "aria-label", "alt", "placeholder")
"""Attributes a reader meets as a tooltip or a screen reader's label."""
NOT_PROSE = ("code", "pre", "kbd", "samp", "script", "style", "svg", "noscript", "template", "textarea", "head")
"""Text inside these is not prose: Markdown-like characters there are meant."""

LEAKS = {
    "---": re.compile(r"---"),
    "{ #…} / { .…} attribute list": re.compile(r"\{\s*[#.:][\w-]"),
    "**": re.compile(r"\*\*"),
    "front matter key (search:/boost:/hide:)": re.compile(r"(?<![\w-])(search|boost|hide|title|tags):(\s|$)"),
    "escaped entity such as &#40;": re.compile(r"&(#\d+|#x[0-9a-fA-F]+|[a-zA-Z]{2,8});"),
    "[¶]": re.compile(r"\[¶\]"),
    "Markdown link ](…)": re.compile(r"\]\("),
    "Jinja {{ / {%": re.compile(r"\{[{%]|[}%]\}"),
    "admonition !!!": re.compile(r"!!!"),
}
LIST_MARKER = re.compile(r"^\s*(\d+\.|[-*+])\s+\S")
"""A line of a paragraph that starts like a Markdown list item: the list was not parsed."""
INDEX_WORD = re.compile(r"\bindex\b", re.IGNORECASE)


@dataclass(frozen=True)
class Problem:
    kind: str
    """list, merged, title, leak, index-title, heading, glossary, missing-page, duplicate-id."""
    page: str
    message: str

    def __str__(self) -> str:
        return f"{self.page}: [{self.kind}] {self.message}"


@dataclass
class Page:
    path: str
    """Relative to the site, e.g. roles/cs/index.html."""
    soup: BeautifulSoup
    root: Tag
    """The page's content (its <article>), without header, navigation and footer."""
    _order: dict[int, int] = field(default_factory=dict)
    _prose: list[NavigableString] | None = None

    @property
    def prose(self) -> list[NavigableString]:
        """Every string of the body a reader sees as text, in document order."""
        if self._prose is None:
            self._prose = list(prose_strings(self.soup.body or self.soup))
        return self._prose

    def position(self, tag: Tag) -> int:
        """The tag's place in document order, to tell what comes first."""
        if not self._order:
            self._order = {id(t): i for i, t in enumerate(self.soup.find_all(True))}
        return self._order[id(tag)]

    def resolve(self, href: str) -> tuple[str, str | None] | None:
        """(page path, fragment) of an internal link; None for links leaving the site."""
        url = urlsplit(urljoin("/" + self.path, href))
        if url.scheme or url.netloc:
            return None
        path = unquote(url.path).lstrip("/")
        if path == "" or path.endswith("/"):
            path += "index.html"
        elif not path.rsplit("/", 1)[-1].count("."):
            path += "/index.html"
        return path, unquote(url.fragment) or None


@dataclass(frozen=True)
class Located:
    """Where one record of a list shows: the list item (li, or tr for a table) that holds it."""

    label: str
    row: Tag | None
    where: str = ""
    """When there is no row: what holds it instead."""
    text: str = ""
    """Text the row must show (the record's own text), if known."""


def check_site(site_dir: Path, handbook: Handbook, site_name: str | None = None) -> list[str]:
    """Every problem of every page of the site in site_dir, as lines for a reader of the CI log."""
    return [str(problem) for problem in find_problems(site_dir, handbook, site_name)]


def find_problems(site_dir: Path, handbook: Handbook, site_name: str | None = None) -> list[Problem]:
    site_name = site_name or read_site_name()
    pages = load_pages(site_dir)
    problems = missing_pages(pages, handbook)
    for page in pages.values():
        problems += check_page_text(page, site_name)
    problems += check_regulation(pages, handbook)
    for role in handbook.roles:
        problems += check_role(pages, handbook, role)
    for procedure in handbook.procedures:
        problems += check_procedure(pages, handbook, procedure)
    for checklist in handbook.checklists:
        problems += check_checklist(pages, handbook, checklist)
    for onboarding in handbook.onboardings:
        problems += check_onboarding(pages, handbook, onboarding)
    problems += check_glossary(pages, handbook)
    problems += check_list_pages(pages, handbook)
    problems += check_acknowledgements(pages, handbook)
    return sorted(problems, key=lambda problem: problem.page)  # stable: a page's problems stay in check order


def count_by_kind(problems: Iterable[Problem]) -> Counter[str]:
    return Counter(problem.kind for problem in problems)


def read_site_name(mkdocs_yml: Path = ROOT / "mkdocs.yml") -> str:
    # mkdocs.yml holds !ENV and !!python tags that a safe YAML loader refuses; the name is one plain line.
    match = re.search(r"^site_name:\s*(.+?)\s*$", mkdocs_yml.read_text(encoding="utf-8"), re.MULTILINE)
    if not match:
        raise ValueError(f"no site_name in {mkdocs_yml}")
    return match.group(1).strip("'\"")


def load_pages(site_dir: Path, only: Iterable[str] | None = None) -> dict[str, Page]:
    """The pages of the site (or only those paths of it, e.g. ["index.html"]), parsed."""
    files = sorted(site_dir.rglob("index.html")) if only is None else [site_dir / path for path in only]
    pages = {}
    for file in files:
        soup = BeautifulSoup(file.read_text(encoding="utf-8"), "html.parser")
        root = soup.find("article") or soup.find("main") or soup.body or soup
        path = file.relative_to(site_dir).as_posix()
        pages[path] = Page(path, soup, root)
    return pages


def html_path(md_page: str) -> str:
    """Where a page of the docs tree lands with directory URLs: roles/cs.md -> roles/cs/index.html."""
    stem = md_page.removesuffix(".md")
    if stem == "index" or stem.endswith("/index"):
        return stem + ".html"
    return stem + "/index.html"


def page_of(handbook: Handbook, ident: str) -> str:
    return html_path(handbook.targets[ident].page)


def target_of(handbook: Handbook, ident: str) -> tuple[str, str | None]:
    target = handbook.targets[ident]
    return html_path(target.page), target.anchor


# --- text of a page -------------------------------------------------------------------------------------------

def normalize(text: str) -> str:
    return " ".join(text.split())


def is_prose(string: NavigableString) -> bool:
    return type(string) is NavigableString and not in_code(string)  # not comments, doctype, CDATA


def in_code(node: Tag | NavigableString) -> bool:
    return any(parent.name in NOT_PROSE or "mermaid" in (parent.get("class") or ()) for parent in node.parents)


def prose_strings(tag: Tag) -> Iterator[NavigableString]:
    return (s for s in tag.find_all(string=True) if is_prose(s))


def text_of(tag: Tag) -> str:
    """The text a reader sees in tag, whitespace collapsed, without the ¶ of heading permalinks."""
    return normalize("".join(s for s in prose_strings(tag) if not in_headerlink(s)))


def nearest(node: Tag | NavigableString, names: Iterable[str]) -> Tag | None:
    """The closest enclosing element named one of names (bs4's find_parent is slow on big pages)."""
    return next((parent for parent in node.parents if parent.name in names), None)


def within(inner: Tag, outer: Tag) -> bool:
    """inner is a descendant of outer (by identity: bs4 compares tags by their markup)."""
    return any(parent is outer for parent in inner.parents)


def in_headerlink(string: NavigableString) -> bool:
    return any(p.name == "a" and "headerlink" in (p.get("class") or ()) for p in string.parents)


def heading_level(tag: Tag) -> int:
    return int(tag.name[1]) if tag.name in HEADINGS else 0


def block_of(tag: Tag) -> Tag | None:
    return tag if tag.name in BLOCKS else nearest(tag, BLOCKS)


def describe(tag: Tag | None) -> str:
    if tag is None:
        return "nothing"
    classes = ".".join(tag.get("class") or ())
    return f"<{tag.name}{'.' + classes if classes else ''}>"


def plural(count: int, noun: str) -> str:
    return f"{count} {noun}{'' if count == 1 else 's'}"


def short(text: str, width: int = 70) -> str:
    text = normalize(text)
    return text if len(text) <= width else text[: width - 1] + "…"


# --- checks of every page -------------------------------------------------------------------------------------

def check_page_text(page: Page, site_name: str) -> list[Problem]:
    problems = check_leaks(page) + check_index_titles(page) + check_heading_levels(page) + check_duplicate_ids(page)
    if page.path != PRINT_PAGE:
        problems += check_title(page, site_name)
    return problems


def check_title(page: Page, site_name: str) -> list[Problem]:
    h1s = page.root.find_all("h1")
    if len(h1s) != 1:
        texts = ", ".join(repr(text_of(h)) for h in h1s) or "none"
        return [Problem("title", page.path, f"expected exactly one h1, found {len(h1s)}: {texts}")]
    h1 = text_of(h1s[0])
    title = normalize(page.soup.title.get_text()) if page.soup.title else ""
    expected = h1 if h1 == site_name else f"{h1}{TITLE_SEPARATOR}{site_name}"
    if title != expected:
        return [Problem("title", page.path, f"<title> is {title!r}, expected {expected!r} (the h1 plus the site name)")]
    return []


def check_leaks(page: Page) -> list[Problem]:
    """Markdown, YAML or escaped entities where a reader sees them: in the text, or in a tooltip or label."""
    found: dict[str, list[str]] = {}
    for where, text in readable_texts(page):
        for name, pattern in LEAKS.items():
            if pattern.search(text):
                found.setdefault(f"{name!r} shows {where}", []).append(short(text))
    for block, text in block_texts(page):
        for line in text.splitlines():
            if LIST_MARKER.match(line):
                found.setdefault(f"a list marker starts a line of a <{block.name}>", []).append(short(line))
    return [Problem("leak", page.path, f"{name} ({len(examples)}×), e.g. «{examples[0]}»")
            for name, examples in found.items()]


def readable_texts(page: Page) -> Iterator[tuple[str, str]]:
    body = page.soup.body or page.soup
    if page.soup.title:
        yield "in the <title>", page.soup.title.get_text()
    for string in page.prose:
        yield "as text", str(string)
    for tag in body.find_all(True):
        for attribute in READABLE_ATTRIBUTES:
            value = tag.get(attribute)
            if value and not in_code(tag):
                yield f"in {attribute} attributes", value


def block_texts(page: Page) -> Iterator[tuple[Tag, str]]:
    """The text of each block, its own lines only (a nested block has lines of its own)."""
    parts: dict[int, tuple[Tag, list[str]]] = {}
    for string in page.prose:
        block = nearest(string, LINE_BLOCKS)
        if block is not None:
            parts.setdefault(id(block), (block, []))[1].append(str(string))
    return ((block, "".join(texts)) for block, texts in parts.values())


def check_index_titles(page: Page) -> list[Problem]:
    places = []
    if page.soup.title and INDEX_WORD.search(page.soup.title.get_text()):
        places.append("<title>")
    places += [f"<{h.name}>" for h in page.soup.find_all("h1") if INDEX_WORD.fullmatch(text_of(h))]
    body = page.soup.body or page.soup
    labels = [s for s in page.prose if INDEX_WORD.fullmatch(s.strip())]
    places += [f"navigation/footer text ({len(labels)}×)"] if labels else []
    attributes = [tag for tag in body.find_all(True) if any(INDEX_WORD.search(tag.get(a) or "")
                                                            for a in ("aria-label", "title"))]
    places += [f"aria-label/title attributes ({len(attributes)}×)"] if attributes else []
    return [Problem("index-title", page.path, f"a page is titled 'Index' in {', '.join(places)}")] if places else []


def check_heading_levels(page: Page) -> list[Problem]:
    problems, previous = [], 0
    for heading in page.root.find_all(HEADINGS):
        level = heading_level(heading)
        if level > previous + 1:
            after = f"h{previous}" if previous else "the start of the page"
            problems.append(Problem("heading", page.path, f"h{level} {text_of(heading)!r} follows {after}"))
        previous = level
    return problems


def check_duplicate_ids(page: Page) -> list[Problem]:
    counts = Counter(tag["id"] for tag in page.soup.find_all(id=True))
    repeated = sorted(ident for ident, n in counts.items() if n > 1)
    return [Problem("duplicate-id", page.path, f"ids used more than once: {', '.join(repeated)}")] if repeated else []


def missing_pages(pages: dict[str, Page], handbook: Handbook) -> list[Problem]:
    expected = {html_path(t.page) for t in handbook.targets.values()}
    expected |= {"index.html"} | {f"{folder}/index.html" for folder in LISTED_FOLDERS if handbook.listings[folder].records}
    return [Problem("missing-page", path, "the data has this page but the site does not")
            for path in sorted(expected - pages.keys())]


# --- finding the records of a list ------------------------------------------------------------------------------

def section(page: Page, title: str) -> list[Tag] | None:
    """The elements under the heading that reads `title`, up to the next heading of the same or a higher level."""
    heading = next((h for h in page.root.find_all(HEADINGS) if text_of(h) == title), None)
    if heading is None:
        return None
    level, tags = heading_level(heading), []
    for sibling in heading.next_siblings:
        if isinstance(sibling, Tag):
            if 0 < heading_level(sibling) <= level:
                break
            tags.append(sibling)
    return tags


def rows_in(tags: Sequence[Tag], row_tags: tuple[str, ...]) -> list[Tag]:
    return [row for tag in tags for row in ([tag] if tag.name in row_tags else []) + tag.find_all(row_tags)]


def by_anchor(page: Page, ident: str, text: str = "", row_tags: tuple[str, ...] = ("li",)) -> Located:
    anchor = page.root.find(id=ident)
    if anchor is None:
        return Located(ident, None, "is not on the page", text)
    row = anchor if anchor.name in row_tags else nearest(anchor, row_tags)
    return Located(ident, row, "" if row else f"is in {describe(block_of(anchor))}, not a list item", text)


def by_link(page: Page, scope: Sequence[Tag], target: tuple[str, str | None], label: str,
            row_tags: tuple[str, ...] = ("li",)) -> Located:
    """The row whose first link goes to target; else the row (or block) of any link to it."""
    def goes_there(link: Tag) -> bool:
        return page.resolve(link.get("href", "")) == target

    for row in rows_in(scope, row_tags):
        first = row.find("a", href=True)
        if first is not None and goes_there(first):
            return Located(label, row)
    link = next((a for tag in scope for a in tag.find_all("a", href=True) if goes_there(a)), None)
    if link is None:
        return Located(label, None, "is not linked there")
    row = nearest(link, row_tags)
    return Located(label, row, "" if row else f"is linked from {describe(block_of(link))}, not a list item")


def by_text(scope: Sequence[Tag], text: str, row_tags: tuple[str, ...] = ("li",)) -> Located:
    """The innermost row that shows text."""
    wanted, label = normalize(text), short(text, 30)
    rows = [row for row in rows_in(scope, row_tags) if wanted in text_of(row)]
    innermost = [row for row in rows if not any(within(other, row) for other in rows)]
    if innermost:
        return Located(label, innermost[-1])
    blocks = [b for tag in scope for b in [tag, *tag.find_all(BLOCKS)] if wanted in text_of(b)]
    where = f"is in {describe(blocks[-1])}, not a list item" if blocks else "is not there"
    return Located(label, None, where)


def check_list(page: Page, what: str, located: Sequence[Located], inside: Tag | None = None) -> list[Problem]:
    """The records must be the items of ONE list (ol/ul, or one table), exactly as many, in data order."""
    if not located:
        return []
    issues = [f"{item.label} {item.where}" for item in located if item.row is None]
    found = [item for item in located if item.row is not None]
    containers = list({id(item.row.parent): item.row.parent for item in found}.values())
    if len(containers) > 1:
        issues.append(f"they are spread over {len(containers)} lists")
    if containers:
        issues += list_shape(page, containers[0], found, len(located))
        if inside is not None and nearest(containers[0], ("li",)) is not inside:
            issues.append("the list is not inside the item it belongs to")
    issues += [f"{item.label}'s text is not in its item" for item in found
               if item.text and normalize(item.text) not in text_of(item.row)]
    if not issues:
        return []
    return [Problem("list", page.path, f"{what}: expected one list of {plural(len(located), 'item')} in data order; "
                                       + "; ".join(issues))]


def list_shape(page: Page, container: Tag, found: Sequence[Located], expected: int) -> list[str]:
    issues = []
    rows = container.find_all(found[0].row.name, recursive=False)
    if len(rows) != expected:
        issues.append(f"the {describe(container)} has {plural(len(rows), 'item')}")
    by_row: dict[int, list[str]] = {}
    for item in found:
        by_row.setdefault(id(item.row), []).append(item.label)
    issues += [f"{', '.join(labels)} share one item" for labels in by_row.values() if len(labels) > 1]
    place = {id(row): index for index, row in enumerate(rows)}
    positions = [place[id(item.row)] for item in found if item.row.parent is container]
    distinct = list(dict.fromkeys(positions))
    if distinct != sorted(distinct):
        issues.append(f"items out of data order (positions {[p + 1 for p in positions]})")
    return issues


# --- records on their pages -------------------------------------------------------------------------------------

def check_items(page: Page, what: str, items: Sequence[Item], inside: Tag | None = None) -> list[Problem]:
    """Numbered items (clause items, duties) with their sub-items, found by their anchors."""
    located = [by_anchor(page, item.id, item.text) for item in items]
    problems = check_list(page, what, located, inside)
    for item, where in zip(items, located):
        if item.items:
            problems += check_items(page, f"{what} → sub-items of {item.id}", item.items, where.row)
    return problems


def check_duty_groups(page: Page, role: Role, where: str) -> list[Problem]:
    problems = []
    for group in role.groups:
        what = f"{where} {group.title} duties" if group.title else f"{where} duties"
        problems += check_items(page, what, group.duties)
        if group.title:
            problems += check_group_title(page, group, what)
    return problems


def check_group_title(page: Page, group: DutyGroup, what: str) -> list[Problem]:
    """A titled group shows its title in an element of its own, before its list."""
    anchor = page.root.find(id=group.id)
    first = page.root.find(id=group.duties[0].id) if group.duties else None
    if anchor is None:
        issue = f"the group {group.id} is not on the page"
    elif group.title not in text_of(block_of(anchor) or anchor):
        issue = f"the element of {group.id} does not show its title {group.title!r}"
    elif first is not None and nearest(anchor, ("ol", "ul")) is not None and (
            within(first, nearest(anchor, ("ol", "ul")))):
        issue = f"the title {group.title!r} is inside the list of its duties"
    elif first is not None and page.position(anchor) > page.position(first):
        issue = f"the title {group.title!r} comes after its duties"
    else:
        return []
    return [Problem("list", page.path, f"{what}: {issue}")]


def check_regulation(pages: dict[str, Page], handbook: Handbook) -> list[Problem]:
    page = pages.get(html_path(handbook.targets[handbook.chapters[0].id].page)) if handbook.chapters else None
    if page is None:
        return []
    problems = []
    for chapter in handbook.chapters:
        name = f"chapter {chapter.number} {chapter.title}"
        clauses = [clause.item for clause in chapter.clauses if clause.item]
        problems += check_clauses(page, f"{name} clauses", clauses)
        for clause in clauses:
            if clause.items:
                problems += check_items(page, f"{name} clause {clause.number}'s items", clause.items)
        for clause in chapter.clauses:
            if clause.role_id:
                role = handbook.role(clause.role_id)
                problems += check_duty_groups(page, role, f"{name} clause {clause.number} {role.title}")
    return problems


def check_clauses(page: Page, what: str, clauses: Sequence[Item]) -> list[Problem]:
    """Clauses of a chapter read as separate blocks (paragraphs, or the items of one list), in order."""
    located = [by_anchor(page, clause.id, clause.text) for clause in clauses]
    if any(item.row is not None for item in located):
        return check_list(page, what, located)
    issues, seen = [], {}
    for clause in clauses:
        anchor = page.root.find(id=clause.id)
        if anchor is None:
            issues.append(f"{clause.id} is not on the page")
            continue
        block = block_of(anchor) or anchor
        seen.setdefault(id(block), (block, []))[1].append(clause.id)
        if normalize(clause.text) not in text_of(block):
            issues.append(f"{clause.id}'s text is not in its {describe(block)}")
    issues += [f"{' and '.join(ids)} are merged into one {describe(block)}" for block, ids in seen.values()
               if len(ids) > 1]
    return [Problem("merged", page.path, f"{what}: expected {len(clauses)} separate blocks; " + "; ".join(issues))
            ] if issues else []


def check_role(pages: dict[str, Page], handbook: Handbook, role: Role) -> list[Problem]:
    page = pages.get(page_of(handbook, role.id))
    if page is None:
        return []
    problems = check_duty_groups(page, role, role.title)
    for key, heading in ROLE_SECTIONS.items():
        part = getattr(role, key)
        if part and part.items:
            problems += check_text_list(page, heading, f"{heading} of {role.title}", part.items)
    if role.relations:
        for lines, kind in ((role.relations.internal, "internal"), (role.relations.external, "external")):
            problems += check_text_list(page, RELATIONS, f"{RELATIONS} ({kind}) of {role.title}", lines)
    procedures = handbook.procedures_by_role.get(role.id, ())
    problems += check_linked_list(page, PROCEDURES_OF_ROLE, f"{PROCEDURES_OF_ROLE} of {role.title}",
                                  [(target_of(handbook, p.id), p.title) for p in procedures])
    checklists = handbook.checklists_by_role.get(role.id, ())
    problems += check_linked_list(page, CHECKLISTS_OF_ROLE, f"{CHECKLISTS_OF_ROLE} of {role.title}",
                                  [(target_of(handbook, c.id), c.title) for c in checklists])
    return problems


def check_text_list(page: Page, heading: str, what: str, lines: Sequence[str],
                    row_tags: tuple[str, ...] = ("li",)) -> list[Problem]:
    if not lines:
        return []
    scope = section(page, heading)
    if scope is None:
        return [Problem("list", page.path, f"{what}: no heading {heading!r} on the page")]
    return check_list(page, what, [by_text(scope, line, row_tags) for line in lines])


def check_linked_list(page: Page, heading: str | None, what: str,
                      targets: Sequence[tuple[tuple[str, str | None], str]],
                      row_tags: tuple[str, ...] = ("li",)) -> list[Problem]:
    """Records identified by the first link of their item; under `heading`, or anywhere in the page."""
    if not targets:
        return []
    scope = section(page, heading) if heading else [page.root]
    if scope is None:
        return [Problem("list", page.path, f"{what}: no heading {heading!r} on the page")]
    return check_list(page, what, [by_link(page, scope, target, label, row_tags) for target, label in targets])


def check_procedure(pages: dict[str, Page], handbook: Handbook, procedure: Procedure) -> list[Problem]:
    page = pages.get(page_of(handbook, procedure.id))
    if page is None:
        return []
    located = [by_anchor(page, step.id, step.action) for step in procedure.steps]
    problems = check_list(page, f"steps of {procedure.title}", located)
    problems += check_step_details(page, handbook, procedure, located)
    problems += check_flow_text(page, procedure, located)
    problems += check_flow_diagram(page, procedure)
    problems += check_text_list(page, NOTES, f"{NOTES} of {procedure.title}", procedure.notes)
    return problems


def _anchor_of(procedure: Procedure, ident: str) -> str:
    return ident if any(step.id == ident for step in procedure.steps) else f"end-{ident}"


def check_flow_text(page: Page, procedure: Procedure, located: Sequence[Located]) -> list[Problem]:
    """The text form reads without the diagram: a decision's item writes out each answer with a link to where it
    leads, an action's item links its way on unless that is simply the step below, and 结果 lists the ends."""
    issues = []
    for n, (step, where) in enumerate(zip(procedure.steps, located)):
        if where.row is None:
            continue
        text, links = text_of(where.row), {page.resolve(a["href"]) for a in where.row.find_all("a", href=True)}
        below = procedure.steps[n + 1].id if n + 1 < len(procedure.steps) else "done"
        for branch in step.branches:
            if not step.decision and branch.to == below and not branch.back:
                continue
            if branch.when and normalize(branch.when) not in text:
                issues.append(f"step {step.number} lacks the answer {short(branch.when, 20)!r}")
            if (page.path, _anchor_of(procedure, branch.to)) not in links:
                issues.append(f"step {step.number} does not link {branch.to}")
    problems = [Problem("list", page.path, f"flow of {procedure.title}: " + "; ".join(issues))] if issues else []
    if any(end.title for end in procedure.ends):
        found = [by_anchor(page, f"end-{end.id}", end.title or "") for end in procedure.ends]
        problems += check_list(page, f"ends of {procedure.title}", found)
    return problems


def check_flow_diagram(page: Page, procedure: Procedure) -> list[Problem]:
    """The diagram, drawn at build time: a lane per actor, a node per step, a diamond per decision, a terminal
    per end, an arrow per way on, and a caption that names it for readers who cannot see it."""
    svg = page.root.select_one(".hb-flow svg")
    if svg is None:
        heading = section(page, DIAGRAM)
        return [Problem("diagram", page.path, f"{procedure.title}: no diagram under {DIAGRAM}")] if heading else []
    counts = {
        "lanes": ([lane["data-role"] for lane in svg.select(".hb-lane")], list(procedure.actors)),
        "decisions": (len(svg.select(".hb-decision")), sum(s.decision for s in procedure.steps)),
        "ends": (len(svg.select(".hb-end")), len(procedure.ends)),
        "nodes": ([g["data-node"] for g in svg.select(".hb-node:not(.hb-end)")], [s.id for s in procedure.steps]),
        "arrows": (len(svg.select(".hb-arrow")), sum(len(s.branches) for s in procedure.steps)),
    }
    wrong = [f"{name}: {found} drawn, {wanted} in the data" for name, (found, wanted) in counts.items()
             if found != wanted]
    caption = page.root.find(id=svg.get("aria-labelledby"))
    if svg.get("role") != "img" or caption is None or procedure.title not in text_of(caption):
        wrong.append("no caption names the diagram")
    return [Problem("diagram", page.path, f"{procedure.title}: " + "; ".join(wrong))] if wrong else []


def check_step_details(page: Page, handbook: Handbook, procedure: Procedure,
                       located: Sequence[Located]) -> list[Problem]:
    """A step's output, time limit, basis and checklist belong to its item, not to the paragraph after it."""
    issues = []
    for step, where in zip(procedure.steps, located):
        if where.row is None:
            continue
        texts = [text for text in (step.output, step.time_limit) if text]
        missing = [short(text, 20) for text in texts if normalize(text) not in text_of(where.row)]
        links = {page.resolve(a["href"]) for a in where.row.find_all("a", href=True)}
        wanted = [*step.basis, *([step.checklist] if step.checklist else [])]
        missing += [ident for ident in wanted if ident in handbook.targets and target_of(handbook, ident) not in links]
        if missing:
            issues.append(f"step {step.number} lacks {', '.join(missing)}")
    if not issues:
        return []
    return [Problem("list", page.path, f"steps of {procedure.title}: details outside their step: " + "; ".join(issues))]


def check_checklist(pages: dict[str, Page], handbook: Handbook, checklist: Checklist) -> list[Problem]:
    page = pages.get(page_of(handbook, checklist.id))
    if page is None:
        return []
    return check_list(page, f"items of {checklist.title}", [by_anchor(page, i.id, i.text) for i in checklist.items])


def check_onboarding(pages: dict[str, Page], handbook: Handbook, onboarding: Onboarding) -> list[Problem]:
    page = pages.get(page_of(handbook, onboarding.id))
    if page is None:
        return []
    name = f"onboarding of {handbook.role(onboarding.role).title}"
    problems = check_linked_list(page, READING, f"{READING} ({name})",
                                 [(target_of(handbook, r.ref), r.ref) for r in onboarding.reading])
    scope = section(page, READING) or []
    problems += [Problem("list", page.path, f"{READING} ({name}): the note of {r.ref} is not in its item")
                 for r in onboarding.reading if r.note and not note_in_item(page, scope, handbook, r)]
    for phase in onboarding.phases:
        located = [by_anchor(page, item.id, item.text) for item in phase.items]
        problems += check_list(page, f"{phase.key} tasks ({name})", located)
    problems += check_text_list(page, CONTACTS, f"{CONTACTS} ({name})", [c.topic for c in onboarding.contacts],
                                ("li", "tr"))
    return problems


def note_in_item(page: Page, scope: Sequence[Tag], handbook: Handbook, reading: Reading) -> bool:
    where = by_link(page, scope, target_of(handbook, reading.ref), reading.ref)
    return where.row is None or normalize(reading.note) in text_of(where.row)


def check_glossary(pages: dict[str, Page], handbook: Handbook) -> list[Problem]:
    glossary = handbook.glossary
    page = pages.get(page_of(handbook, glossary.terms[0].id)) if glossary and glossary.terms else None
    if page is None:
        return []
    problems = []
    for term in glossary.terms:
        issue = term_issue(page, term)
        if issue:
            problems.append(Problem("glossary", page.path, f"term {term.term} ({term.id}): {issue}"))
    return problems


def term_issue(page: Page, term: Term) -> str | None:
    anchor = page.root.find(id=term.id)
    if anchor is None:
        return "not on the page"
    if term.term not in text_of(anchor):
        return f"its element {describe(anchor)} does not show the term"
    region = term_region(anchor)
    meaning = innermost_blocks(region, [term.meaning])
    if not meaning:
        return "its definition is not shown under it"
    if not term.aliases:
        return None
    aliases = innermost_blocks(region, list(term.aliases))
    if not aliases:
        return f"its aliases {'、'.join(term.aliases)} are not shown under it"
    apart = [a for a in aliases if all(a is not m and not within(m, a) and not within(a, m) for m in meaning)]
    return None if apart else f"its aliases and its definition share one {describe(aliases[0])}"


def term_region(anchor: Tag) -> list[Tag]:
    """What belongs to a term: after its heading up to the next heading (or after its <dt> up to the next <dt>)."""
    stop = (lambda t: 0 < heading_level(t) <= heading_level(anchor)) if anchor.name in HEADINGS else (
        (lambda t: t.name == "dt") if anchor.name == "dt" else None)
    if stop is None:
        return [anchor]
    region = []
    for sibling in anchor.next_siblings:
        if isinstance(sibling, Tag):
            if stop(sibling):
                break
            region.append(sibling)
    return region


def innermost_blocks(region: Sequence[Tag], texts: Sequence[str]) -> list[Tag]:
    wanted = [normalize(t) for t in texts]
    blocks = [b for tag in region for b in [tag, *tag.find_all(BLOCKS)]
              if b.name in BLOCKS and all(w in text_of(b) for w in wanted)]
    return [b for b in blocks if not any(within(other, b) for other in blocks)]


# --- list pages ---------------------------------------------------------------------------------------------------

LISTED_FOLDERS = ("roles", "procedures", "checklists", "onboarding")
OTHER_DEPARTMENT = "其他"
"""The heading of the records of a list shown by department whose owner is no role."""


def check_list_pages(pages: dict[str, Page], handbook: Handbook) -> list[Problem]:
    """Each list page (roles/, procedures/, …) shows every record once, in data order: as one list, or, when the
    handbook lists them by department, as one list under each department's heading. The home page shows the
    department's roles, or, by department, one row per department linked to its part of the roles page."""
    problems = []
    for folder in LISTED_FOLDERS:
        listing = handbook.listings[folder]
        page = pages.get(f"{folder}/index.html")
        if page is None or not listing.records:
            continue
        groups = listing.by_department.items() if listing.grouped else [(None, listing.records)]
        for department, records in groups:
            heading = None if department is None else department or OTHER_DEPARTMENT
            problems += check_linked_list(page, heading, f"the {folder} listed" + (f" under {heading}" if heading else ""),
                                          [(target_of(handbook, r.id), r.id) for r in records], ("li", "tr"))
    home = pages.get("index.html")
    if home is None:
        return problems
    roles = handbook.listings["roles"]
    if roles.grouped:
        rows = [(("roles/index.html", handbook.department_anchor(department, "dept")), department or OTHER_DEPARTMENT)
                for department in roles.by_department]
        problems += check_linked_list(home, HOME_ROLES, f"departments on the home page ({HOME_ROLES})", rows, ("tr",))
    else:
        department = [r for r in handbook.roles if not r.external]
        problems += check_linked_list(home, HOME_ROLES, f"roles on the home page ({HOME_ROLES})",
                                      [(target_of(handbook, r.id), r.title) for r in department])
    return problems


# --- people and acknowledgements (only for a handbook with a roster, data/people.yml) -------------------------------

def check_acknowledgements(pages: dict[str, Page], handbook: Handbook, today: date | None = None) -> list[Problem]:
    """签收情况 lists every person on the staff once, in roster order; each role page's 签收情况 holds one table per
    document, of exactly the role's people; every released version has its 签收单 with the sheet's columns."""
    roster = getattr(handbook, "roster", None)
    if roster is None or roster.source is None:
        return []
    today = today or date.today()
    people = [person for person in roster.people if person.active_on(today)]
    problems = missing_signoffs(pages, handbook)
    summary = pages.get("acknowledgements/index.html")
    if summary is None:
        problems.append(Problem("missing-page", "acknowledgements/index.html", "the roster has no 签收情况 page"))
    else:
        problems += check_text_list(summary, BY_PERSON, f"{BY_PERSON} (everyone on the staff)",
                                    [p.staff_no for p in people], ("tr",))
    for role in handbook.roles:
        page = pages.get(page_of(handbook, role.id))
        if page is not None and not role.external:
            problems += check_role_acknowledgements(page, role, [p for p in people if p.role == role.id],
                                                    in_force(handbook, "regulation", today))
    for path, page in pages.items():
        if path.endswith("/signoff/index.html"):
            problems += check_signoff(page)
    return problems


def in_force(handbook: Handbook, document: str, today: date) -> bool:
    entry = next((e for e in handbook.register.documents if e.document == document), None)
    return entry is not None and any(r.effective is None or r.effective <= today.isoformat() for r in entry.releases)


def missing_signoffs(pages: dict[str, Page], handbook: Handbook) -> list[Problem]:
    expected = {f"editions/{e.doc_no}/{r.version}/signoff/index.html" for e in handbook.register.documents
                for r in e.releases}
    return [Problem("missing-page", path, "this released version has no 签收单")
            for path in sorted(expected - pages.keys())]


def check_role_acknowledgements(page: Page, role: Role, holders: Sequence[object], regulation: bool) -> list[Problem]:
    """Under 签收情况, one subsection (h3) per document in force, each one table of the role's holders, one row
    each, in roster order."""
    scope = section(page, ACKNOWLEDGED)
    if scope is None:
        return [Problem("list", page.path, f"{ACKNOWLEDGED} of {role.title}: no heading {ACKNOWLEDGED!r} on the page")]
    documents: list[tuple[str, list[Tag]]] = []
    for tag in scope:
        if tag.name == "h3":
            documents.append((text_of(tag), []))
        elif documents and heading_level(tag) == 0:
            documents[-1][1].append(tag)
    if holders and regulation and not documents:
        return [Problem("list", page.path, f"{ACKNOWLEDGED} of {role.title}: {plural(len(holders), 'holder')} but "
                                           "no document of theirs, though the regulation is in force")]
    problems = []
    for title, part in documents:
        located = [by_text(part, person.staff_no, ("tr",)) for person in holders]
        problems += check_list(page, f"{ACKNOWLEDGED} of {role.title}, {title}", located)
    return problems


def check_signoff(page: Page) -> list[Problem]:
    """A 签收单: the statement to sign, and a table whose header is the sheet's five columns."""
    issues = []
    if SIGNOFF_STATEMENT not in text_of(page.root):
        issues.append(f"the statement {SIGNOFF_STATEMENT!r} is missing")
    tables = page.root.find_all("table")
    header = [text_of(th) for th in tables[0].find_all("th")] if tables else []
    if len(tables) != 1 or header != SIGNOFF_HEADER:
        issues.append(f"expected one table headed {SIGNOFF_HEADER}, found {len(tables)} (header {header})")
    return [Problem("list", page.path, "签收单: " + "; ".join(issues))] if issues else []
