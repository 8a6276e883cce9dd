"""The handbook for Zensical: a project folder that builds without any MkDocs hook.

Zensical (the successor of MkDocs + Material, by Material's makers) reads mkdocs.yml but runs no hooks and only a
fixed list of plugins. So what generator/adapter/hook.py does inside every MkDocs build is done here, once, before
the builder runs: the generated pages are written beside docs/ (as `python -m generator render --out` writes them),
Mermaid's script is put on the pages that hold a diagram (Zensical would fetch it from a CDN), the vendored script
is copied into the tree, the redirects of renamed records become `redirect_maps` (Zensical writes them as pages),
and the menu becomes `nav`. The config is mkdocs.yml itself, minus what Zensical cannot run.

    python -m generator.adapter.zensical --out build/zensical   # then: zensical build -f build/zensical/mkdocs.yml

Search words: the hook teaches jieba the handbook's own words for Material's index. Zensical segments Chinese in
the browser (Intl.Segmenter) and takes no dictionary, so there is nothing to hand it.
"""
from __future__ import annotations

import argparse
import html
import posixpath
import re
import shutil
import sys
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any, Iterable

import yaml

from .. import pipeline
from ..stages.history import build_day
from ..stages.messages import language, phrase, words
from ..stages.problems import Severity
from ..stages.render import RenderedPage, RenderedSite
from ..stages.report import format_text
from .assets import MERMAID, VENDOR

DOCS, SITE, THEME = "docs", "site", "overrides"
"""The folders of a prepared project: the pages, the built site, the theme overrides."""
MARKER = ".handbook-zensical"
"""Written into the project folder, so that only a folder this module made is ever replaced."""
DROPPED_SETTINGS = ("hooks", "watch", "docs_dir", "site_dir", "nav")
"""Top-level settings of mkdocs.yml that the prepared project sets itself or that Zensical cannot run."""
KEPT_PLUGINS = ("search", "redirects")
"""Plugins of mkdocs.yml that Zensical implements; print-site (打印全部) it drops silently, so it is left out."""
MERMAID_FENCE = "```{.mermaid"
MATERIAL_ONLY_OVERRIDES = ("partials/search.html",)
"""Theme overrides written against Material 9.8.1's markup that break Zensical: its search is a button opening a
dialog (already named, which is what our copy of Material's partial adds), and with Material's form in its place
the search never starts."""


class PrepareError(Exception):
    """The data has errors: nothing to build."""


@dataclass(frozen=True)
class Project:
    config: Path
    """The prepared mkdocs.yml; `zensical build -f` it."""
    docs: Path
    site: Path
    pages: int
    """Generated pages written (hand-written docs/ pages come on top)."""
    redirects: int
    rendered: RenderedSite
    """What was written: the generated pages, menu and redirects."""


# -- the config -----------------------------------------------------------------------------------------------
class _Tagged:
    """A YAML node with a tag the safe loader does not know (!ENV, !!python/...): kept as written."""

    def __init__(self, tag: str, node: yaml.Node) -> None:
        self.tag, self.node = tag, node


class _Loader(yaml.SafeLoader):
    pass


class _Dumper(yaml.SafeDumper):
    pass


def _keep_tag(loader: yaml.SafeLoader, suffix: str, node: yaml.Node) -> _Tagged:
    return _Tagged(node.tag, node)


_Loader.add_multi_constructor("!", lambda loader, suffix, node: _keep_tag(loader, suffix, node))
_Loader.add_multi_constructor("tag:yaml.org,2002:python/", _keep_tag)
_Dumper.add_representer(_Tagged, lambda dumper, value: value.node)


def read_config(mkdocs_yml: Path) -> dict[str, Any]:
    """mkdocs.yml as data, its custom tags (values from the environment, Python functions) kept for the builder."""
    return yaml.load(mkdocs_yml.read_text(encoding="utf-8"), Loader=_Loader)


def zensical_config(config: dict[str, Any], site: RenderedSite, docs: str = DOCS, site_dir: str = SITE,
                    theme_dir: str = THEME) -> dict[str, Any]:
    """The project's mkdocs.yml for Zensical: the real one with the rendered nav, the redirects of the data, the
    plugins Zensical has, and the paths of the prepared folder."""
    derived = {key: value for key, value in config.items() if key not in DROPPED_SETTINGS}
    # Relative to the config's folder: Zensical 0.0.73 panics on absolute docs_dir/site_dir ("invariant: Id(…)").
    derived["docs_dir"], derived["site_dir"] = docs, site_dir
    derived["nav"] = menu(site)[0]
    theme = dict(derived.get("theme") or {})
    if theme.get("custom_dir"):
        theme["custom_dir"] = theme_dir
    derived["theme"] = theme
    derived["plugins"] = [_plugin(entry, site) for entry in config.get("plugins", []) if _plugin_name(entry) in
                          KEPT_PLUGINS]
    return derived


_H1 = re.compile(r"^# (.+)$", re.MULTILINE)


def menu(site: RenderedSite) -> tuple[list[Any], dict[str, str]]:
    """What the prepared mkdocs.yml takes from the site: the menu, its titles, and the redirects. When it
    changes, the config must be written again."""
    return titled_nav(site.nav, page_titles(site)), dict(site.redirects)


def page_titles(site: RenderedSite) -> dict[str, str]:
    """Each generated page's h1 as plain text (the pages hold it escaped, e.g. 仓库&#40;发货&#41;)."""
    titles = {}
    for page in site.pages:
        body = page.markdown.split("\n---\n", 1)[1] if page.markdown.startswith("---\n") else page.markdown
        match = _H1.search(body)
        if match:
            titles[page.uri] = html.unescape(match.group(1)).strip()
    return titles


def titled_nav(nav: list[Any], titles: dict[str, str]) -> list[Any]:
    """The menu with an explicit title for each generated page and every title as HTML-escaped text. Zensical,
    like MkDocs, prints menu titles as HTML, but it also puts them in its search results as text: a title it took
    from the escaped h1 (or our escaped section names) showed there as 仓库&#40;发货&#41;."""
    def title(text: str) -> str:
        return html.escape(html.unescape(text))

    def entry(item: Any) -> Any:
        if isinstance(item, str):
            return {title(titles[item]): item} if item in titles else item
        return {title(name): [entry(child) for child in value] if isinstance(value, list) else value
                for name, value in item.items()}
    return [entry(item) for item in nav]


def _plugin_name(entry: str | dict[str, Any]) -> str:
    return entry if isinstance(entry, str) else next(iter(entry))


def _plugin(entry: str | dict[str, Any], site: RenderedSite) -> dict[str, Any]:
    name = _plugin_name(entry)
    options = {} if isinstance(entry, str) else dict(entry[name] or {})
    if name == "redirects":
        options["redirect_maps"] = dict(site.redirects)
    return {name: options}


def dump_config(config: dict[str, Any]) -> str:
    return yaml.dump(config, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=120)


# -- the pages ------------------------------------------------------------------------------------------------
def with_mermaid(page: RenderedPage) -> str:
    """A page's Markdown, with the site's own Mermaid script after it when it holds a diagram: Material's bundle
    in Zensical loads Mermaid from a CDN unless a `mermaid` global exists when it draws the diagrams."""
    if MERMAID_FENCE not in page.markdown:
        return page.markdown
    return page.markdown.rstrip("\n") + f'\n\n<script src="{mermaid_address(page.uri)}"></script>\n'


def mermaid_address(uri: str) -> str:
    """The vendored script's address relative to the page's Markdown file: Zensical rewrites relative addresses in
    raw HTML as it does Markdown links (docs/org.md's "assets/…" is served as "../assets/…" from org/)."""
    return posixpath.relpath(MERMAID, posixpath.dirname(uri) or ".")


def write_pages(pages: Iterable[RenderedPage], docs: Path, written: dict[str, str] | None = None) -> list[str]:
    """Write the pages into docs. `written`, the Markdown already in docs by page, is kept up to date: a page
    whose Markdown it already holds is not written again, so a builder watching docs rebuilds only the others.
    Returns the pages written."""
    written = {} if written is None else written
    changed = []
    for page in pages:
        if written.get(page.uri) == page.markdown:
            continue
        target = docs / page.uri
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(with_mermaid(page), encoding="utf-8")
        written[page.uri] = page.markdown
        changed.append(page.uri)
    return changed


def remove_pages(site: RenderedSite, docs: Path, written: dict[str, str]) -> list[str]:
    """Remove from docs the pages of `written` that the site no longer has; returns them."""
    gone = sorted(written.keys() - {page.uri for page in site.pages})
    for uri in gone:
        (docs / uri).unlink(missing_ok=True)
        del written[uri]
    return gone


# -- the project ----------------------------------------------------------------------------------------------
def render(data_dir: Path, today: date | None = None) -> RenderedSite:
    result = pipeline.render(data_dir, today or build_day())
    if result.site is None:
        errors = [format_text(p) for p in result.problems if p.severity == Severity.ERROR]
        raise PrepareError("\n".join([words(phrase("the handbook data has errors:"), language()), *errors]))
    return result.site


def prepare(data_dir: Path, root: Path, out: Path, today: date | None = None) -> Project:
    """Write into out a Zensical project of the handbook: docs/ (hand-written pages, generated pages, vendored
    scripts), the theme overrides and mkdocs.yml. out must be new, empty, or a folder this function wrote."""
    site = render(data_dir, today)
    _clear(out)
    docs, theme_dir, site_dir = out / DOCS, out / THEME, out / SITE
    shutil.copytree(root / "docs", docs)
    shutil.copytree(root / "overrides", theme_dir)
    for override in MATERIAL_ONLY_OVERRIDES:
        (theme_dir / override).unlink(missing_ok=True)
    count = len(write_pages(site.pages, docs))
    for uri, source in VENDOR.items():
        if not (root / source).is_file():
            raise PrepareError(f"{source} is missing; run `make` (npm ci) to install the site's scripts")
        (docs / uri).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(root / source, docs / uri)
    write_config(site, root, out)
    return Project(out / "mkdocs.yml", docs, site_dir, count, len(site.redirects), site)


def write_config(site: RenderedSite, root: Path, out: Path) -> None:
    """The prepared project's mkdocs.yml (out/docs, out/site, out/overrides), with the site's menu and redirects."""
    config = zensical_config(read_config(root / "mkdocs.yml"), site)
    (out / "mkdocs.yml").write_text(dump_config(config), encoding="utf-8")


def _clear(out: Path) -> None:
    if out.exists() and any(out.iterdir()):
        if not (out / MARKER).is_file():
            raise PrepareError(f"{out} is not empty and was not written by this command; choose another folder")
        shutil.rmtree(out)
    out.mkdir(parents=True, exist_ok=True)
    (out / MARKER).write_text("written by generator.adapter.zensical; replaced on the next run\n", encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m generator.adapter.zensical",
                                     description="Prepare the handbook as a Zensical project (no hooks needed)")
    parser.add_argument("--data", type=Path, default=Path("data"))
    parser.add_argument("--root", type=Path, default=Path("."), help="the repository (mkdocs.yml, docs/)")
    parser.add_argument("--out", type=Path, default=Path("build/zensical"))
    args = parser.parse_args(argv)
    try:
        project = prepare(args.data, args.root, args.out)
    except PrepareError as error:
        sys.stderr.write(f"error: {error}\n")
        return 1
    print(f"{project.config}: {project.pages} generated pages, {project.redirects} redirects")
    return 0


if __name__ == "__main__":
    sys.exit(main())
