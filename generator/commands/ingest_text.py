"""A Chinese regulation's text -> its structure: chapters (第X章), clauses (一、 or 第X条), the roles of a duties
chapter with their duty groups (售前: / 售后:), duties (1.) and sub-duties ((1), or after a colon).

Two kinds of input. Lines (a .txt or the paragraphs of a .docx): markers start lines. A web preview (the seed):
each page is one line starting with its page number ("3、…"), so the whole text is one run in which markers are
found by their sequence — 二、 only after 一、, 2. after 1. — and after a sentence end. Numbers that restart at 1
where a page broke the list are repaired. Every decision that could be wrong is kept as a Note with its source
line, for the review report. The words recognised are in templates/import/vocabulary.yml.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Iterable

import yaml

from ..stages.render import TEMPLATES_DIR

APPROVED, DRAFT = "approved", "draft"


@dataclass(frozen=True)
class Line:
    number: int
    text: str
    style: str | None = None
    """The paragraph style of a .docx paragraph (Title, Heading 1, TOC 1 …); None for plain text."""


@dataclass
class Note:
    """An uncertain decision (or a dropped piece of text), for the editor to check at its source line."""

    code: str
    line: int
    excerpt: str
    detail: dict[str, str] = field(default_factory=dict)


@dataclass
class Duty:
    number: int
    text: str
    line: int
    status: str = APPROVED
    items: list[Duty] = field(default_factory=list)


@dataclass
class Group:
    title: str | None
    line: int
    status: str = APPROVED
    duties: list[Duty] = field(default_factory=list)


@dataclass
class RoleText:
    title: str
    line: int
    status: str = APPROVED
    intro: str | None = None
    boss: str | None = None
    """The title of whom the role reports to, as the text says (在总经理领导下 -> 总经理)."""
    groups: list[Group] = field(default_factory=list)

    @property
    def duties(self) -> list[Duty]:
        return [duty for group in self.groups for duty in group.duties]


@dataclass
class ClauseText:
    number: int
    line: int
    text: str | None = None
    status: str = APPROVED
    items: list[Duty] = field(default_factory=list)
    role: RoleText | None = None


@dataclass
class ChapterText:
    number: int
    title: str
    line: int
    status: str = APPROVED
    intro: str | None = None
    clauses: list[ClauseText] = field(default_factory=list)


@dataclass
class Regulation:
    title: str
    chapters: list[ChapterText]
    roles_listed: list[str]
    notes: list[Note]

    @property
    def roles(self) -> list[RoleText]:
        return [c.role for chapter in self.chapters for c in chapter.clauses if c.role]


@lru_cache(maxsize=4)
def vocabulary(path: Path = TEMPLATES_DIR / "import" / "vocabulary.yml") -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def cn_number(text: str) -> int:
    """一 -> 1, 十 -> 10, 十三 -> 13, 二十一 -> 21, 一百零二 -> 102."""
    digits = {c: n for n, c in enumerate("零一二三四五六七八九")} | {"〇": 0}
    total, current = 0, 0
    for char in text:
        if char == "百":
            total += (current or 1) * 100
            current = 0
        elif char == "十":
            total += (current or 1) * 10
            current = 0
        else:
            current = digits[char]
    return total + current


class Text:
    """The regulation as one string, with the source line of every character."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.origins: list[int] = []
        self.page_starts: set[int] = set()
        self.line_mode = True

    def add(self, text: str, line: int) -> None:
        self.parts.append(text)
        self.origins.extend([line] * len(text))

    @property
    def text(self) -> str:
        return "".join(self.parts)

    def line_at(self, pos: int) -> int:
        if not self.origins:
            return 0
        return self.origins[min(max(pos, 0), len(self.origins) - 1)]


def prepare(lines: list[Line], notes: list[Note]) -> Text:
    """The text to split: a web preview's pages joined, or the lines up to the end of the regulation."""
    words = vocabulary()
    marker = re.compile(words["page_marker"])
    pages = _page_lines(lines, marker)
    if len(pages) >= 2:
        return _joined_pages(lines, pages, marker, notes)
    return _plain_lines(lines, notes)


def _page_lines(lines: list[Line], marker: re.Pattern[str]) -> list[Line]:
    """Lines that start with page numbers 1, 2, 3 … in order (a web preview's pages)."""
    found, expected = [], 1
    for line in lines:
        match = marker.match(line.text)
        if match and int(match.group("n")) == expected:
            found.append(line)
            expected += 1
    return found


def _joined_pages(lines: list[Line], pages: list[Line], marker: re.Pattern[str], notes: list[Note]) -> Text:
    words = vocabulary()
    text = Text()
    text.line_mode = False
    page_numbers = {line.number for line in pages}
    _note_dropped([l for l in lines if l.number not in page_numbers and l.text.strip()], notes)
    boilerplate = re.compile(words["boilerplate_start"])
    for line in pages:
        content = line.text[marker.match(line.text).end():].rstrip("\n")
        cut = boilerplate.search(content)
        if cut:
            notes.append(Note("dropped", line.number, content[cut.start():cut.start() + 30]))
            content = content[:cut.start()]
        text.page_starts.add(len(text.text))
        text.add(content.strip(), line.number)
    notes.append(Note("pages-joined", pages[0].number, pages[0].text[:30], {"count": str(len(pages))}))
    return text


def _note_dropped(dropped: list[Line], notes: list[Note]) -> None:
    """One note per run of consecutive dropped lines."""
    run: list[Line] = []
    for line in dropped + [Line(-1, "")]:
        if run and (line.number != run[-1].number + 1 and line.number - run[-1].number > 2):
            notes.append(Note("dropped", run[0].number, run[0].text.strip()[:30],
                              {"count": str(len(run)), "last": str(run[-1].number)}))
            run = []
        if line.number > 0:
            run.append(line)


def _plain_lines(lines: list[Line], notes: list[Note]) -> Text:
    words = vocabulary()
    text = Text()
    boilerplate = re.compile(words["boilerplate_start"])
    in_toc = False
    for line in lines:
        content = line.text.strip()
        if not content:
            continue
        if content in words["end_headings"]:
            notes.append(Note("stopped", line.number, content))
            break
        if re.fullmatch(words["toc_heading"], content.replace(" ", "").replace("\u3000", "")):
            in_toc = True
            continue
        if in_toc and (_is_toc_entry(line)):
            continue
        in_toc = False
        cut = boilerplate.search(content)
        if cut:
            notes.append(Note("dropped", line.number, content[cut.start():cut.start() + 30]))
            content = content[:cut.start()].strip()
            if content:
                text.add(content + "\n", line.number)
            break
        text.add(content + "\n", line.number)
    return text


def _is_toc_entry(line: Line) -> bool:
    if line.style and line.style.upper().startswith("TOC"):
        return True
    return bool(re.search(r"(\t|\.{3,}|…{2,})\s*\d+\s*$", line.text))


@dataclass(frozen=True)
class Token:
    kind: str
    """chapter, clause (一、 or 第X条), item (1.) or subitem ((1))."""
    start: int
    end: int
    number: int


def tokens(source: Text, notes: list[Note]) -> list[Token]:
    """The markers that start chapters, clauses, items and sub-items, in order; numbers repaired."""
    words = vocabulary()
    text = source.text
    patterns = [("chapter", words["chapter"]), ("article", words["article"]), ("clause", words["clause"]),
                ("subitem", words["subitem"]), ("item", words["item"])]
    combined = re.compile("|".join(f"(?P<{kind}>{_renamed(p, kind)})" for kind, p in patterns))
    boundary = re.compile(words["boundary"])
    found: list[Token] = []
    state = {"chapter": 0, "clause": 0, "article": 0, "item": 0, "raw": 0, "subitem": 0}
    """The last number of each kind; `raw` is the item number as written, `item` as repaired."""
    for match in combined.finditer(text):
        kind = match.lastgroup
        number_text = match.group(f"{kind}_n")
        number = int(number_text) if number_text.isdigit() else cn_number(number_text)
        at_boundary = match.start() == 0 or bool(boundary.match(text[match.start() - 1]))
        if source.line_mode and match.start() > 0 and text[match.start() - 1] != "\n" and kind != "subitem":
            continue
        token = _accept(kind, number, match, at_boundary, state, found, source, notes)
        if token:
            found.append(token)
    return found


def _renamed(pattern: str, kind: str) -> str:
    return pattern.replace("(?P<n>", f"(?P<{kind}_n>")


def _accept(kind: str, number: int, match: re.Match[str], at_boundary: bool, state: dict[str, int],
            found: list[Token], source: Text, notes: list[Note]) -> Token | None:
    last = found[-1].kind if found else None
    if kind == "chapter" and number == state["chapter"] + 1 and (at_boundary or state["chapter"] == 0):
        state.update(chapter=number, clause=0, item=0, raw=0, subitem=0)
        return Token("chapter", match.start(), match.end(), number)
    if kind in ("clause", "article") and state["chapter"] and (at_boundary or last == "chapter"):
        expected = state["clause"] + 1 if kind == "clause" else state["article"] + 1
        # On lines of their own, a number out of sequence is still a clause: Word's automatic numbering may run
        # on from the chapter before (三、 for the first clause of 第二章). It is renumbered, with a note.
        if number == expected or source.line_mode:
            if number != expected:
                notes.append(Note("clause-renumbered", source.line_at(match.start()),
                                  source.text[match.start():match.start() + 20],
                                  {"was": str(number), "number": str(state["clause"] + 1)}))
            state.update(clause=state["clause"] + 1, item=0, raw=0, subitem=0)
            if kind == "article":
                state["article"] = number
            return Token("clause", match.start(), match.end(), state["clause"])
    if kind == "item" and state["clause"] and at_boundary:
        return _item(number, match, state, found, source, notes)
    if kind == "subitem" and state["item"] and number == state["subitem"] + 1:
        state["subitem"] = number
        return Token("subitem", match.start(), match.end(), number)
    return None


def _item(number: int, match: re.Match[str], state: dict[str, int], found: list[Token], source: Text,
          notes: list[Note]) -> Token | None:
    expected = state["item"] + 1
    if number == state["raw"] + 1:
        state.update(item=expected, raw=number, subitem=0)
        return Token("item", match.start(), match.end(), expected)
    if number != 1:
        return None
    text = source.text
    between = text[found[-1].end:match.start()] if found else ""
    if _group_label_at_end(between):
        state.update(item=1, raw=1, subitem=0)
        return Token("item", match.start(), match.end(), 1)
    # 1. again inside one list: a page (or a new paragraph) broke the numbering. The list goes on.
    page_break = any(found[-1].end <= start <= match.start() for start in source.page_starts) if found else False
    notes.append(Note("numbering-restarted", source.line_at(match.start()), text[match.start():match.start() + 24],
                      {"after": str(state["item"]), "number": str(expected), "page_break": "yes" if page_break else ""}))
    state.update(item=expected, raw=1, subitem=0)
    return Token("item", match.start(), match.end(), expected)


def _group_label_at_end(segment: str) -> re.Match[str] | None:
    words = vocabulary()
    pattern = (rf"(?:^|(?<={words['terminator']})|(?<={words['colon']})|(?<=\n))(?P<label>{words['group_label']})"
               rf"{words['colon']}(?P<mark>\s*{words['draft_mark']})?\s*$")
    return re.search(pattern, segment)


def split_regulation(lines: list[Line], known_chapters: Iterable[str] = (), known_roles: Iterable[str] = ()
                     ) -> Regulation:
    """The structure of a regulation's lines. `known_chapters` / `known_roles`: titles the handbook already has,
    which tell where a title ends when the text runs it together with what follows (第二章工作岗位职责网络技术部…)."""
    notes: list[Note] = []
    source = prepare(lines, notes)
    found = tokens(source, notes)
    builder = _Builder(source, notes, tuple(known_chapters), tuple(known_roles))
    builder.run(found)
    return Regulation(builder.title, builder.chapters, builder.roles_listed, notes)


class _Builder:
    def __init__(self, source: Text, notes: list[Note], known_chapters: tuple[str, ...],
                 known_roles: tuple[str, ...]) -> None:
        self.source, self.notes = source, notes
        self.text = source.text
        self.words = vocabulary()
        self.known_chapters, self.known_roles = known_chapters, known_roles
        self.title = ""
        self.chapters: list[ChapterText] = []
        self.roles_listed: list[str] = []
        self.clause: ClauseText | None = None
        self.duty: Duty | None = None
        self.pending_group: tuple[str, int] | None = None

    def segment(self, found: list[Token], index: int) -> str:
        end = found[index + 1].start if index + 1 < len(found) else len(self.text)
        return self.text[found[index].end:end]

    def run(self, found: list[Token]) -> None:
        self.title = _clean(self.text[:found[0].start] if found else self.text)
        for index, token in enumerate(found):
            segment = self.segment(found, index)
            last = index + 1 == len(found)
            if last:
                segment = self.cut_truncated(segment, token)
            getattr(self, f"on_{token.kind}")(token, segment)

    def line(self, token: Token) -> int:
        return self.source.line_at(token.start)

    def cut_truncated(self, segment: str, token: Token) -> str:
        """A fragment after the last sentence end of the whole text (…其他任务;售) is a cut-off preview."""
        match = re.search(rf"(?<={self.words['terminator']})(?P<rest>[^;;。\n]{{1,12}})\s*$", segment)
        if match and not re.search(self.words["colon"], match.group("rest")):
            self.notes.append(Note("truncated", self.source.line_at(token.end + match.start()), match.group("rest")))
            return segment[:match.start()]
        return segment

    def on_chapter(self, token: Token, segment: str) -> None:
        title, intro = self.chapter_title(token, segment)
        status, title = _status(title)
        chapter = ChapterText(token.number, title, self.line(token), status, intro)
        self.chapters.append(chapter)
        self.clause, self.duty = None, None
        if intro:
            listed = re.search(self.words["role_list"], intro)
            if listed:
                self.roles_listed = [_clean(r) for r in re.split(self.words["role_separator"], listed.group("roles"))
                                     if _clean(r)]

    def chapter_title(self, token: Token, segment: str) -> tuple[str, str | None]:
        if "\n" in segment.strip():
            title, _, intro = segment.strip().partition("\n")
            return _clean(title), _clean(intro) or None
        segment = _clean(segment)
        for known in sorted(self.known_chapters, key=len, reverse=True):
            if segment.startswith(known):
                return known, _clean(segment[len(known):]) or None
        if len(segment) <= 12 and not re.search(r"[,,。;;::]", segment):
            return segment, None
        department = re.sub(self.words["title_suffix"], "", self.title)
        at = segment.find(department) if department else -1
        if at <= 0:
            match = re.search(r"[,,。;;::]", segment)
            at = min(match.start() if match else len(segment), 12)
        self.notes.append(Note("title-split", self.line(token), segment[:30],
                               {"title": segment[:at], "rest": segment[at:at + 20]}))
        return segment[:at], _clean(segment[at:]) or None

    def on_clause(self, token: Token, segment: str) -> None:
        chapter = self.chapters[-1]
        role_title = self.role_title(segment)
        self.duty = None
        if role_title is None:
            status, text = _status(_clean(segment))
            self.clause = ClauseText(token.number, self.line(token), text, status)
            chapter.clauses.append(self.clause)
            if self.roles_listed and chapter.intro and re.search(self.words["role_list"], chapter.intro):
                self.notes.append(Note("role-unknown", self.line(token), text[:30]))
            return
        rest = segment.lstrip()[len(role_title):]
        mark = re.match(r"\s*" + self.words["draft_mark"], rest)
        status = DRAFT if mark else APPROVED
        rest = rest[mark.end():] if mark else rest
        if self.source.line_mode:
            rest = rest.partition("\n")[2]
        intro, label = self.split_label(rest)
        role = RoleText(role_title, self.line(token), status, intro or None)
        boss = re.search(self.words["leadership"], intro or "")
        role.boss = boss.group("boss") if boss else None
        self.clause = ClauseText(token.number, self.line(token), role=role)
        chapter.clauses.append(self.clause)
        self.pending_group = (label, self.line(token)) if label else None

    def role_title(self, segment: str) -> str | None:
        head = segment.lstrip()
        for title in sorted({*self.roles_listed, *self.known_roles}, key=len, reverse=True):
            if head.startswith(title):
                return title
        if self.source.line_mode and self.chapters[-1].intro and self.roles_listed:
            first = _status(head.partition("\n")[0])[1]
            return first if len(first) <= 12 else None
        return None

    def split_label(self, segment: str) -> tuple[str, str | None]:
        """Text and the group label that ends it (…如下:售前: -> …如下:, 售前)."""
        match = _group_label_at_end(segment.rstrip())
        if not match:
            return _clean(segment), None
        return _clean(segment[:match.start()]), _clean(match.group("label") + (match.group("mark") or ""))

    def on_item(self, token: Token, segment: str) -> None:
        text, label = self.split_label(segment)
        status, text = _status(text)
        duty = Duty(token.number, text, self.line(token), status)
        clause = self.clause
        if clause is None:
            return
        if clause.role is None:
            clause.items.append(duty)
        else:
            groups = clause.role.groups
            if self.pending_group or not groups or token.number == 1 and self.pending_group:
                title, line = self.pending_group or (None, self.line(token))
                group_status, title = _status(title) if title else (APPROVED, None)
                groups.append(Group(title, line, group_status))
                self.pending_group = None
            groups[-1].duties.append(duty)
        self.duty = duty
        if label:
            self.pending_group = (label, self.source.line_at(token.end + segment.find(label)))

    def on_subitem(self, token: Token, segment: str) -> None:
        text, label = self.split_label(segment)
        status, text = _status(text)
        if self.duty is not None:
            self.duty.items.append(Duty(token.number, text, self.line(token), status))
        if label:
            self.pending_group = (label, self.line(token))


def _clean(text: str) -> str:
    return re.sub(r"\s*\n\s*", "", text).strip()


def _status(text: str) -> tuple[str, str]:
    """The 草案 mark an exported document puts after draft text: status and the text without it."""
    mark = re.compile(r"\s*" + vocabulary()["draft_mark"] + r"\s*")
    if mark.search(text):
        return DRAFT, mark.sub("", text).strip() if text.strip() else text
    return APPROVED, text


def split_sub_duties(regulation: Regulation) -> None:
    """A duty with no numbered sub-duties whose text goes on after a colon: the parts after the colon, each
    ending at ;, become its sub-duties (负责…维护:…实施;…培训;…病毒。). An enumeration that explains a word
    (…的疑惑:购物车、支付宝、运费、信用卡等;) stays one text. Single sub-duties and kept enumerations are noted."""
    words = vocabulary()
    duties = [d for role in regulation.roles for d in role.duties] + [
        d for chapter in regulation.chapters for c in chapter.clauses for d in c.items]
    for duty in duties:
        if duty.items:
            continue
        match = re.search(words["colon"], duty.text)
        if not match or match.end() == len(duty.text):
            continue
        head, tail = duty.text[:match.end()], duty.text[match.end():]
        if re.match(words["enumeration"], tail):
            regulation.notes.append(Note("colon-kept", duty.line, duty.text[:30]))
            continue
        parts = [p for p in re.split(rf"(?<={words['terminator']})", tail) if p.strip()]
        duty.text = head
        duty.items = [Duty(n, part.strip(), duty.line, duty.status) for n, part in enumerate(parts, start=1)]
        if len(parts) == 1:
            regulation.notes.append(Note("colon-single", duty.line, head[:30], {"item": parts[0][:30]}))
