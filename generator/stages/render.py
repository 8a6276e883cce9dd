"""Stage 4: Handbook -> Markdown pages, through the Jinja2 templates in templates/ (which hold all wording).

Every `{{ value }}` of a template passes through `_finalize`, which turns text from the data into inert
Markdown: HTML and Markdown syntax in it is shown literally, never interpreted. Autoescaping is on so that
macro output and the few values that are markup on purpose (links, anchors) arrive as `Markup` and pass.
"""
from __future__ import annotations

import hashlib
import json
import posixpath
import re
from dataclasses import dataclass, field, replace
from functools import lru_cache
from datetime import date
from pathlib import Path
from typing import Any

import jinja2
import yaml
from markupsafe import Markup

from ..views.words import domain_words
from . import pages as site
from .model import Glossary, Handbook, Target
from .pages import Document, DocumentKind
from ..views.redirects import anchor_aliases, page_redirects
from ..views.review import overdue, stale_drafts
from ..views.lifecycle import DocumentState, Edition, document_states, history_page, record_histories
from ..views.schemadoc import load_schema_docs
from ..views.acknowledgements import Acknowledgements, acknowledgements

TEMPLATES_DIR = Path(__file__).resolve().parent.parent.parent / "templates"

_SPECIAL = {c: f"&#{ord(c)};" for c in "\\`*_[](){}<>&|#!~^=:\"'$"}
_SPECIAL_RE = re.compile("[" + re.escape("".join(_SPECIAL)) + "]")
_MERMAID_RE = re.compile(r'[#"<>&`\[\]{}()|;:]')
_CN_DIGITS = "零一二三四五六七八九"


@dataclass(frozen=True)
class RenderedPage:
    uri: str
    """Path of the page in the docs tree, e.g. roles/designer.md."""
    markdown: str
    source: str | None
    """The data file (relative to data/) an editor changes to change this page, for the 编辑此页 button."""
    updated: str | None = None
    """Date of the last change of the data the page is made from (YYYY-MM-DD)."""


@dataclass(frozen=True)
class RenderedSite:
    pages: tuple[RenderedPage, ...]
    nav: list[Any]
    """The MkDocs `nav` for the generated and hand-written pages."""
    search_words: tuple[str, ...] = ()
    """Domain words for the search index's jieba user dictionary (see dictionary.py)."""
    redirects: dict[str, str] = field(default_factory=dict)
    """Old page uri -> new page uri for records renamed through `former_ids` (mkdocs-redirects' redirect_maps)."""


@dataclass(frozen=True)
class SiteFacts:
    """What the pages need from outside the data: the build day and the git history of the data files."""

    today: date
    updated: dict[str, str] = field(default_factory=dict)
    """Date of the last change of each data file (relative to data/), e.g. {'roles/cs.yml': '2026-11-26'}."""
    added: dict[str, str] = field(default_factory=dict)
    """The day each data file was first committed, for drafts left too long."""
    editions: dict[tuple[str, str], Handbook] = field(default_factory=dict)
    """The handbook at each tagged release, by (doc_no, version): the text of its edition pages."""
    downloads: frozenset[str] = frozenset()
    """The exported files the site serves under downloads/ (e.g. WL-GW-001.pdf, drafts/handbook.pdf)."""


_LIST_MARKER_RE = re.compile(r"^([-+]|\d+(?=[.)]\s))")


@lru_cache(maxsize=1 << 16)  # ids, names and labels come back on many pages
def escape_text(value: str) -> str:
    """Text from the data as literal Markdown/HTML: every character with a meaning becomes an entity."""
    text = _SPECIAL_RE.sub(lambda m: _SPECIAL[m.group()], " ".join(str(value).split()))
    # A value that starts a line must not become a list item.
    return _LIST_MARKER_RE.sub(lambda m: "".join(f"&#{ord(c)};" for c in m.group()), text)


def mermaid_text(value: str) -> Markup:
    """Text for a quoted Mermaid label: Mermaid's own entity codes for everything that could end the label."""
    text = " ".join(str(value).split())
    return Markup(_MERMAID_RE.sub(lambda m: f"#{ord(m.group())};", text))


def fingerprint(items: Any) -> str:
    """A short hash of checklist items, so saved ticks are dropped when the checklist changes."""
    digest = hashlib.sha256("\n".join(f"{i.id}\t{i.text}" for i in items).encode("utf-8"))
    return digest.hexdigest()[:12]


@lru_cache(maxsize=None)
def _relative(page: str, folder: str) -> str:
    """posixpath.relpath, remembered: pages link to the same few hundred places from a handful of folders."""
    return posixpath.relpath(page, folder or ".")


_TEMPLATE_CACHE = jinja2.FileSystemBytecodeCache()
"""Compiled templates, kept between runs in a private folder of the system's temporary directory (Jinja checks
each template's source checksum): compiling them was half of the render time of a small handbook."""


def yaml_title(value: str) -> Markup:
    """Text from the data as a quoted YAML string whose content is escaped HTML: MkDocs prints navigation
    titles into pages without escaping them."""
    return Markup(json.dumps(escape_text(value), ensure_ascii=False))


def _finalize(value: Any) -> Any:
    if isinstance(value, Markup) or value is None:
        return value
    return Markup(escape_text(str(value)))


_NESTED = ("- ", "1. ", " ")
"""Lines of a list item's body that start a nested list (or continue one)."""


def markdown_list(items: Any, body: Any, ordered: bool) -> Markup:
    """The Markdown list of items, each item's text made by `body` (a template's caller): the marker, every
    further line indented by 4 spaces (a list continuation), and the list loose when any body holds more than one
    block. Each body is tidied into blocks: no leading or trailing blank lines, no trailing spaces (no accidental
    hard breaks), runs of blank lines collapsed to one, and a blank line before a nested list that follows a detail
    paragraph (it would be read as part of it). Called by templates/_partials/blocks.md.j2, which documents the
    rules templates follow; in Python because it runs for every item of every list."""
    texts = []
    for item in items:
        text = str(body(item)).strip()
        if "\n" in text:
            lines: list[str] = []
            gap = False
            for line in text.split("\n"):
                if not line.strip():
                    gap = True
                    continue
                gap = gap or (line.startswith(_NESTED) and len(lines) > 1 and not lines[-1].startswith(_NESTED))
                lines += [""] * gap + [line.rstrip()]
                gap = False
            text = "\n".join(lines)
        texts.append(text)
    loose = any("\n\n" in text for text in texts)
    marker = "1. " if ordered else "- "
    return Markup(("\n\n" if loose else "\n").join(
        marker + "\n".join(line if i == 0 or not line else "    " + line for i, line in enumerate(text.split("\n")))
        for text in texts))


def chinese_number(number: int) -> str:
    """1 -> 一, 10 -> 十, 13 -> 十三, 21 -> 二十一 (chapter and clause numbers up to 99)."""
    tens, ones = divmod(number, 10)
    if number < 10:
        return _CN_DIGITS[number]
    return (_CN_DIGITS[tens] if tens > 1 else "") + "十" + (_CN_DIGITS[ones] if ones else "")


def environment(templates_dir: Path | None = None) -> jinja2.Environment:
    """The one way templates are set up: wording in templates/, every `{{ value }}` escaped by `_finalize`,
    undefined names an error. Pages add the handbook's globals (see _Renderer)."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(templates_dir or TEMPLATES_DIR)), undefined=jinja2.StrictUndefined,
        finalize=_finalize, trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True,
        autoescape=True, bytecode_cache=_TEMPLATE_CACHE)
    env.filters["cn"] = chinese_number
    env.filters["mermaid"] = mermaid_text
    env.filters["yaml_title"] = yaml_title
    env.globals["markdown_list"] = markdown_list
    return env


def render_template(name: str, templates_dir: Path | None = None, **context: Any) -> str:
    """One template that needs no handbook (the diff of two handbooks, the schema reference)."""
    return environment(templates_dir).get_template(name).render(**context)


def markup_macros(env: jinja2.Environment) -> Any:
    """The macros of templates/_partials/markup.md.j2: the HTML elements pages are built of."""
    return env.get_template("_partials/markup.md.j2").make_module()


class GlossaryMarkup:
    """Wraps every glossary term or alias in a text in the `term` macro (an `<abbr>` with the meaning), so it
    shows its meaning on hover and on keyboard focus.

    Used as the `gloss` filter on prose only (never headings, links, code or diagram labels). The text between
    terms, the term and the meaning all pass through escape_text, so the escaping guarantee holds.
    """

    def __init__(self, glossary: Glossary | None, term_macro: Any = None) -> None:
        self.term_macro = term_macro or markup_macros(environment()).term
        self.marked: dict[str, str] = {}
        """The markup of each term, made once per term (the same terms recur on every page)."""
        self.meanings: dict[str, tuple[str, str]] = {}
        for term in glossary.terms if glossary else ():
            for name in (term.term, *term.aliases):
                self.meanings.setdefault(name, (term.id, term.meaning))
        # Longest first, so 宝贝描述 wins over 宝贝; Latin terms (SKU) only as whole words.
        names = sorted(self.meanings, key=len, reverse=True)
        alternatives = [rf"(?<![A-Za-z0-9]){re.escape(n)}(?![A-Za-z0-9])" if n.isascii() else re.escape(n)
                        for n in names]
        self.pattern = re.compile("|".join(alternatives)) if alternatives else None

    def __call__(self, value: Any, skip: str | None = None) -> Markup:
        """`skip`: a term id not to mark (the glossary's own entry)."""
        text = " ".join(str(value).split())
        if self.pattern is None:
            return Markup(escape_text(text))
        out, start = [], 0
        for match in self.pattern.finditer(text):
            term_id, meaning = self.meanings[match.group()]
            if term_id == skip:
                continue
            out.append(_escape_part(text[start:match.start()], first=start == 0))
            out.append(self.term(match.group(), meaning))
            start = match.end()
        out.append(_escape_part(text[start:], first=start == 0))
        return Markup("".join(out))


    def term(self, name: str, meaning: str) -> str:
        if name not in self.marked:
            self.marked[name] = str(self.term_macro(name, meaning)).strip()
        return self.marked[name]


def _once(macro: Any) -> Any:
    """A template macro whose output depends only on its arguments, made once per argument: pages call it for
    the same records again and again."""
    made: dict[tuple[Any, ...], Markup] = {}

    def call(*args: Any) -> Markup:
        if args not in made:
            made[args] = Markup(str(macro(*args)))
        return made[args]
    return call


def _escape_part(text: str, first: bool) -> str:
    """escape_text for a piece of an already normalised text, keeping its spaces; only the first piece can
    start a line and needs the list-marker guard."""
    if first:
        return escape_text(text) + (" " if text.endswith(" ") else "")
    return _SPECIAL_RE.sub(lambda m: _SPECIAL[m.group()], text)


class _Renderer:
    def __init__(self, handbook: Handbook, facts: SiteFacts, templates_dir: Path,
                 states: dict[str, DocumentState] | None = None, acks: Acknowledgements | None = None) -> None:
        """`states`: where each document stands today; an old edition's pages take those of the current
        handbook (they say how the edition stands now)."""
        self.handbook = handbook
        self.facts = facts
        self.templates_dir = templates_dir
        self.states = states if states is not None else document_states(handbook, facts.today)
        self.acks = acks if acks is not None else acknowledgements(handbook, self.states, facts.editions, facts.today)
        self.former_ids: dict[str, tuple[str, ...]] = {}
        for aliases in anchor_aliases(handbook).values():
            for alias in aliases:
                self.former_ids[alias.new] = self.former_ids.get(alias.new, ()) + (alias.old,)
        self.env = environment(templates_dir)
        self.markup = markup_macros(self.env)
        self.env.filters["gloss"] = GlossaryMarkup(handbook.glossary, self.markup.term)
        self.env.globals.update(hb=handbook, target=self.target, url=self.url, anchor=self.anchor,
                                history_page=history_page, href=self.href,
                                aliases=self.aliases, role=handbook.role, fingerprint=fingerprint,
                                last_updated=self.last_updated, is_overdue=self.is_overdue,
                                overdue=overdue(handbook, facts.today), states=self.states, edition=None,
                                stale=stale_drafts(handbook, facts.today, facts.added),
                                downloads=facts.downloads, acks=self.acks)
        self.env.globals["label"] = _once(self.env.get_template("_partials/labels.md.j2").make_module().label)

    def target(self, ident: str) -> Target:
        return self.handbook.targets[ident]

    @jinja2.pass_context
    def url(self, context: jinja2.runtime.Context, ident_or_page: str) -> Markup:
        """Relative link from the page being rendered to an id's place, or to a page path."""
        target = self.handbook.targets.get(ident_or_page)
        page, fragment = (target.page, target.anchor) if target else (ident_or_page, None)
        here = posixpath.dirname(context["page_uri"])
        path = "" if page == context["page_uri"] and fragment else _relative(page, here)
        return Markup(path + (f"#{fragment}" if fragment else ""))

    @jinja2.pass_context
    def href(self, context: jinja2.runtime.Context, page: str) -> Markup:
        """The address of a page as the built site serves it (directory URLs), relative to the page being
        rendered: for links in raw HTML, which MkDocs does not rewrite."""
        here = _served(context["page_uri"])
        return Markup(posixpath.relpath(_served(page), here) + "/")

    def anchor(self, ident: str) -> Markup:
        """Empty elements carrying an id and the record's former ids, so a list item or table row can be linked
        to, by its old ids too."""
        return Markup(str(self.markup.anchors((ident, *self.former_ids.get(ident, ())))).strip())

    def aliases(self, ident: str) -> Markup:
        """Empty elements with the former ids of a record, so that old links to its anchor keep working."""
        olds = self.former_ids.get(ident, ())
        return Markup(str(self.markup.anchors(olds)).strip()) if olds else Markup("")

    def last_updated(self, sources: Any) -> str:
        """The newest last-change date of the data files a page is made from: files, folders ending in '/',
        or '' for all of the data."""
        updated = self.facts.updated
        dates = []
        for source in sources:
            if source == "" or source.endswith("/"):
                dates += [day for rel, day in updated.items() if rel.startswith(source)]
            elif source in updated:
                dates.append(updated[source])  # most pages come from one file: no scan of all files
        return max(dates, default=self.facts.today.isoformat())

    def is_overdue(self, review_by: str) -> bool:
        return date.fromisoformat(review_by) < self.facts.today

    def document_page(self, document: Document, uri: str, edition: Edition | None = None) -> RenderedPage | None:
        """The page of a document in this renderer's handbook (None when that handbook lacks it)."""
        template, name = _DOCUMENT_TEMPLATES[document.kind]
        context = {"edition": edition}
        if name is not None:
            record = _record(self.handbook, document.kind, document.id)
            if record is None:
                return None
            context[name] = record
        return self.page(template, uri, document.control.source, **context)

    def editions(self) -> list[RenderedPage]:
        """Per document, its history page (editions/<文件编号>/) and a page for every released version at
        editions/<文件编号>/<版本>.md: the text of the tagged release (the current text for the newest version
        when it has no tag)."""
        histories = record_histories(self.states, self.handbook, self.facts.editions)
        found = []
        for ident, state in self.states.items():
            found.append(self.page("document_history.md.j2", history_page(state.registration.doc_no), None,
                                   state=state, changes=histories.get(ident, {})))
            for edition in state.editions:
                source = self.facts.editions.get((edition.doc_no, edition.release.version))
                if source is None and edition is state.latest:
                    source = self.handbook
                renderer = self if source is self.handbook else (
                    _Renderer(source, self.facts, self.templates_dir, self.states, self.acks) if source else None)
                page = renderer.document_page(state.document, edition.page, edition) if renderer else None
                found.append(page or self.page("edition_missing.md.j2", edition.page, None,
                                               state=state, edition=edition))
        return found

    def page(self, template: str, uri: str, source: str | None, **context: Any) -> RenderedPage:
        markdown = self.env.get_template(template).render(page_uri=uri, **context)
        return RenderedPage(uri, markdown, source, self.last_updated([source or ""]))


def render_site(handbook: Handbook, facts: SiteFacts | None = None, templates_dir: Path | None = None
                ) -> RenderedSite:
    """All pages of the site; without facts, every page counts as changed today (no git history)."""
    templates_dir = templates_dir or TEMPLATES_DIR
    r = _Renderer(handbook, facts or SiteFacts(date.today()), templates_dir)
    pages = [
        r.page("index.md.j2", site.HOME, "handbook.yml"),
        r.page("regulation.md.j2", site.REGULATION, "regulation/"),
        r.page("roles_index.md.j2", site.index_page(site.ROLES), "roles/"),
        *(r.page("role.md.j2", site.role_page(x.id), x.control.source, role_=x) for x in handbook.roles),
        r.page("procedures_index.md.j2", site.index_page(site.PROCEDURES), "procedures/"),
        *(r.page("procedure.md.j2", site.procedure_page(x.id), x.control.source, procedure=x)
          for x in handbook.procedures),
        r.page("checklists_index.md.j2", site.index_page(site.CHECKLISTS), "checklists/"),
        *(r.page("checklist.md.j2", site.checklist_page(x.id), x.control.source, checklist=x)
          for x in handbook.checklists),
        r.page("onboarding_index.md.j2", site.index_page(site.ONBOARDING), "onboarding/"),
        *(r.page("onboarding.md.j2", site.onboarding_page(x.role), x.control.source, onboarding=x)
          for x in handbook.onboardings),
        r.page("org.md.j2", site.ORG, "roles/"),
        r.page("revisions.md.j2", site.REVISIONS, "handbook.yml"),
        r.page("review.md.j2", site.REVIEW, None),
        RenderedPage(site.SCHEMA_REFERENCE, render_schema_reference(templates_dir), None, r.last_updated([""])),
    ]
    if handbook.glossary is not None:
        pages.append(r.page("glossary.md.j2", site.GLOSSARY, handbook.glossary.control.source))
    pages += r.editions()
    pages += _acknowledgement_pages(r)
    nav = yaml.safe_load(r.env.get_template("nav.yml.j2").render(page_uri=site.HOME, pages=pages))
    return RenderedSite(tuple(pages), nav, domain_words(handbook), page_redirects(handbook))


def render_record_pages(handbook: Handbook, sources: set[str], facts: SiteFacts | None = None,
                        templates_dir: Path | None = None) -> list[RenderedPage]:
    """Only the pages of the records defined in these data files (relative to data/, e.g. roles/cs.yml): what a
    live preview shows first, before the rest of the site is rendered again. The same pages render_site makes."""
    r = _Renderer(handbook, facts or SiteFacts(date.today()), templates_dir or TEMPLATES_DIR)
    edited = [d for d in site.documents(handbook) if d.kind in _RECORD_KINDS and d.control.source in sources]
    return [page for page in (r.document_page(d, d.page) for d in edited) if page is not None]


def render_schema_reference(templates_dir: Path | None = None) -> str:
    """Markdown of the 字段参考 page, from the JSON Schemas (views/schemadoc.py)."""
    return render_template("schema_reference.md.j2", templates_dir, kinds=load_schema_docs())


def _served(page: str) -> str:
    """The folder a page is served from: roles/cs.md -> roles/cs, roles/index.md -> roles, index.md -> ''."""
    stem = page[:-len(".md")]
    return "." if stem == "index" else stem[:-len("/index")] if stem.endswith("/index") else stem


_DOCUMENT_TEMPLATES = {
    DocumentKind.REGULATION: ("regulation.md.j2", None), DocumentKind.ROLE: ("role.md.j2", "role_"),
    DocumentKind.PROCEDURE: ("procedure.md.j2", "procedure"), DocumentKind.CHECKLIST: ("checklist.md.j2", "checklist"),
    DocumentKind.ONBOARDING: ("onboarding.md.j2", "onboarding"), DocumentKind.GLOSSARY: ("glossary.md.j2", None),
}
"""The template of each kind of document's page, and the name under which it gets its record."""
_RECORD_KINDS = frozenset(kind for kind, (_, name) in _DOCUMENT_TEMPLATES.items() if name)
"""The documents that are one record each (a role, procedure, checklist, onboarding guide), with a page of its own."""


def _record(hb: Handbook, kind: DocumentKind, ident: str) -> Any:
    records = {DocumentKind.ROLE: hb.roles, DocumentKind.PROCEDURE: hb.procedures,
               DocumentKind.CHECKLIST: hb.checklists, DocumentKind.ONBOARDING: hb.onboardings}[kind]
    return next((r for r in records if r.id == ident), None)


def _acknowledgement_pages(r: _Renderer) -> list[RenderedPage]:
    """签收情况, each document's 签收情况 and every version's 签收单: only for a handbook with data/people.yml."""
    acks = r.acks
    if not acks.enabled:
        return []
    source = acks.hb.roster.source

    def page(template: str, uri: str, **context: Any) -> RenderedPage:
        return replace(r.page(template, uri, source, **context), updated=r.last_updated([source, "acks/"]))

    found = [page("acknowledgements.md.j2", site.ACKNOWLEDGEMENTS)]
    found += [page("document_acknowledgements.md.j2", site.acknowledgements_page(state.registration.doc_no),
                   state=state) for state in acks.documents]
    found += [page("signoff.md.j2", sheet.page, sheet=sheet) for sheet in acks.sheets.values()]
    return found

